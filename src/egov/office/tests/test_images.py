"""Signature and seal images: an official uploads her handwritten signature, the clerk the
agency's seal; checked by content and size; only oneself / the agency's clerk or administrator;
the signed document shows them."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from egov.core.models import AuditEvent, Role
from egov.office import services
from egov.office.models import SealImage, SignatureImage

from .conftest import login, released

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def png(colour=(20, 50, 160, 255), size=(300, 120), fmt="PNG") -> bytes:
    """A stroke of ink on a transparent PNG (or a white JPEG, as a scan)."""
    if fmt == "PNG":
        image = Image.new("RGBA", size, (0, 0, 0, 0))
    else:
        image = Image.new("RGB", size, (255, 255, 255))
        colour = colour[:3]
    for x in range(40, min(260, size[0])):
        for y in range(50, 60):
            image.putpixel((x, y), colour)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(content, name="chu-ky.png"):
    return services.Upload(name, content, "image/png")


def test_an_official_uploads_her_own_signature_image_and_nobody_else_may(people):
    row = services.upload_signature_image(people["director"], people["director"], upload(png()))
    assert row.content_type == "image/png" and row.read() == png()
    with pytest.raises(PermissionDenied):
        services.upload_signature_image(people["clerk"], people["director"], upload(png()))
    # a JPEG scan on white paper is accepted too, and replaces the earlier image
    services.upload_signature_image(
        people["director"], people["director"], upload(png(fmt="JPEG"), "scan.jpg")
    )
    assert SignatureImage.objects.get(user=people["director"]).content_type == "image/jpeg"
    assert AuditEvent.objects.filter(action="office.signature_image_uploaded").count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7 not an image",
        b"GIF89a" + b"\0" * 100,
        b"\x89PNG\r\n\x1a\n" + b"broken",
    ],
)
def test_what_is_not_a_png_or_jpeg_is_refused_by_its_content(people, content):
    with pytest.raises(ValidationError):
        services.upload_signature_image(
            people["director"], people["director"], upload(content, "chu-ky.png")
        )
    assert not SignatureImage.objects.exists()


def test_too_large_or_empty_images_are_refused(people, settings):
    import os

    settings.EGOV_OFFICE_IMAGE_MAX_BYTES = 10 * 1024
    noise = io.BytesIO()
    Image.frombytes("RGBA", (100, 100), os.urandom(40_000)).save(noise, "PNG")
    with pytest.raises(ValidationError, match="10 KB"):
        services.upload_signature_image(
            people["director"], people["director"], upload(noise.getvalue())
        )
    settings.EGOV_OFFICE_IMAGE_MAX_BYTES = 1024 * 1024
    blank = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(blank, "PNG")
    with pytest.raises(ValidationError):
        services.upload_signature_image(
            people["director"], people["director"], upload(blank.getvalue())
        )


def test_the_clerk_or_administrator_uploads_the_seal_not_a_specialist_or_another_agency(
    people, make_official
):
    red = png(colour=(206, 17, 38, 255), size=(200, 200))
    services.upload_seal_image(people["clerk"], people["stttt"], upload(red, "dau.png"))
    admin = make_official("quantri.stttt", people["stttt"], Role.AGENCY_ADMIN)
    services.upload_seal_image(admin, people["stttt"], upload(red, "dau.png"))
    with pytest.raises(PermissionDenied):
        services.upload_seal_image(people["specialist"], people["stttt"], upload(red))
    with pytest.raises(PermissionDenied):
        services.upload_seal_image(people["stp_clerk"], people["stttt"], upload(red))
    assert SealImage.objects.get(agency=people["stttt"]).uploaded_by == admin


def _image_sizes(pdf: bytes, tmp_path) -> set[tuple[int, int]]:
    """(width, height) of the images in the PDF (poppler's pdfimages)."""
    import shutil
    import subprocess

    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return {(int(line.split()[3]), int(line.split()[4])) for line in listing}


def test_the_signed_document_carries_the_uploaded_images(people, certificates, tmp_path):
    # A 220 × 10 pixel stroke of ink (the appearance crops an image to its ink), and a seal
    # whose ink is 160 × 10: sizes no drawn look-alike has.
    services.upload_signature_image(people["director"], people["director"], upload(png()))
    services.upload_seal_image(
        people["clerk"], people["stttt"], upload(png(size=(200, 200)), "dau.png")
    )
    sizes = _image_sizes(released(people).main_file.read(), tmp_path)
    assert {(220, 10), (160, 10)} <= sizes


def test_the_page_shows_each_image_only_to_who_may_replace_it(people, client):
    client.force_login(people["clerk"])
    page = client.get("/van-phong/chu-ky-con-dau/")
    assert page.status_code == 200
    response = client.post(
        "/van-phong/chu-ky-con-dau/",
        {"kind": "seal", "agency": people["stttt"].pk, "image": _file(png(size=(200, 200)))},
    )
    assert response.status_code == 302
    seal = SealImage.objects.get(agency=people["stttt"])
    assert client.get(f"/van-phong/chu-ky-con-dau/seal/{seal.pk}/").status_code == 200
    client.post("/van-phong/chu-ky-con-dau/", {"kind": "signature", "image": _file(png())})
    mine = SignatureImage.objects.get(user=people["clerk"])

    login(client, people["director"])
    assert client.get(f"/van-phong/chu-ky-con-dau/seal/{seal.pk}/").status_code == 403
    assert client.get(f"/van-phong/chu-ky-con-dau/signature/{mine.pk}/").status_code == 403
    client.force_login(people["specialist"])
    response = client.post(
        "/van-phong/chu-ky-con-dau/",
        {"kind": "seal", "agency": people["stttt"].pk, "image": _file(png())},
    )
    assert SealImage.objects.get(agency=people["stttt"]).pk == seal.pk
    assert SealImage.objects.get(agency=people["stttt"]).uploaded_by == people["clerk"]


def _file(content, name="anh.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")

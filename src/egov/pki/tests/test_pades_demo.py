"""The demo: the director of the Sở TTTT has signed a sample decision, the agency has sealed it,
and anyone can check it on the public page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.demo import loader as core_demo
from egov.pki import demo, demo_signing

pytestmark = pytest.mark.django_db


def test_the_demo_decision_is_signed_sealed_and_valid_on_the_public_page(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    core_demo.load()
    demo.load()
    out = io.StringIO()

    path = demo_signing.load(stdout=out)

    assert path is not None and path.name == "quyet-dinh-mau-da-ky-so.pdf"
    assert "/chu-ky-so/kiem-tra/" in out.getvalue()
    page = client.post(
        "/chu-ky-so/kiem-tra/",
        {"file": SimpleUploadedFile(path.name, path.read_bytes(), "application/pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "All 3 signatures are valid." in html  # director, seal, archive timestamp
    assert "Hoàng Đức Thắng" in html and "PAdES B-LTA" in html
    assert (path.parent / "chu-ky-giamdoc.stttt.png").exists()
    # Loading the demo again keeps the signed file as it is.
    before = path.read_bytes()
    assert demo_signing.load() == path and path.read_bytes() == before


def test_a_sample_left_by_an_earlier_installation_is_signed_again(settings, tmp_path):
    """A database loaded again has a new CA: the old file would no longer validate."""
    from egov.pki.validation import validate_pdf

    settings.MEDIA_ROOT = str(tmp_path / "media")
    leftover = tmp_path / "media" / "demo" / "quyet-dinh-mau-da-ky-so.pdf"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"%PDF-1.4\nsigned by a CA this database never had\n%%EOF\n")
    core_demo.load()
    demo.load()

    path = demo_signing.load()

    assert path == leftover
    assert validate_pdf(path.read_bytes()).indication == "TOTAL-PASSED"

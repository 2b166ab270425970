"""Signing official documents: the official, then the agency seal, then the appendices.

The signed PDFs are read back as a person (and a court) would: with poppler's ``pdftotext``,
``pdffonts`` and ``pdftoppm`` for what the page shows, and with the validator for what the
signatures prove. The poppler tools come from the Debian package poppler-utils; without them
the tests that need them are skipped, except under CI, where they fail.
"""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from egov.core.models import AuditEvent, Role
from egov.core.tests.helpers import current_code, enrol_totp
from egov.pki import demo_signing, pades
from egov.pki.appearance import MM, SignatureBlock, load_image
from egov.pki.demo_images import demo_seal_png, demo_signature_png
from egov.pki.signing import SigningRefused, sign_document
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import AGENCY, OFFICIAL_NAME, two_page_pdf
from egov.pki.validation import validate_pdf

ISO_VIETNAM = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")
BLOCK = SignatureBlock.from_top_left_mm(page=-1, left_mm=120, top_mm=40)
DPI = 144


def need(*tools):
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (Debian: poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def run(command, pdf: bytes, tmp_path, *extra) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [*command, str(path), *extra], check=True, capture_output=True, text=True
    ).stdout


def page_text(pdf, tmp_path, page) -> str:
    need("pdftotext")
    text = run(["pdftotext", "-f", str(page), "-l", str(page), "-layout"], pdf, tmp_path, "-")
    return unicodedata.normalize("NFC", text)


def render(pdf, tmp_path, page) -> Image.Image:
    need("pdftoppm")
    run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png"],
        pdf,
        tmp_path,
        str(tmp_path / "page"),
    )
    (png,) = tmp_path.glob("page*.png")
    return Image.open(png).convert("RGB")


def bbox(image: Image.Image, colour) -> tuple[int, int, int, int] | None:
    """Pixel box of the pixels the predicate calls ``colour`` (seal red, ink blue)."""
    mask = Image.eval(image, lambda v: v)  # copy
    pixels = mask.load()
    width, height = image.size
    points = [
        (x, y) for y in range(0, height, 2) for x in range(0, width, 2) if colour(*pixels[x, y])
    ]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def seal_red(r, g, b):
    return r > 150 and g < 110 and b < 110


def ink_blue(r, g, b):
    return b > 120 and r < 110 and b - r > 60


def mm(pixels: float) -> float:
    return pixels / DPI * 25.4


@pytest.fixture(scope="module")
def images():
    return {
        "signature": demo_signature_png(OFFICIAL_NAME),
        "seal": demo_seal_png(AGENCY, province="Tỉnh Đắk Nông"),
    }


@pytest.fixture(scope="module")
def official_then_seal(spki, images):
    """Nguyễn Thị Hoa signs the decision; then the clerk seals it with the agency's certificate."""
    first = pades.sign_as_official(
        two_page_pdf(),
        spki.identity(spki.official),
        BLOCK,
        signature_image=images["signature"],
        timestamper=spki.timestamper(),
        reason="Ký ban hành",
        location="Đắk Nông",
    )
    sealed = pades.apply_agency_seal(
        first,
        spki.identity(spki.seal),
        BLOCK,
        seal_image=images["seal"],
        timestamper=spki.timestamper(),
    )
    return first, sealed


def test_the_seal_is_an_incremental_update_that_keeps_the_officials_signature(
    spki, official_then_seal
):
    first, sealed = official_then_seal

    assert sealed.startswith(first)  # her signed revision is kept byte for byte
    with translation.override("en"):
        report = validate_pdf(sealed, validation_context=spki.validation_context)
    official, seal = report.signatures
    assert report.indication == "TOTAL-PASSED"
    assert (official.field, official.signer.name) == ("ChuKyNguoiKy", OFFICIAL_NAME)
    assert official.coverage == "ENTIRE_REVISION" and official.modification == "FORM_FILLING"
    assert official.modifications_permitted
    assert (seal.field, seal.signer.agency) == ("ChuKyCoQuan", AGENCY)
    assert seal.coverage == "ENTIRE_FILE"


def test_the_appearance_shows_name_agency_and_vietnam_time_in_tinos(official_then_seal, tmp_path):
    _first, sealed = official_then_seal

    text = page_text(sealed, tmp_path, 2)

    assert OFFICIAL_NAME in text  # the diacritics survive: the text is real, not an image
    assert AGENCY in text.replace("\n", " ")
    assert len(ISO_VIETNAM.findall(text)) >= 2  # one time for her, one for the seal
    need("pdffonts")
    fonts = run(["pdffonts"], sealed, tmp_path)
    assert "Tinos" in fonts


def test_the_red_seal_is_real_size_and_covers_the_left_third_of_the_signature(
    official_then_seal, tmp_path
):
    _first, sealed = official_then_seal

    page = render(sealed, tmp_path, 2)
    seal = bbox(page, seal_red)
    ink = bbox(page, ink_blue)

    assert seal and ink
    seal_width, seal_height = mm(seal[2] - seal[0]), mm(seal[3] - seal[1])
    assert 34 <= seal_width <= 38 and abs(seal_width - seal_height) < 1.5  # round, ~36 mm
    ink_width = ink[2] - ink[0]
    overlap = (seal[2] - ink[0]) / ink_width
    assert 0.2 <= overlap <= 0.45, overlap  # about the left third of the signature
    assert seal[0] < ink[0]  # the seal sits on the signature's left
    # The seal is transparent: the ink under it still shows.
    under_seal = page.crop((ink[0], ink[1], seal[2], ink[3]))
    assert bbox(under_seal, ink_blue) is not None


def test_the_signature_image_is_drawn_centred_in_the_block(spki, tmp_path):
    # This block and image leave a centring offset of 7e-15 pt: it must still be written as a
    # number PDF readers accept (PDF has no exponent notation).
    block = demo_signing._block()
    signed = pades.sign_as_official(
        two_page_pdf(),
        spki.identity(spki.official),
        block,
        signature_image=demo_signature_png("Hoàng Đức Thắng"),
        level="B-B",
    )

    need("pdftoppm")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = subprocess.run(
        ["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Syntax Error" not in result.stderr
    ink = bbox(Image.open(next(tmp_path.glob("p*.png"))).convert("RGB"), ink_blue)
    assert ink is not None  # the signature is drawn
    centre = (ink[0] + ink[2]) / 2  # pixels = points at 72 dpi
    assert abs(centre - (block.x + block.image_width / 2)) < 4


def test_an_appendix_gets_the_agency_signature_without_image_at_the_number(spki, tmp_path):
    box = (30 * MM, 240 * MM, 110 * MM, 262 * MM)
    signed = pades.sign_appendix(
        two_page_pdf("PHỤ LỤC"),
        spki.identity(spki.seal),
        number_symbol="15/QĐ-STTTT",
        page=0,
        box=box,
        timestamper=spki.timestamper(),
    )

    text = page_text(signed, tmp_path, 1)
    assert text.count("15/QĐ-STTTT") == 2  # the document's own, and the signature's
    assert ISO_VIETNAM.search(text)
    page = render(signed, tmp_path, 1)
    assert bbox(page, seal_red) is None and bbox(page, ink_blue) is None  # no image


def test_an_appendix_signature_without_a_place_is_invisible(spki, tmp_path):
    signed = pades.sign_appendix(
        two_page_pdf("PHỤ LỤC"),
        spki.identity(spki.seal),
        number_symbol="15/QĐ-STTTT",
        timestamper=spki.timestamper(),
    )

    assert page_text(signed, tmp_path, 1).count("15/QĐ-STTTT") == 1
    report = validate_pdf(signed, validation_context=spki.validation_context)
    assert report.indication == "TOTAL-PASSED"


@pytest.mark.parametrize(
    ("level", "expected"),
    [("B-B", "B-B"), ("B-T", "B-T"), ("B-LT", "B-LT"), ("B-LTA", "B-LTA")],
)
def test_each_pades_level_is_recognised_and_valid(spki, level, expected):
    signed = pades.sign_pdf(
        two_page_pdf(),
        spki.identity(spki.official),
        level=level,
        timestamper=spki.timestamper() if level != "B-B" else None,
        validation_context=spki.validation_context() if level in ("B-LT", "B-LTA") else None,
    )

    report = validate_pdf(signed, validation_context=spki.validation_context)

    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    assert report.signatures[0].level == expected
    kinds = [s.kind for s in report.signatures]
    assert kinds == (["approval", "document_timestamp"] if level == "B-LTA" else ["approval"])
    if level in ("B-LT", "B-LTA"):
        assert b"/DSS" in signed  # chain and CRLs travel with the document


def test_a_password_protected_pdf_is_refused_with_a_clear_message(spki):
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(two_page_pdf())))
    writer.encrypt("secret", "secret")
    out = io.BytesIO()
    writer.write(out)

    with translation.override("en"), pytest.raises(pades.SignatureRefused) as refused:
        pades.sign_pdf(out.getvalue(), spki.identity(spki.official), level="B-B")
    assert "password" in refused.value.messages[0]


# --- images ------------------------------------------------------------------------------------
def test_demo_seal_is_a_red_ring_on_a_transparent_background():
    seal = Image.open(io.BytesIO(demo_seal_png(AGENCY, province="Tỉnh Đắk Nông")))

    assert seal.mode == "RGBA" and seal.size == (600, 600)
    assert seal.getpixel((5, 5))[3] == 0  # corners are transparent
    r, g, b, a = seal.getpixel((300, 300))  # the star in the middle
    assert a > 200 and r > 150 and g < 80


def test_demo_signature_is_blue_ink_on_a_transparent_background():
    signature = Image.open(io.BytesIO(demo_signature_png(OFFICIAL_NAME)))
    opaque = [p for p in signature.get_flattened_data() if p[3] > 200]

    assert signature.getpixel((0, 0))[3] == 0
    assert opaque and all(b > r for r, _g, b, _a in opaque[:: max(1, len(opaque) // 50)])
    assert demo_signature_png(OFFICIAL_NAME) == demo_signature_png(OFFICIAL_NAME)  # stable


def test_a_scan_on_white_paper_becomes_transparent_and_cropped():
    scan = Image.new("RGB", (400, 200), "white")
    scan.paste((20, 40, 160), (100, 80, 300, 120))
    buffer = io.BytesIO()
    scan.save(buffer, format="JPEG")

    image = load_image(buffer.getvalue(), kind="signature")

    assert image.mode == "RGBA"
    assert 195 <= image.width <= 208 and 35 <= image.height <= 48  # the ink, not the paper
    assert image.getpixel((image.width // 2, image.height // 2))[3] == 255


def test_a_file_that_is_not_an_image_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        load_image(b"%PDF-1.7 not an image", kind="seal")

    assert refused.value.messages == ["The seal image is not a readable PNG or JPEG image."]


# --- the signing service: second factor and audit --------------------------------------------
@pytest.fixture
def leader(tree, make_official):
    return make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER)


def sign_as(actor, spki, images, code, **options):
    return sign_document(
        actor,
        two_page_pdf(),
        spki.identity(options.pop("holder", spki.official)),
        otp_or_pin=code,
        block=BLOCK,
        signature_image=images["signature"],
        timestamper=spki.timestamper(),
        reason="Ký ban hành",
        **options,
    )


def test_signing_with_the_current_code_signs_and_is_audited(db, leader, spki, images):
    device = enrol_totp(leader)

    signed = sign_as(leader, spki, images, current_code(device))

    assert validate_pdf(signed, validation_context=spki.validation_context).indication == (
        "TOTAL-PASSED"
    )
    event = AuditEvent.objects.get(action="pki.document_signed")
    assert event.actor == leader and event.reason == "Ký ban hành"
    assert event.changes["certificate_serial"] == format(spki.official.cert.serial_number, "X")
    assert event.changes["kind"] == "official" and event.changes["level"] == "B-T"
    assert len(event.changes["sha256_after"]) == 64


@pytest.mark.parametrize(
    ("code", "expected", "message"),
    [
        ("", "otp_required", "Enter the 6-digit code from your authenticator app"),
        ("000000", "otp_wrong", "The code is not correct."),
    ],
)
def test_signing_without_the_right_code_is_refused(
    db, leader, spki, images, code, expected, message
):
    device = enrol_totp(leader)
    if code == "000000" and current_code(device) == code:  # one chance in a million
        code = "111111"

    with translation.override("en"), pytest.raises(SigningRefused) as refused:
        sign_as(leader, spki, images, code)

    assert refused.value.code == expected and message in str(refused.value)
    assert not AuditEvent.objects.filter(action="pki.document_signed").exists()
    assert AuditEvent.objects.filter(action="pki.signing_refused", actor=leader).exists()


def test_signing_needs_an_enrolled_authenticator(db, leader, spki, images):
    with translation.override("en"), pytest.raises(SigningRefused) as refused:
        sign_as(leader, spki, images, "123456")

    assert refused.value.code == "otp_not_enrolled"


def test_a_token_pin_can_stand_for_the_code(db, leader, spki, images):
    signed = sign_as(leader, spki, images, "1234", pin_verifier=lambda pin: pin == "1234")

    assert signed.startswith(two_page_pdf())
    with pytest.raises(SigningRefused) as refused:
        sign_as(leader, spki, images, "9999", pin_verifier=lambda pin: pin == "1234")
    assert refused.value.code == "pin_wrong"


def test_an_expired_certificate_is_refused_before_signing(db, leader, spki, images):
    device = enrol_totp(leader)

    with translation.override("en"), pytest.raises(SigningRefused) as refused:
        sign_as(leader, spki, images, current_code(device), holder=spki.expired)

    assert refused.value.code == "certificate_expired"
    assert dt.datetime.strftime(spki.expired.cert.not_valid_after_utc, "%d/%m/%Y") in str(
        refused.value
    )

"""The page "Ký số văn bản" (/certificates/sign/): an official signs a PDF in the browser, a
leader or clerk seals it, and a refused attempt signs nothing and is written to the audit trail.

The platform's own PKI signs and validates (certificates from our CA, timestamps from our TSA),
as in the demo.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.core.models import AuditEvent, Role
from egov.core.security import requires_second_factor
from egov.core.tests.helpers import current_code, enrol_totp
from egov.pki import services
from egov.pki.models import RevocationReason
from egov.pki.testing import blank_pdf, issue_personal, issue_seal
from egov.pki.validation import validate_pdf
from egov.pki.web.sign_files import download_name
from egov.pki.web.sign_layout import block_of_official_signature, default_block

pytestmark = pytest.mark.django_db

URL = "/certificates/sign/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def office(pki, tree, make_official):
    agency = tree["stttt"]
    leader = make_official("giamdoc.stttt", agency, Role.AGENCY_LEADER)
    clerk = make_official("vanthu.stttt", agency, Role.CLERK, tree["office"])
    return {
        "agency": agency,
        "leader": leader,
        "clerk": clerk,
        "personal": issue_personal(leader),
        "seal": issue_seal(agency),
    }


def log_in(client, user, *, language="en"):
    """Log in (leaders pass the second factor) and return her authenticator."""
    client.force_login(user)
    device = enrol_totp(user)
    if requires_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return device


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_upload(data: bytes | None = None, name: str = "quyet-dinh.pdf"):
    return SimpleUploadedFile(name, data if data is not None else blank_pdf(), "application/pdf")


def post(client, certificate, code, *, data=None, name="quyet-dinh.pdf", **fields):
    return client.post(
        URL,
        {
            "file": pdf_upload(data, name),
            "certificate": certificate.pk,
            "otp": code,
            "reason": "Ký ban hành",
            "corner": "bottom-right",
            "level": "B-T",
            **fields,
        },
    )


def wrong_code(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def signed_files(settings) -> list:
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / "pki" / "signed"
    return list(folder.rglob("*.pdf")) if folder.exists() else []


def sign_and_download(client, certificate, code, **options):
    response = post(client, certificate, code, **options)
    assert response.status_code == 302, text(response)
    result = client.get(response["Location"])
    assert result.status_code == 200
    link = re.search(r'href="(/certificates/sign/\?download=[^"]+)"', result.content.decode())
    download = client.get(link.group(1).replace("&amp;", "&"))
    assert download.status_code == 200
    return result, download, b"".join(download.streaming_content)


# --- signing ------------------------------------------------------------------------------
def test_a_leader_signs_a_pdf_downloads_it_and_the_signature_is_valid(client, office):
    leader = office["leader"]
    device = log_in(client, leader)
    page = client.get(URL)
    assert page.status_code == 200
    assert f'<option value="{office["personal"].pk}"' in text(page)
    assert f'<option value="{office["seal"].pk}"' in text(page)  # she leads the agency

    result, download, signed = sign_and_download(client, office["personal"], current_code(device))

    event = AuditEvent.objects.get(action="pki.document_signed")
    assert event.actor == leader and event.agency == office["agency"]
    assert event.changes["kind"] == "official" and event.reason == "Ký ban hành"
    page = text(result)
    assert f"Audit event no. {event.seq}" in page
    assert event.changes["sha256_after"] in page
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="quyet-dinh-da-ky.pdf"'
    assert signed.startswith(b"%PDF")
    with translation.override("en"):
        report = validate_pdf(signed)
    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    (signature,) = report.signatures
    assert signature.signer.name == leader.get_full_name() == office["personal"].common_name
    assert signature.level == "B-T" and signature.timestamp.valid
    # the visible signature sits in the signature block at the bottom right of the last page
    reader = PdfFileReader(io.BytesIO(signed))
    assert block_of_official_signature(reader).official_box() == pytest.approx(
        default_block(reader).official_box(), abs=0.1
    )


def test_the_clerk_seals_the_signed_file_and_both_signatures_stay_valid(client, office):
    leader_client, clerk_client = client, type(client)()
    _result, _download, signed = sign_and_download(
        leader_client, office["personal"], current_code(log_in(leader_client, office["leader"]))
    )
    clerk_device = log_in(clerk_client, office["clerk"])
    page = clerk_client.get(URL)
    assert f'<option value="{office["seal"].pk}"' in text(page)
    assert f'<option value="{office["personal"].pk}"' not in text(page)

    result, download, sealed = sign_and_download(
        clerk_client,
        office["seal"],
        current_code(clerk_device),
        data=signed,
        name="quyet-dinh-da-ky.pdf",
        level="B-LTA",
    )

    assert "The agency seal is applied" in text(result)
    assert download["Content-Disposition"] == (
        'attachment; filename="quyet-dinh-da-ky-dong-dau.pdf"'
    )
    assert sealed.startswith(signed)  # an incremental update: the signed bytes are untouched
    with translation.override("en"):
        report = validate_pdf(sealed)
    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    official, seal = report.signatures[:2]
    assert official.indication == seal.indication == "TOTAL-PASSED"
    assert official.signer.name == office["leader"].get_full_name()
    assert seal.signer.agency_code.endswith(office["agency"].code)
    # the seal lies over the left third of the leader's signature (Decree 30)
    block = block_of_official_signature(PdfFileReader(io.BytesIO(sealed)))
    seal_right = block.x + block.image_width / 3
    widgets = _widget_rects(sealed)
    assert widgets["ChuKyCoQuan"][2] == pytest.approx(seal_right, abs=0.1)
    events = AuditEvent.objects.filter(action="pki.document_signed").order_by("seq")
    assert [e.changes["kind"] for e in events] == ["official", "seal"]
    assert events[1].actor == office["clerk"]


def _widget_rects(pdf: bytes) -> dict:
    from pyhanko.sign import fields

    reader = PdfFileReader(io.BytesIO(pdf))
    return {
        name: [float(v) for v in ref.get_object()["/Rect"]]
        for name, _value, ref in fields.enumerate_sig_fields(reader)
    }


# --- refusals -----------------------------------------------------------------------------
def test_a_wrong_code_is_refused_in_vietnamese_audited_and_nothing_is_signed(
    client, office, settings
):
    device = log_in(client, office["leader"], language="vi")

    response = post(client, office["personal"], wrong_code(device))

    assert response.status_code == 403
    assert "Mã không đúng. Hãy kiểm tra giờ trên điện thoại của bạn." in text(response)
    refused = AuditEvent.objects.get(action="pki.signing_refused")
    assert refused.actor == office["leader"] and refused.changes == {"code": "otp_wrong"}
    assert not AuditEvent.objects.filter(action="pki.document_signed").exists()
    assert signed_files(settings) == []
    assert 'value="000000"' not in text(response)  # the code is not written back


def test_the_code_she_logged_in_with_is_refused_with_a_hint_to_wait_for_the_next(client, office):
    device = log_in(client, office["leader"])
    code = current_code(device)
    assert device.verify_token(code)  # what the log-in page did with it

    response = post(client, office["personal"], code)

    assert response.status_code == 403
    assert "This code has already been used" in text(response)
    assert AuditEvent.objects.get(action="pki.signing_refused").changes == {"code": "otp_wrong"}


def test_someone_elses_certificate_is_refused_and_audited(client, office, make_official, tree):
    other = make_official("phogiamdoc.stttt", tree["stttt"], Role.UNIT_LEADER, tree["it"])
    other_certificate = issue_personal(other)
    device = log_in(client, office["leader"])
    assert f'value="{other_certificate.pk}"' not in text(client.get(URL))

    response = post(client, other_certificate, current_code(device))

    assert response.status_code == 403
    assert "You may not sign with this certificate." in text(response)
    refused = AuditEvent.objects.get(action="pki.signing_refused")
    assert refused.changes == {"code": "not_your_certificate"}
    assert not AuditEvent.objects.filter(action="pki.document_signed").exists()


def test_another_agencys_seal_is_refused(client, office, tree):
    other_seal = issue_seal(tree["stp"])
    device = log_in(client, office["leader"])

    response = post(client, other_seal, current_code(device))

    assert response.status_code == 403
    assert "You may not sign with this certificate." in text(response)


def test_the_leader_of_the_parent_agency_may_not_use_a_departments_seal(
    client, office, tree, make_official
):
    chairman = make_official("chutich.tinh", tree["ubnd"], Role.AGENCY_LEADER)
    issue_personal(chairman)
    device = log_in(client, chairman)

    assert f'<option value="{office["seal"].pk}"' not in text(client.get(URL))
    response = post(client, office["seal"], current_code(device))

    assert response.status_code == 403
    assert "You may not sign with this certificate." in text(response)


def test_a_revoked_certificate_cannot_sign(client, office):
    services.revoke_certificate(None, office["personal"], RevocationReason.KEY_COMPROMISE)
    device = log_in(client, office["leader"])
    assert f'value="{office["personal"].pk}"' not in text(client.get(URL))  # only the seal

    response = post(client, office["personal"], current_code(device))

    assert response.status_code == 403
    assert "This certificate is revoked: it cannot sign." in text(response)
    refused = AuditEvent.objects.get(action="pki.signing_refused")
    assert refused.changes == {"code": "certificate_not_active"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Hello, this is not a PDF", "The file is not a PDF document."),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "The PDF is damaged or incomplete"),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_before_the_code_is_used(
    client, office, settings, content, message
):
    device = log_in(client, office["leader"])

    response = post(client, office["personal"], current_code(device), data=content)

    assert response.status_code == 400
    assert message in text(response)
    assert 'data-testid="error-file"' in text(response)
    assert not AuditEvent.objects.filter(action__startswith="pki.sign").exists()
    assert not AuditEvent.objects.filter(action="pki.document_signed").exists()
    assert signed_files(settings) == []


def test_a_file_over_the_upload_limit_is_refused(client, office, settings):
    settings.EGOV_MAX_UPLOAD_BYTES = 1000
    device = log_in(client, office["leader"])

    response = post(client, office["personal"], current_code(device), data=b"%PDF-" + b"0" * 2000)

    assert response.status_code == 400
    assert "the largest file accepted is 0 MB" in text(response)


def test_a_specialist_without_certificate_sees_no_sign_option_and_gets_403(client, officials):
    log_in(client, officials["specialist"])

    assert 'data-testid="sign-link"' not in text(client.get("/certificates/"))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": pdf_upload(), "certificate": 1, "otp": "123456"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="pki.sign").exists()


def test_the_overview_links_the_page_for_a_holder(client, office):
    log_in(client, office["leader"])

    page = text(client.get("/certificates/"))

    assert page.count('data-testid="sign-link"') == 1
    assert 'href="/certificates/sign/"' in page


def test_the_overview_links_the_page_for_a_clerk_who_holds_only_the_seal(client, office):
    log_in(client, office["clerk"])

    page = text(client.get("/certificates/"))

    assert page.count('data-testid="sign-link"') == 1


def test_the_signed_file_is_only_hers(client, office):
    _result, _download, _signed = sign_and_download(
        client, office["personal"], current_code(log_in(client, office["leader"]))
    )
    token = re.search(r"download=([\w-]+)", _result.content.decode()).group(1)
    other = type(client)()
    log_in(other, office["clerk"])

    assert other.get(f"{URL}?download={token}").status_code == 404
    assert other.get(f"{URL}?download=../../etc/passwd").status_code == 404


def test_the_page_has_no_inline_script_or_style_and_a_csrf_token(client, office):
    log_in(client, office["leader"])

    page = client.get(URL).content.decode()

    assert "csrfmiddlewaretoken" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page


@pytest.mark.parametrize(
    ("original", "suffix", "expected"),
    [
        ("quyet-dinh.pdf", "-da-ky", "quyet-dinh-da-ky.pdf"),
        ("Quyết định 15.PDF", "-da-ky", "Quyết_định_15-da-ky.pdf"),
        ("quyet-dinh-da-ky.pdf", "-dong-dau", "quyet-dinh-da-ky-dong-dau.pdf"),
        ("quyet-dinh-da-ky.pdf", "-da-ky", "quyet-dinh-da-ky.pdf"),
        ("C:\\scans\\..pdf", "-da-ky", "van-ban-da-ky.pdf"),
    ],
)
def test_download_names(original, suffix, expected):
    assert download_name(original, suffix) == expected


def test_her_own_signature_image_is_used_and_a_broken_image_is_refused_first(client, office):
    from egov.pki.demo_images import demo_signature_png

    device = log_in(client, office["leader"])
    broken = SimpleUploadedFile("chu-ky.png", b"not an image", "image/png")

    response = post(client, office["personal"], current_code(device), image=broken)

    assert response.status_code == 400
    assert 'data-testid="error-image"' in text(response)
    assert "The signature image is not a readable PNG or JPEG image." in text(response)
    assert not AuditEvent.objects.filter(action__startswith="pki.sign").exists()

    image = SimpleUploadedFile("chu-ky.png", demo_signature_png("H. Đ. Thắng"), "image/png")
    response = post(client, office["personal"], current_code(device), image=image)
    assert response.status_code == 302


def test_a_page_beyond_the_document_is_refused(client, office):
    device = log_in(client, office["leader"])

    response = post(client, office["personal"], current_code(device), page=3)

    assert response.status_code == 400
    assert "Page 3 does not exist: the document ends at page 1." in text(response)

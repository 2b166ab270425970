"""Anyone checks a signed document: the public page ``/chu-ky-so/kiem-tra/`` and the API.

The platform's trust settings point at the test PKI (``platform_trusts_spki``), as they point
at the province's own CA in a deployment. English is asked for where a message is checked word
for word; the Vietnamese wording lives in the catalogue.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.pki import pades
from egov.pki.api import views as api_views
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import OFFICIAL_NAME, two_page_pdf

PAGE = "/chu-ky-so/kiem-tra/"
API = "/api/v1/signatures/validate/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(scope="module")
def signed(spki):
    return pades.sign_pdf(
        two_page_pdf(), spki.identity(spki.official), timestamper=spki.timestamper()
    )


def upload(content: bytes, name: str = "quyet-dinh.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_is_public_and_vietnamese_first(client, db):
    page = client.get(PAGE)

    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    assert 'enctype="multipart/form-data"' in html and 'name="file"' in html
    assert '<meta name="viewport"' in html  # readable on a phone


def test_a_valid_document_gets_a_report_with_its_signers(client, db, platform_trusts_spki, signed):
    page = client.post(PAGE, {"file": upload(signed)}, **EN)

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="signature-report"' in html
    assert "All 1 signatures are valid." in html
    assert OFFICIAL_NAME in html and "Test Root CA Đắk Nông" in html
    assert "<code>TOTAL-PASSED</code>" in html
    assert "PAdES B-T" in html


def test_a_tampered_document_is_reported_invalid(client, db, platform_trusts_spki, signed):
    tampered = signed.replace(b"WeasyPrint", b"WeasyPrjnt", 1)

    html = client.post(PAGE, {"file": upload(tampered)}, **EN).content.decode()

    assert "1 of 1 signatures are not valid." in html
    assert "TOTAL-FAILED / HASH_FAILURE" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not a document", "The file is not a PDF document."),
        (b"%PDF-1.7\n%broken", "The PDF is damaged or incomplete and cannot be read."),
    ],
)
def test_a_file_that_is_not_a_pdf_gets_a_clear_message(
    client, db, platform_trusts_spki, content, message
):
    page = client.post(PAGE, {"file": upload(content, "anh.gif")}, **EN)

    assert page.status_code == 400
    assert message in page.content.decode()


def test_the_upload_size_is_limited(client, db, platform_trusts_spki, signed, settings):
    settings.EGOV_MAX_UPLOAD_BYTES = 2**20

    page = client.post(PAGE, {"file": upload(signed + b"\0" * (2**20 + 2**18))}, **EN)

    assert page.status_code == 400
    assert "MB; the largest file accepted is 1 MB." in page.content.decode()


def test_posting_without_a_file_asks_for_one(client, db):
    page = client.post(PAGE, {}, **EN)

    assert page.status_code == 400
    assert "Choose a PDF file to check." in page.content.decode()


def test_the_page_is_rate_limited_per_address(client, db, platform_trusts_spki, signed, settings):
    settings.EGOV_SIGNATURE_CHECK_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert client.post(PAGE, {"file": upload(signed)}).status_code == 200

    assert client.post(PAGE, {"file": upload(signed)}).status_code == 429


# --- the API --------------------------------------------------------------------------------
def test_the_api_returns_the_report_as_json(client, db, platform_trusts_spki, signed):
    response = client.post(API, {"file": upload(signed)}, **EN)

    assert response.status_code == 200
    report = response.json()
    assert report["indication"] == "TOTAL-PASSED"
    assert report["file_name"] == "quyet-dinh.pdf" and len(report["sha256"]) == 64
    (signature,) = report["signatures"]
    assert signature["signer"]["name"] == OFFICIAL_NAME
    assert signature["revocation"]["status"] == "good"
    assert signature["timestamp"]["valid"] is True
    assert signature["coverage"] == "ENTIRE_FILE"


def test_the_api_refuses_a_non_pdf_in_the_error_shape(client, db, platform_trusts_spki):
    response = client.post(API, {"file": upload(b"hello", "note.txt")}, **EN)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_pdf"
    assert response.json()["error"]["message"] == "The file is not a PDF document."


def test_the_api_asks_for_the_file(client, db):
    response = client.post(API, {}, **EN)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"] == ["Choose a PDF file to check."]


def test_the_api_is_throttled_like_the_other_public_look_ups(
    client, db, platform_trusts_spki, signed, monkeypatch
):
    monkeypatch.setattr(
        api_views.SignatureValidationThrottle, "THROTTLE_RATES", {"lookup": "1/min"}
    )

    assert client.post(API, {"file": upload(signed)}).status_code == 200
    assert client.post(API, {"file": upload(signed)}).status_code == 429


def test_the_api_is_described_with_an_example(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/signatures/validate/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    example = operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert any(e["value"]["indication"] == "TOTAL-PASSED" for e in example.values())
    assert operation["security"] == [{}]  # no log-in

"""The certificate pages and the /api/v1/pki/ API, as officials and administrators use them."""

import re

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from egov.core.security import requires_second_factor
from egov.core.tests.helpers import enrol_totp
from egov.pki import services
from egov.pki.models import Certificate, CertificateRequest
from egov.pki.testing import issue_personal, issue_seal, make_csr

pytestmark = pytest.mark.django_db


def log_in(client, user):
    """Log in; administrators and leaders also pass the second factor."""
    client.force_login(user)
    if requires_second_factor(user):
        device = enrol_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- pages ----------------------------------------------------------------------------------------
def test_an_official_asks_for_a_certificate_from_the_page(client, pki, officials):
    log_in(client, officials["specialist"])
    page = client.get("/certificates/")
    assert page.status_code == 200
    assert 'data-testid="counts"' not in text(page)  # not an administrator
    response = client.post(
        "/certificates/request/",
        {"kind": "personal", "key_storage": "pkcs12", "reason": "Ký văn bản đi"},
    )
    assert response.status_code == 302
    request = CertificateRequest.objects.get()
    assert (request.holder, request.status) == (officials["specialist"], "requested")
    assert "Requested" in text(client.get("/certificates/"))


def test_a_forged_csr_on_the_page_shows_the_reason_and_records_nothing(client, pki, officials):
    log_in(client, officials["specialist"])
    response = client.post(
        "/certificates/request/",
        {
            "kind": "personal",
            "key_storage": "pkcs12",
            "csr_pem": "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
            "-----END CERTIFICATE REQUEST-----",
        },
    )
    assert response.status_code == 400
    assert 'data-testid="error-csr_pem"' in text(response)
    assert not CertificateRequest.objects.exists()


def test_the_administrator_sees_counts_decides_and_the_certificate_is_issued(
    client, pki, officials
):
    issue_personal(officials["leader"])
    request = services.request_certificate(
        officials["specialist"], kind="personal", holder=officials["specialist"]
    )
    log_in(client, officials["admin"])
    page = text(client.get("/certificates/"))
    counts = re.search(r'data-testid="count-000.00.05.H16">(.*?)</tr>', page).group(1)
    assert re.search(r'data-testid="issued">1<', counts)
    assert re.search(r'data-testid="pending">1<', counts)
    assert f'data-testid="request-{request.pk}"' in page

    response = client.post(f"/certificates/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    assert Certificate.objects.filter(user=officials["specialist"], status="active").exists()
    page = text(client.get(response["Location"]))
    assert "The request is approved and the certificate issued." in page
    counts = re.search(r'data-testid="count-000.00.05.H16">(.*?)</tr>', page).group(1)
    assert re.search(r'data-testid="active">2<', counts)


def test_another_agencys_administrator_cannot_decide_from_the_page(client, pki, officials):
    request = services.request_certificate(
        officials["specialist"], kind="personal", holder=officials["specialist"]
    )
    log_in(client, officials["other_admin"])
    assert f'data-testid="request-{request.pk}"' not in text(client.get("/certificates/"))
    response = client.post(f"/certificates/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 404  # she cannot even see it
    request.refresh_from_db()
    assert request.status == "requested"


def test_a_non_administrator_who_can_see_a_request_still_cannot_approve(client, pki, officials):
    request = services.request_certificate(
        officials["admin"], kind="personal", holder=officials["specialist"]
    )
    log_in(client, officials["specialist"])  # the holder sees her request…
    response = client.post(f"/certificates/requests/{request.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403  # …but does not decide it
    assert 'data-testid="refusal"' in text(response)
    request.refresh_from_db()
    assert request.status == "requested"


def test_the_holder_suspends_and_the_administrator_reinstates_from_the_page(client, pki, officials):
    cert = issue_personal(officials["specialist"])
    log_in(client, officials["specialist"])
    page = text(client.get(f"/certificates/{cert.pk}/"))
    assert 'value="suspend"' in page and 'value="unsuspend"' not in page
    client.post(f"/certificates/{cert.pk}/act/", {"action": "suspend", "comment": "mất token"})
    cert.refresh_from_db()
    assert cert.status == "suspended"
    page = text(client.get(f"/certificates/{cert.pk}/"))
    assert 'data-testid="certificate-status">Suspended<' in page
    assert 'value="unsuspend"' not in page  # only an administrator reinstates

    log_in(client, officials["admin"])
    client.post(f"/certificates/{cert.pk}/act/", {"action": "unsuspend"})
    cert.refresh_from_db()
    assert cert.status == "active"
    client.post(f"/certificates/{cert.pk}/act/", {"action": "revoke", "reason_code": "3"})
    cert.refresh_from_db()
    assert (cert.status, cert.revocation_reason) == ("revoked", 3)


def test_nobody_else_sees_a_certificate_page(client, pki, officials):
    cert = issue_personal(officials["specialist"])
    log_in(client, officials["other_admin"])
    assert client.get(f"/certificates/{cert.pk}/").status_code == 404
    assert client.post(f"/certificates/{cert.pk}/act/", {"action": "revoke"}).status_code == 404


def test_no_private_key_appears_on_pages_or_in_the_api(client, pki, officials):
    cert = issue_personal(officials["specialist"])
    log_in(client, officials["admin"])
    for url in (f"/certificates/{cert.pk}/", f"/api/v1/pki/certificates/{cert.pk}/"):
        body = client.get(url).content.decode()
        assert "PRIVATE KEY" not in body
        assert cert.key_reference not in body


# --- public endpoints -----------------------------------------------------------------------------
def test_ca_certificates_and_crls_are_public_der(client, pki):
    response = client.get(f"/pki/ca/{pki.root.name}.crt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-cert"
    assert response.content == bytes(pki.root.der)
    assert "Set-Cookie" not in response
    response = client.get(f"/pki/crl/{pki.issuing.name}.crl")
    assert response["Content-Type"] == "application/pkix-crl"
    assert response.content[:1] == b"\x30"
    assert client.get("/pki/ca/nothing.crt").status_code == 404


# --- API ------------------------------------------------------------------------------------------
def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_request_decide_and_act(pki, officials, tree):
    created = api(officials["admin"]).post(
        "/api/v1/pki/requests/", {"kind": "seal", "agency": tree["stttt"].code}, format="json"
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    refused = api(officials["admin"]).post(
        f"/api/v1/pki/requests/{request_id}/decision/", {"decision": "reject"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["reason"]

    other = api(officials["other_admin"]).post(
        f"/api/v1/pki/requests/{request_id}/decision/", {"decision": "approve"}, format="json"
    )
    assert other.status_code == 404

    approved = api(officials["sysadmin"]).post(
        f"/api/v1/pki/requests/{request_id}/decision/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 200
    body = approved.json()
    assert body["status"] == "issued" and body["certificate"]
    cert_id = body["certificate"]

    detail = api(officials["admin"]).get(f"/api/v1/pki/certificates/{cert_id}/").json()
    assert detail["holder_kind"] == "agency" and detail["agency"] == tree["stttt"].code
    assert detail["pem"].startswith("-----BEGIN CERTIFICATE-----")
    assert detail["history"][0]["status"] == "active"

    revoked = api(officials["admin"]).post(
        f"/api/v1/pki/certificates/{cert_id}/actions/",
        {"action": "revoke", "reason_code": 5, "comment": "sáp nhập"},
        format="json",
    )
    assert revoked.status_code == 200
    assert (revoked.json()["status"], revoked.json()["revocation_reason"]) == ("revoked", 5)
    again = api(officials["admin"]).post(
        f"/api/v1/pki/certificates/{cert_id}/actions/", {"action": "suspend"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_allowed_now"


def test_api_lists_only_what_the_caller_may_see_and_counts(pki, officials, tree):
    mine = issue_personal(officials["specialist"])
    issue_seal(tree["stp"])
    rows = api(officials["specialist"]).get("/api/v1/pki/certificates/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    rows = api(officials["admin"]).get("/api/v1/pki/certificates/?status=active").json()
    assert [r["serial"] for r in rows["results"]] == [mine.serial]
    counts = api(officials["admin"]).get("/api/v1/pki/counts/").json()
    stttt = next(c for c in counts if c["agency"] == tree["stttt"].code)
    assert (stttt["issued"], stttt["active"]) == (1, 1)
    assert all(c["agency"] != tree["stp"].code for c in counts)
    assert api(officials["specialist"]).get("/api/v1/pki/counts/").json() == []


def test_api_personal_request_with_a_csr(pki, officials):
    csr, _key = make_csr()
    response = api(officials["specialist"]).post(
        "/api/v1/pki/requests/", {"kind": "personal", "csr_pem": csr}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["key_storage"] == "external"
    forged = csr.replace(csr.splitlines()[3], csr.splitlines()[3][::-1])
    response = api(officials["leader"]).post(
        "/api/v1/pki/requests/", {"kind": "personal", "csr_pem": forged}, format="json"
    )
    assert response.status_code == 400
    assert "csr_pem" in response.json()["error"]["fields"]


def test_the_authorities_are_listed_publicly_and_the_api_is_in_the_schema(client, pki):
    rows = APIClient().get("/api/v1/pki/authorities/").json()
    assert [r["name"] for r in rows] == ["root-ca", "issuing-ca"]
    assert rows[1]["crl_url"] == "http://testserver/pki/crl/issuing-ca.crl"
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/pki/certificates/",
        "/api/v1/pki/certificates/{id}/actions/",
        "/api/v1/pki/requests/",
        "/api/v1/pki/requests/{id}/decision/",
        "/api/v1/pki/counts/",
    ):
        assert path in schema["paths"], path


def test_ocsp_by_get_answers_good_with_the_nonce_and_a_delegated_signature(client, pki, officials):
    import base64
    import os

    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509 import ocsp

    cert = issue_personal(officials["specialist"])
    subject = cx509.load_der_x509_certificate(bytes(cert.der))
    issuer = cx509.load_der_x509_certificate(bytes(pki.issuing.der))
    nonce = os.urandom(16)
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(subject, issuer, hashes.SHA256())
        .add_extension(cx509.OCSPNonce(nonce), critical=False)
        .build()
    )
    encoded = base64.b64encode(request.public_bytes(Encoding.DER)).decode()
    response = client.get(f"/pki/ocsp/{encoded}")
    assert response.status_code == 200
    answer = ocsp.load_der_ocsp_response(response.content)
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == subject.serial_number
    assert answer.extensions.get_extension_for_class(cx509.OCSPNonce).value.nonce == nonce
    (responder,) = answer.certificates
    assert responder.serial_number == pki.ocsp.serial_int
    responder.public_key().verify(
        answer.signature,
        answer.tbs_response_bytes,
        PKCS1v15(),
        hashes.SHA256(),
    )

    services.revoke_certificate(None, cert, 1)
    answer = ocsp.load_der_ocsp_response(client.get(f"/pki/ocsp/{encoded}").content)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason == cx509.ReasonFlags.key_compromise


def test_the_admin_shows_certificates_read_only_without_keys(client, pki, officials):
    cert = issue_personal(officials["specialist"])
    sysadmin = officials["sysadmin"]
    sysadmin.is_staff = True
    sysadmin.save()
    log_in(client, sysadmin)
    listing = client.get("/admin/pki/certificate/")
    assert listing.status_code == 200 and cert.serial in listing.content.decode()
    page = client.get(f"/admin/pki/certificate/{cert.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert cert.fingerprint in body
    assert "PRIVATE KEY" not in body and cert.key_reference not in body
    assert 'name="_save"' not in body  # read-only: changes go through the services
    assert client.get("/admin/pki/certificate/add/").status_code == 403


def test_ocsp_and_tsa_take_posts_without_csrf_token_or_session(pki):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for path, content_type in (
        ("/pki/ocsp", "application/ocsp-request"),
        ("/pki/tsa", "application/timestamp-query"),
    ):
        response = strict.post(path, data=b"\x30\x00", content_type=content_type)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response

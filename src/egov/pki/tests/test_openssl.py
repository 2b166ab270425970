"""OpenSSL, as a relying party would use it, against our CA certificates, CRLs, OCSP and TSA.

The files OpenSSL reads are the ones the public endpoints serve (through the test client, or a
live server for ``openssl ocsp -url``).
"""

import re
import shutil
import subprocess

import pytest
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import tsp

from egov.core.models import Role
from egov.pki import services, tsa
from egov.pki.models import RevocationReason
from egov.pki.testing import issue_personal, issue_seal

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")


def openssl(*args, cwd, check=True):
    result = subprocess.run(
        ["openssl", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def fetch(client, url, path):
    response = client.get(url)
    assert response.status_code == 200, url
    path.write_bytes(response.content)
    return path


@pytest.fixture
def files(client, pki, tmp_path):
    """root.pem and issuing.pem as downloaded from /pki/ca/…"""
    fetch(client, f"/pki/ca/{pki.root.name}.crt", tmp_path / "root.der")
    fetch(client, f"/pki/ca/{pki.issuing.name}.crt", tmp_path / "issuing.der")
    for name in ("root", "issuing"):
        openssl("x509", "-inform", "DER", "-in", f"{name}.der", "-out", f"{name}.pem", cwd=tmp_path)
    return tmp_path


def write_pem(cert, path):
    path.write_text(cert.pem)
    return path


@pytest.fixture
def official(tree, make_official):
    return make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER)


def test_openssl_verify_accepts_our_certificate_and_rejects_a_foreign_one(files, official, tree):
    cert = issue_personal(official)
    seal = issue_seal(tree["stttt"])
    write_pem(cert, files / "official.pem")
    write_pem(seal, files / "seal.pem")
    for name in ("official.pem", "seal.pem"):
        result = openssl(
            "verify", "-CAfile", "root.pem", "-untrusted", "issuing.pem", name, cwd=files
        )
        assert f"{name}: OK" in result.stdout

    # A certificate from a CA nobody trusts: made with OpenSSL itself.
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "rogue.key",
        "-out",
        "rogue-ca.pem",
        "-subj",
        "/CN=Rogue CA",
        "-days",
        "30",
        cwd=files,
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "fake.key",
        "-out",
        "fake.csr",
        "-subj",
        "/CN=Hoàng Đức Thắng",
        cwd=files,
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "fake.csr",
        "-CA",
        "rogue-ca.pem",
        "-CAkey",
        "rogue.key",
        "-CAcreateserial",
        "-out",
        "fake.pem",
        "-days",
        "30",
        cwd=files,
    )
    result = openssl(
        "verify",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "issuing.pem",
        "fake.pem",
        cwd=files,
        check=False,
    )
    assert result.returncode != 0
    assert "unable to get local issuer certificate" in result.stdout + result.stderr


def test_the_certificate_shows_utf8_names_agency_code_and_extensions(files, official):
    cert = issue_personal(official)
    write_pem(cert, files / "official.pem")
    text = openssl(
        "x509",
        "-in",
        "official.pem",
        "-noout",
        "-text",
        "-nameopt",
        "utf8,sep_comma_plus",
        cwd=files,
    ).stdout
    assert "CN=Giamdoc Stttt" in text
    assert "O=Sở Thông tin và Truyền thông" in text
    assert "ST=Đắk Nông" in text and "C=VN" in text
    assert "organizationIdentifier=GOVVN-000.00.05.H16" in text
    assert "Digital Signature, Non Repudiation" in text
    assert "E-mail Protection" in text and "1.3.6.1.4.1.311.10.3.12" in text
    assert "OCSP - URI:http://testserver/pki/ocsp" in text
    assert "CA Issuers - URI:http://testserver/pki/ca/issuing-ca.crt" in text
    assert "URI:http://testserver/pki/crl/issuing-ca.crl" in text


def test_the_crl_lists_the_revoked_serial_with_its_reason(client, files, pki, official, tree):
    revoked = issue_personal(official)
    suspended = issue_seal(tree["stttt"])
    services.revoke_certificate(None, revoked, RevocationReason.KEY_COMPROMISE, "token lost")
    services.suspend_certificate(None, suspended)

    fetch(client, f"/pki/crl/{pki.issuing.name}.crl", files / "issuing.crl")
    text = openssl("crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text", cwd=files)
    text = text.stdout
    listed = dict(
        zip(
            [int(n, 16) for n in re.findall(r"Serial Number: ([0-9A-F]+)", text)],
            re.findall(r"X509v3 CRL Reason Code:\s+(.+)", text),
            strict=True,
        )
    )
    assert listed == {
        revoked.serial_int: "Key Compromise",
        suspended.serial_int: "Certificate Hold",
    }
    # The CRL is signed by the issuing CA: OpenSSL checks the signature against its key.
    result = openssl(
        "crl",
        "-inform",
        "DER",
        "-in",
        "issuing.crl",
        "-CAfile",
        "issuing.pem",
        "-noout",
        cwd=files,
    )
    assert "verify OK" in result.stdout + result.stderr


def test_a_reinstated_certificate_leaves_the_crl(client, files, pki, official):
    cert = issue_personal(official)
    services.suspend_certificate(None, cert)
    services.unsuspend_certificate(None, cert)
    fetch(client, f"/pki/crl/{pki.issuing.name}.crl", files / "issuing.crl")
    text = openssl("crl", "-inform", "DER", "-in", "issuing.crl", "-noout", "-text", cwd=files)
    assert "No Revoked Certificates" in text.stdout


def test_openssl_timestamp_query_reply_verifies(client, files, pki):
    (files / "decision.txt").write_text("Quyết định số 15/QĐ-UBND", encoding="utf-8")
    write_pem(pki.tsa, files / "tsa.pem")
    openssl(
        "ts",
        "-query",
        "-data",
        "decision.txt",
        "-sha256",
        "-cert",
        "-out",
        "request.tsq",
        cwd=files,
    )
    response = client.post(
        "/pki/tsa",
        data=(files / "request.tsq").read_bytes(),
        content_type="application/timestamp-query",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/timestamp-reply"
    (files / "reply.tsr").write_bytes(response.content)
    text = openssl("ts", "-reply", "-in", "reply.tsr", "-text", cwd=files).stdout
    assert "Status: Granted." in text
    assert "Policy OID: 1.3.6.1.4.1.32473.704.2" in text
    assert "Nonce: 0x" in text
    assert "Accuracy: 0x01 seconds" in text
    result = openssl(
        "ts",
        "-verify",
        "-data",
        "decision.txt",
        "-in",
        "reply.tsr",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "tsa.pem",
        cwd=files,
    )
    assert "Verification: OK" in result.stdout

    # The same reply does not vouch for another document.
    (files / "other.txt").write_text("Quyết định số 16/QĐ-UBND", encoding="utf-8")
    result = openssl(
        "ts",
        "-verify",
        "-data",
        "other.txt",
        "-in",
        "reply.tsr",
        "-CAfile",
        "root.pem",
        "-untrusted",
        "tsa.pem",
        cwd=files,
        check=False,
    )
    assert "Verification: FAILED" in result.stdout + result.stderr


def test_timestamp_serial_numbers_are_unique(client, files, pki):
    (files / "a.txt").write_text("a")
    openssl("ts", "-query", "-data", "a.txt", "-sha256", "-out", "a.tsq", cwd=files)
    query = (files / "a.tsq").read_bytes()
    serials = set()
    for _ in range(20):
        reply = tsp.TimeStampResp.load(
            client.post("/pki/tsa", data=query, content_type="application/timestamp-query").content
        )
        info = reply["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
        serials.add(info["serial_number"].native)
    assert len(serials) == 20


def test_garbage_timestamp_queries_get_a_rejection_not_a_server_error(client, pki):
    for body in (b"", b"garbage", b"\x30\x03\x02\x01\x01"):
        response = client.post("/pki/tsa", data=body, content_type="application/timestamp-query")
        assert response.status_code == 200
        reply = tsa.TimeStampReply.load(response.content)
        assert reply["status"]["status"].native == "rejection"
        assert reply["status"]["fail_info"].native == {"bad_data_format"}


def test_a_sha1_timestamp_query_is_refused_with_bad_alg(client, files, pki):
    (files / "a.txt").write_text("a")
    openssl("ts", "-query", "-data", "a.txt", "-sha1", "-out", "a.tsq", cwd=files)
    response = client.post(
        "/pki/tsa", data=(files / "a.tsq").read_bytes(), content_type="application/timestamp-query"
    )
    reply = tsa.TimeStampReply.load(response.content)
    assert reply["status"]["status"].native == "rejection"
    assert reply["status"]["fail_info"].native == {"bad_alg"}


def test_garbage_ocsp_requests_get_malformed_request_not_a_server_error(client, pki):
    for body in (b"", b"not an OCSP request", b"\x30\x00"):
        response = client.post("/pki/ocsp", data=body, content_type="application/ocsp-request")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/ocsp-response"
        answer = asn1_ocsp.OCSPResponse.load(response.content)
        assert answer["response_status"].native == "malformed_request"
    response = client.get("/pki/ocsp/%%%not-base64%%%")
    assert asn1_ocsp.OCSPResponse.load(response.content)["response_status"].native == (
        "malformed_request"
    )


def test_an_ocsp_request_about_a_foreign_ca_is_unauthorized(client, files, pki, official):
    cert = issue_personal(official)
    write_pem(cert, files / "official.pem")
    # Ask as if root.pem had issued it: names a CA we have no responder for.
    openssl(
        "ocsp",
        "-issuer",
        "root.pem",
        "-cert",
        "official.pem",
        "-reqout",
        "req.der",
        "-no_nonce",
        cwd=files,
    )
    response = client.post(
        "/pki/ocsp", data=(files / "req.der").read_bytes(), content_type="application/ocsp-request"
    )
    assert asn1_ocsp.OCSPResponse.load(response.content)["response_status"].native == (
        "unauthorized"
    )


@pytest.mark.django_db(transaction=True)
def test_openssl_ocsp_against_the_live_responder(
    live_server, settings, tree, make_official, tmp_path
):
    from egov.pki.testing import setup_test_pki

    settings.EGOV_PUBLIC_URL = live_server.url
    setup = setup_test_pki()
    leader = make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER)
    good, revoked = issue_personal(leader), issue_seal(tree["stttt"])
    services.revoke_certificate(None, revoked, RevocationReason.AFFILIATION_CHANGED)
    write_pem(setup.root, tmp_path / "root.pem")
    write_pem(setup.issuing, tmp_path / "issuing.pem")
    write_pem(good, tmp_path / "good.pem")
    write_pem(revoked, tmp_path / "revoked.pem")

    def ask(name):
        return openssl(
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            name,
            "-url",
            f"{live_server.url}/pki/ocsp",
            "-CAfile",
            "root.pem",
            "-resp_text",
            cwd=tmp_path,
        )

    result = ask("good.pem")
    output = result.stdout + result.stderr
    assert "Response verify OK" in output
    assert "good.pem: good" in output
    assert "WARNING: no nonce in response" not in output
    assert "OCSP Nonce" in output  # echoed: openssl compares it with the one it sent

    result = ask("revoked.pem")
    output = result.stdout + result.stderr
    assert "Response verify OK" in output
    assert "revoked.pem: revoked" in output
    assert "Reason: affiliationChanged" in output

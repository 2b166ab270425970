"""The certificate a peer signs packages with is checked for revocation at the CRL it names:
revoked → refused (02) with the reason; the CRL unreachable → accepted, "revocation unknown"
in the package's validation trail and on the office's incoming document; good → accepted."""

import datetime as dt
import http.server
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.utils import translation
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.exchange import revocation
from egov.exchange.models import ReceivedPackage
from egov.exchange.services import save_peer
from egov.office.models import IncomingDocument
from egov.pki.identity import SigningIdentity
from egov.pki.tests.signing_fixtures import (
    AGENCY,
    AGENCY_CODE,
    NOW,
    YEAR,
    Issued,
    _crl,
    _issue,
    _key,
    _name,
)
from egov.pki.xmldsig import sign_xml

from .test_receive import answer_of, package, post

pytestmark = pytest.mark.django_db


class CrlServer:
    """The peer's CA publishing its CRL over HTTP (what the certificate points to)."""

    def __init__(self):
        self.crl = b""
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(server.crl)))
                self.end_headers()
                self.wfile.write(server.crl)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/ca.crl"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def crl_server():
    server = CrlServer()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    revocation.forget()
    with translation.override("en"):
        yield
    revocation.forget()


def peer_seal(root: Issued, crl_url: str) -> Issued:
    """The sending agency's seal certificate, naming ``crl_url`` as its CRL."""
    key = _key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{AGENCY} tỉnh Đắk Nông", AGENCY, ORGANIZATION_IDENTIFIER=AGENCY_CODE))
        .issuer_name(root.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - YEAR)
        .not_valid_after(NOW + YEAR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
        .sign(root.key, hashes.SHA256())
    )
    return Issued(cert=cert, key=key, issuer=root)


def identity(holder: Issued) -> SigningIdentity:
    chain = holder.chain()
    signer = SimpleSigner(
        signing_cert=holder.asn1,
        signing_key=holder.key_info,
        cert_registry=SimpleCertificateStore.from_certs([c.asn1 for c in chain]),
    )
    return SigningIdentity(certificate=holder.asn1, chain=[c.asn1 for c in chain], signer=signer)


@pytest.fixture
def peer_ca(db):
    root = _issue(
        _name("Peer Root CA", "Ban Cơ yếu (thử nghiệm)"),
        None,
        not_before=NOW - 5 * YEAR,
        not_after=NOW + 5 * YEAR,
        ca=True,
    )
    save_peer(
        None,
        name="Peer installation",
        code_prefix=AGENCY_CODE,
        endpoint_url="http://127.0.0.1:9/exchange/v1/edxml",
        ca_certificates=root.pem.decode(),
    )
    return root


def test_a_package_signed_with_a_revoked_certificate_is_refused(client, here, peer_ca, crl_server):
    seal = peer_seal(peer_ca, crl_server.url)
    crl_server.crl = _crl(peer_ca, [(seal, NOW - dt.timedelta(days=3))])

    status = answer_of(post(client, sign_xml(package(), identity(seal))))

    assert status.status_code == "02"
    assert "revoked" in status.description
    assert not ReceivedPackage.objects.exists() and not IncomingDocument.objects.exists()


def test_a_good_certificate_is_accepted_and_the_check_is_in_the_trail(
    client, here, peer_ca, crl_server
):
    seal = peer_seal(peer_ca, crl_server.url)
    crl_server.crl = _crl(peer_ca, [])

    status = answer_of(post(client, sign_xml(package(), identity(seal))))

    assert status.status_code == "01"
    trail = ReceivedPackage.objects.get().validation["revocation"]
    assert trail["status"] == "good" and trail["sources"] == [crl_server.url]
    document = IncomingDocument.objects.get()
    assert document.validation["package"]["revocation"]["status"] == "good"
    assert not document.handlings.filter(action="revocation_unknown").exists()


def test_an_unreachable_crl_is_soft_fail_accepted_and_recorded_as_unknown(
    client, here, peer_ca, settings
):
    settings.EGOV_EXCHANGE_REVOCATION_TIMEOUT_SECONDS = 2
    seal = peer_seal(peer_ca, "http://127.0.0.1:9/ca.crl")  # nothing listens there

    status = answer_of(post(client, sign_xml(package(), identity(seal))))

    assert status.status_code == "01"
    trail = ReceivedPackage.objects.get().validation["revocation"]
    assert trail["status"] == "unknown"
    document = IncomingDocument.objects.get()
    assert document.validation["package"]["revocation"]["status"] == "unknown"
    (note,) = document.handlings.filter(action="revocation_unknown")
    assert "Revocation unknown" in note.note


def test_the_answer_is_kept_a_while_then_the_crl_is_read_again(
    client, here, peer_ca, crl_server, settings
):
    """A certificate revoked after a first package is refused once the kept answer expires."""
    settings.EGOV_EXCHANGE_REVOCATION_CACHE_SECONDS = 0
    seal = peer_seal(peer_ca, crl_server.url)
    crl_server.crl = _crl(peer_ca, [])
    assert answer_of(post(client, sign_xml(package(), identity(seal)))).status_code == "01"
    crl_server.crl = _crl(peer_ca, [(seal, NOW)])
    second = package(subject="Văn bản thứ hai").replace(b"2026/11/20,15", b"2026/11/21,16")
    assert answer_of(post(client, sign_xml(second, identity(seal)))).status_code == "02"

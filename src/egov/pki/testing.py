"""Helpers for tests that need certificates (this app's tests and other apps' signing tests).

They go through the same services as the platform, with the platform itself as actor.
"""

from __future__ import annotations

from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from . import services
from .authority import PkiSetup, setup_pki
from .models import Certificate, CertificateRequest


def setup_test_pki() -> PkiSetup:
    """Root and issuing CA, OCSP responder and TSA certificates (idempotent)."""
    return setup_pki()


def issue_personal(user, agency=None, **options) -> Certificate:
    """A personal signing certificate for ``user`` (requested and approved by the platform).

    ``options``: ``key_storage``, ``csr_pem``, ``not_before``, ``not_after``.
    """
    validity = {k: options.pop(k) for k in ("not_before", "not_after") if k in options}
    request = services.request_certificate(
        None, kind=CertificateRequest.Kind.PERSONAL, holder=user, agency=agency, **options
    )
    services.approve_request(None, request, issue=False)
    return services.issue_certificate(None, request, **validity)


def issue_seal(agency, **options) -> Certificate:
    """An organisation-seal certificate for ``agency``."""
    validity = {k: options.pop(k) for k in ("not_before", "not_after") if k in options}
    request = services.request_certificate(
        None, kind=CertificateRequest.Kind.SEAL, agency=agency, **options
    )
    services.approve_request(None, request, issue=False)
    return services.issue_certificate(None, request, **validity)


def make_csr(common_name: str = "Người ký", key=None) -> tuple[str, rsa.RSAPrivateKey]:
    """A PKCS#10 request as a holder's own token would make it: (PEM, its private key)."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = (
        cx509.CertificateSigningRequestBuilder()
        .subject_name(cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM).decode("ascii"), key


def blank_pdf() -> bytes:
    """A one-page A4 PDF with nothing on it, to sign in tests."""
    from io import BytesIO

    from pyhanko.pdf_utils import generic, writer

    pdf = writer.PdfFileWriter()
    content = pdf.add_object(generic.StreamObject(stream_data=b""))
    pdf.insert_page(writer.PageObject(contents=content, media_box=[0, 0, 595, 842]))
    out = BytesIO()
    pdf.write(out)
    return out.getvalue()

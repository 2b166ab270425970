"""A throw-away PKI for the signing and validation tests, built with ``cryptography``.

The platform's own CA (``egov.pki.authority``) issues real certificates; these tests need
situations that CA must never produce on purpose — a certificate revoked before it signs, one
that expired, a CA nobody trusts — so they make their own, once per test session:

- ``root`` → ``issuing`` (the province's two-level hierarchy), which issues
  - ``official``: Nguyễn Thị Hoa, deputy director of the Sở Thông tin và Truyền thông;
  - ``seal``: the Sở itself (organisation certificate for the agency seal);
  - ``tsa``: the timestamping authority;
  - ``revoked``: an official whose certificate was revoked 30 days ago;
  - ``expired``: an official whose certificate expired two years ago;
- ``untrusted_root`` → ``untrusted``: a look-alike hierarchy outside our trust anchors.

The pieces the signing code takes as parameters — a :class:`SigningIdentity`, a pyHanko
``TimeStamper``, a ``ValidationContext`` factory — are built from it the way
``egov.pki.services``, ``egov.pki.tsa`` and ``egov.pki.revocation`` build them from the
platform's CA. Test modules load the fixtures (``spki``, ``platform_trusts_spki``) with
``from .signing_fixtures import *``.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.pki.identity import SigningIdentity

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
DAY = dt.timedelta(days=1)
YEAR = dt.timedelta(days=365)
REVOKED_AT = NOW - 30 * DAY
EXPIRED_AT = NOW - 2 * YEAR
AGENCY = "Sở Thông tin và Truyền thông"
AGENCY_CODE = "000.00.05.H16"
OFFICIAL_NAME = "Nguyễn Thị Hoa"
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # RFC 9336


@dataclass
class Issued:
    """A certificate with its private key (tests only: real keys never leave their store)."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    issuer: Issued | None = None

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_info(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(
            self.key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def chain(self) -> list[Issued]:
        """Issuing CA first, then the root (what ``SigningIdentity.chain`` holds)."""
        out, current = [], self.issuer
        while current is not None:
            out.append(current)
            current = current.issuer
        return out


def _name(common_name: str, organisation: str | None = None, **extra) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Đắk Nông"))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    for oid, value in extra.items():
        attributes.append(x509.NameAttribute(getattr(NameOID, oid), value))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _issue(
    subject: x509.Name,
    issuer: Issued | None,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = False,
    tsa: bool = False,
) -> Issued:
    key = _key()
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=False, path_length=None), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not tsa,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # NSS (pdfsig) checks a signer's certificate for e-mail signing; the document-signing
        # purpose of RFC 9336 says what the certificate is really for.
        usages = (
            [ExtendedKeyUsageOID.TIME_STAMPING]
            if tsa
            else [ExtendedKeyUsageOID.EMAIL_PROTECTION, DOCUMENT_SIGNING]
        )
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=tsa)
    cert = builder.sign(signer_key, hashes.SHA256())
    return Issued(cert=cert, key=key, issuer=issuer)


def _crl(issuer: Issued, revoked: list[tuple[Issued, dt.datetime]]) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(NOW - dt.timedelta(hours=1))
        .next_update(NOW + 7 * DAY)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    for holder, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(holder.cert.serial_number)
            .revocation_date(when)
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass
class SigningTestPKI:
    root: Issued
    issuing: Issued
    official: Issued
    seal: Issued
    tsa: Issued
    revoked: Issued
    expired: Issued
    untrusted_root: Issued
    untrusted: Issued
    crls: list[bytes] = field(default_factory=list)

    def identity(self, holder: Issued, *, key_of: Issued | None = None) -> SigningIdentity:
        """A signing identity for ``holder`` (``key_of``: sign with someone else's key)."""
        chain = holder.chain()
        signer = SimpleSigner(
            signing_cert=holder.asn1,
            signing_key=(key_of or holder).key_info,
            cert_registry=SimpleCertificateStore.from_certs([c.asn1 for c in chain]),
        )
        return SigningIdentity(
            certificate=holder.asn1, chain=[c.asn1 for c in chain], signer=signer
        )

    def timestamper(self, at: dt.datetime | None = None) -> DummyTimeStamper:
        """Our TSA, stamping in-process (``at``: a token dated in the past)."""
        return DummyTimeStamper(
            tsa_cert=self.tsa.asn1,
            tsa_key=self.tsa.key_info,
            certs_to_embed=SimpleCertificateStore.from_certs([self.issuing.asn1]),
            fixed_dt=at,
        )

    def validation_context(self, at: dt.datetime | None = None) -> ValidationContext:
        """Our root as the only trust anchor, our CRLs in-process, no network.

        Validating at a past moment (``at``) accepts today's CRLs for that moment: a CRL
        issued later still says whether the certificate was revoked then.
        """
        return ValidationContext(
            trust_roots=[self.root.asn1],
            other_certs=[self.issuing.asn1],
            crls=list(self.crls),
            allow_fetching=False,
            revocation_mode="require",
            moment=at,
            retroactive_revinfo=at is not None,
        )


@functools.cache
def build_signing_pki() -> SigningTestPKI:
    """Build the test PKI once per process (RSA key generation is the slow part)."""
    long_ago = NOW - 5 * YEAR
    root = _issue(
        _name("Test Root CA Đắk Nông", "Ủy ban nhân dân tỉnh Đắk Nông"),
        None,
        not_before=long_ago,
        not_after=NOW + 10 * YEAR,
        ca=True,
    )
    issuing = _issue(
        _name("Test Issuing CA Đắk Nông", "Ủy ban nhân dân tỉnh Đắk Nông"),
        root,
        not_before=long_ago,
        not_after=NOW + 5 * YEAR,
        ca=True,
    )
    official = _issue(
        _name(OFFICIAL_NAME, AGENCY, TITLE="Phó Giám đốc"),
        issuing,
        not_before=NOW - YEAR,
        not_after=NOW + YEAR,
    )
    seal = _issue(
        _name(f"{AGENCY} tỉnh Đắk Nông", AGENCY, ORGANIZATION_IDENTIFIER=AGENCY_CODE),
        issuing,
        not_before=NOW - YEAR,
        not_after=NOW + YEAR,
    )
    tsa = _issue(
        _name("Test TSA Đắk Nông", "Ủy ban nhân dân tỉnh Đắk Nông"),
        issuing,
        not_before=long_ago,
        not_after=NOW + 5 * YEAR,
        tsa=True,
    )
    revoked = _issue(
        _name("Trần Văn Bình", AGENCY), issuing, not_before=NOW - YEAR, not_after=NOW + YEAR
    )
    expired = _issue(
        _name("Lê Thị Cúc", AGENCY),
        issuing,
        not_before=EXPIRED_AT - YEAR,
        not_after=EXPIRED_AT,
    )
    untrusted_root = _issue(
        _name("Look-alike Root CA", "Không phải Ban Cơ yếu"),
        None,
        not_before=long_ago,
        not_after=NOW + 5 * YEAR,
        ca=True,
    )
    untrusted = _issue(
        _name(OFFICIAL_NAME, AGENCY),
        untrusted_root,
        not_before=NOW - YEAR,
        not_after=NOW + YEAR,
    )
    pki = SigningTestPKI(
        root=root,
        issuing=issuing,
        official=official,
        seal=seal,
        tsa=tsa,
        revoked=revoked,
        expired=expired,
        untrusted_root=untrusted_root,
        untrusted=untrusted,
    )
    pki.crls = [_crl(root, []), _crl(issuing, [(revoked, REVOKED_AT)])]
    return pki


def validation_context(at: dt.datetime | None = None) -> ValidationContext:
    """``EGOV_PKI_VALIDATION_CONTEXT`` for tests: the test PKI's validation context."""
    return build_signing_pki().validation_context(at)


def timestamper():
    """``EGOV_PKI_TIMESTAMPER`` for tests: the test PKI's TSA."""
    return build_signing_pki().timestamper()


@pytest.fixture(scope="session")
def spki() -> SigningTestPKI:
    """The signing tests' own PKI (``pki``, in conftest, is the platform's CA in the database)."""
    return build_signing_pki()


@pytest.fixture
def platform_trusts_spki(settings):
    """Point the platform's validation and timestamping at the test PKI."""
    settings.EGOV_PKI_VALIDATION_CONTEXT = "egov.pki.tests.signing_fixtures.validation_context"
    settings.EGOV_PKI_TIMESTAMPER = "egov.pki.tests.signing_fixtures.timestamper"
    return build_signing_pki()


@functools.cache
def two_page_pdf(title: str = "QUYẾT ĐỊNH") -> bytes:
    """A small two-page A4 document, as an office template would produce (WeasyPrint)."""
    from weasyprint import HTML

    html = f"""
    <html><head><style>@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
    body {{ font-family: serif; font-size: 13pt; }}</style></head><body>
    <p>ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG<br>SỞ THÔNG TIN VÀ TRUYỀN THÔNG</p>
    <p>Số: 15/QĐ-STTTT</p><h1>{title}</h1><p>Về việc thử nghiệm chữ ký số.</p>
    <p style="page-break-after: always">Trang 1</p><p>Trang 2 — PHÓ GIÁM ĐỐC</p>
    </body></html>"""
    return HTML(string=html).write_pdf()

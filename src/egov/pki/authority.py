"""X.509 for the province's CA: names, certificate profiles, signing of ASN.1 structures, setup.

Certificates, CRLs and OCSP responses are built as asn1crypto structures ("to be signed" parts)
and signed by :func:`sign_tbs` through ``egov.pki.keys``, so one code path serves keys in an HSM
and keys in encrypted files alike: nothing here ever holds a private key.

Names (RFC 5280, UTF8String except C): CN is the person's or agency's name, O the agency, OU the
internal unit, L the district or commune of the agency, ST the province, C = VN. The agency's
QCVN 102:2016 code (e.g. ``000.00.21.H16``) is in **organizationIdentifier** (2.5.4.97, the
X.520 attribute for an organisation's registered identifier) as ``GOVVN-<code>``, following the
ETSI EN 319 412-1 pattern "3-letter scheme, country, hyphen, identifier" with a local scheme
``GOV`` for state agency codes. Personal certificates carry the code of the official's agency
the same way, so a verifier sees both who signed and for which agency.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from asn1crypto import core, crl, ocsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.core.audit import record_event

from . import keys
from .models import Certificate, CertificateAuthority, CertificateStatusChange, HolderKind

AGENCY_ID_SCHEME = "GOVVN-"
# Extended key usages of signing certificates: S/MIME (what NSS/poppler look for), Microsoft's
# document signing (Adobe, Windows) and id-kp-documentSigning of RFC 9336.
DOCUMENT_SIGNING_EKUS = ["email_protection", "microsoft_document_signing", "1.3.6.1.5.5.7.3.36"]
CLOCK_SKEW = dt.timedelta(minutes=5)


# --- the one place where a structure gets its signature ------------------------------------------
def sign_tbs(tbs, key: keys.KeyRef, hash_algo: str = "sha256"):
    """Sign a "to be signed" ASN.1 structure with ``key`` and return the signed structure.

    ``tbs`` is an asn1crypto ``x509.TbsCertificate``, ``crl.TbsCertList`` or
    ``ocsp.ResponseData``; its DER encoding is what the key signs (RFC 5280 §4.1.1.3, §5.1.1.3;
    RFC 6960 §4.2.1). For a key in the HSM only these bytes go to the token, which hashes and
    signs them (CKM_SHA256_RSA_PKCS); for a PKCS#12 key ``cryptography`` does the same in
    memory. The signature algorithm written inside the TBS must be the one used here, so the
    builders below take it from :func:`keys.signature_algorithm` too.
    """
    algorithm = keys.signature_algorithm(hash_algo)
    signature = keys.sign(key, tbs.dump(), hash_algo)
    if isinstance(tbs, asn1_x509.TbsCertificate):
        return asn1_x509.Certificate(
            {
                "tbs_certificate": tbs,
                "signature_algorithm": algorithm,
                "signature_value": signature,
            }
        )
    if isinstance(tbs, crl.TbsCertList):
        return crl.CertificateList(
            {"tbs_cert_list": tbs, "signature_algorithm": algorithm, "signature": signature}
        )
    if isinstance(tbs, ocsp.ResponseData):
        return ocsp.BasicOCSPResponse(
            {
                "tbs_response_data": tbs,
                "signature_algorithm": algorithm,
                "signature": signature,
            }
        )
    raise TypeError(f"cannot sign a {type(tbs).__name__}")


# --- time and names -------------------------------------------------------------------------------
def now() -> dt.datetime:
    """Current time in UTC, to the second (X.509 times have no fractions)."""
    return timezone.now().astimezone(dt.UTC).replace(microsecond=0)


def x509_time(moment: dt.datetime) -> asn1_x509.Time:
    """UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)."""
    moment = moment.astimezone(dt.UTC).replace(microsecond=0)
    if moment.year < 2050:
        return asn1_x509.Time(name="utc_time", value=moment)
    return asn1_x509.Time(name="general_time", value=moment)


def province() -> str:
    return settings.EGOV_PROVINCE_NAME


def _locality(agency) -> str:
    unit = agency.administrative_unit if agency is not None else None
    return unit.name if unit is not None else province()


def agency_identifier(agency) -> str:
    """The organizationIdentifier value for an agency: ``GOVVN-000.00.21.H16``."""
    return f"{AGENCY_ID_SCHEME}{agency.code}"


def ca_subject(common_name: str) -> asn1_x509.Name:
    return asn1_x509.Name.build(
        {
            "country_name": "VN",
            "state_or_province_name": province(),
            "organization_name": f"Ủy ban nhân dân tỉnh {province()}",
            "common_name": common_name,
        }
    )


def official_subject(user, agency, unit=None) -> asn1_x509.Name:
    """CN = the official's full name, O = her agency, OU = her unit, with the agency code."""
    attrs = {
        "country_name": "VN",
        "state_or_province_name": province(),
        "locality_name": _locality(agency),
        "organization_name": agency.name,
        "common_name": user.full_name or user.username,
        "organization_identifier": agency_identifier(agency),
    }
    if unit is not None:
        attrs["organizational_unit_name"] = unit.name
    if user.job_title:
        attrs["title"] = user.job_title
    return asn1_x509.Name.build(attrs)


def agency_subject(agency) -> asn1_x509.Name:
    """CN = O = the agency's name: the organisation seal."""
    return asn1_x509.Name.build(
        {
            "country_name": "VN",
            "state_or_province_name": province(),
            "locality_name": _locality(agency),
            "organization_name": agency.name,
            "common_name": agency.name,
            "organization_identifier": agency_identifier(agency),
        }
    )


def service_subject(kind: str) -> asn1_x509.Name:
    label = {HolderKind.OCSP: "OCSP Responder", HolderKind.TSA: "Time Stamping Authority"}[kind]
    return ca_subject(f"egov {label} – Tỉnh {province()}")


# --- certificate profiles -------------------------------------------------------------------------
def _ext(name: str, value, critical: bool = False) -> dict:
    return {"extn_id": name, "critical": critical, "extn_value": value}


def _uri(url: str) -> asn1_x509.GeneralName:
    return asn1_x509.GeneralName(name="uniform_resource_identifier", value=url)


def ocsp_url() -> str:
    return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}/pki/ocsp"


def _profile_extensions(profile: str, issuer: CertificateAuthority | None, email: str) -> list:
    """Extensions that depend on what the certificate is for (the key identifiers are added by
    :func:`build_certificate`)."""
    if profile == "root":
        return [
            _ext("basic_constraints", {"ca": True}, critical=True),
            _ext("key_usage", {"key_cert_sign", "crl_sign"}, critical=True),
        ]
    published = [
        _ext(
            "crl_distribution_points",
            [{"distribution_point": {"full_name": [_uri(issuer.crl_url)]}}],
        ),
        _ext(
            "authority_information_access",
            [{"access_method": "ca_issuers", "access_location": _uri(issuer.certificate_url)}]
            + (
                # The root CA answers for its issuing CA by CRL only: no OCSP URL on CA certs.
                []
                if profile == "issuing"
                else [{"access_method": "ocsp", "access_location": _uri(ocsp_url())}]
            ),
        ),
        _ext("certificate_policies", [{"policy_identifier": settings.EGOV_PKI_CERT_POLICY_OID}]),
    ]
    if profile == "issuing":
        return [
            _ext("basic_constraints", {"ca": True, "path_len_constraint": 0}, critical=True),
            _ext("key_usage", {"key_cert_sign", "crl_sign"}, critical=True),
            *published,
        ]
    end_entity = [_ext("basic_constraints", {"ca": False}, critical=True)]
    if profile == "ocsp":
        return [
            *end_entity,
            _ext("key_usage", {"digital_signature"}, critical=True),
            _ext("extended_key_usage", ["ocsp_signing"]),
            # id-pkix-ocsp-nocheck: clients need not check the responder's own status (RFC 6960
            # §4.2.2.2.1); its validity is kept short instead.
            _ext("ocsp_no_check", core.Null()),
            *published,
        ]
    if profile == "tsa":
        return [
            *end_entity,
            _ext("key_usage", {"digital_signature", "non_repudiation"}, critical=True),
            # RFC 3161 §2.3: the TSA certificate has exactly this one, critical, purpose.
            _ext("extended_key_usage", ["time_stamping"], critical=True),
            *published,
        ]
    extensions = [
        *end_entity,
        _ext("key_usage", {"digital_signature", "non_repudiation"}, critical=True),
        _ext("extended_key_usage", DOCUMENT_SIGNING_EKUS),
        *published,
    ]
    if email:
        extensions.append(
            _ext("subject_alt_name", [asn1_x509.GeneralName(name="rfc822_name", value=email)])
        )
    return extensions


def new_serial() -> int:
    """A random positive serial of 159 bits (RFC 5280: ≤ 20 octets, unpredictable)."""
    return secrets.randbits(159) | (1 << 150)


def serial_hex(serial: int) -> str:
    return format(serial, "040x")


def build_certificate(
    *,
    subject: asn1_x509.Name,
    public_key: asn1_keys.PublicKeyInfo,
    profile: str,
    issuer: CertificateAuthority | None,
    signing_key: keys.KeyRef,
    not_before: dt.datetime,
    not_after: dt.datetime,
    email: str = "",
    serial: int | None = None,
) -> asn1_x509.Certificate:
    """Issue one certificate of ``profile`` (root, issuing, official, agency, ocsp, tsa).

    ``issuer`` None makes a self-signed root. The end date never passes the issuer's own.
    """
    if issuer is not None and not_after > issuer.not_after:
        not_after = issuer.not_after
    issuer_name = issuer.asn1.subject if issuer is not None else subject
    extensions = [
        _ext("key_identifier", core.OctetString(public_key.sha1)),
        *_profile_extensions(profile, issuer, email),
    ]
    if issuer is not None:
        extensions.append(
            _ext("authority_key_identifier", {"key_identifier": issuer.asn1.key_identifier})
        )
    tbs = asn1_x509.TbsCertificate(
        {
            "version": "v3",
            "serial_number": serial or new_serial(),
            "signature": keys.signature_algorithm(),
            "issuer": issuer_name,
            "validity": {"not_before": x509_time(not_before), "not_after": x509_time(not_after)},
            "subject": subject,
            "subject_public_key_info": public_key,
            "extensions": extensions,
        }
    )
    return sign_tbs(tbs, signing_key)


# --- setting up the authority ---------------------------------------------------------------------
@dataclass
class PkiSetup:
    """What ``setup_pki`` found or created."""

    root: CertificateAuthority
    issuing: CertificateAuthority
    ocsp: Certificate
    tsa: Certificate
    created: list[str] = field(default_factory=list)


def root_ca() -> CertificateAuthority | None:
    return CertificateAuthority.objects.filter(name=settings.EGOV_PKI_ROOT_CA_NAME).first()


def issuing_ca() -> CertificateAuthority | None:
    return CertificateAuthority.objects.filter(name=settings.EGOV_PKI_ISSUING_CA_NAME).first()


def _create_ca(name: str, common_name: str, parent, storage: str, years: int):
    key = keys.generate_key(storage, name, bits=settings.EGOV_PKI_CA_KEY_SIZE)
    start = now() - CLOCK_SKEW
    cert = build_certificate(
        subject=ca_subject(common_name),
        public_key=keys.public_key_info(key),
        profile="issuing" if parent else "root",
        issuer=parent,
        signing_key=keys.KeyRef.of(parent) if parent else key,
        not_before=start,
        not_after=start + dt.timedelta(days=365 * years),
    )
    ca = CertificateAuthority.objects.create(
        name=name,
        common_name=common_name,
        kind=CertificateAuthority.Kind.ISSUING if parent else CertificateAuthority.Kind.ROOT,
        parent=parent,
        der=cert.dump(),
        serial=serial_hex(cert.serial_number),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        key_storage=key.storage,
        key_reference=key.reference,
    )
    record_event(
        "pki.ca.create",
        ca,
        changes={"name": name, "serial": ca.serial, "key_storage": key.storage},
    )
    return ca


def issue_service_certificate(ca: CertificateAuthority, kind: str, storage: str) -> Certificate:
    """A new OCSP responder or TSA certificate from ``ca``, with a new key."""
    key = keys.generate_key(storage, f"{kind}-{ca.name}")
    start = now() - CLOCK_SKEW
    cert = build_certificate(
        subject=service_subject(kind),
        public_key=keys.public_key_info(key),
        profile=kind,
        issuer=ca,
        signing_key=keys.KeyRef.of(ca),
        not_before=start,
        not_after=start + dt.timedelta(days=settings.EGOV_PKI_CERT_VALIDITY_DAYS),
    )
    row = store_certificate(cert, ca, holder_kind=kind, key=key)
    record_event("pki.certificate.issue", row, changes={"holder_kind": kind, "serial": row.serial})
    if kind == HolderKind.OCSP:
        from .ocsp import forget_responders

        transaction.on_commit(forget_responders)
        forget_responders()
    elif kind == HolderKind.TSA:
        from .tsa import forget_authority

        transaction.on_commit(forget_authority)
        forget_authority()
    return row


def store_certificate(
    cert: asn1_x509.Certificate,
    ca: CertificateAuthority,
    *,
    holder_kind: str,
    key: keys.KeyRef | None,
    user=None,
    agency=None,
    unit=None,
    request=None,
) -> Certificate:
    """Save an issued certificate with its first status."""
    row = Certificate.objects.create(
        issuer=ca,
        serial=serial_hex(cert.serial_number),
        holder_kind=holder_kind,
        user=user,
        agency=agency,
        unit=unit,
        common_name=cert.subject.native.get("common_name", ""),
        subject=cert.subject.human_friendly[:1000],
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        key_storage=key.storage if key else "external",
        key_reference=key.reference if key else "",
        der=cert.dump(),
        request=request,
    )
    CertificateStatusChange.objects.create(
        certificate=row, status=Certificate.Status.ACTIVE, at=row.not_before
    )
    return row


def current_service_certificate(ca: CertificateAuthority, kind: str) -> Certificate | None:
    """The newest active OCSP or TSA certificate of ``ca`` that is still valid."""
    return (
        Certificate.objects.filter(
            issuer=ca,
            holder_kind=kind,
            status=Certificate.Status.ACTIVE,
            not_after__gt=timezone.now(),
        )
        .order_by("-not_before", "-pk")
        .first()
    )


def setup_pki(storage: str | None = None, renew_within_days: int = 30) -> PkiSetup:
    """Create what is missing of the province's PKI; safe to run again (changes nothing then).

    The root CA (20 years) and the issuing CA (10 years) are created once. The OCSP responder
    and TSA certificates are (re)issued when missing or ending within ``renew_within_days``.
    Each CA gets its first CRL.
    """
    from .revocation import publish_crl

    storage = storage or settings.EGOV_PKI_CA_KEY_STORAGE
    created = []
    with transaction.atomic():
        root = root_ca()
        if root is None:
            root = _create_ca(
                settings.EGOV_PKI_ROOT_CA_NAME,
                f"egov Root CA – Tỉnh {province()}",
                None,
                storage,
                years=20,
            )
            created.append(root.name)
        issuing = issuing_ca()
        if issuing is None:
            issuing = _create_ca(
                settings.EGOV_PKI_ISSUING_CA_NAME,
                f"egov Issuing CA – Tỉnh {province()}",
                root,
                storage,
                years=10,
            )
            created.append(issuing.name)
        services = {}
        soon = timezone.now() + dt.timedelta(days=renew_within_days)
        for kind in (HolderKind.OCSP, HolderKind.TSA):
            current = current_service_certificate(issuing, kind)
            if current is None or current.not_after < soon:
                current = issue_service_certificate(issuing, kind, storage)
                created.append(f"{kind} certificate")
            services[kind] = current
        for ca in (root, issuing):
            if ca.crl_der is None:
                publish_crl(ca)
                ca.refresh_from_db()
    return PkiSetup(root, issuing, services[HolderKind.OCSP], services[HolderKind.TSA], created)

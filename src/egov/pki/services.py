"""Lifecycle of certificates: the only code that changes requests and certificates.

request → approval (or rejection) by an agency administrator → issue → suspend / reinstate /
revoke with an RFC 5280 reason → renew. Each function checks permission and state, runs in one
transaction, writes its audit event there, and publishes a new CRL in the same transaction when
a status changes, so the CRL and OCSP never lag behind what the page shows.

``actor`` None means the platform itself (``setup_pki``, the demo loader): no permission check.
"""

from __future__ import annotations

import datetime as dt

from asn1crypto import keys as asn1_keys
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models import Agency, Position, User

from . import authority, keys
from .identity import SigningIdentity
from .models import (
    Certificate,
    CertificateRequest,
    CertificateStatusChange,
    HolderKind,
    KeyStorage,
    RevocationReason,
)
from .revocation import publish_crl
from .rules import administers

# Reasons a person may give when revoking an official's or agency's certificate.
REVOCATION_REASONS = (
    RevocationReason.UNSPECIFIED,
    RevocationReason.KEY_COMPROMISE,
    RevocationReason.AFFILIATION_CHANGED,
    RevocationReason.SUPERSEDED,
    RevocationReason.CESSATION_OF_OPERATION,
    RevocationReason.PRIVILEGE_WITHDRAWN,
)


class NotAllowedNow(Exception):
    """The action is valid in general but not in the object's current state (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _now() -> dt.datetime:
    return timezone.now()


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- requests -------------------------------------------------------------------------------------
def organisation_of(user: User, agency: Agency | None = None) -> tuple[Agency, Agency | None]:
    """(agency, unit) where ``user`` works today: the given agency if she holds a position
    there, else her first position. Raises ValidationError when she has none."""
    positions = list(Position.objects.valid_on().filter(user=user).select_related("agency", "unit"))
    for position in positions:
        organisation = position.agency.organisation()
        if agency is None or organisation.pk == agency.pk:
            return organisation, position.unit
    raise ValidationError(
        _("%(person)s holds no position in %(agency)s today.")
        % {"person": user, "agency": agency or _("any agency")}
    )


def public_key_from_csr(csr_pem: str) -> asn1_keys.PublicKeyInfo:
    """The public key of a PKCS#10 request, once its signature proves the holder has the key.

    Only the key is taken from the request: the name in the certificate is the CA's record of
    the holder, never what the request claims.
    """
    try:
        csr = cx509.load_pem_x509_csr(csr_pem.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValidationError(
            {"csr_pem": _("This is not a PEM certificate signing request (PKCS#10).")}
        ) from error
    if not csr.is_signature_valid:
        raise ValidationError(
            {
                "csr_pem": _(
                    "The signature of the certificate signing request does not match its key: "
                    "the request was altered or forged."
                )
            }
        )
    key = csr.public_key()
    strong = (isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048) or (
        isinstance(key, ec.EllipticCurvePublicKey)
        and key.curve.name in ("secp256r1", "secp384r1", "secp521r1")
    )
    if not strong:
        raise ValidationError(
            {"csr_pem": _("The key must be RSA of at least 2048 bits or ECDSA P-256/P-384/P-521.")}
        )
    return asn1_keys.PublicKeyInfo.load(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _may_request(actor: User, kind: str, agency: Agency, holder: User | None) -> bool:
    if kind == CertificateRequest.Kind.PERSONAL and holder is not None and holder.pk == actor.pk:
        return True
    return administers(actor, agency)


def request_certificate(
    actor: User | None,
    *,
    kind: str,
    agency: Agency | None = None,
    holder: User | None = None,
    key_storage: str = "",
    csr_pem: str = "",
    reason: str = "",
    renews: Certificate | None = None,
) -> CertificateRequest:
    """Đề nghị cấp chứng thư số for an official (``personal``) or an agency seal (``seal``).

    An official asks for herself; an agency administrator asks for the officials of her agency
    and for its seal. Without ``csr_pem`` the key will be generated by the platform in
    ``key_storage`` (default ``EGOV_PKI_KEY_STORAGE``); with it, the holder keeps her key.
    """
    unit = None
    if kind == CertificateRequest.Kind.PERSONAL:
        if holder is None:
            raise ValidationError({"holder": _("Choose the official who will hold it.")})
        agency, unit = organisation_of(holder, agency)
    elif kind == CertificateRequest.Kind.SEAL:
        if agency is None or agency.is_internal_unit:
            raise ValidationError(
                {"agency": _("An organisation seal belongs to an agency, not to an internal unit.")}
            )
        holder = None
    else:
        raise ValidationError({"kind": _("Unknown kind of certificate.")})
    if actor is not None:
        _refuse_unless(
            _may_request(actor, kind, agency, holder),
            _("Only the official herself or an administrator of %(agency)s may ask for this.")
            % {"agency": agency},
        )
    if csr_pem.strip():
        public_key_from_csr(csr_pem)
        key_storage = KeyStorage.EXTERNAL
    else:
        key_storage = key_storage or settings.EGOV_PKI_KEY_STORAGE
        if key_storage not in (KeyStorage.PKCS11, KeyStorage.PKCS12):
            raise ValidationError({"key_storage": _("Choose where the key is kept.")})
    with transaction.atomic():
        pending = CertificateRequest.objects.select_for_update().filter(
            kind=kind,
            holder=holder,
            agency=agency,
            status__in=(CertificateRequest.Status.REQUESTED, CertificateRequest.Status.APPROVED),
        )
        if pending.exists():
            raise NotAllowedNow(_("A request for this certificate is already waiting."))
        request = CertificateRequest.objects.create(
            kind=kind,
            holder=holder,
            agency=agency,
            unit=unit,
            requested_by=actor,
            key_storage=key_storage,
            csr_pem=csr_pem.strip(),
            reason=reason.strip(),
            renews=renews,
        )
        record_event(
            "pki.request.create",
            request,
            actor=actor,
            agency=agency,
            changes={
                "kind": kind,
                "holder": holder.username if holder else None,
                "key_storage": key_storage,
                "renews": renews.serial if renews else None,
            },
            reason=request.reason,
        )
    return request


def _lock_request(request: CertificateRequest, expected: str) -> CertificateRequest:
    locked = CertificateRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != expected:
        raise NotAllowedNow(
            _("This request is already %(status)s.") % {"status": locked.get_status_display()}
        )
    return locked


def approve_request(
    actor: User | None, request: CertificateRequest, *, issue: bool = True
) -> CertificateRequest:
    """Duyệt đề nghị: an administrator over the agency approves; the certificate is issued at
    once unless ``issue`` is False."""
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "approve", request),
            _(
                "Only an administrator of %(agency)s may approve this request, and never for "
                "her own certificate."
            )
            % {"agency": request.agency},
        )
    with transaction.atomic():
        request = _lock_request(request, CertificateRequest.Status.REQUESTED)
        request.status = CertificateRequest.Status.APPROVED
        request.decided_by = actor
        request.decided_at = _now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        record_event("pki.request.approve", request, actor=actor, agency=request.agency)
        if issue:
            issue_certificate(actor, request)
            request.refresh_from_db()
    return request


def reject_request(actor: User | None, request: CertificateRequest, reason: str):
    """Từ chối đề nghị, with the reason the requester will read."""
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "approve", request),
            _("Only an administrator of %(agency)s may reject this request.")
            % {"agency": request.agency},
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    with transaction.atomic():
        request = _lock_request(request, CertificateRequest.Status.REQUESTED)
        request.status = CertificateRequest.Status.REJECTED
        request.decided_by = actor
        request.decided_at = _now()
        request.decision_reason = reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        record_event(
            "pki.request.reject", request, actor=actor, agency=request.agency, reason=reason
        )
    return request


# --- issuing --------------------------------------------------------------------------------------
def _subject(request: CertificateRequest):
    if request.kind == CertificateRequest.Kind.PERSONAL:
        return authority.official_subject(request.holder, request.agency, request.unit)
    return authority.agency_subject(request.agency)


def issue_certificate(
    actor: User | None,
    request: CertificateRequest,
    *,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Certificate:
    """Cấp chứng thư số for an approved request: generate the key (or take the CSR's), sign
    the certificate with the issuing CA, and supersede the certificate it renews.

    ``not_before`` / ``not_after`` override the validity (tests of expiry, data migrations).
    """
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "approve", request),
            _(
                "Only an administrator of %(agency)s may approve this request, and never for "
                "her own certificate."
            )
            % {"agency": request.agency},
        )
    ca = authority.issuing_ca()
    if ca is None:
        raise NotAllowedNow(_("The certificate authority is not set up yet."))
    with transaction.atomic():
        request = _lock_request(request, CertificateRequest.Status.APPROVED)
        key = None
        if request.key_storage == KeyStorage.EXTERNAL:
            public_key = public_key_from_csr(request.csr_pem)
        else:
            owner = request.holder.username if request.holder else request.agency.code
            label = f"{request.kind}-{owner}"
            key = keys.generate_key(request.key_storage, label)
            public_key = keys.public_key_info(key)
        start = not_before or (authority.now() - authority.CLOCK_SKEW)
        end = not_after or start + dt.timedelta(days=settings.EGOV_PKI_CERT_VALIDITY_DAYS)
        try:
            cert = authority.build_certificate(
                subject=_subject(request),
                public_key=public_key,
                profile="official",
                issuer=ca,
                signing_key=keys.KeyRef.of(ca),
                not_before=start,
                not_after=end,
                email=request.holder.email if request.holder else request.agency.email,
            )
            row = authority.store_certificate(
                cert,
                ca,
                holder_kind=(
                    HolderKind.OFFICIAL
                    if request.kind == CertificateRequest.Kind.PERSONAL
                    else HolderKind.AGENCY
                ),
                key=key,
                user=request.holder,
                agency=request.agency,
                unit=request.unit,
                request=request,
            )
        except Exception:
            if key is not None:
                keys.destroy_key(key)
            raise
        request.status = CertificateRequest.Status.ISSUED
        request.save(update_fields=["status"])
        record_event(
            "pki.certificate.issue",
            row,
            actor=actor,
            agency=request.agency,
            changes={
                "serial": row.serial,
                "subject": row.subject,
                "not_after": row.not_after.isoformat(),
                "key_storage": row.key_storage,
            },
        )
        if request.renews_id:
            old = Certificate.objects.get(pk=request.renews_id)
            if old.status in (Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED):
                _set_status(
                    actor,
                    old,
                    Certificate.Status.REVOKED,
                    RevocationReason.SUPERSEDED,
                    _("Renewed by %(serial)s") % {"serial": row.serial},
                    "pki.certificate.revoke",
                )
    return row


# --- status changes -------------------------------------------------------------------------------
def _set_status(actor, cert, status, reason, comment, action) -> Certificate:
    """Change a certificate's status, keep the history, publish a new CRL; in one transaction."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=cert.pk)
        before = locked.status
        # To the second, as the CRL and OCSP state it.
        moment = _now().replace(microsecond=0)
        locked.status = status
        if status == Certificate.Status.ACTIVE:
            locked.revocation_reason, locked.revoked_at = None, None
        else:
            locked.revocation_reason, locked.revoked_at = int(reason), moment
        locked.save(update_fields=["status", "revocation_reason", "revoked_at"])
        CertificateStatusChange.objects.create(
            certificate=locked,
            status=status,
            reason=None if reason is None else int(reason),
            at=moment,
            comment=comment,
        )
        record_event(
            action,
            locked,
            actor=actor,
            agency=locked.agency,
            changes={
                "status": [before, status],
                "reason": None if reason is None else RevocationReason(reason).asn1_name,
            },
            reason=comment,
        )
        publish_crl(locked.issuer)
        if locked.holder_kind == HolderKind.OCSP:
            from .ocsp import forget_responders

            transaction.on_commit(forget_responders)
        elif locked.holder_kind == HolderKind.TSA:
            from .tsa import forget_authority

            transaction.on_commit(forget_authority)
    cert.refresh_from_db()
    return cert


def _check_valid_for_change(cert: Certificate) -> None:
    if cert.is_expired:
        raise NotAllowedNow(_("This certificate has expired; its status no longer changes."))


def suspend_certificate(actor: User | None, cert: Certificate, comment: str = "") -> Certificate:
    """Tạm dừng (certificateHold): the certificate is listed on the CRL until reinstated."""
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "revoke", cert),
            _("Only the holder or an administrator of the agency may suspend this certificate."),
        )
    _check_valid_for_change(cert)
    if cert.status != Certificate.Status.ACTIVE:
        raise NotAllowedNow(_("Only an active certificate can be suspended."))
    return _set_status(
        actor,
        cert,
        Certificate.Status.SUSPENDED,
        RevocationReason.CERTIFICATE_HOLD,
        comment,
        "pki.certificate.suspend",
    )


def unsuspend_certificate(actor: User | None, cert: Certificate, comment: str = "") -> Certificate:
    """Khôi phục: a suspended certificate becomes active again and leaves the CRL."""
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "manage", cert),
            _("Only an administrator of the agency may reinstate this certificate."),
        )
    _check_valid_for_change(cert)
    if cert.status != Certificate.Status.SUSPENDED:
        raise NotAllowedNow(_("Only a suspended certificate can be reinstated."))
    return _set_status(
        actor, cert, Certificate.Status.ACTIVE, None, comment, "pki.certificate.unsuspend"
    )


def revoke_certificate(
    actor: User | None,
    cert: Certificate,
    reason: int = RevocationReason.UNSPECIFIED,
    comment: str = "",
) -> Certificate:
    """Thu hồi, for good, with an RFC 5280 reason (key compromise, affiliation changed…)."""
    if actor is not None:
        _refuse_unless(
            perms.can(actor, "revoke", cert),
            _("Only the holder or an administrator of the agency may revoke this certificate."),
        )
    if reason not in REVOCATION_REASONS:
        raise ValidationError({"reason": _("This reason cannot be used to revoke a certificate.")})
    _check_valid_for_change(cert)
    if cert.status not in (Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED):
        raise NotAllowedNow(_("This certificate is already revoked."))
    return _set_status(
        actor, cert, Certificate.Status.REVOKED, reason, comment, "pki.certificate.revoke"
    )


def renew_certificate(
    actor: User | None, cert: Certificate, *, csr_pem: str = "", reason: str = ""
) -> CertificateRequest:
    """Gia hạn: a new request for the same holder, with a new key (or a new CSR); once issued,
    the old certificate is revoked as superseded."""
    if cert.holder_kind not in (HolderKind.OFFICIAL, HolderKind.AGENCY):
        raise NotAllowedNow(_("Service certificates are renewed by setup_pki."))
    if actor is not None:
        _refuse_unless(
            cert.user_id == actor.pk or perms.can(actor, "manage", cert),
            _("Only the holder or an administrator of the agency may renew this certificate."),
        )
    if cert.status == Certificate.Status.REVOKED:
        raise NotAllowedNow(_("A revoked certificate is not renewed: ask for a new one."))
    if cert.key_storage == KeyStorage.EXTERNAL and not csr_pem.strip():
        raise ValidationError(
            {"csr_pem": _("The holder keeps her key: send a new certificate signing request.")}
        )
    storage = cert.key_storage if cert.key_storage != KeyStorage.EXTERNAL else ""
    return request_certificate(
        actor,
        kind=(
            CertificateRequest.Kind.PERSONAL
            if cert.holder_kind == HolderKind.OFFICIAL
            else CertificateRequest.Kind.SEAL
        ),
        agency=cert.agency,
        holder=cert.user,
        key_storage=storage,
        csr_pem=csr_pem,
        reason=reason or _("Renewal of %(serial)s") % {"serial": cert.serial},
        renews=cert,
    )


# --- signing --------------------------------------------------------------------------------------
def identity_for(certificate: Certificate, *, allow_inactive: bool = False) -> SigningIdentity:
    """What the signing code needs to sign as ``certificate``'s holder: the certificate, its
    chain (issuing CA, then root) and a pyHanko signer for its key.

    Refuses a certificate that is not active today, or whose key the holder keeps on her own
    token, unless ``allow_inactive`` (tests that need a signature by a revoked certificate).
    """
    if not allow_inactive and certificate.effective_status != Certificate.Status.ACTIVE:
        raise NotAllowedNow(
            _("This certificate is %(status)s: it cannot sign.")
            % {"status": certificate.get_effective_status_display().lower()}
        )
    if certificate.key_storage == KeyStorage.EXTERNAL:
        raise NotAllowedNow(
            _("The key of this certificate is on the holder's own token: sign with the token.")
        )
    if certificate.key_storage == KeyStorage.PKCS12:
        # made once per certificate and process, with its chain: no query, no key to load
        signer = keys.signer_for(certificate)
        return SigningIdentity(
            certificate=signer.signing_cert, chain=list(signer.chain), signer=signer
        )
    chain = keys.chain_of(certificate)
    return SigningIdentity(
        certificate=certificate.asn1,
        chain=chain,
        signer=keys.signer_for(certificate, chain),
    )


def active_certificate(*, user: User | None = None, agency: Agency | None = None):
    """The newest active certificate of an official (personal) or of an agency (seal)."""
    rows = Certificate.objects.filter(
        status=Certificate.Status.ACTIVE, not_after__gt=timezone.now()
    )
    if user is not None:
        rows = rows.filter(user=user, holder_kind=HolderKind.OFFICIAL)
    else:
        rows = rows.filter(agency=agency, holder_kind=HolderKind.AGENCY)
    return rows.select_related("issuer__parent").order_by("-not_before", "-pk").first()

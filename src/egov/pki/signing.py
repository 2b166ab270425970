"""Signing an official document: the audited action behind the "Sign" button.

A signature binds the signer by law (Decree 30/2020, Decree 68/2024), so signing is never done
on a session alone: the signer confirms with her second factor — the 6-digit code of her
authenticator app (TOTP, as for every leader log-in) or, for a key on a PKCS#11 token, the
token's PIN — and every signature is written to the audit trail with the certificate used and
the fingerprints of the document before and after.

The PDF mechanics live in :mod:`egov.pki.pades`; this module decides whether the person may
sign now and records that she did.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models import Role

from . import pades
from .appearance import SignatureBlock

# Who signs with an agency's seal certificate: its leaders and its clerks (văn thư), who
# stamp the seal on paper today (Decree 30/2020, Art. 33).
SEAL_SIGNERS = (Role.AGENCY_LEADER, Role.CLERK)


class SignatureKind(enum.StrEnum):
    OFFICIAL = "official"  # the competent person, with her signature image
    SEAL = "seal"  # the agency, with its seal image over the official's signature
    APPENDIX = "appendix"  # the agency on an appendix: no image, at the number and symbol


class SigningRefused(PermissionDenied):
    """The person may not sign now; ``code`` says why (for the API), the text says it to her."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def _refuse(actor, message: str, code: str, *, document=None):
    # Written before raising: called outside a transaction (as views call this service), the
    # refused attempt stays in the trail.
    record_event("pki.signing_refused", document, actor=actor, changes={"code": code})
    raise SigningRefused(message, code)


def verify_second_factor(
    actor, otp_or_pin: str, *, pin_verifier: Callable[[str], bool] | None = None, document=None
) -> None:
    """Confirm the signer is present: her TOTP code, or the PIN of the token holding her key.

    ``pin_verifier`` is given when the key lives on a PKCS#11 token whose PIN opens it (the
    token itself checks the PIN and locks after its own number of tries). Raises
    :class:`SigningRefused` otherwise.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise SigningRefused(_("Log in to sign."), "not_authenticated")
    code = (otp_or_pin or "").strip()
    if not code:
        _refuse(
            actor,
            _("Enter the 6-digit code from your authenticator app (or your token PIN) to sign."),
            "otp_required",
            document=document,
        )
    if pin_verifier is not None:
        if pin_verifier(code):
            return
        _refuse(actor, _("The PIN is not correct."), "pin_wrong", document=document)
    if not any(True for _device in devices_for_user(actor, confirmed=True)):
        _refuse(
            actor,
            _(
                "Signing needs a second factor: enrol an authenticator app in the web "
                "interface first."
            ),
            "otp_not_enrolled",
            document=document,
        )
    if match_token(actor, code) is None:
        _refuse(
            actor,
            _("The code is not correct. Check the time on your phone."),
            "otp_wrong",
            document=document,
        )


def may_sign_with(actor, certificate) -> bool:
    """Her own personal certificate; her agency's seal if she is its leader or clerk."""
    from .models import HolderKind

    if certificate.holder_kind == HolderKind.OFFICIAL:
        return certificate.user_id == actor.pk
    if certificate.holder_kind == HolderKind.AGENCY:
        # The seal of the very agency she leads or keeps the records of: the provincial
        # People's Committee's chairman does not seal for its departments.
        return certificate.agency.path in perms.organisation_paths(actor, SEAL_SIGNERS)
    return False


def _is_certificate_row(holder) -> bool:
    from .models import Certificate

    return isinstance(holder, Certificate)


def _check_may_sign(actor, holder, *, document=None) -> None:
    if _is_certificate_row(holder) and not may_sign_with(actor, holder):
        _refuse(
            actor,
            _("You may not sign with this certificate."),
            "not_your_certificate",
            document=document,
        )


def _identity(actor, holder, *, document=None):
    """The signing identity for a certificate row, or the identity given as is (a
    ``SigningIdentity`` the caller has already matched to ``actor``)."""
    from .services import NotAllowedNow, identity_for

    if not _is_certificate_row(holder):
        return holder
    try:
        return identity_for(holder)
    except NotAllowedNow as refused:
        _refuse(actor, refused.message, "certificate_not_active", document=document)


def _check_certificate_dates(actor, identity, *, document=None) -> None:
    """An expired certificate would give a signature nobody can rely on: say so now."""
    cert = identity.certificate
    now = dt.datetime.now(dt.UTC)
    if now > cert.not_valid_after:
        _refuse(
            actor,
            _("Your certificate expired on %(date)s; ask for a renewal.")
            % {"date": cert.not_valid_after.strftime("%d/%m/%Y")},
            "certificate_expired",
            document=document,
        )
    if now < cert.not_valid_before:
        _refuse(
            actor,
            _("Your certificate is valid only from %(date)s.")
            % {"date": cert.not_valid_before.strftime("%d/%m/%Y")},
            "certificate_not_yet_valid",
            document=document,
        )


def sign_document(
    actor,
    pdf_bytes: bytes,
    certificate,
    *,
    otp_or_pin: str,
    kind: SignatureKind | str = SignatureKind.OFFICIAL,
    block: SignatureBlock | None = None,
    signature_image=None,
    seal_image=None,
    number_symbol: str = "",
    number_box: tuple[float, float, float, float] | None = None,
    page: int = 0,
    level: pades.Level | str = pades.Level.B_T,
    timestamper=None,
    validation_context=None,
    reason: str = "",
    location: str = "",
    document=None,
    agency=None,
    pin_verifier: Callable[[str], bool] | None = None,
) -> bytes:
    """Sign ``pdf_bytes`` as ``actor`` with ``certificate`` after checking her second factor;
    record the signature in the audit trail; return the signed PDF.

    - ``kind`` official: her signature image (``signature_image``) in ``block``;
      seal: the agency seal (``seal_image``) over the official's signature in the same
      ``block``; appendix: the agency's signature at ``number_box`` with ``number_symbol``
      (invisible without a box).
    - ``certificate``: a ``Certificate`` row — her own personal certificate, or her agency's
      seal if she is its leader or clerk (checked here) — or a ready ``SigningIdentity`` the
      caller has already matched to ``actor``.
    - ``document`` and ``agency``, when given, label the audit event.

    Raises :class:`SigningRefused` (second factor, certificate not hers or not active, dates)
    or
    :class:`egov.pki.pades.SignatureRefused` (the file cannot be signed); nothing is
    recorded as signed then.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise SigningRefused(_("Log in to sign."), "not_authenticated")
    _check_may_sign(actor, certificate, document=document)
    # The key is touched only once she has confirmed it is her.
    verify_second_factor(actor, otp_or_pin, pin_verifier=pin_verifier, document=document)
    identity = _identity(actor, certificate, document=document)
    _check_certificate_dates(actor, identity, document=document)
    kind = SignatureKind(kind)
    options = {
        "level": level,
        "timestamper": timestamper,
        "validation_context": validation_context,
        "reason": reason,
        "location": location,
    }
    # Signing (and the TSA round trip) happens before the transaction: no row is locked
    # while the key works, and nothing is recorded unless the signature exists.
    if kind == SignatureKind.OFFICIAL:
        signed = pades.sign_as_official(
            pdf_bytes, identity, block, signature_image=signature_image, **options
        )
    elif kind == SignatureKind.SEAL:
        signed = pades.apply_agency_seal(
            pdf_bytes, identity, block, seal_image=seal_image, **options
        )
    else:
        signed = pades.sign_appendix(
            pdf_bytes,
            identity,
            number_symbol=number_symbol,
            page=page,
            box=number_box,
            **options,
        )
    cert = identity.certificate
    with transaction.atomic():
        record_event(
            "pki.document_signed",
            document,
            actor=actor,
            agency=agency,
            reason=reason,
            changes={
                "kind": str(kind),
                "level": str(pades.Level(level)),
                "certificate_serial": format(cert.serial_number, "X"),
                "certificate_subject": cert.subject.human_friendly,
                "sha256_before": hashlib.sha256(pdf_bytes).hexdigest(),
                "sha256_after": hashlib.sha256(signed).hexdigest(),
            },
        )
    return signed

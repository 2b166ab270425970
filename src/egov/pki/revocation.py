"""Revocation: CRLs, the status of a certificate at a given time, and validation contexts.

- Each CA keeps its current CRL (DER) in its row, served at ``/pki/crl/<name>.crl``. A new CRL
  (next CRL number) is published in the transaction of every revocation, suspension and
  reinstatement, and by ``manage.py refresh_crls`` when the current one has passed half of its
  validity (``EGOV_PKI_CRL_VALIDITY_HOURS``), so a CRL never expires while the platform runs.
- :func:`status_at` answers from the status history, so a signature made before a suspension
  or revocation can still be judged by the status at signing time.
- :func:`validation_context` gives pyHanko a context that trusts our root and gets our CRLs and
  OCSP answers in-process (no HTTP to ourselves), which is what B-LT embedding needs. What it
  is made of (CA certificates, CRLs, the status snapshot) is read from the database only when
  it has changed: three small queries (the CA rows without their blobs, the newest certificate,
  the newest status change) tell whether anything was issued, revoked, suspended, reinstated,
  expired or re-published since, and every such change in any process shows at the next
  validation (a status change always publishes a CRL, i.e. a new CRL number).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from asn1crypto import crl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from egov.core.audit import record_event

from . import keys
from .authority import now as utc_now
from .authority import sign_tbs, x509_time
from .models import (
    Certificate,
    CertificateAuthority,
    CertificateStatusChange,
    RevocationReason,
)

LISTED = (Certificate.Status.REVOKED, Certificate.Status.SUSPENDED)


# --- CRLs --------------------------------------------------------------------------------------
def _crl_entries(ca: CertificateAuthority, at: dt.datetime) -> list:
    """Revoked and suspended certificates of ``ca`` that have not expired yet (RFC 5280 lets a
    CA drop an entry once the certificate has expired)."""
    rows = (
        Certificate.objects.filter(issuer=ca, status__in=LISTED, not_after__gt=at)
        .exclude(revoked_at=None)
        .order_by("revoked_at", "pk")
        .values_list("serial", "revoked_at", "revocation_reason")
    )
    entries = []
    for serial, revoked_at, reason in rows:
        reason = RevocationReason(reason if reason is not None else RevocationReason.UNSPECIFIED)
        entries.append(
            crl.RevokedCertificate(
                {
                    "user_certificate": int(serial, 16),
                    "revocation_date": x509_time(revoked_at),
                    "crl_entry_extensions": [
                        {"extn_id": "crl_reason", "critical": False, "extn_value": reason.asn1_name}
                    ],
                }
            )
        )
    return entries


def publish_crl(ca: CertificateAuthority) -> CertificateAuthority:
    """Sign and store a new CRL of ``ca`` with the next CRL number.

    Runs in the caller's transaction with the CA row locked, so concurrent revocations get
    increasing CRL numbers and the last CRL stored lists all of them.
    """
    with transaction.atomic():
        ca = CertificateAuthority.objects.select_for_update().get(pk=ca.pk)
        this_update = utc_now()
        next_update = this_update + dt.timedelta(hours=settings.EGOV_PKI_CRL_VALIDITY_HOURS)
        number = ca.crl_number + 1
        tbs = {
            "version": "v2",
            "signature": keys.signature_algorithm(),
            "issuer": ca.asn1.subject,
            "this_update": x509_time(this_update),
            "next_update": x509_time(next_update),
            "crl_extensions": [
                {
                    "extn_id": "authority_key_identifier",
                    "critical": False,
                    "extn_value": {"key_identifier": ca.asn1.key_identifier},
                },
                {"extn_id": "crl_number", "critical": False, "extn_value": number},
            ],
        }
        entries = _crl_entries(ca, this_update)
        if entries:  # RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked
            tbs["revoked_certificates"] = entries
        signed = sign_tbs(crl.TbsCertList(tbs), keys.KeyRef.of(ca))
        ca.crl_number = number
        ca.crl_der = signed.dump()
        ca.crl_this_update = this_update
        ca.crl_next_update = next_update
        ca.save(update_fields=["crl_number", "crl_der", "crl_this_update", "crl_next_update"])
    return ca


def crl_is_due(ca: CertificateAuthority, at: dt.datetime | None = None) -> bool:
    """True when ``ca`` has no CRL or its CRL has run through half of its validity."""
    if ca.crl_der is None:
        return True
    return _half_passed(ca.crl_this_update, ca.crl_next_update, at or timezone.now())


def _half_passed(this_update, next_update, at: dt.datetime) -> bool:
    if this_update is None or next_update is None:
        return True
    return at >= this_update + (next_update - this_update) / 2


def current_crl(ca: CertificateAuthority) -> bytes:
    """The CRL to hand out now: the stored one, or a fresh one if it is due."""
    if crl_is_due(ca):
        ca = publish_crl(ca)
    return bytes(ca.crl_der)


def mark_expired(at: dt.datetime | None = None) -> int:
    """Write down "expired" for certificates past their end date (once each, audited)."""
    at = at or timezone.now()
    count = 0
    due = Certificate.objects.filter(
        status__in=(Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED), not_after__lte=at
    )
    for cert in due.select_related("agency"):
        with transaction.atomic():
            Certificate.objects.filter(pk=cert.pk).update(status=Certificate.Status.EXPIRED)
            CertificateStatusChange.objects.create(
                certificate=cert, status=Certificate.Status.EXPIRED, at=cert.not_after
            )
            record_event(
                "pki.certificate.expire",
                cert,
                agency=cert.agency,
                changes={"status": [cert.status, Certificate.Status.EXPIRED]},
            )
        count += 1
    return count


def refresh_crls(force: bool = False) -> list[str]:
    """Publish a new CRL for every CA whose CRL is due (all of them with ``force``); mark
    expired certificates. Idempotent: a second run right after does nothing."""
    mark_expired()
    refreshed = []
    for ca in CertificateAuthority.objects.all():
        if force or crl_is_due(ca):
            publish_crl(ca)
            refreshed.append(ca.name)
    return refreshed


# --- status at a time ---------------------------------------------------------------------------
@dataclass(frozen=True)
class StatusAt:
    """A certificate's status at one moment, as a validation report states it."""

    status: str
    since: dt.datetime | None = None
    reason: int | None = None

    @property
    def is_good(self) -> bool:
        return self.status == Certificate.Status.ACTIVE


def status_at(certificate: Certificate, at: dt.datetime) -> StatusAt:
    """The status ``certificate`` had at ``at``: not yet valid, active, suspended, revoked or
    expired, from its status history."""
    if at < certificate.not_before:
        return StatusAt("not_yet_valid")
    change = (
        certificate.status_changes.filter(at__lte=at)
        .exclude(status=Certificate.Status.EXPIRED)
        .order_by("-at", "-pk")
        .first()
    )
    if change is not None and change.status in LISTED:
        return StatusAt(change.status, change.at, change.reason)
    if at >= certificate.not_after:
        return StatusAt(Certificate.Status.EXPIRED, certificate.not_after)
    return StatusAt(Certificate.Status.ACTIVE, change.at if change else certificate.not_before)


# --- validation context for pyHanko ---------------------------------------------------------------
@dataclass(frozen=True)
class _Trust:
    """What our validation contexts are made of, as of one state of the database."""

    version: tuple
    root: object  # asn1crypto x509.Certificate
    authorities: tuple
    crls: tuple  # asn1crypto crl.CertificateList
    snapshot: object  # fetchers.Snapshot


_trust: dict = {"state": None}
_trust_lock = threading.Lock()


def _version() -> tuple:
    """Changes whenever a CA, a CRL, a certificate or a status does (see the module doc)."""
    authorities = tuple(
        CertificateAuthority.objects.order_by("pk").values_list(
            "pk", "serial", "crl_number", "crl_this_update", "crl_next_update"
        )
    )
    newest = Certificate.objects.order_by("-pk").values_list("pk", "serial").first()
    change = (
        CertificateStatusChange.objects.order_by("-pk")
        .values_list("pk", "certificate_id", "status")
        .first()
    )
    return authorities, newest, change


def _trust_state() -> _Trust:
    from asn1crypto import x509

    from .authority import root_ca
    from .fetchers import Snapshot

    version = _version()
    now = timezone.now()
    if any(_half_passed(this, upto, now) for _pk, _s, _n, this, upto in version[0]):
        for ca in CertificateAuthority.objects.all():
            current_crl(ca)  # publishes the CRLs that are due
        version = _version()
    with _trust_lock:
        state = _trust["state"]
    if state is not None and state.version == version:
        return state
    root = root_ca()
    if root is None:
        raise CertificateAuthority.DoesNotExist("the PKI is not set up (manage.py setup_pki)")
    authorities = list(CertificateAuthority.objects.all())
    state = _Trust(
        version=version,
        root=x509.Certificate.load(bytes(root.der)),
        authorities=tuple(x509.Certificate.load(bytes(ca.der)) for ca in authorities),
        crls=tuple(crl.CertificateList.load(current_crl(ca)) for ca in authorities),
        snapshot=Snapshot.take(),
    )
    # asn1crypto parses lazily, writing into the objects: parse now, before threads share them.
    for item in (state.root, *state.authorities, *state.crls):
        item.native  # noqa: B018
    with _trust_lock:
        _trust["state"] = state
    return state


def validation_context(at: dt.datetime | None = None, revocation_mode: str = "hard-fail"):
    """A pyhanko_certvalidator ``ValidationContext`` for signatures made with our certificates.

    - trust anchor: our root CA; our CA certificates are known intermediates;
    - revocation: the current CRL of every CA, plus OCSP answers produced in-process by the same
      code as ``POST /pki/ocsp`` (from a snapshot of the statuses), so nothing is fetched over
      the network and pyHanko can embed what it used (PAdES B-LT);
    - ``at``: validate as of that moment (e.g. the signing time proven by a timestamp). The
      current CRLs are then applied retroactively: a certificate revoked after ``at`` counts as
      good at ``at``, one revoked before as revoked.

    Each call gives a new context (pyHanko keeps what it learns in it); the certificates, CRLs
    and snapshot it is made of are shared until the database changes.
    """
    from pyhanko_certvalidator import ValidationContext

    state = _trust_state()
    common = {
        "trust_roots": [state.root],
        "other_certs": list(state.authorities),
        "crls": list(state.crls),
        "revocation_mode": revocation_mode,
    }
    if at is not None:
        return ValidationContext(
            **common, moment=at, retroactive_revinfo=True, allow_fetching=False
        )
    from .fetchers import InProcessFetcherBackend

    return ValidationContext(
        **common, allow_fetching=True, fetcher_backend=InProcessFetcherBackend(state.snapshot)
    )

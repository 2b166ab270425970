"""Is the certificate a peer signed a package with revoked? Checked on every package received,
from the revocation services the certificate itself names (CRL distribution points, OCSP).

Policy (soft-fail, as the national exchange axis practises it):

- **revoked** — the CRL or OCSP answer of the peer's CA says so: the package is refused
  (status 02, the reason says since when);
- **good** — checked;
- **unknown** — the certificate names no revocation service, or none answered (the peer's CA is
  down, a timeout, a stale or unreadable CRL): the package is accepted, and "revocation
  unknown" is written in its validation trail (``ReceivedPackage.validation["revocation"]``)
  and on the office's incoming document (its validation report and history), for the clerk to
  weigh.

Answers are kept per certificate for ``EGOV_EXCHANGE_REVOCATION_CACHE_SECONDS`` (300; an
unknown answer a tenth of that), so a burst of packages from one peer costs one CRL download,
and each fetch waits at most ``EGOV_EXCHANGE_REVOCATION_TIMEOUT_SECONDS`` (5). Only the URLs
written in the peer's certificates are fetched; our own certificates are never checked here
(the pki app answers for them in-process).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from egov.pki.appearance import vietnam_time
from egov.pki.sync import run_coroutine
from egov.pki.xmldsig import SAFE_PARSER, _candidates, _embedded_certificates

GOOD, REVOKED, UNKNOWN = "good", "revoked", "unknown"


@dataclass
class RevocationCheck:
    """What was found about the signing certificate, as stored in the validation trail."""

    status: str
    detail: str = ""
    revoked_at: str | None = None
    serial: str = ""
    sources: list[str] = field(default_factory=list)
    checked_at: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def text(self) -> str:
        if self.status == REVOKED:
            return _("The sender's certificate was revoked (%(when)s).") % {
                "when": self.revoked_at or "?"
            }
        if self.status == UNKNOWN:
            return _("Revocation unknown: %(detail)s") % {"detail": self.detail}
        return _("The sender's certificate is not revoked.")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


_cache: dict[tuple[bytes, int], tuple[float, RevocationCheck]] = {}
_cache_lock = threading.Lock()


def forget() -> None:
    with _cache_lock:
        _cache.clear()


def _sources(certificate) -> list[str]:
    """The CRL and OCSP URLs the certificate names."""
    crls = [point.url for point in certificate.crl_distribution_points or [] if point.url]
    return crls + list(certificate.ocsp_urls or [])


def check_package_signer(raw: bytes, peer) -> RevocationCheck:
    """The revocation status of the certificate that signed ``raw`` (whose signature and chain
    to ``peer``'s CAs were verified already), by the policy above. Never raises."""
    try:
        root = etree.fromstring(raw, parser=SAFE_PARSER)
        certificates = _candidates(_embedded_certificates(root))
    except (etree.XMLSyntaxError, ValueError) as error:
        return RevocationCheck(UNKNOWN, str(error))
    if not certificates:
        return RevocationCheck(UNKNOWN, _("The package carries no certificate."))
    leaf, others = certificates[0], certificates[1:]
    key = (leaf.issuer.sha256, leaf.serial_number)
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(key)
    if cached and now < cached[0]:
        return cached[1]
    result = _check(leaf, others, peer)
    ttl = _setting("EGOV_EXCHANGE_REVOCATION_CACHE_SECONDS", 300)
    with _cache_lock:
        _cache[key] = (now + (ttl if result.status != UNKNOWN else ttl / 10), result)
    return result


def _check(leaf, others, peer) -> RevocationCheck:
    sources = _sources(leaf)
    base = {
        "serial": format(leaf.serial_number, "X"),
        "sources": sources,
        "checked_at": vietnam_time(dt.datetime.now(dt.UTC)),
    }
    if not sources:
        return RevocationCheck(UNKNOWN, _("The certificate names no CRL or OCSP service."), **base)
    roots = peer.trust_roots
    context = ValidationContext(
        trust_roots=roots,
        other_certs=[*roots, *others],
        revocation_mode="hard-fail",
        allow_fetching=True,
        fetcher_backend=RequestsFetcherBackend(
            per_request_timeout=_setting("EGOV_EXCHANGE_REVOCATION_TIMEOUT_SECONDS", 5)
        ),
    )
    validator = CertificateValidator(leaf, intermediate_certs=others, validation_context=context)
    try:
        run_coroutine(validator.async_validate_usage, {"digital_signature"})
    except cv_errors.RevokedError as error:
        when = vietnam_time(error.revocation_dt) if error.revocation_dt else None
        return RevocationCheck(REVOKED, str(error), revoked_at=when, **base)
    except (cv_errors.PathValidationError, cv_errors.ValidationError, OSError) as error:
        return RevocationCheck(UNKNOWN, str(error)[:300], **base)
    except Exception as error:  # noqa: BLE001 - soft-fail: a fetcher fault is "unknown"
        return RevocationCheck(UNKNOWN, f"{error.__class__.__name__}: {error}"[:300], **base)
    return RevocationCheck(GOOD, **base)

"""Who may send what: the peer directory, the trust of each peer, our agencies' seals.

A package is believed only when its XML signature verifies against the CA certificates of the
peer that serves the sending agency (never against our own root: a peer cannot borrow our
trust), and the signing certificate names that very agency (``organizationIdentifier``
``GOVVN-<code>``). Revocation of a peer's certificates is checked only when the peer's CRL is
at hand (soft-fail otherwise): the peer's CRL URLs are not fetched on every package.
"""

from __future__ import annotations

import fnmatch
import threading
import time

from django.utils.translation import gettext as _
from pyhanko_certvalidator import ValidationContext

from egov.core.models import Agency
from egov.pki import services as pki_services
from egov.pki.authority import AGENCY_ID_SCHEME
from egov.pki.xmldsig import XmlSignatureReport, sign_xml, verify_xml

from .conf import gateway_agency_code
from .models import Peer


class NoSealCertificate(Exception):
    """The agency has no active seal certificate to sign packages with."""


def is_local(code: str) -> bool:
    """Is ``code`` an agency of this installation?"""
    return Agency.objects.filter(code=code).exists()


def serves(pattern: str, code: str) -> bool:
    """Does a peer's ``code_prefix`` cover ``code``? A prefix (``000.00.``), a whole code, or a
    pattern with ``*`` — the province group is the last part of a QCVN 102 code, so a whole
    province is ``*.H16``."""
    if "*" in pattern:
        return fnmatch.fnmatchcase(code, pattern)
    return code.startswith(pattern)


def peer_for(code: str) -> Peer | None:
    """The active peer serving ``code``: the most specific matching entry."""
    best = None
    for peer in Peer.objects.filter(active=True):
        specificity = len(peer.code_prefix.replace("*", ""))
        if serves(peer.code_prefix, code) and (best is None or specificity > best[0]):
            best = (specificity, peer)
    return best[1] if best else None


_contexts = threading.local()
CONTEXT_TTL = 60  # seconds


def peer_context(peer: Peer):
    """``at → ValidationContext`` trusting only ``peer``'s CA certificates.

    Making a context costs more than checking one chain with it, so each thread keeps one per
    peer for a minute (a context validates as of its creation time) or until the peer's entry
    changes.
    """
    key = (peer.pk, peer.updated_at, peer.ca_certificates, int(time.monotonic() // CONTEXT_TTL))
    cache = getattr(_contexts, "by_peer", None)
    if cache is None:
        cache = _contexts.by_peer = {}
    context = cache.get(peer.pk)
    if context is None or context[0] != key:
        roots = peer.trust_roots
        context = cache[peer.pk] = (
            key,
            ValidationContext(
                trust_roots=roots,
                other_certs=roots,
                revocation_mode="soft-fail",
                allow_fetching=False,
            ),
        )
    return lambda _at=None: context[1]


def signer_code(report: XmlSignatureReport) -> str:
    """The agency code the signing certificate names (without the ``GOVVN-`` scheme)."""
    code = (report.signer.agency_code if report.signer else "") or ""
    return code[len(AGENCY_ID_SCHEME) :] if code.startswith(AGENCY_ID_SCHEME) else code


def verify_from(
    raw: bytes, from_code: str, references=None
) -> tuple[Peer | None, XmlSignatureReport | None, str]:
    """Check the signature of ``raw`` and the right of its signer to send as ``from_code``;
    ``references``: the Ids of the parts it must cover (default the whole document, see
    :func:`egov.pki.xmldsig.verify_xml`).

    Returns (peer, report, refusal reason — empty when the package may be believed).
    """
    peer = peer_for(from_code)
    if peer is None:
        return (
            None,
            None,
            _("No peer of this installation serves the sending agency %(code)s.")
            % {"code": from_code},
        )
    report = verify_xml(raw, validation_context=peer_context(peer), references=references)
    if report.indication != "TOTAL-PASSED":
        reasons = "; ".join(report.reasons) or report.sub_indication or report.indication
        return peer, report, _("The signature is not valid: %(reasons)s") % {"reasons": reasons}
    if signer_code(report) != from_code:
        return (
            peer,
            report,
            _("The certificate of %(signer)s does not give the right to send for %(code)s.")
            % {"signer": report.signer.name, "code": from_code},
        )
    return peer, report, ""


# --- our seals ------------------------------------------------------------------------------
_identities: dict[str, tuple[float, object]] = {}
_identities_lock = threading.Lock()
IDENTITY_TTL = 60.0  # seconds: a revoked or renewed seal is noticed within a minute


def forget_identities() -> None:
    with _identities_lock:
        _identities.clear()


def seal_identity(code: str):
    """The signing identity of the seal certificate of our agency ``code`` (cached briefly)."""
    now = time.monotonic()
    with _identities_lock:
        cached = _identities.get(code)
    if cached and now - cached[0] < IDENTITY_TTL:
        return cached[1]
    agency = Agency.objects.filter(code=code).first()
    cert = pki_services.active_certificate(agency=agency) if agency else None
    if cert is None:
        raise NoSealCertificate(
            _("The agency %(code)s has no active seal certificate to sign packages.")
            % {"code": code}
        )
    identity = pki_services.identity_for(cert)
    with _identities_lock:
        _identities[code] = (now, identity)
    return identity


def answering_agency(preferred: str) -> str | None:
    """The local agency that signs an answer: ``preferred`` when it is ours, else the gateway
    agency (setting), else the first agency with a seal."""
    for code in (preferred, gateway_agency_code()):
        if code and is_local(code):
            try:
                seal_identity(code)
                return code
            except NoSealCertificate:
                pass
    from egov.pki.models import Certificate, HolderKind

    cert = (
        Certificate.objects.filter(
            holder_kind=HolderKind.AGENCY, status=Certificate.Status.ACTIVE, agency__isnull=False
        )
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    return cert.agency.code if cert else None


def sign_as(code: str, xml: bytes, references=None) -> bytes:
    """Sign ``xml`` with the seal of our agency ``code`` (whole, or the parts whose Ids
    ``references`` gives)."""
    return sign_xml(xml, seal_identity(code), references=references)

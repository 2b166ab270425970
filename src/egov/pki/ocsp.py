"""The OCSP responder (RFC 6960): status of our certificates, signed by a delegated responder.

The issuing CA delegates OCSP signing to a responder certificate of its own (EKU OCSPSigning,
id-pkix-ocsp-nocheck), so the CA key is not used for every answer. A request may ask about
several certificates; each gets ``good``, ``revoked`` (with time and reason; a suspension is
``revoked`` with reason certificateHold) or ``unknown`` (a serial we never issued). The nonce
of the request is echoed. A request we cannot read gets ``malformedRequest``; one about a CA we
do not run gets ``unauthorized`` — always a DER OCSP response, never an HTML error page.

The same answering code serves the HTTP endpoint (statuses read from the database) and the
in-process fetcher of ``revocation.validation_context`` (statuses read from a snapshot), so
that validation and B-LT embedding need no network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from asn1crypto import core, ocsp
from asn1crypto import x509 as asn1_x509
from django.conf import settings

from . import keys
from .authority import now as utc_now
from .authority import serial_hex, sign_tbs

logger = logging.getLogger(__name__)

CONTENT_TYPE_REQUEST = "application/ocsp-request"
CONTENT_TYPE_RESPONSE = "application/ocsp-response"
HASHES = ("sha1", "sha256", "sha384", "sha512")


@dataclass(frozen=True)
class KnownStatus:
    """What we know of one serial: ``good``, ``revoked`` (time, RFC 5280 reason) or unknown."""

    status: str  # "good" | "revoked"
    revoked_at: dt.datetime | None = None
    reason: int | None = None


@dataclass(frozen=True)
class Responder:
    """A CA we answer for, with the delegated responder that signs the answers."""

    ca_id: int
    ca_certificate: asn1_x509.Certificate
    responder_certificate: asn1_x509.Certificate
    responder_key: keys.KeyRef
    # (hash algorithm) → (hash of the CA's name, hash of its public key), as CertIDs carry them
    hashes: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        subject = self.ca_certificate.subject.dump()
        public_key = bytes(self.ca_certificate.public_key["public_key"])
        for algo in HASHES:
            self.hashes[algo] = (
                hashlib.new(algo, subject).digest(),
                hashlib.new(algo, public_key).digest(),
            )

    def matches(self, cert_id: ocsp.CertId) -> bool:
        """True when ``cert_id`` names this CA (hash of its name and of its public key)."""
        expected = self.hashes.get(cert_id["hash_algorithm"]["algorithm"].native)
        return expected is not None and expected == (
            cert_id["issuer_name_hash"].native,
            cert_id["issuer_key_hash"].native,
        )


Lookup = Callable[[Responder, str], KnownStatus | None]


def error_response(status: str) -> bytes:
    """An unsigned OCSP error (``malformed_request``, ``unauthorized``, ``internal_error``…)."""
    return ocsp.OCSPResponse({"response_status": status}).dump()


def _nonce(request: ocsp.OCSPRequest):
    for extension in request["tbs_request"]["request_extensions"] or []:
        if extension["extn_id"].native == "nonce":
            return extension["extn_value"]
    return None


def _cert_status(known: KnownStatus | None) -> ocsp.CertStatus:
    from .models import RevocationReason

    if known is None:
        return ocsp.CertStatus(name="unknown", value=core.Null())
    if known.status == "good":
        return ocsp.CertStatus(name="good", value=core.Null())
    info = {"revocation_time": known.revoked_at.astimezone(dt.UTC).replace(microsecond=0)}
    if known.reason is not None:
        info["revocation_reason"] = RevocationReason(known.reason).asn1_name
    return ocsp.CertStatus(name="revoked", value=ocsp.RevokedInfo(info))


def answer(request_der: bytes, responders: list[Responder], lookup: Lookup) -> bytes:
    """The DER OCSP response to the DER request ``request_der``."""
    try:
        request = ocsp.OCSPRequest.load(request_der)
        cert_ids = [item["req_cert"] for item in request["tbs_request"]["request_list"]]
        # asn1crypto parses lazily: touch every field now, so garbage fails here, not later.
        for cert_id in cert_ids:
            cert_id.native  # noqa: B018
        nonce = _nonce(request)
    except (ValueError, TypeError, KeyError):
        return error_response("malformed_request")
    if not cert_ids:
        return error_response("malformed_request")
    chosen = []
    for cert_id in cert_ids:
        responder = next((r for r in responders if r.matches(cert_id)), None)
        if responder is None:
            # Not a CA of ours: we are not authoritative for it (RFC 6960 §2.3).
            return error_response("unauthorized")
        chosen.append((cert_id, responder))
    signer = chosen[0][1]
    if any(r.ca_id != signer.ca_id for _id, r in chosen):
        # One response is signed by one responder; mixed CAs must be asked separately.
        return error_response("unauthorized")
    produced = utc_now()
    next_update = produced + dt.timedelta(minutes=settings.EGOV_PKI_OCSP_VALIDITY_MINUTES)
    responses = [
        ocsp.SingleResponse(
            {
                "cert_id": cert_id,
                "cert_status": _cert_status(
                    lookup(responder, serial_hex(cert_id["serial_number"].native))
                ),
                "this_update": produced,
                "next_update": next_update,
            }
        )
        for cert_id, responder in chosen
    ]
    data = {
        "version": "v1",
        "responder_id": ocsp.ResponderId(
            name="by_key", value=signer.responder_certificate.public_key.sha1
        ),
        "produced_at": produced,
        "responses": responses,
    }
    if nonce is not None:
        data["response_extensions"] = [
            {"extn_id": "nonce", "critical": False, "extn_value": nonce.native}
        ]
    # Encoded once and read back: asn1crypto re-encodes a structure built from Python values
    # each time its encoding is asked for, at every level of nesting.
    tbs = ocsp.ResponseData.load(ocsp.ResponseData(data).dump())
    basic = sign_tbs(tbs, signer.responder_key)
    return _successful_response(basic, signer.responder_certificate.dump())


def _der(tag: int, content: bytes) -> bytes:
    """One DER element: tag, definite length, content."""
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


# responseStatus successful (ENUMERATED 0) and responseType id-pkix-ocsp-basic.
_SUCCESSFUL = bytes.fromhex("0a0100")
_OCSP_BASIC = bytes.fromhex("06092b0601050507300101")


def _successful_response(basic: ocsp.BasicOCSPResponse, responder_der: bytes) -> bytes:
    """The OCSPResponse around a signed BasicOCSPResponse, with the responder certificate.

    Written out by hand: asn1crypto re-walks a whole embedded certificate when it serialises
    it, which made it cost more than the RSA signature (the responder answers every
    relying party's every check).
    """
    content = (
        basic["tbs_response_data"].dump()
        + basic["signature_algorithm"].dump()
        + basic["signature"].dump()
        + _der(0xA0, _der(0x30, responder_der))  # certs [0] EXPLICIT SEQUENCE OF Certificate
    )
    response_bytes = _der(0x30, _OCSP_BASIC + _der(0x04, _der(0x30, content)))
    return _der(0x30, _SUCCESSFUL + _der(0xA0, response_bytes))


# --- answers from the database (the public endpoint) ------------------------------------------
# Responders change once in years (setup_pki renews the certificate): each process reads them
# at most once a minute, and at once after it issued a new one itself.
RESPONDERS_TTL_SECONDS = 60
_responders: dict = {"until": 0.0, "list": None}
_responders_lock = threading.Lock()


def forget_responders() -> None:
    """Read the responders from the database at the next request."""
    with _responders_lock:
        _responders.update(until=0.0, list=None)


def database_responders() -> list[Responder]:
    """Every CA of ours that has a valid delegated responder certificate."""
    from .authority import current_service_certificate
    from .models import CertificateAuthority, HolderKind

    with _responders_lock:
        if _responders["list"] is not None and time.monotonic() < _responders["until"]:
            return _responders["list"]
    responders = []
    for ca in CertificateAuthority.objects.all():
        responder = current_service_certificate(ca, HolderKind.OCSP)
        if responder is not None:
            responders.append(Responder(ca.pk, ca.asn1, responder.asn1, keys.KeyRef.of(responder)))
    with _responders_lock:
        _responders.update(until=time.monotonic() + RESPONDERS_TTL_SECONDS, list=responders)
    return responders


def database_lookup(responder: Responder, serial: str) -> KnownStatus | None:
    """The current status of ``serial`` issued by the responder's CA."""
    from .models import Certificate

    # One indexed row, as a tuple: no model instance, no ORDER BY (the serial is unique).
    rows = Certificate.objects.filter(issuer_id=responder.ca_id, serial=serial).values_list(
        "status", "revoked_at", "revocation_reason"
    )[:1]
    for status, revoked_at, reason in rows:
        return known_status(status, revoked_at, reason)
    return None


def known_status(status: str, revoked_at, reason) -> KnownStatus:
    """A stored status as OCSP tells it: suspended is revoked with certificateHold; expired is
    still answered as good or revoked (RFC 6960 lets a responder keep answering past expiry)."""
    if status in ("revoked", "suspended") and revoked_at is not None:
        return KnownStatus("revoked", revoked_at, reason)
    return KnownStatus("good")


def respond(request_der: bytes) -> bytes:
    """Answer an OCSP request from the database; never raises on bad input."""
    try:
        return answer(request_der, database_responders(), database_lookup)
    except keys.KeyStoreError:
        logger.exception("OCSP responder key unavailable")
        return error_response("try_later")

"""The timestamping authority (RFC 3161, with the ESS signing-certificate-v2 of RFC 5816).

``POST /pki/tsa`` takes a DER ``TimeStampReq`` and answers a DER ``TimeStampResp``: granted with
a token signed by the TSA certificate (EKU timeStamping, critical), or rejected with the RFC's
failure code (badDataFormat for unreadable requests, badAlg for a weak or unknown hash,
unacceptedPolicy for another policy) — never an HTML error page.

- serial numbers: the time in nanoseconds followed by 64 random bits, so two tokens never share
  one, across processes and machines, without a shared counter;
- ``genTime`` to the second with the accuracy ``EGOV_PKI_TSA_ACCURACY_MS``; policy
  ``EGOV_PKI_TSA_POLICY_OID``; the request's nonce is echoed; the TSA certificate and the
  issuing CA go into the token when the request asks for them (certReq).

:func:`timestamper` gives pyHanko a ``TimeStamper`` that stamps in-process with the same code.

Every B-T signature asks for a token, so a token costs about one RSA signature: the TSA
certificate and its chain are read from the database at most once a minute per process (at
once after this process issued or changed a TSA certificate, see :func:`forget_authority`), and
the parts of a token that never change (the certificates, the signer's identifier, the
ESS signing-certificate-v2 attribute) are encoded once per certificate. Building them afresh
from parsed certificates made asn1crypto re-encode every certificate in every token, which
cost ten times the signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import threading
import time
from dataclasses import dataclass
from functools import cached_property

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps.api import TimeStamper

from . import keys
from .authority import now as utc_now

logger = logging.getLogger(__name__)

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"
# Hashes accepted in a message imprint, with their digest sizes (SHA-1 is refused: too weak).
IMPRINT_HASHES = {"sha256": 32, "sha384": 48, "sha512": 64, "sha3_256": 32, "sha3_512": 64}


class TimestampRejected(Exception):
    """The request is refused with an RFC 3161 failure code."""

    def __init__(self, fail_info: str, text: str):
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


@dataclass(frozen=True)
class Authority:
    """The TSA certificate, its key and the chain above it (read once, used many times)."""

    certificate: asn1_x509.Certificate
    key: keys.KeyRef
    chain: tuple[asn1_x509.Certificate, ...]

    @classmethod
    def current(cls) -> Authority:
        """The TSA of the issuing CA, read from the database at most once a minute."""
        with _current_lock:
            cached = _current["authority"]
            fresh = cached is not None and time.monotonic() < _current["until"]
            if fresh and cached.certificate.not_valid_after > utc_now():
                return cached
        authority = cls._read()
        with _current_lock:
            _current.update(authority=authority, until=time.monotonic() + AUTHORITY_TTL_SECONDS)
        return authority

    @classmethod
    def _read(cls) -> Authority:
        from .authority import current_service_certificate, issuing_ca
        from .models import HolderKind

        ca = issuing_ca()
        row = current_service_certificate(ca, HolderKind.TSA) if ca else None
        if row is None:
            raise TimestampRejected("system_failure", "the timestamping authority is not set up")
        return cls(row.asn1, keys.KeyRef.of(row), tuple(keys.chain_of(row)))

    # DER of the parts of every token that depend on the certificate only.
    @cached_property
    def _subject_der(self) -> bytes:
        return self.certificate.subject.dump()

    @cached_property
    def _sid_der(self) -> bytes:
        return cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value={
                "issuer": self.certificate.issuer,
                "serial_number": self.certificate.serial_number,
            },
        ).dump()

    @cached_property
    def _signing_certificate_der(self) -> bytes:
        return simple_cms_attribute(
            "signing_certificate_v2", as_signing_certificate_v2(self.certificate)
        ).dump()

    @cached_property
    def _certificates_der(self) -> tuple[bytes, ...]:
        """The TSA certificate and the CAs above it but the root (what certReq asks for)."""
        return tuple(c.dump() for c in (self.certificate, *self.chain[:-1]))

    @cached_property
    def token_size_bound(self) -> int:
        """Upper bound of the DER size of a token with the certificates: they, the signature,
        the TSA's name (in TSTInfo) and its issuer's (twice: signer identifier, ESS attribute),
        and 1 KB for the rest (TSTInfo, attributes, structure: ~470 bytes measured)."""
        cert = self.certificate
        signature = (cert.public_key.bit_size + 7) // 8 + 16
        names = len(cert.subject.dump()) + 2 * len(cert.issuer.dump()) + 32
        return sum(len(der) for der in self._certificates_der) + signature + names + 1024


# Like the OCSP responders: the TSA certificate changes once in years (setup_pki renews it).
AUTHORITY_TTL_SECONDS = 60
_current: dict = {"until": 0.0, "authority": None}
_current_lock = threading.Lock()


def forget_authority() -> None:
    """Read the TSA certificate from the database at the next token."""
    with _current_lock:
        _current.update(until=0.0, authority=None)


def new_serial() -> int:
    """Unique without coordination: nanoseconds since 1970, then 64 random bits."""
    return (time.time_ns() << 64) | secrets.randbits(64)


def _check(request: tsp.TimeStampReq) -> None:
    request.native  # noqa: B018 - asn1crypto parses lazily: fail now on garbage
    if request["version"].native != "v1":
        raise TimestampRejected("bad_data_format", "unsupported request version")
    imprint = request["message_imprint"]
    algo = imprint["hash_algorithm"]["algorithm"].native
    if algo not in IMPRINT_HASHES:
        raise TimestampRejected("bad_alg", f"hash algorithm {algo} is not accepted")
    if len(imprint["hashed_message"].native) != IMPRINT_HASHES[algo]:
        raise TimestampRejected("bad_data_format", "the digest length does not match its hash")
    policy = request["req_policy"].native
    if policy is not None and policy != settings.EGOV_PKI_TSA_POLICY_OID:
        raise TimestampRejected("unaccepted_policy", f"policy {policy} is not ours")
    if request["extensions"].native:
        raise TimestampRejected("unaccepted_extension", "request extensions are not supported")


def _accuracy() -> dict:
    seconds, millis = divmod(settings.EGOV_PKI_TSA_ACCURACY_MS, 1000)
    accuracy = {}
    if seconds:
        accuracy["seconds"] = seconds
    if millis:
        accuracy["millis"] = millis
    return accuracy


def stamp(request: tsp.TimeStampReq, authority: Authority | None = None) -> tsp.TimeStampResp:
    """A granted ``TimeStampResp`` for a checked request (raises :class:`TimestampRejected`)."""
    _check(request)
    authority = authority or Authority.current()
    gen_time = utc_now()
    info = {
        "version": "v1",
        "policy": settings.EGOV_PKI_TSA_POLICY_OID,
        "message_imprint": request["message_imprint"],
        "serial_number": new_serial(),
        "gen_time": gen_time,
        "accuracy": _accuracy(),
        "ordering": False,
        "tsa": asn1_x509.GeneralName(
            name="directory_name", value=asn1_x509.Name.load(authority._subject_der)
        ),
    }
    if request["nonce"].native is not None:
        info["nonce"] = request["nonce"]
    content = tsp.TSTInfo(info).dump()
    signed_attrs = cms.CMSAttributes(
        [
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(gen_time)})),
            cms.CMSAttribute.load(authority._signing_certificate_der),
            simple_cms_attribute("message_digest", hashlib.sha256(content).digest()),
        ]
    )
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier.load(authority._sid_der),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"}),
            "signature": keys.sign(authority.key, signed_attrs.dump(), "sha256"),
        }
    )
    signed_data = {
        "version": "v3",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {
            "content_type": "tst_info",
            "content": cms.ParsableOctetString(content),
        },
        "signer_infos": [signer_info],
    }
    if request["cert_req"].native:
        signed_data["certificates"] = [
            asn1_x509.Certificate.load(der) for der in authority._certificates_der
        ]
    token = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})


class TimeStampReply(core.Sequence):
    """TimeStampResp whose token may be absent, as RFC 3161 §2.4.2 wants for a rejection
    (asn1crypto's ``tsp.TimeStampResp`` declares the token mandatory). Read replies with it."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


def rejection(fail_info: str, text: str) -> TimeStampReply:
    """A ``rejection`` reply with an RFC 3161 failure code and a readable text."""
    return TimeStampReply(
        {
            "status": {
                "status": "rejection",
                "status_string": [text],
                "fail_info": tsp.PKIFailureInfo({fail_info}),
            }
        }
    )


def respond(query_der: bytes) -> bytes:
    """Answer a DER timestamp query with a DER reply; never raises on bad input."""
    try:
        request = tsp.TimeStampReq.load(query_der)
        return stamp(request).dump()
    except TimestampRejected as refused:
        return rejection(refused.fail_info, refused.text).dump()
    except (ValueError, TypeError, KeyError):
        return rejection("bad_data_format", "the request is not a DER TimeStampReq").dump()
    except keys.KeyStoreError:
        logger.exception("TSA key unavailable")
        return rejection("system_failure", "the timestamping authority is unavailable").dump()


class InProcessTimeStamper(TimeStamper):
    """A pyHanko ``TimeStamper`` that gets its tokens from our TSA without HTTP."""

    def __init__(self, authority: Authority):
        super().__init__(include_nonce=True)
        self.authority = authority

    def token_size_bound(self) -> int:
        """The most bytes a token of ours takes in a CMS signature (see ``pades.reserved_size``)."""
        return self.authority.token_size_bound

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            return stamp(req, self.authority)
        except TimestampRejected as refused:
            return rejection(refused.fail_info, refused.text)


def timestamper() -> InProcessTimeStamper:
    """A pyHanko TimeStamper stamping with our TSA in this process (for PAdES B-T and up)."""
    return InProcessTimeStamper(Authority.current())


def gen_time_of(response: tsp.TimeStampResp) -> dt.datetime:
    """The time a granted response vouches for."""
    signed = response["time_stamp_token"]["content"]
    return signed["encap_content_info"]["content"].parsed["gen_time"].native

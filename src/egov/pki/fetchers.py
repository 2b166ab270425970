"""pyHanko fetchers that answer from inside the process instead of over HTTP.

A validation context asks for the CRL, OCSP and CA-certificate URLs written in our
certificates. These fetchers answer those URLs from a snapshot taken when the context was made
(CA certificates, current CRLs, every certificate's status) and sign OCSP answers with the
responder's key, through the same code as the public endpoint. Any other URL is refused: a
foreign certificate never makes the platform reach out to the network during validation.

The snapshot is read before validation starts because pyHanko validates inside an asyncio
event loop, where Django refuses database queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from pyhanko_certvalidator.fetchers.api import FetcherBackend, Fetchers
from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import (
    RequestsCertificateFetcher,
)
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

from . import ocsp


@dataclass
class _Answer:
    """Just enough of a ``requests.Response`` for pyHanko's fetchers."""

    content: bytes
    headers: dict = field(default_factory=dict)
    status_code: int = 200


@dataclass
class Snapshot:
    """Everything our public PKI URLs would answer right now."""

    documents: dict[str, tuple[bytes, str]]  # URL → (DER, content type)
    responders: list[ocsp.Responder]
    statuses: dict[tuple[int, str], ocsp.KnownStatus]
    ocsp_url: str

    @classmethod
    def take(cls) -> Snapshot:
        from .authority import current_service_certificate, ocsp_url
        from .models import Certificate, CertificateAuthority
        from .revocation import current_crl

        documents, responders = {}, []
        for ca in CertificateAuthority.objects.all():
            documents[ca.certificate_url] = (bytes(ca.der), "application/pkix-cert")
            documents[ca.crl_url] = (current_crl(ca), "application/pkix-crl")
            responder = current_service_certificate(ca, "ocsp")
            if responder is not None:
                from . import keys

                responders.append(
                    ocsp.Responder(ca.pk, ca.asn1, responder.asn1, keys.KeyRef.of(responder))
                )
        statuses = {
            (issuer_id, serial): ocsp.known_status(status, revoked_at, reason)
            for issuer_id, serial, status, revoked_at, reason in Certificate.objects.values_list(
                "issuer_id", "serial", "status", "revoked_at", "revocation_reason"
            )
        }
        return cls(documents, responders, statuses, ocsp_url())

    def get(self, url: str) -> _Answer:
        if url not in self.documents:
            raise requests.RequestException(f"{url} is not one of our PKI addresses")
        content, content_type = self.documents[url]
        return _Answer(content, {"Content-Type": content_type})

    def post(self, url: str, data: bytes) -> _Answer:
        if url != self.ocsp_url:
            raise requests.RequestException(f"{url} is not our OCSP responder")
        body = ocsp.answer(
            data,
            self.responders,
            lambda responder, serial: self.statuses.get((responder.ca_id, serial)),
        )
        return _Answer(body, {"Content-Type": ocsp.CONTENT_TYPE_RESPONSE})


class _InProcess:
    """Replaces the HTTP calls of pyHanko's requests-based fetchers."""

    snapshot: Snapshot

    async def _get(self, url, *, acceptable_content_types):
        return self.snapshot.get(url)

    async def _post(self, url, data, *, content_type, acceptable_content_types):
        return self.snapshot.post(url, data)


class _OcspFetcher(_InProcess, RequestsOCSPFetcher):
    pass


class _CrlFetcher(_InProcess, RequestsCRLFetcher):
    pass


class _CertFetcher(_InProcess, RequestsCertificateFetcher):
    pass


class InProcessFetcherBackend(FetcherBackend):
    """A fetcher backend whose fetchers answer from one :class:`Snapshot`."""

    def __init__(self, snapshot: Snapshot):
        self._snapshot = snapshot

    @classmethod
    def snapshot(cls) -> InProcessFetcherBackend:
        return cls(Snapshot.take())

    def get_fetchers(self) -> Fetchers:
        fetchers = []
        for klass in (_OcspFetcher, _CrlFetcher, _CertFetcher):
            fetcher = klass()
            fetcher.snapshot = self._snapshot
            fetchers.append(fetcher)
        return Fetchers(ocsp_fetcher=fetchers[0], crl_fetcher=fetchers[1], cert_fetcher=fetchers[2])

    async def close(self):
        return None

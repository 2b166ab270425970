"""Setting an installation up for the exchange: a local agency with a seal, and trust in a
peer fetched from its public CA URLs (``/pki/ca/<name>.crt``)."""

from __future__ import annotations

import requests
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.db import transaction

from egov.core.models import Agency
from egov.core.models.places import AgencyKind, Level

from .services import save_peer


def to_pem(data: bytes) -> str:
    """PEM text of one certificate given as PEM or DER."""
    if asn1_pem.detect(data):
        return data.decode("ascii")
    cert = asn1_x509.Certificate.load(data)
    return asn1_pem.armor("CERTIFICATE", cert.dump()).decode("ascii")


def setup_peer_from_url(
    base_url: str, code_prefixes: list[str], *, name: str = "", ca_names=("root-ca", "issuing-ca")
):
    """Trust the installation at ``base_url`` for the agencies of ``code_prefixes``."""
    base = base_url.rstrip("/")
    pem = ""
    for ca in ca_names:
        response = requests.get(f"{base}/pki/ca/{ca}.crt", timeout=10)
        response.raise_for_status()
        pem += to_pem(response.content)
    return [
        save_peer(
            None,
            name=name or base,
            code_prefix=prefix,
            endpoint_url=f"{base}/exchange/v1/edxml",
            ca_certificates=pem,
        )
        for prefix in code_prefixes
    ]


def ensure_local_agency(code: str, name: str, short_name: str = "") -> tuple[Agency, bool]:
    """The agency ``code`` of this installation with an active seal certificate (created when
    missing, through the core and PKI services)."""
    from egov.core.services import create_agency
    from egov.pki import services as pki
    from egov.pki.authority import setup_pki
    from egov.pki.models import CertificateRequest

    created = False
    with transaction.atomic():
        setup_pki()
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            agency = create_agency(
                None,
                code=code,
                name=name,
                short_name=short_name,
                kind=AgencyKind.PEOPLES_COMMITTEE,
                level=Level.PROVINCE,
            )
            created = True
        if pki.active_certificate(agency=agency) is None:
            request = pki.request_certificate(
                None, kind=CertificateRequest.Kind.SEAL, agency=agency, reason="Con dấu điện tử"
            )
            pki.approve_request(None, request)
    return agency, created

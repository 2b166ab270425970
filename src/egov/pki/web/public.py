"""Public PKI endpoints of API.md: CA certificates, CRLs, OCSP, timestamps.

No log-in, no CSRF token, no session: relying parties (Adobe Reader, OpenSSL, other provinces'
validators) call them directly. Bad input gets the protocol's own error answer, never a 500.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .. import ocsp, tsa
from ..models import CertificateAuthority
from ..revocation import current_crl

# OCSP and timestamp requests are a few hundred bytes; refuse to read more than this.
MAX_REQUEST_BYTES = 16 * 1024


def _der(body: bytes, content_type: str, *, max_age: int = 0, filename: str = "") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def ca_certificate(request, name: str):
    """``GET /pki/ca/<name>.crt``: a CA certificate, DER."""
    ca = get_object_or_404(CertificateAuthority, name=name)
    return _der(bytes(ca.der), "application/pkix-cert", max_age=86400, filename=f"{name}.crt")


@require_GET
def certificate_revocation_list(request, name: str):
    """``GET /pki/crl/<name>.crl``: the current CRL of a CA, DER (renewed if it is due)."""
    ca = get_object_or_404(CertificateAuthority, name=name)
    body = current_crl(ca)
    ca.refresh_from_db(fields=["crl_this_update", "crl_next_update"])
    response = _der(body, "application/pkix-crl", max_age=300, filename=f"{name}.crl")
    response["Last-Modified"] = http_date(ca.crl_this_update.timestamp())
    response["Expires"] = http_date(ca.crl_next_update.timestamp())
    return response


def _too_big(request) -> bool:
    return int(request.headers.get("Content-Length") or 0) > MAX_REQUEST_BYTES


@csrf_exempt
@require_POST
def ocsp_post(request):
    """``POST /pki/ocsp``: RFC 6960 over HTTP, body ``application/ocsp-request``."""
    if _too_big(request):
        body = ocsp.error_response("malformed_request")
    else:
        body = ocsp.respond(request.body)
    return _der(body, ocsp.CONTENT_TYPE_RESPONSE)


@require_GET
def ocsp_get(request, encoded: str):
    """``GET /pki/ocsp/<base64 request>``: the GET form of RFC 6960 Appendix A.1."""
    try:
        der = base64.b64decode(unquote(encoded), validate=True)
    except (binascii.Error, ValueError):
        return _der(ocsp.error_response("malformed_request"), ocsp.CONTENT_TYPE_RESPONSE)
    return _der(ocsp.respond(der), ocsp.CONTENT_TYPE_RESPONSE, max_age=60)


@csrf_exempt
@require_POST
def timestamp(request):
    """``POST /pki/tsa``: RFC 3161 over HTTP, ``application/timestamp-query`` → ``-reply``."""
    if _too_big(request):
        body = tsa.rejection("bad_data_format", "request too large").dump()
    else:
        body = tsa.respond(request.body)
    return _der(body, tsa.CONTENT_TYPE_REPLY)

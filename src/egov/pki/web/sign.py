"""Ký số văn bản: an official signs a PDF in the browser with her certificate, and a leader or
clerk seals it with the agency's seal certificate.

The page takes the PDF (at most ``EGOV_MAX_UPLOAD_BYTES``), the certificate (only those she may
use are listed), where the signature goes (by default the signature block at the bottom right
of the last page; the agency seal goes over the official's signature already in the file), the
reason and the code of her authenticator app. :func:`egov.pki.signing.sign_document` checks
that the certificate is hers and the code, signs (PAdES, an incremental update, so earlier
signatures stay valid) and writes the audit event; a refusal is shown in plain words and
nothing is signed. The signed file is then offered for download with the audit reference
(``sign_files`` keeps it for her for a day).

One URL (``pki:sign``): GET shows the form, POST signs, ``?result=<token>`` shows what was
signed and ``?download=<token>`` sends the signed file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pyhanko.pdf_utils.misc import PdfError

from egov.core.models import AuditEvent

from .. import pades
from ..demo_images import demo_seal_png, demo_signature_png
from ..keys import KeyStoreError
from ..models import HolderKind
from ..signing import SignatureKind, SigningRefused, sign_document
from . import sign_files
from .certificates import forbidden, staff_required
from .sign_forms import SignForm, certificate_label, usable_certificates
from .sign_layout import block_of_official_signature, default_block

logger = logging.getLogger(__name__)

SUFFIXES = {SignatureKind.OFFICIAL: "-da-ky", SignatureKind.SEAL: "-dong-dau"}


@staff_required
@require_http_methods(["GET", "POST"])
def sign_page(request):
    """Ký số văn bản (form, signing, result and download on one URL)."""
    if "download" in request.GET:
        return _download(request, request.GET["download"])
    if request.method == "GET" and "result" in request.GET:
        entry = sign_files.find(request, request.GET["result"])
        if entry is not None:
            return _result(request, entry)
    certificates = usable_certificates(request.user)
    if not certificates:
        return forbidden(
            request,
            _(
                "You hold no certificate you may sign with. Ask for one on the page "
                "“Digital certificates”."
            ),
        )
    form = SignForm(certificates, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, status = _sign(request, form)
            if token:
                return HttpResponseRedirect(f"{reverse('pki:sign')}?result={token}")
        else:
            status = 400
    expired = request.method == "GET" and "result" in request.GET
    return render(
        request,
        "pki/sign.html",
        {
            "form": form,
            "limit_mb": round(settings.EGOV_MAX_UPLOAD_BYTES / 2**20),
            "result_gone": expired,
        },
        status=status,
    )


@functools.lru_cache(maxsize=32)
def _drawn_seal(agency: str, province: str) -> bytes:
    return demo_seal_png(agency, province=province)  # about a second to draw: kept


@functools.lru_cache(maxsize=256)
def _drawn_signature(name: str) -> bytes:
    return demo_signature_png(name)


def _images(kind: SignatureKind, certificate, uploaded: bytes | None) -> dict:
    """The signature or seal image: the uploaded one, else one drawn from the certificate's
    name (the same drawing as the demo's)."""
    if kind == SignatureKind.SEAL:
        agency = certificate.agency.name if certificate.agency else certificate.common_name
        province = f"Tỉnh {settings.EGOV_PROVINCE_NAME}"
        return {"seal_image": uploaded or _drawn_seal(agency, province)}
    return {"signature_image": uploaded or _drawn_signature(certificate.common_name)}


def _block(form, kind: SignatureKind):
    data = form.cleaned_data
    if kind == SignatureKind.SEAL:  # over the official's signature, when the file has one
        try:
            block = block_of_official_signature(form.reader)
        except (PdfError, KeyError, ValueError, TypeError, IndexError, AttributeError) as error:
            logger.info("no official signature found to seal over: %s", error)
            block = None
        if block is not None:
            return block
    return default_block(form.reader, page=data.get("page"), corner=data["corner"])


def _sign(request, form) -> tuple[str | None, int]:
    """Sign as asked; (token of the stored result, 302) or (None, status) with the errors on
    the form."""
    data = form.cleaned_data
    certificate = form.chosen_certificate()
    if certificate is None:
        form.add_error("certificate", _("Choose the certificate to sign with."))
        return None, 400
    seal = certificate.holder_kind == HolderKind.AGENCY
    kind = SignatureKind.SEAL if seal else SignatureKind.OFFICIAL
    upload = data["file"]
    try:
        signed = sign_document(
            request.user,
            form.pdf_bytes,
            certificate,
            otp_or_pin=data["otp"],
            kind=kind,
            block=_block(form, kind),
            level=data["level"],
            reason=data["reason"],
            location=settings.EGOV_PROVINCE_NAME,
            agency=certificate.agency,
            **_images(kind, certificate, form.image_bytes),
        )
    except SigningRefused as refused:
        message = str(refused)
        if refused.code == "otp_wrong" and _code_already_used(request.user, data["otp"]):
            message = _(
                "This code has already been used (to log in or for another signature): each "
                "code works once. Wait for the next code of your authenticator app."
            )
        form.add_error(None, message)
        return None, 403
    except pades.SignatureRefused as refused:
        form.add_error("file", refused.messages)
        return None, 400
    except ValidationError as problem:  # the signature or seal image
        form.add_error("image", problem.messages)
        return None, 400
    except KeyStoreError:
        logger.exception("the key of certificate %s could not be used", certificate.pk)
        form.add_error(
            None,
            _(
                "The key of this certificate cannot be used right now: nothing was signed. "
                "Try again later or tell the administrator."
            ),
        )
        return None, 503
    digest = hashlib.sha256(signed).hexdigest()
    event = _audit_event(request.user, digest)
    token = sign_files.keep(
        request,
        signed,
        name=sign_files.download_name(upload.name, SUFFIXES[kind]),
        details={
            "original": upload.name[:200],
            "kind": str(kind),
            "certificate": certificate_label(certificate),
            "level": str(data["level"]),
            "sha256": digest,
            "audit_seq": event.seq if event else None,
            "signed_at": (event.occurred_at if event else dt.datetime.now(dt.UTC)).isoformat(),
        },
    )
    return token, 302


def _code_already_used(user, code: str) -> bool:
    """True when ``code`` is the last code her authenticator accepted (django-otp refuses a
    code twice): after logging in with a code, she must wait for the next one to sign."""
    code = (code or "").strip()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.last_t < 0:
            continue
        used = TOTP(device.bin_key, device.step, device.t0, device.digits)
        used.time = device.t0 + device.last_t * device.step
        if code == f"{used.token():0{device.digits}d}":
            return True
    return False


def _audit_event(user, digest: str) -> AuditEvent | None:
    """The event ``sign_document`` has just written for the file with SHA-256 ``digest``."""
    recent = AuditEvent.objects.filter(action="pki.document_signed", actor=user).order_by("-seq")
    for event in recent[:20]:
        if event.changes.get("sha256_after") == digest:
            return event
    return None


def _result(request, entry: dict):
    token = request.GET["result"]
    can_seal = entry["kind"] == SignatureKind.OFFICIAL and any(
        c.holder_kind == HolderKind.AGENCY for c in usable_certificates(request.user)
    )
    return render(
        request,
        "pki/sign_result.html",
        {
            "entry": entry,
            "signed_at": dt.datetime.fromisoformat(entry["signed_at"]),
            "is_seal": entry["kind"] == SignatureKind.SEAL,
            "download_url": f"{reverse('pki:sign')}?download={token}",
            "can_seal": can_seal,
        },
    )


def _download(request, token: str):
    entry = sign_files.find(request, token)
    if entry is None:
        raise Http404(_("The signed file is no longer available."))
    response = FileResponse(
        sign_files.open_file(entry),
        as_attachment=True,
        filename=entry["name"],
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response

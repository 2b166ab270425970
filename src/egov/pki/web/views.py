"""Public pages of the signature service (no log-in): check the signatures of a PDF."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from egov.core.middleware import client_ip
from egov.core.ratelimit import hit

from ..validation import UnreadableDocument, validate_upload
from .forms import SignatureCheckForm


def _rate_per_minute() -> int:
    # Its own knob once configured; until then as strict as the public dossier look-up.
    return getattr(
        settings, "EGOV_SIGNATURE_CHECK_RATE_PER_MINUTE", settings.EGOV_LOOKUP_RATE_PER_MINUTE
    )


@require_http_methods(["GET", "POST"])
def check(request):
    """Kiểm tra chữ ký số: upload a signed PDF, read the report (nothing is stored)."""
    report = None
    form = SignatureCheckForm()
    status = 200
    if request.method == "POST":
        if not hit(f"signature-check:{client_ip(request)}", _rate_per_minute()):
            return render(request, "core/rate_limited.html", status=429)
        form = SignatureCheckForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = validate_upload(form.cleaned_data["file"])
            except UnreadableDocument as error:
                form.add_error("file", error.messages[0])
        if form.errors:
            status = 400
    return render(
        request,
        "pki/signature_check.html",
        {
            "form": form,
            "report": report,
            "limit_mb": round(settings.EGOV_MAX_UPLOAD_BYTES / 2**20),
        },
        status=status,
    )

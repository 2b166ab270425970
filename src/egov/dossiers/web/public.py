"""Public pages of the one-stop shop (no log-in): the status look-up the receipt's QR opens."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from egov.core.middleware import client_ip
from egov.core.ratelimit import hit

from ..lookup import find_for_applicant


@require_GET
def lookup(request):
    """Tra cứu hồ sơ: code (pre-filled from the QR code) and the secret from the receipt."""
    code, secret = request.GET.get("code", ""), request.GET.get("secret", "")
    context = {"code": code, "dossier": None, "asked": bool(code and secret)}
    if context["asked"]:
        from django.conf import settings

        if not hit(f"lookup:{client_ip(request)}", settings.EGOV_LOOKUP_RATE_PER_MINUTE):
            return render(request, "core/rate_limited.html", status=429)
        context["dossier"] = find_for_applicant(code, secret)
    return render(
        request,
        "dossiers/lookup.html",
        context,
        status=404 if context["asked"] and context["dossier"] is None else 200,
    )

"""The page where an official uploads the image of her handwritten signature, and the clerk (or
administrator) of an agency the image of its seal — the images the visible signatures show.

An image is shown back only to who may replace it: a signature image to its official, a seal
image to the agency's clerks and administrators (a seal image is not for copying around).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egov.core.models import Agency
from egov.core.web.access import forbidden, staff_required

from .. import access, services
from ..models import SealImage, SignatureImage


def _seal_agencies(user):
    return [a for a in access.member_agencies(user) if services.may_manage_seal_image(user, a)]


@staff_required
@require_http_methods(["GET", "POST"])
def images(request):
    """Chữ ký và con dấu: upload or replace one's signature image and the agencies' seals."""
    if request.method == "POST":
        upload = request.FILES.get("image")
        if upload is None:
            messages.error(request, _("Choose an image file."))
            return redirect("office:images")
        data = services.Upload(upload.name, upload.read(), upload.content_type or "")
        try:
            if request.POST.get("kind") == "seal":
                agency = get_object_or_404(Agency, pk=request.POST.get("agency") or 0)
                services.upload_seal_image(request.user, agency, data)
            else:
                services.upload_signature_image(request.user, request.user, data)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            messages.success(request, _("The image was saved."))
        return redirect("office:images")
    seals = [
        {"agency": agency, "image": SealImage.objects.filter(agency=agency).first()}
        for agency in _seal_agencies(request.user)
    ]
    return render(
        request,
        "office/images.html",
        {
            "signature": SignatureImage.objects.filter(user=request.user).first(),
            "seals": seals,
            "limit_kb": services._image_limit() // 1024,
        },
    )


@staff_required
def image_file(request, kind, pk):
    """The stored image, to the person who may replace it."""
    if kind == "signature":
        row = get_object_or_404(SignatureImage, pk=pk)
        allowed = row.user_id == request.user.pk
    elif kind == "seal":
        row = get_object_or_404(SealImage.objects.select_related("agency"), pk=pk)
        allowed = services.may_manage_seal_image(request.user, row.agency)
    else:
        allowed, row = False, None
    if not allowed:
        return forbidden(request, _("You may not view this image."))
    response = HttpResponse(row.read(), content_type=row.content_type)
    response["Cache-Control"] = "private, no-store"
    return response

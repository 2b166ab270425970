"""Notification pages: a person's notices, her message settings, and the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from egov.core.web.access import staff_required

from . import queries, services
from .forms import DeliveryFilterForm, PreferenceForm
from .models import Language, Notice

PAGE_SIZE = 50


@login_required
@require_GET
def inbox(request):
    """Thông báo: the person's notices, newest first; those shown are then marked read."""
    page = Paginator(Notice.objects.filter(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    notices = list(page.object_list)
    unread = {n.pk for n in notices if n.read_at is None}
    response = render(
        request, "notifications/inbox.html", {"page": page, "notices": notices, "unread": unread}
    )
    if unread:
        services.mark_read(request.user, unread)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Cài đặt thông báo: e-mail and SMS on or off (portal notices are always kept)."""
    current = services.preference_for(request.user)
    initial = {
        "email": current.email if current else True,
        "sms": current.sms if current else True,
        "language": current.language if current else Language.VI,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@staff_required
@require_GET
def delivery_log(request):
    """Nhật ký gửi thông báo: messages to applicants of the dossiers the official may see."""
    form = DeliveryFilterForm(request.GET or None)
    deliveries = queries.visible_deliveries(request.user)
    if form.is_valid():
        deliveries = queries.filter_deliveries(deliveries, **form.cleaned_data)
    else:
        deliveries = deliveries.select_related("dossier")
    page = Paginator(deliveries.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/log.html",
        {"form": form, "page": page, "deliveries": page.object_list},
    )

"""Read-side helpers: the delivery log as each person may see it."""

from __future__ import annotations

from django.db.models import Q

from .models import Delivery


def visible_deliveries(user, queryset=None):
    """Deliveries ``user`` may see: system administrators all of them; other officials those
    of dossiers they may see (``egov.dossiers.access.visible_dossiers``); citizens none."""
    from egov.dossiers.access import visible_dossiers

    queryset = Delivery.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.kind != user.Kind.STAFF:
        return queryset.none()
    if user.is_system_admin:
        return queryset
    return queryset.filter(dossier__in=visible_dossiers(user).values("pk"))


def filter_deliveries(queryset, *, channel: str = "", status: str = "", code: str = ""):
    """Narrow the log by channel, status and dossier code (a part of the code is enough)."""
    if channel:
        queryset = queryset.filter(channel=channel)
    if status:
        queryset = queryset.filter(status=status)
    code = (code or "").strip()
    if code:
        queryset = queryset.filter(Q(dossier__code=code) | Q(dossier__code__icontains=code))
    return queryset.select_related("dossier")


def deliveries_for(dossier):
    """Every message sent (or tried) to the applicant of ``dossier``, newest first.

    The caller has already checked that the viewer may see the dossier.
    """
    return Delivery.objects.filter(dossier=dossier).order_by("-created_at", "-pk")

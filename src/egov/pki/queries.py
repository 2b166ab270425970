"""Read-side helpers: certificate counts per agency, and what a user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from egov.core import permissions as perms
from egov.core.models import Agency, AgencyKind

from .models import Certificate, CertificateRequest, HolderKind


@dataclass(frozen=True)
class AgencyCounts:
    """Certificates of one agency's officials and seal (service certificates excluded)."""

    agency: Agency
    issued: int = 0
    active: int = 0
    suspended: int = 0
    revoked: int = 0
    expired: int = 0
    expiring: int = 0
    pending_requests: int = 0


def administered_agencies(user) -> QuerySet:
    """Agencies (not internal units) whose certificates ``user`` administers, in tree order."""
    agencies = Agency.objects.valid_on().exclude(kind=AgencyKind.INTERNAL_UNIT)
    if user.is_system_admin:
        return agencies
    paths = perms.agency_paths(user, perms.ADMIN_ROLES)
    return agencies.filter(perms.path_q(paths)) if paths else agencies.none()


def certificate_counts(
    agencies, *, within_days: int | None = None, at: dt.datetime | None = None
) -> list[AgencyCounts]:
    """Issued / active / suspended / revoked / expired / expiring-within-N-days counts and
    waiting requests, per agency, in two grouped queries whatever the number of agencies.

    "Active" means usable now: status active and not past its end date.
    """
    at = at or timezone.now()
    within = within_days if within_days is not None else settings.EGOV_PKI_EXPIRY_WARNING_DAYS
    soon = at + dt.timedelta(days=within)
    agencies = list(agencies)
    ids = [a.pk for a in agencies]
    live = Q(status=Certificate.Status.ACTIVE, not_after__gt=at)
    rows = (
        Certificate.objects.filter(
            agency_id__in=ids, holder_kind__in=(HolderKind.OFFICIAL, HolderKind.AGENCY)
        )
        .values("agency_id")
        .annotate(
            issued=Count("pk"),
            active=Count("pk", filter=live),
            suspended=Count("pk", filter=Q(status=Certificate.Status.SUSPENDED, not_after__gt=at)),
            revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
            expired=Count(
                "pk",
                filter=Q(status=Certificate.Status.EXPIRED)
                | Q(
                    status__in=(Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED),
                    not_after__lte=at,
                ),
            ),
            expiring=Count("pk", filter=live & Q(not_after__lte=soon)),
        )
    )
    by_agency = {row.pop("agency_id"): row for row in rows}
    pending = dict(
        CertificateRequest.objects.filter(
            agency_id__in=ids, status=CertificateRequest.Status.REQUESTED
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    return [
        AgencyCounts(agency=a, pending_requests=pending.get(a.pk, 0), **by_agency.get(a.pk, {}))
        for a in agencies
    ]


def visible_certificates(user, *, status: str = "", agency: Agency | None = None) -> QuerySet:
    """Certificates ``user`` may see, newest first, optionally by status or agency (subtree)."""
    rows = perms.scope(
        user,
        Certificate.objects.select_related("user", "agency", "issuer"),
        "view",
    )
    now = timezone.now()
    if status == Certificate.Status.EXPIRED:
        rows = rows.filter(
            Q(status=Certificate.Status.EXPIRED)
            | Q(
                status__in=(Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED),
                not_after__lte=now,
            )
        )
    elif status in (Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED):
        rows = rows.filter(status=status, not_after__gt=now)
    elif status:
        rows = rows.filter(status=status)
    if agency is not None:
        rows = rows.filter(agency__path__startswith=agency.path)
    return rows.order_by("-created_at", "-pk")


def expiring_certificates(user, within_days: int | None = None) -> QuerySet:
    """Active certificates ``user`` manages that end within N days, soonest first."""
    now = timezone.now()
    within = within_days if within_days is not None else settings.EGOV_PKI_EXPIRY_WARNING_DAYS
    return (
        perms.scope(user, Certificate.objects.select_related("user", "agency"), "manage")
        .filter(
            status=Certificate.Status.ACTIVE,
            not_after__gt=now,
            not_after__lte=now + dt.timedelta(days=within),
        )
        .order_by("not_after")
    )


def visible_requests(user, *, status: str = "") -> QuerySet:
    rows = perms.scope(
        user,
        CertificateRequest.objects.select_related("holder", "agency", "requested_by"),
        "view",
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def requests_to_decide(user) -> QuerySet:
    """Requests waiting for ``user``'s decision (never her own)."""
    return perms.scope(
        user,
        CertificateRequest.objects.select_related("holder", "agency", "requested_by"),
        "approve",
    ).filter(status=CertificateRequest.Status.REQUESTED)

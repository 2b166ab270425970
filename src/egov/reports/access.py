"""Who may see which reports.

Leaders (agency or unit leaders) see the reports of their agency and everything under it,
including the history of agencies merged into it; leaders of the provincial People's
Committee and system administrators see the whole province, each level and every agency.
The dossier app decides the same way who sees dossiers (``organisation_paths``).
"""

from __future__ import annotations

from egov.core import permissions as perms
from egov.core.models import Agency, AgencyKind, Role

LEADER_ROLES = (Role.UNIT_LEADER, Role.AGENCY_LEADER)


def _staff(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.kind == user.Kind.STAFF
    )


def _root_paths() -> set[str]:
    return set(
        Agency.objects.filter(parent__isnull=True, kind=AgencyKind.PEOPLES_COMMITTEE).values_list(
            "path", flat=True
        )
    )


def leader_paths(user) -> list[str]:
    """Tree paths of the agencies where ``user`` leads today."""
    return perms.organisation_paths(user, LEADER_ROLES) if _staff(user) else []


def sees_province(user) -> bool:
    """System administrators and the leaders of the provincial People's Committee."""
    if not _staff(user):
        return False
    if user.is_system_admin:
        return True
    return bool(set(leader_paths(user)) & _root_paths())


def may_view_agency(user, agency: Agency | None) -> bool:
    """May ``user`` see the reports of ``agency`` (None: the province or a whole level)?"""
    if sees_province(user):
        return True
    if agency is None:
        return False
    paths = tuple(leader_paths(user))
    if not paths:
        return False
    seen, node = set(), agency
    # An agency merged into one the user leads is part of that agency's history.
    while node is not None and node.pk not in seen:
        if node.path.startswith(paths):
            return True
        seen.add(node.pk)
        node = node.successor
    return False


def may_use_reports(user) -> bool:
    """Whether the reports pages are for ``user`` at all."""
    return sees_province(user) or bool(leader_paths(user))


def report_agencies(user):
    """Agencies (not internal units) ``user`` may choose in the reports."""
    agencies = Agency.objects.exclude(kind=AgencyKind.INTERNAL_UNIT).order_by("path")
    if sees_province(user):
        return agencies
    paths = leader_paths(user)
    if not paths:
        return agencies.none()
    return agencies.filter(perms.path_q(paths))

"""Permission rules for the core models."""

from . import permissions as perms
from .models import Agency, AuditEvent, CalendarDay, Position, Role, User


def _is_staff_member(user) -> bool:
    return user.kind == User.Kind.STAFF and (user.is_system_admin or bool(perms.agency_paths(user)))


# Agencies: the directory is visible to all staff; an agency administrator edits her subtree.
perms.register(
    Agency,
    "view",
    check=lambda user, obj: _is_staff_member(user),
    filter=lambda user, qs: qs if _is_staff_member(user) else qs.none(),
)
perms.register(
    Agency,
    "change",
    check=lambda user, obj: (
        user.is_system_admin or perms.in_agency_scope(user, obj, perms.ADMIN_ROLES)
    ),
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES)))
    ),
)
# Restructuring (merge, split) changes several agencies at once: system administrators only.
perms.register(
    Agency,
    "restructure",
    check=lambda user, obj: user.is_system_admin,
    filter=lambda user, qs: qs if user.is_system_admin else qs.none(),
)


def _manages_person(user, person) -> bool:
    if user.is_system_admin:
        return True
    admin_paths = perms.agency_paths(user, perms.ADMIN_ROLES)
    person_paths = [p.scope_agency.path for p in person.active_positions()]
    return any(pp.startswith(ap) for pp in person_paths for ap in admin_paths)


# People: an agency administrator manages the staff of her agency.
perms.register(
    User,
    "manage",
    check=_manages_person,
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(
            perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES), "positions__agency__path")
        ).distinct()
    ),
)
perms.register(
    Position,
    "manage",
    check=lambda user, obj: (
        user.is_system_admin or perms.in_agency_scope(user, obj.scope_agency, perms.ADMIN_ROLES)
    ),
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES), "agency__path"))
    ),
)

# Calendar overrides are province-wide: system administrators.
perms.register(
    CalendarDay,
    "change",
    check=lambda user, obj: user.is_system_admin,
    filter=lambda user, qs: qs if user.is_system_admin else qs.none(),
)


# Audit trail: system administrators see everything; agency leaders and administrators the
# events of their agency.
def _audit_roles():
    return (Role.AGENCY_ADMIN, Role.AGENCY_LEADER)


perms.register(
    AuditEvent,
    "view",
    check=lambda user, obj: (
        user.is_system_admin or perms.in_agency_scope(user, obj.agency, _audit_roles())
    ),
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(perms.path_q(perms.agency_paths(user, _audit_roles()), "agency__path"))
    ),
)

"""The one place that answers "may this user do this to this object".

Apps register rules for their models (in their ``rules.py``); views call :func:`can` or
:func:`require`, and list views filter querysets through :func:`scope`. A rule has two
halves that must agree: ``check(user, obj)`` for one object and ``filter(user, qs)`` for a
queryset. Nothing is allowed unless a rule says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .localcache import ProcessCache
from .models import Agency, Position, Role
from .models.validity import today_in_vietnam


@dataclass(frozen=True)
class Rule:
    check: Callable[[object, Model], bool]
    filter: Callable[[object, QuerySet], QuerySet]


_rules: dict[tuple[type[Model], str], Rule] = {}

# Names of actions as a person reads them in a refusal ("You are not allowed to view …").
ACTION_LABELS = {
    "view": gettext_lazy("view"),
    "change": gettext_lazy("change"),
    "manage": gettext_lazy("manage"),
    "restructure": gettext_lazy("restructure"),
}


def register(model: type[Model], action: str, *, check, filter) -> None:  # noqa: A002
    """Declare who may perform ``action`` on instances of ``model``."""
    _rules[(model, action)] = Rule(check=check, filter=filter)


def _rule(model: type[Model], action: str) -> Rule | None:
    for klass in model.__mro__:
        rule = _rules.get((klass, action))
        if rule:
            return rule
    return None


def can(user, action: str, obj: Model) -> bool:
    """True when ``user`` may perform ``action`` on ``obj``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    rule = _rule(type(obj), action)
    return bool(rule and rule.check(user, obj))


def require(user, action: str, obj: Model) -> None:
    """Raise ``PermissionDenied`` with a readable message unless :func:`can` allows."""
    if not can(user, action, obj):
        raise PermissionDenied(
            _("You are not allowed to %(action)s %(object)s.")
            % {"action": ACTION_LABELS.get(action, action), "object": obj}
        )


def scope(user, queryset: QuerySet, action: str = "view") -> QuerySet:
    """``queryset`` narrowed to the rows ``user`` may ``action``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    rule = _rule(queryset.model, action)
    return rule.filter(user, queryset) if rule else queryset.none()


# --- agency scope: the building block of most rules ---------------------------------------------
# Positions of a person today, shared by the requests of this process for a few seconds
# (core.localcache says how long a change may take to reach other processes).
_POSITIONS = ProcessCache("positions")


def positions_today(user) -> list[Position]:
    """Positions ``user`` holds today, with their agencies and units.

    Read once per user object (one request) and shared by every scope question asked then.
    """
    if "_positions_today" not in user.__dict__:
        user.__dict__["_positions_today"] = _POSITIONS.get(
            (user.pk, today_in_vietnam()),
            lambda: list(
                Position.objects.valid_on().filter(user=user).select_related("agency", "unit")
            ),
        )
    return user.__dict__["_positions_today"]


def _positions_today(user) -> list[tuple[str, str, str | None]]:
    """(role, agency path, unit path) of every position ``user`` holds today (built once per
    user object, like the positions: scope questions ask for it many times per page)."""
    if "_position_paths_today" not in user.__dict__:
        user.__dict__["_position_paths_today"] = [
            (p.role, p.agency.path, p.unit.path if p.unit_id else None)
            for p in positions_today(user)
        ]
    return user.__dict__["_position_paths_today"]


def agency_paths(user, roles: tuple[str, ...] | None = None) -> list[str]:
    """Tree paths where ``user`` holds one of ``roles`` today (any role when None).

    A role held in an internal unit applies to that unit; a role held in an agency without a
    unit applies to the agency and everything under it.
    """
    return sorted(
        {
            unit or agency
            for role, agency, unit in _positions_today(user)
            if roles is None or role in roles
        }
    )


def organisation_paths(user, roles: tuple[str, ...] | None = None) -> list[str]:
    """Tree paths of the agencies (not units) where ``user`` holds one of ``roles`` today.

    Work that belongs to an agency as a whole (a dossier at a department, before and after it
    is assigned inside) is shared by everyone of that agency, whatever their unit.
    """
    return sorted(
        {agency for role, agency, _unit in _positions_today(user) if roles is None or role in roles}
    )


def in_organisation_scope(
    user, agency: Agency | None, roles: tuple[str, ...] | None = None
) -> bool:
    """True when ``agency`` lies under an agency where ``user`` holds one of ``roles``."""
    if agency is None:
        return False
    return any(agency.path.startswith(path) for path in organisation_paths(user, roles))


def path_q(paths: list[str], field: str = "path") -> Q:
    """``Q`` matching rows whose ``field`` lies under any of ``paths``."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def in_agency_scope(user, agency: Agency | None, roles: tuple[str, ...] | None = None) -> bool:
    """True when ``agency`` lies in the subtree of a position of ``user`` with ``roles``."""
    if agency is None:
        return False
    return any(agency.path.startswith(path) for path in agency_paths(user, roles))


ADMIN_ROLES = (Role.AGENCY_ADMIN,)

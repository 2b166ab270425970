"""Who may see a dossier and who may take which action on it.

Staff see a dossier when one of its parties (receiving, competent, unit, coordinating agency)
lies under one of their positions; applicants see their own. Actions follow the table in
``workflow.py``: the role must match and the official must stand where the action happens.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from egov.core import permissions as perms
from egov.core.models import Role

from .models import Dossier, DossierParty, InterAgencyTask
from .workflow import APPLICANT, COORDINATING, RECEIVING, TRANSITIONS, Transition

LEADER_ROLES = (Role.UNIT_LEADER, Role.AGENCY_LEADER)


def visible_dossiers(user, queryset=None):
    """Dossiers ``user`` may see (a queryset, never evaluated here)."""
    queryset = Dossier.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.kind != user.Kind.STAFF:
        return queryset.filter(applicant_user=user)
    if user.is_system_admin:
        return queryset
    paths = perms.organisation_paths(user)
    if not paths:
        return queryset.none()
    parties = DossierParty.objects.filter(
        perms.path_q(paths, "agency_path"), dossier=OuterRef("pk")
    )
    return queryset.filter(Exists(parties))


def can_view(user, dossier: Dossier) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if dossier.applicant_user_id == user.pk:
        return True
    if user.kind != user.Kind.STAFF:
        return False
    if user.is_system_admin:
        return True
    paths = perms.organisation_paths(user)
    return (
        any(p.agency_path.startswith(tuple(paths)) for p in dossier.parties.all())
        if paths
        else False
    )


def _current_agency(dossier: Dossier):
    return dossier.current_agency or dossier.receiving_agency


def _stands(user, agency, roles) -> bool:
    return agency is not None and perms.in_organisation_scope(user, agency, tuple(roles))


def may(user, dossier: Dossier, transition: Transition) -> bool:
    """True when ``user`` is the kind of person, in the right place, for ``transition``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    places = transition.where if isinstance(transition.where, tuple) else (transition.where,)
    return any(_may_at(user, dossier, transition, where) for where in places)


def _may_at(user, dossier: Dossier, transition: Transition, where: str) -> bool:
    if where == APPLICANT and dossier.applicant_user_id == user.pk:
        return True
    if user.kind != user.Kind.STAFF:
        return False
    if where in (RECEIVING, APPLICANT):
        return _stands(user, dossier.receiving_agency, transition.roles)
    if where == COORDINATING:
        open_agencies = [
            t.agency
            for t in InterAgencyTask.objects.filter(
                dossier=dossier, status=InterAgencyTask.Status.OPEN
            ).select_related("agency")
        ]
        return any(_stands(user, agency, transition.roles) for agency in open_agencies)
    # CURRENT: at the agency holding the dossier; a specialist only on what she holds (or what
    # nobody holds yet); leaders on anything in their scope.
    if not _stands(user, _current_agency(dossier), transition.roles):
        return False
    if dossier.current_holder_id in (None, user.pk):
        return True
    return user.has_role(*LEADER_ROLES) and bool(set(transition.roles) & set(LEADER_ROLES))


def allowed_actions(user, dossier: Dossier) -> list[str]:
    """Actions ``user`` may take on ``dossier`` now (state and place both allow them)."""
    from .services import guard_ok

    return [
        name
        for name, t in TRANSITIONS.items()
        if dossier.state in t.sources and may(user, dossier, t) and guard_ok(dossier, name)
    ]

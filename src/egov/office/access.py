"""Who may do what in the electronic office: scoped by agency (the positions a person holds
today), by role — clerks (văn thư) register, number, seal and release; leaders assign, approve
and sign; specialists draft and process what they are given.

Documents belong to one agency: a position at the provincial People's Committee does not open
the documents of its departments (each keeps its own registers).
"""

from __future__ import annotations

from django.db.models import Q

from egov.core import permissions as perms
from egov.core.models import Role

DRAFTERS = (Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CLERK)
LEADERS = (Role.AGENCY_LEADER,)


def _positions(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return perms.positions_today(user)


def agency_ids(user, roles: tuple[str, ...] | None = None) -> set[int]:
    """Agencies (organisations, not units) where ``user`` holds one of ``roles`` today."""
    return {p.agency_id for p in _positions(user) if roles is None or p.role in roles}


def holds(user, agency, roles: tuple[str, ...] | None = None) -> bool:
    return agency is not None and agency.pk in agency_ids(user, roles)


def unit_ids(user, roles: tuple[str, ...] | None = None) -> set[int]:
    """Internal units where ``user`` holds one of ``roles`` today."""
    return {p.unit_id for p in _positions(user) if p.unit_id and (roles is None or p.role in roles)}


def is_clerk(user, agency) -> bool:
    return holds(user, agency, (Role.CLERK,))


def is_leader(user, agency) -> bool:
    return holds(user, agency, LEADERS)


def member_agencies(user):
    """The agencies a person works in, for the forms' choices (organisations only)."""
    from egov.core.models import Agency

    return Agency.objects.filter(pk__in=agency_ids(user)).order_by("name")


# --- outgoing -------------------------------------------------------------------------------
def may_draft(user, agency) -> bool:
    return holds(user, agency, DRAFTERS)


def may_view_outgoing(user, document) -> bool:
    return holds(user, document.agency)


def reviewer_of_step(user, document) -> bool:
    """The person (or a holder of the role) named by the document's current approval step."""
    from .models import ApprovalStep

    if document.chain_id is None or document.step == 0:
        return False
    step = ApprovalStep.objects.filter(chain_id=document.chain_id, order=document.step).first()
    if step is None:
        return False
    if step.user_id:
        return step.user_id == user.pk
    if not step.role:
        return False
    if step.role == Role.UNIT_LEADER and document.drafting_unit_id:
        return document.drafting_unit_id in unit_ids(user, (Role.UNIT_LEADER,))
    return holds(user, document.agency, (step.role,))


# --- incoming -------------------------------------------------------------------------------
def may_view_incoming(user, document) -> bool:
    return holds(user, document.agency)


def may_assign(user, document) -> bool:
    """The agency's leader; the leader of the assigned unit passes it on inside her unit."""
    if is_leader(user, document.agency):
        return True
    return bool(document.assigned_unit_id) and document.assigned_unit_id in unit_ids(
        user, (Role.UNIT_LEADER,)
    )


def may_process(user, document) -> bool:
    """The assignee, or the leader of the assigned unit while nobody in it holds it."""
    if document.assignee_id:
        return document.assignee_id == user.pk
    return bool(document.assigned_unit_id) and document.assigned_unit_id in unit_ids(
        user, (Role.UNIT_LEADER,)
    )


def visible_q(user) -> Q:
    return Q(agency_id__in=agency_ids(user))

"""Who may do what in the electronic office: scoped by agency (the positions a person holds
today), by role — clerks (văn thư) register, number, seal and release; leaders assign, approve
and sign; specialists draft and process what they are given.

Documents belong to one agency: a position at the provincial People's Committee does not open
the documents of its departments (each keeps its own registers).

Secret documents (mật, tối mật, tuyệt mật: any ``secrecy`` but "") are not open to everyone in
the agency: only to the agency's leaders and clerks, and to the people who handle the document
— for an outgoing one its drafter, its signer, the reviewers of its approval chain (named
persons, the leader of the drafting unit) and whoever acted on it; for an incoming one its
assignee, the leader of the assigned unit, the people it was forwarded to and whoever acted
on it. One rule (:func:`visible_outgoing_q`, :func:`visible_incoming_q`) serves the lists,
searches, pages, files, registers and the API; a document's page and file check it with the
same query. The registers keep a row for every number (a register has no gaps) but print a
secret document's subject only to those who may open it (:data:`MASKED_SUBJECT` otherwise).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

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


OVERSEERS = (Role.AGENCY_LEADER, Role.CLERK)


def visible_outgoing_q(user) -> Q:
    """Outgoing documents ``user`` may open: her agencies' documents, the secret ones only
    when she is a leader or clerk of the agency or handles the document."""
    from .models import ApprovalStep, Review

    agencies = agency_ids(user)
    if not agencies:
        return Q(pk__in=[])
    handles = (
        Q(secrecy="")
        | Q(agency_id__in=agency_ids(user, OVERSEERS))
        | Q(drafter_id=user.pk)
        | Q(signer_id=user.pk)
        | Q(drafting_unit_id__in=unit_ids(user, (Role.UNIT_LEADER,)))
        | Q(chain_id__in=ApprovalStep.objects.filter(user_id=user.pk).values("chain_id"))
        | Q(pk__in=Review.objects.filter(actor_id=user.pk).values("document_id"))
    )
    return Q(agency_id__in=agencies) & handles


def may_view_outgoing(user, document) -> bool:
    from .models import OutgoingDocument

    if not holds(user, document.agency):
        return False
    if not document.secrecy:
        return True
    return OutgoingDocument.objects.filter(visible_outgoing_q(user), pk=document.pk).exists()


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
def visible_incoming_q(user) -> Q:
    """Incoming documents ``user`` may open: her agencies' documents, the secret ones only
    when she is a leader or clerk of the agency or the document was given to her."""
    from .models import Handling

    agencies = agency_ids(user)
    if not agencies:
        return Q(pk__in=[])
    handles = (
        Q(secrecy="")
        | Q(agency_id__in=agency_ids(user, OVERSEERS))
        | Q(assignee_id=user.pk)
        | Q(assigned_unit_id__in=unit_ids(user, (Role.UNIT_LEADER,)))
        | Q(
            pk__in=Handling.objects.filter(Q(to_user_id=user.pk) | Q(actor_id=user.pk)).values(
                "document_id"
            )
        )
    )
    return Q(agency_id__in=agencies) & handles


def may_view_incoming(user, document) -> bool:
    from .models import IncomingDocument

    if not holds(user, document.agency):
        return False
    if not document.secrecy:
        return True
    return IncomingDocument.objects.filter(visible_incoming_q(user), pk=document.pk).exists()


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
    """Documents of ``user``'s agencies, secrecy aside (statistics, counters)."""
    return Q(agency_id__in=agency_ids(user))


MASKED_SUBJECT = gettext_lazy("*** (secret document: subject hidden)")


def masked_subject(user, document, visible_ids: set[int] | None = None) -> str:
    """The subject as ``user`` may read it: a secret document's subject is masked for those
    who may not open it (registers, lists that must show every row)."""
    if not document.secrecy or user is None:
        return document.subject
    if visible_ids is not None:
        return document.subject if document.pk in visible_ids else str(MASKED_SUBJECT)
    from .models import OutgoingDocument

    allowed = (
        may_view_outgoing(user, document)
        if isinstance(document, OutgoingDocument)
        else may_view_incoming(user, document)
    )
    return document.subject if allowed else str(MASKED_SUBJECT)

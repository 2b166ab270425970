"""Read-side helpers shared by the pages: register searches and the personal inbox."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from egov.core import permissions as perms
from egov.core.text import fold

from . import access
from .models import IncomingDocument, OutgoingDocument

INBOX_LIMIT = 200


def _day_bounds(start: dt.date | None, end: dt.date | None):
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min)) if start else None
    after = (
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        if end
        else None
    )
    return first, after


def _text_q(text: str) -> Q:
    """Every word of ``text`` (accents and case ignored) in the folded search column."""
    query = Q()
    for word in fold(text).split():
        query &= Q(search_text__contains=word)
    return query


def search_outgoing(user, *, text="", sender="", start=None, end=None, state=""):
    """Outgoing documents ``user`` may see: number/symbol or subject words, date range of
    release (of creation for drafts), state."""
    qs = perms.scope(user, OutgoingDocument.objects.all()).select_related(
        "doc_type", "agency", "signer"
    )
    if text:
        qs = qs.filter(_text_q(text))
    if state:
        qs = qs.filter(state=state)
    first, after = _day_bounds(start, end)
    if first:
        qs = qs.filter(
            Q(released_at__gte=first) | Q(released_at__isnull=True, created_at__gte=first)
        )
    if after:
        qs = qs.filter(Q(released_at__lt=after) | Q(released_at__isnull=True, created_at__lt=after))
    return qs.order_by("-released_at", "-created_at", "-pk")


def search_incoming(user, *, text="", sender="", start=None, end=None, state=""):
    """Incoming documents ``user`` may see: number/symbol or subject words, sender (name or
    code, accents ignored), arrival date range, state."""
    qs = perms.scope(user, IncomingDocument.objects.all()).select_related(
        "agency", "assignee", "assigned_unit"
    )
    if text:
        qs = qs.filter(_text_q(text))
    if sender:
        qs = qs.filter(_text_q(sender))
    if state:
        qs = qs.filter(state=state)
    first, after = _day_bounds(start, end)
    if first:
        qs = qs.filter(arrived_at__gte=first)
    if after:
        qs = qs.filter(arrived_at__lt=after)
    return qs.order_by("-arrived_at", "-pk")


def due_colour(due: dt.date | None, today: dt.date | None = None) -> str:
    """Red: overdue; amber: due today or tomorrow; none otherwise (as the dossier inbox)."""
    if due is None:
        return ""
    today = today or timezone.localdate()
    if due < today:
        return "danger"
    if due <= today + dt.timedelta(days=1):
        return "warning"
    return ""


def inbox_for(user) -> dict:
    """What waits for ``user``: incoming documents she handles or should register / assign,
    drafts to review, sign, seal or release, and her returned drafts."""
    from egov.core.models import Role

    from .models import ApprovalStep

    clerk_of = access.agency_ids(user, (Role.CLERK,))
    leader_of = access.agency_ids(user, access.LEADERS)
    units_led = access.unit_ids(user, (Role.UNIT_LEADER,))
    open_states = [IncomingDocument.State.ASSIGNED, IncomingDocument.State.PROCESSING]
    incoming = IncomingDocument.objects.filter(
        Q(assignee=user, state__in=open_states)
        | Q(assignee__isnull=True, assigned_unit_id__in=units_led, state__in=open_states)
        | Q(agency_id__in=clerk_of, state=IncomingDocument.State.ARRIVED)
        | Q(agency_id__in=leader_of, state=IncomingDocument.State.REGISTERED)
    ).select_related("agency")
    rows = sorted(
        incoming[:INBOX_LIMIT],
        key=lambda d: (d.due_date or dt.date.max, d.arrived_at),
    )
    for row in rows:
        row.colour = due_colour(row.due_date)
    # Drafts waiting at a step she holds.
    steps = ApprovalStep.objects.filter(chain__agency_id__in=access.agency_ids(user))
    reviewing = []
    for document in OutgoingDocument.objects.filter(
        state=OutgoingDocument.State.IN_REVIEW, agency_id__in=access.agency_ids(user)
    ).select_related("doc_type", "chain")[:INBOX_LIMIT]:
        if steps and access.reviewer_of_step(user, document):
            reviewing.append(document)
    outgoing = list(
        OutgoingDocument.objects.filter(
            Q(signer=user, state=OutgoingDocument.State.APPROVED)
            | Q(
                drafter=user,
                state__in=[OutgoingDocument.State.RETURNED, OutgoingDocument.State.DRAFT],
            )
            | Q(
                agency_id__in=clerk_of,
                state__in=[OutgoingDocument.State.SIGNED, OutgoingDocument.State.SEALED],
            )
        ).select_related("doc_type")[:INBOX_LIMIT]
    )
    return {"incoming": rows, "outgoing": reviewing + outgoing}

"""Figures of the electronic office for the reports: documents sent and received in a period,
how many travelled fully electronically (no paper copy), how many were processed on time."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import IncomingDocument, OutgoingDocument


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes of Vietnam midnight on ``start`` and the day after ``end``."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def office_statistics(agency, start: dt.date, end: dt.date) -> dict:
    """Sent, received, received fully electronic, completed, processed on time and the
    electronic share of ``agency`` from ``start`` to ``end`` (Vietnam dates, inclusive).

    - sent: outgoing documents released in the period (recalled ones included: they went);
    - received: incoming documents registered in the period (returned ones are not received);
    - electronic: of those, arrived electronically with no paper copy;
    - completed / on time: received documents completed, and of those by their deadline (a
      document without a deadline is on time);
    - share_electronic: electronic / received (0.0 when nothing was received).
    Each figure is one aggregate query.
    """
    first, after = _bounds(start, end)
    sent = OutgoingDocument.objects.filter(
        agency=agency, released_at__gte=first, released_at__lt=after
    ).count()
    received = IncomingDocument.objects.filter(
        agency=agency, registered_at__gte=first, registered_at__lt=after
    ).exclude(state=IncomingDocument.State.RETURNED)
    done = Q(state=IncomingDocument.State.COMPLETED)
    figures = received.aggregate(
        received=Count("pk"),
        electronic=Count(
            "pk", filter=~Q(source=IncomingDocument.Source.PAPER) & Q(paper_copy=False)
        ),
        completed=Count("pk", filter=done),
        on_time=Count(
            "pk",
            filter=done & (Q(due_date__isnull=True) | Q(completed_on__lte=F("due_date"))),
        ),
    )
    total = figures["received"]
    return {
        "agency": agency.code,
        "start": start,
        "end": end,
        "sent": sent,
        "received": total,
        "received_electronic": figures["electronic"],
        "completed": figures["completed"],
        "processed_on_time": figures["on_time"],
        "share_electronic": round(figures["electronic"] / total, 4) if total else 0.0,
    }

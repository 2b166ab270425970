"""The only place the reports change data: refreshing the daily summaries.

``refresh_summaries`` is what the ``refresh_report_summaries`` periodic job runs. It finds
the days touched by dossiers changed since the previous run (the dossier row, its payments,
its documents, reuses from the data store, its evaluation), recomputes those days whole
from the live tables with grouped SQL, and replaces their rows. Running it twice changes
nothing the second time; ``full=True`` rebuilds everything (after an import, or nightly).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from egov.core.audit import record_event
from egov.dossiers.evaluation import CRITERIA
from egov.dossiers.models import Dossier, DossierDocument, Evaluation
from egov.payments.models import Payment
from egov.portal.models import DocumentReuse

from .facts import BASIS, RECEIVED, RESOLVED, basis_q, dossier_q
from .models import COUNTERS, DailySummary, SummaryRefresh

# A transaction that began before the previous run and committed after it carries an
# ``updated_at`` older than that run's start: look back this far to catch it.
SLACK = dt.timedelta(minutes=10)
BATCH = 2000


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _resolved_at():
    return Coalesce("finished_at", "returned_at")


def _grouped_dossiers(basis: str, first=None, after=None) -> dict[tuple, dict]:
    """Counters of ``basis`` per (day, agency, procedure) for dossiers in [first, after)."""
    dossiers = Dossier.objects.all()
    if basis == RECEIVED:
        dossiers = dossiers.filter(received_at__isnull=False)
        day = TruncDate("received_at", tzinfo=_tz())
    else:
        dossiers = dossiers.filter(timeliness__gt="").filter(
            Q(finished_at__isnull=False) | Q(returned_at__isnull=False)
        )
        day = TruncDate(_resolved_at(), tzinfo=_tz())
    if first is not None:
        dossiers = dossiers.filter(basis_q(basis, first, after))
    counters = [c for c, b in BASIS.items() if b == basis]
    rows = (
        dossiers.annotate(summary_day=day)
        .values("summary_day", "competent_agency", "procedure_version__procedure")
        .annotate(**{c: Count("id", filter=dossier_q(c)) for c in counters})
        .order_by()
    )
    return {
        (r["summary_day"], r["competent_agency"], r["procedure_version__procedure"]): {
            c: r[c] for c in counters
        }
        for r in rows
    }


def _grouped_evaluations(first=None, after=None) -> dict[tuple, dict]:
    """Satisfaction counters per (day, agency, procedure) of evaluations in [first, after)."""
    evaluations = Evaluation.objects.all()
    if first is not None:
        evaluations = evaluations.filter(at__gte=first, at__lt=after)
    points, answered = Value(0), Value(0)
    for key, _question in CRITERIA:
        points = points + Coalesce(Cast(KT(f"scores__{key}"), IntegerField()), Value(0))
        answered = answered + Case(
            When(scores__has_key=key, then=Value(2)), default=Value(0), output_field=IntegerField()
        )
    Rating = Evaluation.Rating
    rows = (
        evaluations.annotate(summary_day=TruncDate("at", tzinfo=_tz()))
        .values(
            "summary_day",
            "dossier__competent_agency",
            "dossier__procedure_version__procedure",
        )
        .annotate(
            evaluations=Count("id"),
            very_satisfied=Count("id", filter=Q(rating=Rating.VERY_SATISFIED)),
            satisfied=Count("id", filter=Q(rating=Rating.SATISFIED)),
            not_satisfied=Count("id", filter=Q(rating=Rating.NOT_SATISFIED)),
            criteria_points=Sum(points),
            criteria_max=Sum(answered),
        )
        .order_by()
    )
    return {
        (
            r["summary_day"],
            r["dossier__competent_agency"],
            r["dossier__procedure_version__procedure"],
        ): {
            c: r[c] or 0
            for c in (
                "evaluations",
                "very_satisfied",
                "satisfied",
                "not_satisfied",
                "criteria_points",
                "criteria_max",
            )
        }
        for r in rows
    }


def _compute(first=None, after=None) -> list[DailySummary]:
    """Summary rows for [first, after) (everything when ``first`` is None)."""
    merged: dict[tuple, dict] = {}
    for part in (
        _grouped_dossiers(RECEIVED, first, after),
        _grouped_dossiers(RESOLVED, first, after),
        _grouped_evaluations(first, after),
    ):
        for key, values in part.items():
            merged.setdefault(key, {}).update(values)
    return [
        DailySummary(day=day, agency_id=agency, procedure_id=procedure, **values)
        for (day, agency, procedure), values in merged.items()
        if any(values.values())
    ]


def changed_days(since: dt.datetime) -> set[dt.date]:
    """Vietnam dates on which dossiers changed since ``since`` are counted."""
    changed = Dossier.objects.filter(
        Q(updated_at__gte=since)
        | Q(pk__in=Payment.objects.filter(updated_at__gte=since).values("dossier_id"))
        | Q(pk__in=DocumentReuse.objects.filter(at__gte=since).values("dossier_id"))
        | Q(pk__in=DossierDocument.objects.filter(uploaded_at__gte=since).values("dossier_id"))
        | Q(pk__in=Evaluation.objects.filter(at__gte=since).values("dossier_id"))
    )
    tz = _tz()
    days: set[dt.date] = set()
    for expression in (
        TruncDate("received_at", tzinfo=tz),
        TruncDate(_resolved_at(), tzinfo=tz),
        TruncDate("evaluation__at", tzinfo=tz),
    ):
        days.update(
            d
            for d in changed.annotate(d=expression).values_list("d", flat=True).distinct()
            if d is not None
        )
    return days


def _ranges(days: set[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Contiguous runs of ``days`` as (first, last)."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _bounds(first: dt.date, last: dt.date):
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, after


def last_refresh() -> SummaryRefresh | None:
    return SummaryRefresh.objects.order_by("-started_at").first()


def refresh_summaries(full: bool = False, now: dt.datetime | None = None) -> SummaryRefresh:
    """Recompute the daily summaries of the days whose dossiers changed since the last run
    (everything on the first run or with ``full``); idempotent.

    The platform itself runs it (no actor). The rows of a recomputed day are replaced in one
    transaction, so a report never sees half a day.
    """
    started = now or timezone.now()
    previous = last_refresh()
    full = full or previous is None
    if full:
        rows, runs = _compute(), []
    else:
        runs = _ranges(changed_days(previous.started_at - SLACK))
        rows = [row for first, last in runs for row in _compute(*_bounds(first, last))]
    with transaction.atomic():
        if full:
            DailySummary.objects.all().delete()
        for first, last in runs:
            DailySummary.objects.filter(day__range=(first, last)).delete()
        DailySummary.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["day", "agency", "procedure"],
            update_fields=COUNTERS,
        )
        days = len({r.day for r in rows}) if full else sum((b - a).days + 1 for a, b in runs)
        refresh = SummaryRefresh.objects.create(
            started_at=started, finished_at=timezone.now(), full=full, days=days, rows=len(rows)
        )
        record_event(
            "reports.summaries_refreshed",
            refresh,
            changes={"full": full, "days": days, "rows": len(rows)},
        )
    return refresh

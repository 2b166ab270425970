"""The dashboards' figures: each chart as labels and datasets, drawn by Chart.js from the
page's JSON (``static/reports/dashboard.js``) and shown as a table for those who cannot
see the chart. Dossier figures come from the daily summaries (one query for every monthly
series); the overdue list and the electronic office are read live."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils.translation import gettext as _

from egov.core.models import AgencyKind
from egov.office.statistics import office_statistics

from .periods import Period
from .scorecard import Scope, monthly, overdue_by_agency
from .services import last_refresh

# The electronic-office figures are read live, agency by agency: kept this long.
OFFICE_CACHE_SECONDS = 300
# Dossiers overdue now are counted live over the open dossiers (tens of thousands in a large
# province): the chart is kept a minute, which a leader's dashboard can afford.
OVERDUE_CACHE_SECONDS = 60


def _share(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _chart(key, title, kind, labels, datasets, unit="") -> dict:
    return {
        "key": key,
        "title": title,
        "type": kind,
        "labels": labels,
        "datasets": datasets,
        "unit": unit,
        # Rows of the accessible table: the label, then one value per dataset.
        "rows": [[label, *[d["data"][i] for d in datasets]] for i, label in enumerate(labels)],
    }


def _office_agencies(scope: Scope):
    from egov.core.models import Agency

    if scope.agency is not None:
        return [scope.agency.organisation()]
    agencies = Agency.objects.exclude(kind=AgencyKind.INTERNAL_UNIT).valid_on()
    if scope.level:
        agencies = agencies.filter(level=scope.level)
    else:
        # The province: the People's Committee and the agencies directly under it.
        agencies = agencies.filter(parent__parent__isnull=True)
    return list(agencies.order_by("path")[:40])


def _office(period: Period, scope: Scope) -> list[dict]:
    key = f"reports:office:{period.code}:{scope.agency.pk if scope.agency else scope.level}"
    rows = cache.get(key)
    if rows is None:
        end = min(period.end, dt.date.today())
        rows = []
        if end >= period.start:
            for agency in _office_agencies(scope):
                figures = office_statistics(agency, period.start, end)
                if figures["sent"] or figures["received"]:
                    rows.append({"agency": agency.name, **figures})
        cache.set(key, rows, OFFICE_CACHE_SECONDS)
    return rows


def _overdue(scope: Scope) -> list[dict]:
    key = f"reports:overdue:{scope.agency.pk if scope.agency else scope.level}"
    rows = cache.get(key)
    if rows is None:
        rows = overdue_by_agency(scope)
        cache.set(key, rows, OVERDUE_CACHE_SECONDS)
    return rows


def _monthly(period: Period, scope: Scope) -> list[dict]:
    """The monthly series, kept until the summaries are refreshed again (the key names the
    last refresh, so a new run is seen at once)."""
    refreshed = last_refresh()
    where = scope.agency.pk if scope.agency else scope.level
    key = f"reports:monthly:{refreshed.pk if refreshed else 0}:{period.code}:{where}"
    months = cache.get(key)
    if months is None:
        months = monthly(period, scope)
        cache.set(key, months, OFFICE_CACHE_SECONDS)
    return months


def build(period: Period, scope: Scope) -> dict:
    """Every chart of the dashboard for the period and scope."""
    months = _monthly(period, scope)
    labels = [f"{m['month']:02d}/{m['year']}" for m in months]

    def series(name):
        return [m[name] for m in months]

    def rate(numerator, denominator):
        return [_share(m[numerator], m[denominator]) for m in months]

    received, online = series("received"), series("received_online")
    overdue = _overdue(scope)
    office = _office(period, scope)
    charts = [
        _chart(
            "intake",
            _("Dossiers received by channel"),
            "bar",
            labels,
            [
                {"label": _("Online"), "data": online},
                {
                    "label": _("At the counter or by post"),
                    "data": [r - o for r, o in zip(received, online, strict=True)],
                },
            ],
        ),
        _chart(
            "timeliness",
            _("Dossiers resolved: early, on time, late"),
            "bar",
            labels,
            [
                {"label": _("Early"), "data": series("early")},
                {"label": _("On time"), "data": series("on_time")},
                {"label": _("Late"), "data": series("late")},
            ],
        ),
        _chart(
            "overdue",
            _("Dossiers overdue now, by agency"),
            "bar",
            [r["agency"] for r in overdue],
            [{"label": _("Overdue"), "data": [r["overdue"] for r in overdue]}],
        ),
        _chart(
            "online_rate",
            _("Online filing rate (procedures offered online)"),
            "line",
            labels,
            [
                {
                    "label": _("Filed online (%)"),
                    "data": rate("offered_online_filed", "offered_online"),
                }
            ],
            "%",
        ),
        _chart(
            "payment",
            _("Share of fees paid online"),
            "line",
            labels,
            [{"label": _("Paid online (%)"), "data": rate("paid_online", "with_fee")}],
            "%",
        ),
        _chart(
            "digitisation",
            _("Digitisation"),
            "line",
            labels,
            [
                {"label": _("Dossiers digitised (%)"), "data": rate("digitised", "received")},
                {
                    "label": _("Results issued electronically (%)"),
                    "data": rate("results_electronic", "resolved"),
                },
            ],
            "%",
        ),
        _chart(
            "satisfaction",
            _("Satisfaction"),
            "line",
            labels,
            [
                {
                    "label": _("Satisfied or very satisfied (%)"),
                    "data": [
                        _share(m["very_satisfied"] + m["satisfied"], m["evaluations"])
                        for m in months
                    ],
                },
                {"label": _("Evaluations"), "data": series("evaluations")},
            ],
        ),
        _chart(
            "office",
            _("Electronic office: documents sent and received"),
            "bar",
            [r["agency"] for r in office],
            [
                {"label": _("Sent"), "data": [r["sent"] for r in office]},
                {"label": _("Received"), "data": [r["received"] for r in office]},
                {
                    "label": _("Received electronically"),
                    "data": [r["received_electronic"] for r in office],
                },
            ],
        ),
        _chart(
            "office_share",
            _("Electronic office: share of documents received electronically"),
            "bar",
            [r["agency"] for r in office],
            [
                {
                    "label": _("Electronic share (%)"),
                    "data": [round(100 * r["share_electronic"], 1) for r in office],
                }
            ],
            "%",
        ),
    ]
    return {"charts": charts}

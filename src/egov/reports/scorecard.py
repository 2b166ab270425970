"""The service-quality scorecard (Decision 766/QĐ-TTg) of an agency, a level or the province.

Dossier figures come from the daily summaries only (one aggregate query over at most
days × agencies × procedures rows), so they are as fresh as the last run of
``refresh_report_summaries``; catalogue figures are read live (a small table). The
drill-down lists read the live dossiers behind a figure, newest first, a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from egov.catalog.models import Fee, OnlineMode, ProcedureVersion, VersionStatus
from egov.core.models import Agency, AgencyKind, Level
from egov.dossiers.models import Dossier

from .facts import BASIS, basis_q, dossier_q
from .indicators import BY_CODE, GROUPS, INDICATORS
from .models import COUNTERS, DailySummary
from .periods import Period
from .services import last_refresh

PAGE = 50


@dataclass
class Scope:
    """What a report covers: one agency (with what lies under it and what was merged into
    it), one level, or the whole province (neither)."""

    agency: Agency | None = None
    level: str | None = None
    agency_ids: list[int] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        from django.utils.translation import gettext as _

        if self.agency is not None:
            return str(self.agency)
        if self.level:
            return _("All agencies at %(level)s level") % {"level": Level(self.level).label}
        return _("The whole province")


def covered_agencies(agency: Agency) -> list[int]:
    """``agency``, everything under it, and every agency merged into it (transitively), with
    what lay under those."""
    paths, frontier, seen = {agency.path}, [agency.pk], {agency.pk}
    while frontier:
        predecessors = list(
            Agency.objects.filter(successor_id__in=frontier)
            .exclude(pk__in=seen)
            .values_list("pk", "path")
        )
        frontier = [pk for pk, _path in predecessors]
        seen.update(frontier)
        paths.update(path for _pk, path in predecessors)
    q = Q(pk__in=seen)
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Agency.objects.filter(q).values_list("pk", flat=True))


def make_scope(agency: Agency | None = None, level: str | None = None) -> Scope:
    if agency is not None:
        return Scope(agency=agency, agency_ids=covered_agencies(agency))
    return Scope(level=level or None)


def _summary_q(scope: Scope) -> Q:
    if scope.agency_ids is not None:
        return Q(agency_id__in=scope.agency_ids)
    if scope.level:
        return Q(agency__level=scope.level)
    return Q()


def _dossier_scope_q(scope: Scope) -> Q:
    if scope.agency_ids is not None:
        return Q(competent_agency_id__in=scope.agency_ids)
    if scope.level:
        return Q(competent_agency__level=scope.level)
    return Q()


def summary_totals(period: Period, scope: Scope) -> dict[str, int]:
    """Every counter added up over the period and scope (one query)."""
    totals = DailySummary.objects.filter(
        _summary_q(scope), day__gte=period.start, day__lte=period.end
    ).aggregate(**{c: Sum(c) for c in COUNTERS})
    return {c: v or 0 for c, v in totals.items()}


def _version_scope_q(scope: Scope) -> Q:
    if scope.agency is not None:
        q = Q(competent_agency_id__in=scope.agency_ids)
        agency = scope.agency
        if agency.kind == AgencyKind.PEOPLES_COMMITTEE and agency.level != Level.PROVINCE:
            # District and commune procedures name no agency: every People's Committee of the
            # level handles them.
            q |= Q(competent_agency__isnull=True, level=agency.level)
        return q
    if scope.level:
        return Q(level=scope.level)
    return Q()


def catalog_figures(period: Period, scope: Scope) -> dict[str, int]:
    """Procedures of the scope in the catalogue, published, offered online, with fees (one
    query; the catalogue as it stands at the end of the period)."""
    versions = ProcedureVersion.objects.filter(_version_scope_q(scope))
    in_force = Q(status=VersionStatus.PUBLISHED, valid_from__lte=period.end) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.end)
    )
    has_fee = Q(Exists(Fee.objects.filter(version=OuterRef("pk"))))
    online = ~Q(online_mode=OnlineMode.NONE)
    figures = versions.aggregate(
        procedures=Count("procedure", distinct=True),
        published=Count("procedure", distinct=True, filter=in_force),
        in_force=Count("procedure", distinct=True, filter=in_force),
        full_process=Count(
            "procedure", distinct=True, filter=in_force & Q(online_mode=OnlineMode.FULL)
        ),
        with_fee=Count("procedure", distinct=True, filter=in_force & has_fee),
        payable_online=Count("procedure", distinct=True, filter=in_force & has_fee & online),
    )
    return {k: v or 0 for k, v in figures.items()}


def _score(indicator, numerator, denominator) -> dict:
    has_data = bool(denominator)
    ratio = numerator / denominator if has_data else None
    return {
        "code": indicator.code,
        "name": indicator.name,
        "formula": indicator.formula,
        "weight": indicator.weight,
        "source": indicator.source,
        "numerator": numerator if indicator.source != "untracked" else None,
        "denominator": denominator if indicator.source != "untracked" else None,
        "has_data": has_data,
        "percent": round(100 * ratio, 2) if has_data else None,
        "score": round(indicator.weight * ratio, 2) if has_data else None,
        "drill": indicator.source in ("summary", "catalog"),
    }


def compute(period: Period, scope: Scope) -> dict:
    """The scorecard: every group and indicator with its formula, numerator, denominator and
    points; the total over the indicators with data and the index on 100."""
    totals = summary_totals(period, scope)
    catalog = catalog_figures(period, scope)
    groups, total, attainable = [], 0.0, 0.0
    for group in GROUPS:
        rows = []
        for indicator in (i for i in INDICATORS if i.group == group.code):
            if indicator.source == "summary":
                numerator = sum(totals[c] for c in indicator.numerator)
                denominator = sum(totals[c] for c in indicator.denominator)
            elif indicator.source == "catalog":
                numerator = sum(catalog[c] for c in indicator.numerator)
                denominator = sum(catalog[c] for c in indicator.denominator)
            else:
                numerator = denominator = 0
            rows.append(_score(indicator, numerator, denominator))
        measured = [r for r in rows if r["has_data"]]
        score = round(sum(r["score"] for r in measured), 2) if measured else None
        reachable = sum(r["weight"] for r in measured)
        groups.append(
            {
                "code": group.code,
                "name": group.name,
                "points": group.points,
                "score": score,
                "attainable": reachable,
                "indicators": rows,
            }
        )
        total += score or 0
        attainable += reachable
    refreshed = last_refresh()
    return {
        "period": period,
        "scope": scope,
        "groups": groups,
        "total": round(total, 2) if attainable else None,
        "attainable": attainable,
        "index": round(100 * total / attainable, 2) if attainable else None,
        "totals": totals,
        "catalog": catalog,
        "refreshed_at": refreshed.finished_at if refreshed else None,
    }


# --- drill-down --------------------------------------------------------------------------------
def _counters(indicator, part: str) -> tuple[str, ...]:
    counters = indicator.numerator if part == "numerator" else indicator.denominator
    # The criteria points are counted over evaluations: list the evaluated dossiers.
    return tuple("evaluations" if c.startswith("criteria_") else c for c in counters)


def drill_dossiers(code: str, part: str, period: Period, scope: Scope, before: int | None = None):
    """The live dossiers behind one figure of a summary indicator, newest first: at most
    ``PAGE`` of them, then the id to continue ``before`` (keyset; nothing is counted)."""
    indicator = BY_CODE[code]
    counters = _counters(indicator, part)
    first, after = period.bounds()
    basis = BASIS[counters[0]]
    filters = [dossier_q(counter) for counter in counters]
    # An empty filter (the whole basis) matches everything: the union is then no filter.
    which = Q() if not all(filters) else filters[0]
    for extra in filters[1:] if all(filters) else []:
        which |= extra
    dossiers = (
        Dossier.objects.filter(basis_q(basis, first, after), _dossier_scope_q(scope))
        .filter(which)
        .select_related("procedure_version", "competent_agency")
        .order_by("-id")
    )
    if before:
        dossiers = dossiers.filter(id__lt=before)
    page = list(dossiers[: PAGE + 1])
    more = page[PAGE].pk if len(page) > PAGE else None
    page = page[:PAGE]
    return page, (page[-1].pk if more else None)


def drill_procedures(code: str, part: str, period: Period, scope: Scope):
    """The procedure versions behind one figure of a catalogue indicator (at most 500)."""
    indicator = BY_CODE[code]
    counter = (indicator.numerator if part == "numerator" else indicator.denominator)[0]
    versions = ProcedureVersion.objects.filter(_version_scope_q(scope))
    if counter != "procedures":
        versions = versions.filter(
            Q(status=VersionStatus.PUBLISHED, valid_from__lte=period.end)
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=period.end))
        )
    has_fee = Exists(Fee.objects.filter(version=OuterRef("pk")))
    extra = {
        "full_process": Q(online_mode=OnlineMode.FULL),
        "with_fee": Q(has_fee),
        "payable_online": Q(has_fee) & ~Q(online_mode=OnlineMode.NONE),
    }.get(counter)
    if extra is not None:
        versions = versions.filter(extra)
    return list(
        versions.select_related("procedure", "competent_agency").order_by("procedure__code")[:500]
    )


# --- series for the dashboards -----------------------------------------------------------------
def monthly(period: Period, scope: Scope) -> list[dict]:
    """The counters month by month over the period (one query), every month present."""
    rows = (
        DailySummary.objects.filter(_summary_q(scope), day__gte=period.start, day__lte=period.end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**{c: Sum(c) for c in COUNTERS})
        .order_by("month")
    )
    found = {(r["month"].year, r["month"].month): r for r in rows}
    out = []
    for year, month in period.months():
        row = found.get((year, month), {})
        out.append({"year": year, "month": month, **{c: row.get(c) or 0 for c in COUNTERS}})
    return out


def overdue_by_agency(scope: Scope, limit: int = 15) -> list[dict]:
    """Dossiers overdue now, per competent agency, most first (live: the overdue index keeps
    this small however large the table)."""
    from egov.dossiers.workflow import CLOSED_STATES

    rows = (
        Dossier.objects.filter(_dossier_scope_q(scope), is_overdue=True)
        .exclude(state__in=CLOSED_STATES)
        .values("competent_agency__name")
        .annotate(overdue=Count("id"))
        .order_by("-overdue", "competent_agency__name")[:limit]
    )
    return [{"agency": r["competent_agency__name"], "overdue": r["overdue"]} for r in rows]

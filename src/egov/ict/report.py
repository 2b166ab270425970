"""The yearly ICT application report (Báo cáo tình hình ứng dụng CNTT năm Y), computed from
records when it is asked for — nothing is stored as a total.

Conventions (each one written on the report too):

- "in service at the end of Y": records valid on 31 December of Y (inventory records carry
  ``valid_from`` / ``valid_to``); meetings, dossiers and documents: dated within Y.
- Records of an internal unit count for its agency; records of an agency merged before the end
  of Y (``valid_to`` before 31/12 and a ``successor``) count for its successor, so a merged
  commune is counted once, as the commune that took it over.
- Coverage figures ("21/21 departments") are over the agencies in force at the end of Y, by
  group: provincial departments, boards and the service centre (the provincial People's
  Committee itself is left out: its working apparatus is its Office, one of the departments),
  district People's Committees, commune People's Committees.
- Computers are counted by the level of the agency holding them; computers of units with no
  level (recorded without an agency) are shown on their own line and in the total.
- Certificates: issued up to the end of Y, by the platform's CA (personal and seal
  certificates) plus those recorded as issued outside the platform.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.models import Agency, AgencyKind, Level

from .models import (
    AgencyInfrastructure,
    AssetKind,
    AssetStatus,
    BridgePoint,
    Computer,
    ComputerKind,
    DataCentreAsset,
    ExternalFigure,
    FigureKind,
    VideoMeeting,
    storage_threshold,
)

GROUPS = (
    ("province", gettext_lazy("Provincial departments and agencies")),
    ("district", gettext_lazy("District People's Committees")),
    ("commune", gettext_lazy("Commune People's Committees")),
)
LEVELS = (
    (Level.PROVINCE, gettext_lazy("Province level")),
    (Level.DISTRICT, gettext_lazy("District level")),
    (Level.COMMUNE, gettext_lazy("Commune level")),
)


def low_online_share() -> float:
    """Online filing rate below which it is a weak point (setting, default 0.10)."""
    return float(getattr(settings, "EGOV_ICT_LOW_ONLINE_SHARE", 0.10))


@dataclass
class Ratio:
    part: int
    whole: int

    @property
    def share(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> str:
        share = self.share
        return "—" if share is None else f"{share * 100:.1f}%".replace(".", ",")

    def __str__(self):
        return f"{self.part}/{self.whole}"


class AgencyMap:
    """Every agency once (one query), and where its records count at the end of the year."""

    def __init__(self, end: dt.date):
        self.end = end
        self.by_pk = {a.pk: a for a in Agency.objects.all()}
        self._resolved: dict[int, Agency] = {}

    def resolve(self, pk: int) -> Agency:
        """The agency whose figures a record of agency ``pk`` adds to at the end of the year."""
        if pk in self._resolved:
            return self._resolved[pk]
        agency, seen = self.by_pk[pk], set()
        while agency.pk not in seen:
            seen.add(agency.pk)
            if agency.kind == AgencyKind.INTERNAL_UNIT and agency.parent_id:
                agency = self.by_pk[agency.parent_id]
            elif agency.valid_to and agency.valid_to < self.end and agency.successor_id:
                agency = self.by_pk[agency.successor_id]
        self._resolved[pk] = agency
        return agency

    @staticmethod
    def group(agency: Agency) -> str | None:
        """Coverage group of an agency (None: not counted in coverage figures)."""
        if agency.kind == AgencyKind.INTERNAL_UNIT:
            return None
        if agency.level == Level.PROVINCE:
            return None if agency.kind == AgencyKind.PEOPLES_COMMITTEE else "province"
        if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
            return agency.level
        return None

    def population(self) -> dict[str, list[Agency]]:
        """Agencies in force at the end of the year, by coverage group."""
        groups = {key: [] for key, _label in GROUPS}
        for agency in self.by_pk.values():
            if not agency.is_valid_on(self.end):
                continue
            key = self.group(agency)
            if key:
                groups[key].append(agency)
        for agencies in groups.values():
            agencies.sort(key=lambda a: a.path)
        return groups


@dataclass
class Report:
    year: int
    start: dt.date
    end: dt.date
    computers: dict = field(default_factory=dict)
    officials: dict = field(default_factory=dict)
    networks: list = field(default_factory=list)
    certificates: dict = field(default_factory=dict)
    office: dict = field(default_factory=dict)
    video: dict = field(default_factory=dict)
    one_stop: dict = field(default_factory=dict)
    procedures: dict = field(default_factory=dict)
    online_filing: dict = field(default_factory=dict)
    data_centre: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    weak_points: list = field(default_factory=list)


def annual_report(year: int) -> Report:
    """The report for ``year``, from the records as they are now."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    agencies = AgencyMap(end)
    report = Report(year=year, start=start, end=end)
    population = agencies.population()
    report.computers = _computers(agencies, end)
    profiles = _profiles(agencies, end)
    report.officials = _officials(agencies, profiles)
    for row, (level, _label) in zip(report.officials["rows"], LEVELS, strict=True):
        row["computers"] = report.computers["by_level"][level]
    report.networks = _networks(population, profiles)
    report.certificates = _certificates(year, end)
    report.office = _office(agencies, population, start, end)
    report.video = _video(start, end)
    report.one_stop = _one_stop(agencies, population, start, end)
    report.procedures = _procedures(end)
    report.online_filing = _online_filing(start, end)
    report.data_centre, report.alerts = _data_centre(end)
    report.weak_points = _weak_points(report)
    return report


# --- sections ----------------------------------------------------------------------------------
def _computers(agencies: AgencyMap, end: dt.date) -> dict:
    by_level = {level: 0 for level, _label in LEVELS}
    by_kind = {kind: 0 for kind, _label in ComputerKind.choices}
    unassigned = 0
    for agency_id, kind, count in Computer.objects.valid_on(end).values_list(
        "agency_id", "kind", "count"
    ):
        by_kind[kind] += count
        if agency_id is None:
            unassigned += count
        else:
            by_level[agencies.resolve(agency_id).level] += count
    rows = [{"label": label, "count": by_level[level]} for level, label in LEVELS]
    return {
        "rows": rows,
        "by_level": by_level,
        "unassigned": unassigned,
        "by_kind": [
            {"label": label, "count": by_kind[kind]} for kind, label in ComputerKind.choices
        ],
        "total": sum(by_level.values()) + unassigned,
    }


def _profiles(agencies: AgencyMap, end: dt.date) -> dict[int, list[AgencyInfrastructure]]:
    """Profiles in force at the end of the year, by the agency they count for."""
    found: dict[int, list[AgencyInfrastructure]] = {}
    for profile in AgencyInfrastructure.objects.valid_on(end):
        found.setdefault(agencies.resolve(profile.agency_id).pk, []).append(profile)
    return found


def _officials(agencies: AgencyMap, profiles: dict) -> dict:
    fields = ("officials", "officials_with_computer", "mailboxes", "officials_with_mailbox")
    by_level = {level: dict.fromkeys(fields, 0) for level, _label in LEVELS}
    for agency_pk, rows in profiles.items():
        level = agencies.by_pk[agency_pk].level
        for row in rows:
            for name in fields:
                by_level[level][name] += getattr(row, name)
    total = {name: sum(values[name] for values in by_level.values()) for name in fields}
    lines = []
    for level, label in LEVELS:
        values = by_level[level]
        lines.append(
            {
                "label": label,
                **values,
                "computer": Ratio(values["officials_with_computer"], values["officials"]),
                "mailbox": Ratio(values["officials_with_mailbox"], values["officials"]),
            }
        )
    return {
        "rows": lines,
        "total": total,
        "computer": Ratio(total["officials_with_computer"], total["officials"]),
        "mailbox": Ratio(total["officials_with_mailbox"], total["officials"]),
    }


def _networks(population: dict, profiles: dict) -> list[dict]:
    lines = []
    for key, label in GROUPS:
        members = population[key]
        flags = {"lan": 0, "firewall": 0, "dedicated": 0, "internet": 0}
        for agency in members:
            rows = profiles.get(agency.pk, [])
            has_lan = any(r.has_lan for r in rows)
            flags["lan"] += has_lan
            flags["firewall"] += has_lan and any(r.lan_firewall for r in rows if r.has_lan)
            flags["dedicated"] += any(r.dedicated_network for r in rows)
            flags["internet"] += any(r.internet for r in rows)
        whole = len(members)
        lines.append(
            {
                "key": key,
                "label": label,
                "agencies": whole,
                "lan": Ratio(flags["lan"], whole),
                "firewall": Ratio(flags["firewall"], flags["lan"]),
                "dedicated": Ratio(flags["dedicated"], whole),
                "internet": Ratio(flags["internet"], whole),
            }
        )
    return lines


def _after(end: dt.date) -> dt.datetime:
    """Vietnam midnight after ``end`` (aware)."""
    return timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))


def _certificates(year: int, end: dt.date) -> dict:
    from egov.pki.models import Certificate, HolderKind

    issued = Certificate.objects.filter(
        holder_kind__in=[HolderKind.OFFICIAL, HolderKind.AGENCY], created_at__lt=_after(end)
    )
    first = timezone.make_aware(dt.datetime(year, 1, 1))
    external = ExternalFigure.objects.filter(kind=FigureKind.CERTIFICATES, year__lte=year)
    platform = issued.count()
    outside = external.aggregate(n=Sum("value"))["n"] or 0
    return {
        "platform": platform,
        "platform_in_year": issued.filter(created_at__gte=first).count(),
        "outside": outside,
        "outside_in_year": external.filter(year=year).aggregate(n=Sum("value"))["n"] or 0,
        "total": platform + outside,
    }


def _office(agencies: AgencyMap, population: dict, start: dt.date, end: dt.date) -> dict:
    from egov.office.models import IncomingDocument, OutgoingDocument
    from egov.office.statistics import office_statistics

    first, after = _bounds(start, end)
    incoming_agencies = set(
        IncomingDocument.objects.filter(registered_at__gte=first, registered_at__lt=after)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    outgoing_agencies = set(
        OutgoingDocument.objects.filter(released_at__gte=first, released_at__lt=after)
        .values_list("agency_id", flat=True)
        .distinct()
    )
    received = electronic = 0
    for agency in Agency.objects.filter(pk__in=incoming_agencies):
        figures = office_statistics(agency, start, end)
        received += figures["received"]
        electronic += figures["received_electronic"]
    outside = {FigureKind.DOCUMENTS_RECEIVED: 0, FigureKind.DOCUMENTS_ELECTRONIC: 0}
    outside_agencies = set()
    for agency_id, kind, value in ExternalFigure.objects.filter(
        year=start.year, kind__in=list(outside)
    ).values_list("agency_id", "kind", "value"):
        outside[kind] += value
        if value:
            outside_agencies.add(agency_id)
    using = {agencies.resolve(pk).pk for pk in incoming_agencies | outgoing_agencies}
    using |= {agencies.resolve(pk).pk for pk in outside_agencies}
    lines = [
        {
            "label": label,
            "coverage": Ratio(sum(a.pk in using for a in population[key]), len(population[key])),
        }
        for key, label in GROUPS
    ]
    all_received = received + outside[FigureKind.DOCUMENTS_RECEIVED]
    all_electronic = electronic + outside[FigureKind.DOCUMENTS_ELECTRONIC]
    whole = sum(len(v) for v in population.values())
    return {
        "rows": lines,
        "coverage": Ratio(sum(line["coverage"].part for line in lines), whole),
        "platform_received": received,
        "platform_electronic": electronic,
        "outside_received": outside[FigureKind.DOCUMENTS_RECEIVED],
        "outside_electronic": outside[FigureKind.DOCUMENTS_ELECTRONIC],
        "electronic": Ratio(all_electronic, all_received),
    }


def _video(start: dt.date, end: dt.date) -> dict:
    points = list(BridgePoint.objects.valid_on(end).select_related("agency"))
    meetings = list(
        VideoMeeting.objects.filter(held_on__range=(start, end))
        .select_related("agency")
        .prefetch_related("points")
        .order_by("held_on", "pk")
    )
    by_status = {status: 0 for status, _label in AssetStatus.choices}
    for point in points:
        by_status[point.status] += 1
    return {
        "points": points,
        "point_count": len(points),
        "by_status": [
            {"label": label, "count": by_status[status]} for status, label in AssetStatus.choices
        ],
        "meetings": meetings,
        "meeting_count": len(meetings),
        "not_good": [
            p
            for p in points
            if p.status != AssetStatus.WORKING or "poor" in (p.audio_quality, p.video_quality)
        ],
    }


def _one_stop(agencies: AgencyMap, population: dict, start: dt.date, end: dt.date) -> dict:
    """Agencies with one-stop work in the year: offering a procedure in force at the end of
    the year (competent agency or receiving place), or receiving dossiers in the year
    (on the platform, or recorded from the one-stop software used before it)."""
    from egov.catalog.models import ProcedureVersion, VersionStatus
    from egov.dossiers.models import Dossier

    versions = ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT).valid_on(end)
    offering = set(
        versions.exclude(competent_agency=None).values_list("competent_agency_id", flat=True)
    )
    through = ProcedureVersion.receiving_places.through
    offering |= set(
        through.objects.filter(procedureversion__in=versions).values_list("agency_id", flat=True)
    )
    first, after = _bounds(start, end)
    dossiers = Dossier.objects.filter(received_at__gte=first, received_at__lt=after)
    receiving = set(dossiers.values_list("receiving_agency_id", flat=True).distinct())
    receiving |= set(
        ExternalFigure.objects.filter(
            year=start.year, kind=FigureKind.DOSSIERS_RECEIVED, value__gt=0
        ).values_list("agency_id", flat=True)
    )
    active = {agencies.resolve(pk).pk for pk in (offering | receiving) if pk}
    lines = []
    for key, label in GROUPS:
        members = population[key]
        lines.append(
            {
                "label": label,
                "coverage": Ratio(sum(a.pk in active for a in members), len(members)),
            }
        )
    centres = [a for a in population["province"] if a.kind == AgencyKind.SERVICE_CENTER]
    departments = [a for a in population["province"] if a.kind != AgencyKind.SERVICE_CENTER]
    return {
        "rows": lines,
        "departments": Ratio(sum(a.pk in active for a in departments), len(departments)),
        "service_centres": Ratio(sum(a.pk in active for a in centres), len(centres)),
    }


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes of Vietnam midnight on ``start`` and the day after ``end``."""
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min)), _after(end)


def _procedures(end: dt.date) -> dict:
    from egov.catalog.models import ProcedureVersion, VersionStatus

    versions = ProcedureVersion.objects.exclude(status=VersionStatus.DRAFT).valid_on(end)
    counts = {level: {1: 0, 2: 0, 3: 0, 4: 0} for level, _label in LEVELS}
    for level, legacy in versions.values_list("level", "legacy_level"):
        counts[level][legacy] += 1
    rows = []
    for level, label in LEVELS:
        c = counts[level]
        rows.append(
            {
                "label": label,
                "total": sum(c.values()),
                "level_1": c[1],
                "level_2": c[2],
                "level_3": c[3],
                "level_4": c[4],
                "online": c[3] + c[4],
            }
        )
    total = {
        key: sum(row[key] for row in rows)
        for key in ("total", "level_1", "level_2", "level_3", "level_4", "online")
    }
    return {"rows": rows, "total": total}


def _online_filing(start: dt.date, end: dt.date) -> dict:
    from egov.dossiers.models import Channel, Dossier

    first, after = _bounds(start, end)
    dossiers = Dossier.objects.filter(received_at__gte=first, received_at__lt=after)
    figures = dossiers.aggregate(
        n=Count("pk"), online=Count("pk", filter=Q(channel=Channel.ONLINE))
    )
    outside = dict.fromkeys((FigureKind.DOSSIERS_RECEIVED, FigureKind.DOSSIERS_ONLINE), 0)
    for kind, value in ExternalFigure.objects.filter(
        year=start.year, kind__in=list(outside)
    ).values_list("kind", "value"):
        outside[kind] += value
    return {
        "platform_received": figures["n"],
        "platform_online": figures["online"],
        "outside_received": outside[FigureKind.DOSSIERS_RECEIVED],
        "outside_online": outside[FigureKind.DOSSIERS_ONLINE],
        "rate": Ratio(
            figures["online"] + outside[FigureKind.DOSSIERS_ONLINE],
            figures["n"] + outside[FigureKind.DOSSIERS_RECEIVED],
        ),
    }


def _data_centre(day: dt.date) -> tuple[list, list]:
    """Assets in service on ``day`` and the alerts they raise (storage, support, status)."""
    assets = list(DataCentreAsset.objects.valid_on(day).select_related("agency"))
    return assets, asset_alerts(assets, day)


def asset_alerts(assets, day: dt.date) -> list[dict]:
    """Alerts of ``assets`` on ``day``: storage used past the threshold, support ended,
    broken or degraded."""
    alerts = []
    threshold = storage_threshold()
    for asset in assets:
        if asset.storage_alert():
            alerts.append(
                {
                    "asset": asset,
                    "kind": "storage",
                    "text": _("%(name)s: %(used)s of %(capacity)s TB used (%(share)s%%).")
                    % {
                        "name": asset.name,
                        "used": asset.used_tb,
                        "capacity": asset.capacity_tb,
                        "share": round(asset.used_share * 100),
                    },
                    "threshold": threshold,
                }
            )
        if asset.past_support(day):
            alerts.append(
                {
                    "asset": asset,
                    "kind": "support",
                    "text": _("%(name)s: support ended on %(date)s.")
                    % {"name": asset.name, "date": asset.support_end.strftime("%d/%m/%Y")},
                }
            )
        if asset.status != AssetStatus.WORKING:
            alerts.append(
                {
                    "asset": asset,
                    "kind": "status",
                    "text": _("%(name)s: %(status)s.")
                    % {"name": asset.name, "status": asset.get_status_display().lower()},
                }
            )
    return alerts


def _weak_points(report: Report) -> list[str]:
    """Weak points found in the figures, in the order the article lists them."""
    points = []
    rate = report.online_filing["rate"]
    if rate.whole and rate.share < low_online_share():
        points.append(
            _(
                "Few dossiers are filed online: %(online)s of %(total)s dossiers received "
                "(%(percent)s), below %(threshold)s%%."
            )
            % {
                "online": rate.part,
                "total": rate.whole,
                "percent": rate.percent,
                "threshold": round(low_online_share() * 100),
            }
        )
    storage = [a for a in report.data_centre if a.storage_alert()]
    if storage:
        points.append(
            _("Storage nearly full (%(threshold)s%% or more used): %(names)s.")
            % {
                "threshold": round(storage_threshold() * 100),
                "names": "; ".join(
                    f"{a.name} {round(a.used_share * 100)}%".replace(".", ",") for a in storage
                ),
            }
        )
    past = [a for a in report.data_centre if a.past_support(report.end)]
    if past:
        oldest = min((a.commissioned_year for a in past if a.commissioned_year), default=None)
        text = _("%(count)s data-centre devices are past their support date: %(names)s.") % {
            "count": sum(a.quantity for a in past),
            "names": "; ".join(a.name for a in past),
        }
        if oldest:
            text += " " + _("The oldest were commissioned in %(year)s (%(age)s years ago).") % {
                "year": oldest,
                "age": report.year - oldest,
            }
        points.append(text)
    broken_security = [
        a
        for a in report.data_centre
        if a.kind == AssetKind.SECURITY and a.status != AssetStatus.WORKING
    ]
    if broken_security:
        points.append(
            _("Security devices broken or degraded: %(names)s.")
            % {"names": "; ".join(f"{a.name} ({a.get_status_display()})" for a in broken_security)}
        )
    other_bad = [
        a
        for a in report.data_centre
        if a.kind != AssetKind.SECURITY and a.status != AssetStatus.WORKING
    ]
    if other_bad:
        points.append(
            _("Data-centre equipment broken or degraded: %(names)s.")
            % {"names": "; ".join(f"{a.name} ({a.get_status_display()})" for a in other_bad)}
        )
    lan = sum(line["lan"].part for line in report.networks)
    firewall = sum(line["firewall"].part for line in report.networks)
    if lan and firewall < lan:
        points.append(
            _("%(without)s of %(lan)s LANs have no firewall (only %(with)s are protected).")
            % {"without": lan - firewall, "lan": lan, "with": firewall}
        )
    bad_points = report.video["not_good"]
    if bad_points:
        points.append(
            _("Bridge points broken or with poor sound or picture: %(names)s.")
            % {
                "names": "; ".join(f"{p.place} ({p.get_status_display()})" for p in bad_points),
            }
        )
    return points

"""Read-side helpers shared by the officer pages: inboxes, look-ups, the leader's overview.

Every list starts from ``access.visible_dossiers`` and is bounded (a limit and an indexed,
keyset-friendly order), so no page counts or loads a whole table whatever the province's size.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.core import permissions as perms
from egov.core.directory import agencies_under
from egov.core.models import Agency, AgencyKind, Position, Role
from egov.core.text import fold
from egov.core.workdays import get_calendar

from . import clock
from .access import LEADER_ROLES, visible_dossiers
from .models import Dossier, DossierParty, InterAgencyTask
from .workflow import ACTIVE, CLOCK_RUNNING, CLOSED_STATES, State

INBOX_LIMIT = 100
SEARCH_PAGE = 50
OVERDUE_LIMIT = 100
PROCEDURE_LIMIT = 20

# States in which nothing is left to do for an official.
CLOSED = CLOSED_STATES

LIST_RELATED = (
    "procedure_version__procedure",
    "receiving_agency",
    "current_agency",
    "current_holder",
)

# Bootstrap colour of the state badge.
STATE_BADGES = {
    State.DRAFT: "text-bg-light",
    State.SUBMITTED: "text-bg-info",
    State.SUPPLEMENT_REQUESTED: "text-bg-warning",
    State.REFUSED: "text-bg-danger",
    State.PAUSED: "text-bg-warning",
    State.RESULT_READY: "text-bg-success",
    State.RETURNED: "text-bg-secondary",
    State.EVALUATED: "text-bg-secondary",
    State.STOPPED: "text-bg-dark",
}

# Official forms (documents/forms.py) the page links to; their numbers depend on the regime.
FORM_LABELS = {
    "receipt": _("Receipt and appointment"),
    "supplement": _("Supplement request"),
    "refusal": _("Refusal to receive"),
    "apology": _("Apology and new appointment"),
    "stop-notice": _("Notice that processing stopped"),
    "control-sheet": _("Dossier control sheet"),
}


def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-primary")


# --- due dates ------------------------------------------------------------------------------------
def is_late(dossier: Dossier, now: dt.datetime | None = None) -> bool:
    """Overdue: flagged by the deadline job, or past the appointment while the clock runs."""
    now = now or timezone.now()
    if dossier.state not in ACTIVE:
        return False
    return dossier.is_overdue or (
        dossier.state in CLOCK_RUNNING and dossier.due_at is not None and dossier.due_at < now
    )


class DueColours:
    """Row colour by due date: red when late, amber when due within one working day."""

    def __init__(self, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        calendar = get_calendar()
        self.amber_until = calendar.add_working_hours(self.now, clock.hours_per_day(calendar))

    def __call__(self, dossier: Dossier) -> str:
        if dossier.due_at is None or dossier.state not in ACTIVE:
            return ""
        if is_late(dossier, self.now):
            return "due-red"
        if dossier.due_at <= self.amber_until:
            return "due-amber"
        return "due-green"


def with_due_colours(dossiers, now: dt.datetime | None = None) -> list[Dossier]:
    """The dossiers as a list, each with ``due_class`` and ``late`` set for the template."""
    colour = DueColours(now)
    rows = list(dossiers)
    for dossier in rows:
        dossier.due_class = colour(dossier)
        dossier.late = is_late(dossier, colour.now)
    return rows


def by_due_date(queryset):
    """Soonest appointment first, dossiers without one last; ``id`` breaks ties (keyset)."""
    return queryset.order_by(F("due_at").asc(nulls_last=True), "id")


# --- "My tasks" -----------------------------------------------------------------------------------
def inbox_for(user, limit: int = INBOX_LIMIT):
    """Việc của tôi: what ``user`` should act on, soonest due first (at most ``limit`` rows).

    - dossiers she holds;
    - dossiers nobody holds yet at an agency where she works, whose current workflow step
      asks for one of the roles she holds there (e.g. "assign" for a unit leader);
    - at a one-stop desk, dossiers submitted online waiting for the completeness check;
    - at a coordinating agency, dossiers with an open inter-agency task there.

    Each part is its own index-driven query for its soonest ``limit`` dossiers, and the inbox is
    the soonest ``limit`` of their union: one query with the four conditions OR-ed together
    made PostgreSQL walk every dossier the agency ever took part in.
    """
    if not user.is_authenticated or user.kind != user.Kind.STAFF:
        return Dossier.objects.none()
    positions = [(p.agency.path, p.role) for p in perms.positions_today(user)]
    open_dossiers = Dossier.objects.exclude(state__in=CLOSED)
    parts = [open_dossiers.filter(current_holder=user)]
    for path, roles in _roles_by_agency(positions).items():
        parts.append(
            open_dossiers.filter(
                current_holder__isnull=True,
                current_agency__in=agencies_under(path),
                current_role__in=roles,
            )
        )
    reception = [path for path, role in positions if role == Role.RECEPTION]
    if reception:
        parts.append(
            Dossier.objects.filter(
                state=State.SUBMITTED, receiving_agency__in=agencies_under(*reception)
            )
        )
    processors = [path for path, role in positions if role in (Role.SPECIALIST, *LEADER_ROLES)]
    if processors:
        open_task = InterAgencyTask.objects.filter(
            dossier=OuterRef("pk"),
            status=InterAgencyTask.Status.OPEN,
            agency__in=agencies_under(*processors),
        )
        parts.append(Dossier.objects.filter(Exists(open_task), state=State.INTERAGENCY))
    ids = set()
    for part in parts:
        ids.update(by_due_date(part).values_list("pk", flat=True)[:limit])
    # Every part lies in her scope by construction; the visibility rule is applied anyway, on
    # the few candidates alone, so that the inbox can never show more than the rule allows.
    queryset = visible_dossiers(user, Dossier.objects.filter(pk__in=ids)).select_related(
        "procedure_version__procedure", "current_holder"
    )
    return by_due_date(queryset)[:limit]


def _roles_by_agency(positions: list[tuple[str, str]]) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for path, role in positions:
        roles.setdefault(path, set()).add(role)
    return roles


# --- counter intake -------------------------------------------------------------------------------
def reception_agency(user) -> Agency | None:
    """The one-stop desk where ``user`` receives dossiers (her reception position)."""
    if not user.is_authenticated or user.kind != user.Kind.STAFF:
        return None
    desks = sorted(
        (p.agency for p in perms.positions_today(user) if p.role == Role.RECEPTION),
        key=lambda agency: agency.path,
    )
    return desks[0] if desks else None


def procedures_in_force():
    return (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .valid_on()
        .select_related("procedure", "field", "competent_agency")
    )


def search_procedures(query: str, limit: int = PROCEDURE_LIMIT) -> list[ProcedureVersion]:
    """Procedures in force matching every word of ``query``, accents and case ignored."""
    words = fold(query).split()
    if not words:
        return []
    queryset = procedures_in_force()
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return list(queryset.order_by("procedure__code")[:limit])


def procedure_in_force(code: str) -> ProcedureVersion | None:
    return (
        procedures_in_force()
        .filter(procedure__code=code)
        .prefetch_related("documents", "fees")
        .first()
    )


def competent_committees(version: ProcedureVersion):
    """People's Committees that may decide a district or commune procedure (none when the
    procedure names its competent agency)."""
    if version.competent_agency_id:
        return Agency.objects.none()
    return Agency.objects.valid_on().filter(kind=AgencyKind.PEOPLES_COMMITTEE, level=version.level)


# --- one dossier ----------------------------------------------------------------------------------
def agency_staff(agency: Agency | None):
    """People with a position in force at ``agency`` or one of its units (for assignment)."""
    if agency is None:
        return get_user_model().objects.none()
    positions = Position.objects.valid_on().filter(
        Q(agency__path__startswith=agency.path) | Q(unit__path__startswith=agency.path),
        user=OuterRef("pk"),
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, kind=get_user_model().Kind.STAFF)
        .filter(Exists(positions))
        .order_by("full_name", "username")
    )


def applicable_forms(dossier: Dossier, supplements=None, apologies=None) -> list[dict]:
    """The official forms that exist for the dossier in its state, under the regime (set of
    forms) it started in: ``{"name", "label", "number"}``. ``supplements`` and ``apologies``
    are the dossier's, when the caller has read them already (else they are looked up)."""
    from .documents.forms import regime_for

    if supplements is None:
        supplements = dossier.supplements.exists()
    if apologies is None:
        apologies = dossier.apologies.exists()
    names = []
    if dossier.received_at:
        names.append("receipt")
    if supplements:
        names.append("supplement")
    if dossier.state == State.REFUSED:
        names.append("refusal")
    if apologies:
        names.append("apology")
    if dossier.state == State.STOPPED:
        names.append("stop-notice")
    if dossier.received_at:
        names.append("control-sheet")
    numbers = regime_for(dossier).numbers
    return [
        {"name": name, "label": FORM_LABELS[name], "number": numbers[name]}
        for name in names
        if name in numbers
    ]


# --- leader's overview ----------------------------------------------------------------------------
def leader_paths(user) -> list[str]:
    """Tree paths of the agencies where ``user`` leads (an agency or one of its units)."""
    if not user.is_authenticated or user.kind != user.Kind.STAFF:
        return []
    return perms.organisation_paths(user, LEADER_ROLES)


def may_see_overview(user) -> bool:
    return bool(user.is_authenticated and (user.is_system_admin or leader_paths(user)))


def agency_dossiers(user):
    """Dossiers in which the leader's agencies take part (all of them for a system admin)."""
    if user.is_system_admin:
        return Dossier.objects.all()
    parties = DossierParty.objects.filter(
        perms.path_q(leader_paths(user), "agency_path"), dossier=OuterRef("pk")
    )
    return Dossier.objects.filter(Exists(parties))


def overview_for(user, now: dt.datetime | None = None) -> dict:
    """Counts by state (one aggregate query), the overdue list, and who holds what."""
    now = now or timezone.now()
    dossiers = agency_dossiers(user)
    labels = dict(State.choices)
    counts = {
        row["state"]: row["n"]
        for row in dossiers.order_by().values("state").annotate(n=Count("id"))
    }
    by_state = [
        {
            "state": state,
            "label": labels[state],
            "count": counts[state],
            "badge": state_badge(state),
        }
        for state in State.values
        if counts.get(state)
    ]
    late = Q(is_overdue=True) | Q(state__in=CLOCK_RUNNING, due_at__lt=now)
    overdue = with_due_colours(
        by_due_date(dossiers.filter(late, state__in=ACTIVE).select_related(*LIST_RELATED))[
            :OVERDUE_LIMIT
        ],
        now,
    )
    holders = list(
        dossiers.filter(state__in=ACTIVE, current_holder__isnull=False)
        .order_by()
        .values("current_holder", "current_holder__full_name", "current_holder__username")
        .annotate(n=Count("id"), late=Count("id", filter=late))
        .order_by("-n", "current_holder__username")[:100]
    )
    return {
        "by_state": by_state,
        "total": sum(counts.values()),
        "overdue": overdue,
        "holders": holders,
    }


# --- search ---------------------------------------------------------------------------------------
def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_dossiers(user, filters: dict, after: int | None = None, size: int | None = None):
    """One page of the dossiers ``user`` may see that match ``filters``, newest first.

    Keyset pagination: the next page starts below the last ``id`` shown (``after``); there is
    never a full count. Returns ``(rows, next_after)``; ``next_after`` is None on the last page.
    """
    size = size or SEARCH_PAGE
    queryset = visible_dossiers(user).select_related(*LIST_RELATED)
    if filters.get("code"):
        queryset = queryset.filter(code__startswith=filters["code"].strip().upper())
    if filters.get("applicant"):
        queryset = queryset.filter(applicant_name__icontains=filters["applicant"].strip())
    if filters.get("procedure"):
        queryset = queryset.filter(procedure_version__procedure__code=filters["procedure"].strip())
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("received_from"):
        queryset = queryset.filter(received_at__gte=local_midnight(filters["received_from"]))
    if filters.get("received_to"):
        end = local_midnight(filters["received_to"] + dt.timedelta(days=1))
        queryset = queryset.filter(received_at__lt=end)
    now = timezone.now()
    if filters.get("overdue"):
        queryset = queryset.filter(
            Q(is_overdue=True) | Q(state__in=CLOCK_RUNNING, due_at__lt=now), state__in=ACTIVE
        )
    if after:
        queryset = queryset.filter(id__lt=after)
    rows = list(queryset.order_by("-id")[: size + 1])
    next_after = rows[size - 1].pk if len(rows) > size else None
    return with_due_colours(rows[:size], now), next_after

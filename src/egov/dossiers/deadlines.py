"""The periodic deadline job: warn before due dates, mark overdue dossiers.

Idempotent: a dossier is warned once per appointment (``warned_at``) and marked overdue once;
running the job twice sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.audit import record_event
from egov.core.models import Position, Role
from egov.core.workdays import get_calendar

from .models import Dossier
from .workflow import CLOCK_RUNNING


def _leaders_and_holder(dossier: Dossier) -> list:
    agency = (dossier.current_agency or dossier.receiving_agency).organisation()
    leaders = [
        p.user
        for p in Position.objects.valid_on()
        .filter(agency=agency, role__in=[Role.UNIT_LEADER, Role.AGENCY_LEADER])
        .select_related("user")
    ]
    return [dossier.current_holder, *leaders] if dossier.current_holder else leaders


def check_deadlines(now=None) -> dict:
    """Warn about dossiers due within the lead time; mark those past due as overdue."""
    from egov.notifications.services import notify

    now = now or timezone.now()
    calendar = get_calendar()
    horizon = calendar.add_working_hours(now, settings.EGOV_DEADLINE_WARNING_HOURS)
    running = Dossier.objects.filter(state__in=list(CLOCK_RUNNING)).select_related(
        "current_agency", "receiving_agency", "current_holder", "procedure_version"
    )
    counts = {"warned": 0, "overdue": 0}
    for dossier in running.filter(
        due_at__gt=now, due_at__lte=horizon, warned_at__isnull=True
    ).iterator():
        with transaction.atomic():
            # Claim the warning first: a second job running at the same time sends nothing.
            if not Dossier.objects.filter(pk=dossier.pk, warned_at__isnull=True).update(
                warned_at=now
            ):
                continue
            local_due = timezone.localtime(dossier.due_at)
            notify(
                _leaders_and_holder(dossier),
                _("Dossier %(code)s is due at %(due)s")
                % {"code": dossier.code, "due": local_due.strftime("%H:%M %d/%m/%Y")},
                body=dossier.procedure_version.name,
                url=f"/dossiers/{dossier.code}/",
                topic=f"deadline:{dossier.code}",
            )
            counts["warned"] += 1
    for dossier in running.filter(due_at__lte=now, is_overdue=False).iterator():
        with transaction.atomic():
            if not Dossier.objects.filter(pk=dossier.pk, is_overdue=False).update(is_overdue=True):
                continue
            record_event(
                "dossier.overdue",
                dossier,
                agency=dossier.current_agency,
                changes={"due_at": dossier.due_at},
            )
            notify(
                _leaders_and_holder(dossier),
                _("Dossier %(code)s is overdue") % {"code": dossier.code},
                body=_("Issue an apology with a new appointment (form 04)."),
                url=f"/dossiers/{dossier.code}/",
                topic=f"overdue:{dossier.code}",
            )
            counts["overdue"] += 1
    return counts

"""The statutory clock: appointment, per-step due dates, pauses, early / on time / late.

Rules (§1.4): the clock starts when a complete dossier is received; time counts in working
days (or hours) of the province's calendar; some procedures count a dossier received after
15:00 from the next working day; pauses for supplements do not count; the result is early,
on time or late against the appointment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from egov.catalog.models import ProcedureVersion, TimeUnit
from egov.core.workdays import WorkingCalendar, get_calendar

from .models import Timeliness

CUTOFF = dt.time(15, 0)


def office_close(calendar: WorkingCalendar, day: dt.date) -> dt.datetime:
    """End of the last office session of ``day`` (the appointment time for day-counted results)."""
    return dt.datetime.combine(day, calendar.sessions[-1][1], calendar.tz)


def office_open(calendar: WorkingCalendar, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, calendar.sessions[0][0], calendar.tz)


def clock_start(
    received_at: dt.datetime, version: ProcedureVersion, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """When counting starts: at receipt, or the next working morning for the after-15:00 rule
    (and for a dossier received outside a working day)."""
    calendar = calendar or get_calendar()
    local = timezone.localtime(received_at, calendar.tz)
    if not calendar.is_working_day(local.date()) or (
        version.after_15h_next_day and local.time() >= CUTOFF
    ):
        return office_open(calendar, calendar.next_working_day(local.date()))
    return local


def appointment(
    received_at: dt.datetime, version: ProcedureVersion, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """The statutory appointment (ngày hẹn trả) for a dossier received at ``received_at``.

    Day-counted procedures are due at the close of office on the N-th working day after the
    start (a "same-day" procedure, N = 0, at the close of the start day); hour-counted ones
    after N office hours.
    """
    calendar = calendar or get_calendar()
    start = clock_start(received_at, version, calendar)
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_hours(start, float(version.time_value))
    whole = int(version.time_value)
    due_day = calendar.add_working_days(start.date(), whole)
    fraction = version.time_value - whole
    if fraction:
        return calendar.add_working_hours(
            office_close(calendar, due_day), float(fraction) * hours_per_day(calendar)
        )
    return office_close(calendar, due_day)


def hours_per_day(calendar: WorkingCalendar) -> float:
    return sum(
        (
            dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)
        ).total_seconds()
        / 3600
        for start, end in calendar.sessions
    )


def step_due(
    start: dt.datetime, days: Decimal, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """Due moment of a workflow step allotted ``days`` working days from ``start``.

    A step with no allotted time (receiving, handing over, assigning) is due by the close of
    office of the day it starts: done that day it is on time, not late.
    """
    calendar = calendar or get_calendar()
    if not days:
        day = timezone.localtime(start, calendar.tz).date()
        if not calendar.is_working_day(day):
            day = calendar.next_working_day(day)
        return office_close(calendar, day)
    return calendar.add_working_hours(start, float(days) * hours_per_day(calendar))


def extend(
    due_at: dt.datetime, hours: float, calendar: WorkingCalendar | None = None
) -> dt.datetime:
    """Push a due moment back by ``hours`` office hours (a pause that has ended)."""
    calendar = calendar or get_calendar()
    return calendar.add_working_hours(due_at, hours) if hours > 0 else due_at


def paused_hours(
    started: dt.datetime, ended: dt.datetime, calendar: WorkingCalendar | None = None
) -> float:
    calendar = calendar or get_calendar()
    return max(0.0, calendar.working_hours_between(started, ended))


def timeliness(done_at: dt.datetime, due_at: dt.datetime) -> str:
    """Early when done on an earlier day than the appointment, late after it, else on time."""
    if done_at > due_at:
        return Timeliness.LATE
    if timezone.localdate(done_at) < timezone.localdate(due_at):
        return Timeliness.EARLY
    return Timeliness.ON_TIME

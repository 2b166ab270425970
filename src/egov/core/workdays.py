"""The working-day calendar: statutory time limits are counted in working days or hours.

Weekends and the public holidays of the Labour Code (including Tết and the Hùng Kings'
commemoration, which follow the lunar calendar) come from the ``holidays`` package, which also
knows the swaps the government announced in past years. On top of that, an administrator
enters each year's announcement as :class:`~egov.core.models.CalendarDay` rows (extra days
off, compensatory days, Saturdays switched to working days); those rows win.

Conventions (used by the statutory clock):

* ``add_working_days(d, n)`` is the ``n``-th working day *after* ``d`` (the day of receipt is
  not counted); ``n = 0`` gives ``d`` itself.
* ``working_days_between(a, b)`` counts working days ``x`` with ``a < x <= b`` (negative when
  ``b < a``), so ``working_days_between(d, add_working_days(d, n)) == n``.
* Working hours are the office sessions of ``settings.EGOV_WORKING_HOURS`` on working days.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import transaction
from django.utils import timezone

ONE_DAY = dt.timedelta(days=1)
SATURDAY, SUNDAY = 5, 6


def _parse_sessions(pairs: Iterable[tuple[str, str]]) -> list[tuple[dt.time, dt.time]]:
    sessions = []
    for start, end in pairs:
        sessions.append((dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())))
    return sorted(sessions)


@lru_cache(maxsize=64)
def _statutory(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays, weekend days switched to working days) of ``year`` from the package."""
    calendar = holidays.country_holidays("VN", years=year)
    days_off = frozenset(day for day in calendar if day.year == year)
    switched = frozenset(
        day for day in getattr(calendar, "weekend_workdays", ()) if day.year == year
    )
    return days_off, switched


class WorkingCalendar:
    """Answers "is this a working day?" and counts working days and hours."""

    def __init__(
        self,
        overrides: dict[dt.date, bool] | None = None,
        sessions: Iterable[tuple[str, str]] | None = None,
    ):
        """``overrides`` maps a date to True (working) or False (day off)."""
        self.overrides = dict(overrides or {})
        self.sessions = _parse_sessions(sessions or settings.EGOV_WORKING_HOURS)
        self.tz = timezone.get_default_timezone()

    # --- days ---------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        days_off, switched = _statutory(day.year)
        if day in switched:
            return True
        return day.weekday() not in (SATURDAY, SUNDAY) and day not in days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        day -= ONE_DAY
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (before it when ``count`` < 0)."""
        step = self.next_working_day if count >= 0 else self.previous_working_day
        for _ in range(abs(count)):
            day = step(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days ``x`` with ``start < x <= end``; negative when ``end < start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start + ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += ONE_DAY
        return count

    # --- hours --------------------------------------------------------------------------
    def _sessions_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, start, self.tz), dt.datetime.combine(day, end, self.tz))
            for start, end in self.sessions
        ]

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment when ``hours`` of office time have passed after ``start``."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        moment = timezone.localtime(start, self.tz)
        remaining = dt.timedelta(hours=hours)
        day = moment.date()
        while True:
            for begin, end in self._sessions_on(day):
                if end <= moment:
                    continue
                begin = max(begin, moment)
                available = end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += ONE_DAY

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Office hours between two moments (negative when ``end`` is before ``start``)."""
        if end < start:
            return -self.working_hours_between(end, start)
        start, end = timezone.localtime(start, self.tz), timezone.localtime(end, self.tz)
        total = dt.timedelta()
        day = start.date()
        while day <= end.date():
            for begin, finish in self._sessions_on(day):
                overlap = min(finish, end) - max(begin, start)
                if overlap > dt.timedelta():
                    total += overlap
            day += ONE_DAY
        return total.total_seconds() / 3600


# --- the province's calendar, shared by a process --------------------------------------------
_cache_lock = threading.Lock()
_cached: tuple[float, WorkingCalendar] | None = None
CACHE_SECONDS = 60


_pending = threading.local()  # an override changed in a transaction not yet committed


def _build_calendar() -> WorkingCalendar:
    from .models import CalendarDay

    overrides = {
        row.date: row.kind == CalendarDay.Kind.WORKING_DAY for row in CalendarDay.objects.all()
    }
    return WorkingCalendar(overrides)


def get_calendar() -> WorkingCalendar:
    """The calendar with the administrator's overrides, cached for a minute per process.

    Saving or deleting an override clears the cache of the process that did it when the
    transaction commits; other processes see the change within ``CACHE_SECONDS``. While the
    changing transaction is open, the calendar is built fresh and not cached, so a rolled-back
    override is never served from the cache.
    """
    global _cached
    if getattr(_pending, "dirty", False):
        if transaction.get_connection().in_atomic_block:
            return _build_calendar()
        _pending.dirty = False  # the transaction ended without committing: rolled back
        clear_calendar_cache()
    with _cache_lock:
        if _cached and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    calendar = _build_calendar()
    with _cache_lock:
        _cached = (time.monotonic(), calendar)
    return calendar


def clear_calendar_cache() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def _committed() -> None:
    _pending.dirty = False
    clear_calendar_cache()


def calendar_changed() -> None:
    """Called when an override is saved or deleted (signal receiver)."""
    clear_calendar_cache()
    if transaction.get_connection().in_atomic_block:
        _pending.dirty = True
        transaction.on_commit(_committed)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """Module-level shortcut on the province's calendar."""
    return get_calendar().add_working_days(day, count)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return get_calendar().working_days_between(start, end)


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    return get_calendar().add_working_hours(start, hours)


def working_hours_between(start: dt.datetime, end: dt.datetime) -> float:
    return get_calendar().working_hours_between(start, end)


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)

"""The working-day calendar, as the one-stop-shop desk counts statutory time limits.

A dossier received on some day is due ``n`` working days later: weekends, Tết, Hùng Kings'
day, 30/4, 1/5 and National Day do not count, nor do the extra days off the government
announces; a Saturday switched to a working day does count. Hour-based limits count only the
office sessions (07:30–11:30 and 13:30–17:00 by default).
"""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.core import services
from egov.core.models import AuditEvent, CalendarDay
from egov.core.workdays import (
    WorkingCalendar,
    add_working_days,
    clear_calendar_cache,
    is_working_day,
    working_days_between,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_SESSIONS = [("07:30", "11:30"), ("13:30", "17:00")]
D = dt.date


def at(year, month, day, hour=0, minute=0):
    """A moment in Vietnam (the clock on the wall of the one-stop-shop desk)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def calendar():
    """The statutory calendar alone (holidays package), with the default office sessions."""
    return WorkingCalendar()


@pytest.fixture(autouse=True)
def _fresh_province_calendar():
    """Each scenario starts from what the database says, not from another test's cache."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()


# --- properties: 2018–2030, any day, any number of days -----------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)
days = st.dates(min_value=D(2018, 1, 1), max_value=D(2030, 12, 31))
day_counts = st.integers(min_value=0, max_value=60)
moments = st.datetimes(
    min_value=dt.datetime(2018, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(HCM),
)
hours = st.integers(min_value=0, max_value=800).map(lambda quarters: quarters / 4)


def in_office_session(moment: dt.datetime) -> bool:
    clock = moment.astimezone(HCM).time()
    return any(
        dt.time.fromisoformat(start) <= clock <= dt.time.fromisoformat(end)
        for start, end in OFFICE_SESSIONS
    )


@PROPERTY_SETTINGS
@given(day=days, n=day_counts)
def test_counting_back_from_a_due_date_gives_the_time_limit(day, n):
    calendar = WorkingCalendar()
    assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n


@PROPERTY_SETTINGS
@given(day=days, n=st.integers(min_value=1, max_value=60))
def test_a_due_date_is_a_working_day_after_the_day_of_receipt(day, n):
    calendar = WorkingCalendar()
    due = calendar.add_working_days(day, n)
    assert due > day
    assert calendar.is_working_day(due)


@PROPERTY_SETTINGS
@given(day=days, n=day_counts, more=st.integers(min_value=1, max_value=20))
def test_a_longer_time_limit_never_ends_earlier(day, n, more):
    calendar = WorkingCalendar()
    assert calendar.add_working_days(day, n) < calendar.add_working_days(day, n + more)


@PROPERTY_SETTINGS
@given(day=days, n=day_counts)
def test_counting_back_from_a_working_day_returns_to_it(day, n):
    calendar = WorkingCalendar()
    start = day if calendar.is_working_day(day) else calendar.next_working_day(day)
    assert calendar.add_working_days(calendar.add_working_days(start, n), -n) == start


@PROPERTY_SETTINGS
@given(a=days, b=days)
def test_days_between_swapped_dates_changes_sign(a, b):
    calendar = WorkingCalendar()
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)


@PROPERTY_SETTINGS
@given(a=days, b=days, c=days)
def test_days_between_adds_up_over_an_intermediate_date(a, b, c):
    calendar = WorkingCalendar()
    assert calendar.working_days_between(a, c) == (
        calendar.working_days_between(a, b) + calendar.working_days_between(b, c)
    )


@PROPERTY_SETTINGS
@given(start=moments, h=hours)
def test_counting_office_hours_back_gives_the_time_limit(start, h):
    calendar = WorkingCalendar()
    end = calendar.add_working_hours(start, h)
    assert end >= start
    assert calendar.working_hours_between(start, end) == pytest.approx(h, abs=1e-9)
    assert calendar.working_hours_between(end, start) == pytest.approx(-h, abs=1e-9)


@PROPERTY_SETTINGS
@given(start=moments, h=hours.filter(lambda value: value > 0))
def test_an_hour_limit_ends_inside_an_office_session_of_a_working_day(start, h):
    calendar = WorkingCalendar()
    end = calendar.add_working_hours(start, h)
    assert calendar.is_working_day(end.astimezone(HCM).date())
    assert in_office_session(end)


def test_the_default_office_sessions_are_morning_and_afternoon(calendar):
    assert [(s.isoformat("minutes"), e.isoformat("minutes")) for s, e in calendar.sessions] == (
        OFFICE_SESSIONS
    )


# --- the government's announcements --------------------------------------------------------


@pytest.mark.parametrize(
    "day_off",
    [
        pytest.param(D(2025, 1, 27), id="Tết Ất Tỵ: Mon 27/01/2025 (29 Tết)"),
        pytest.param(D(2025, 1, 28), id="Tết Ất Tỵ: Tue 28/01/2025 (30 Tết)"),
        pytest.param(D(2025, 1, 29), id="Tết Ất Tỵ: Wed 29/01/2025 (mùng 1)"),
        pytest.param(D(2025, 1, 30), id="Tết Ất Tỵ: Thu 30/01/2025 (mùng 2)"),
        pytest.param(D(2025, 1, 31), id="Tết Ất Tỵ: Fri 31/01/2025 (mùng 3)"),
        pytest.param(D(2025, 4, 7), id="Giỗ Tổ Hùng Vương: Mon 07/04/2025 (10/3 âm lịch)"),
        pytest.param(D(2025, 4, 30), id="Giải phóng miền Nam: Wed 30/04/2025"),
        pytest.param(D(2025, 5, 1), id="Quốc tế Lao động: Thu 01/05/2025"),
        pytest.param(D(2025, 5, 2), id="nghỉ bù: Fri 02/05/2025 (swapped with Sat 26/04)"),
        pytest.param(D(2025, 9, 1), id="Quốc khánh: Mon 01/09/2025"),
        pytest.param(D(2025, 9, 2), id="Quốc khánh: Tue 02/09/2025"),
        pytest.param(D(2026, 2, 16), id="Tết Bính Ngọ: Mon 16/02/2026"),
        pytest.param(D(2026, 2, 17), id="Tết Bính Ngọ: Tue 17/02/2026"),
        pytest.param(D(2026, 2, 18), id="Tết Bính Ngọ: Wed 18/02/2026"),
        pytest.param(D(2026, 2, 19), id="Tết Bính Ngọ: Thu 19/02/2026"),
        pytest.param(D(2026, 2, 20), id="Tết Bính Ngọ: Fri 20/02/2026"),
    ],
)
def test_announced_days_off_are_not_working_days(calendar, day_off):
    assert day_off.weekday() < 5  # each of them would be a working day otherwise
    assert not calendar.is_working_day(day_off)


@pytest.mark.parametrize(
    "working_day",
    [
        pytest.param(D(2025, 1, 24), id="last day before Tết Ất Tỵ: Fri 24/01/2025"),
        pytest.param(D(2025, 2, 3), id="first day after Tết Ất Tỵ: Mon 03/02/2025"),
        pytest.param(D(2025, 4, 26), id="Saturday 26/04/2025 worked in exchange for 02/05"),
        pytest.param(D(2025, 4, 8), id="the day after Hùng Kings' day: Tue 08/04/2025"),
        pytest.param(D(2025, 9, 3), id="first day after National Day: Wed 03/09/2025"),
        pytest.param(D(2026, 2, 23), id="first day after Tết Bính Ngọ: Mon 23/02/2026"),
    ],
)
def test_days_around_the_holidays_are_working_days(calendar, working_day):
    assert calendar.is_working_day(working_day)


@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        pytest.param(D(2025, 1, 24), 1, D(2025, 2, 3), id="Fri before Tết 2025 +1 → Mon 03/02"),
        pytest.param(D(2025, 1, 24), 3, D(2025, 2, 5), id="Fri before Tết 2025 +3 → Wed 05/02"),
        pytest.param(D(2025, 8, 29), 1, D(2025, 9, 3), id="Fri 29/08/2025 +1 → Wed 03/09"),
        pytest.param(D(2026, 2, 13), 1, D(2026, 2, 23), id="Fri before Tết 2026 +1 → Mon 23/02"),
        pytest.param(D(2025, 4, 4), 1, D(2025, 4, 8), id="Fri 04/04/2025 +1 → Tue 08/04"),
        pytest.param(D(2025, 4, 25), 1, D(2025, 4, 26), id="Fri 25/04/2025 +1 → Sat 26/04"),
        pytest.param(D(2025, 4, 29), 1, D(2025, 5, 5), id="Tue 29/04/2025 +1 → Mon 05/05"),
        pytest.param(D(2025, 3, 10), 5, D(2025, 3, 17), id="normal week: Mon 10/03 +5 → Mon 17/03"),
    ],
)
def test_due_date_of_a_dossier_skips_weekends_and_holidays(calendar, received, limit, due):
    assert calendar.add_working_days(received, limit) == due
    assert calendar.working_days_between(received, due) == limit


def test_the_tet_2025_break_runs_from_friday_to_monday(calendar):
    assert calendar.previous_working_day(D(2025, 1, 27)) == D(2025, 1, 24)
    assert calendar.next_working_day(D(2025, 1, 24)) == D(2025, 2, 3)
    assert calendar.working_days_between(D(2025, 1, 24), D(2025, 2, 3)) == 1


def test_a_dossier_received_on_a_holiday_counts_from_the_next_working_day(calendar):
    """Received on mùng 2 Tết (online, the portal never closes): day 1 is Mon 03/02/2025."""
    assert calendar.add_working_days(D(2025, 1, 30), 1) == D(2025, 2, 3)
    assert calendar.add_working_days(D(2025, 1, 30), 0) == D(2025, 1, 30)


# --- the province's administrator enters the yearly announcement -------------------------


def test_an_extra_day_off_moves_the_due_date_by_one_working_day(db):
    received = D(2025, 3, 10)  # Monday
    assert add_working_days(received, 5) == D(2025, 3, 17)

    services.set_calendar_day(
        None, D(2025, 3, 12), CalendarDay.Kind.DAY_OFF, "Nghỉ theo thông báo của UBND tỉnh"
    )

    assert not is_working_day(D(2025, 3, 12))
    assert add_working_days(received, 5) == D(2025, 3, 18)
    assert working_days_between(received, D(2025, 3, 18)) == 5


def test_a_saturday_switched_to_a_working_day_counts(db):
    saturday = D(2025, 3, 15)
    assert not is_working_day(saturday)

    services.set_calendar_day(None, saturday, CalendarDay.Kind.WORKING_DAY, "Làm bù cho ngày nghỉ")

    assert is_working_day(saturday)
    assert add_working_days(D(2025, 3, 10), 5) == saturday


def test_an_override_can_turn_a_statutory_holiday_into_a_working_day(db):
    """The administrator's rows win over the holidays package."""
    services.set_calendar_day(
        None, D(2025, 5, 2), CalendarDay.Kind.WORKING_DAY, "Không áp dụng nghỉ bù"
    )
    assert is_working_day(D(2025, 5, 2))


def test_withdrawing_an_override_restores_the_previous_due_date(db):
    received = D(2025, 3, 10)
    day = services.set_calendar_day(None, D(2025, 3, 12), CalendarDay.Kind.DAY_OFF, "Nhập nhầm")
    assert add_working_days(received, 5) == D(2025, 3, 18)

    services.remove_calendar_day(None, day)

    assert is_working_day(D(2025, 3, 12))
    assert add_working_days(received, 5) == D(2025, 3, 17)


def test_changing_an_override_takes_effect_at_once(db):
    services.set_calendar_day(None, D(2025, 3, 15), CalendarDay.Kind.WORKING_DAY, "Làm bù")
    assert is_working_day(D(2025, 3, 15))
    services.set_calendar_day(None, D(2025, 3, 15), CalendarDay.Kind.DAY_OFF, "Hủy làm bù")
    assert not is_working_day(D(2025, 3, 15))
    assert CalendarDay.objects.filter(date=D(2025, 3, 15)).count() == 1


def test_each_override_is_written_to_the_audit_trail(db, officials):
    sysadmin = officials["sysadmin"]
    day = services.set_calendar_day(
        sysadmin,
        D(2025, 3, 12),
        CalendarDay.Kind.DAY_OFF,
        "Nghỉ theo thông báo",
        legal_basis="Thông báo 12/TB-UBND",
    )
    services.remove_calendar_day(sysadmin, day)

    set_event, remove_event = AuditEvent.objects.filter(
        action__in=["calendar.set", "calendar.remove"]
    ).order_by("seq")
    assert set_event.action == "calendar.set"
    assert set_event.actor == sysadmin
    assert set_event.object_type == "core.calendarday"
    assert set_event.changes == {
        "date": [None, "2025-03-12"],
        "kind": ["", "day_off"],
        "name": ["", "Nghỉ theo thông báo"],
        "legal_basis": ["", "Thông báo 12/TB-UBND"],
    }
    assert remove_event.action == "calendar.remove"
    assert remove_event.actor == sysadmin
    assert remove_event.object_id == set_event.object_id
    assert remove_event.changes == {
        "date": "2025-03-12",
        "kind": "day_off",
        "name": "Nghỉ theo thông báo",
    }
    assert remove_event.seq == set_event.seq + 1


def test_an_override_rolled_back_with_its_transaction_is_forgotten(db):
    """The administrator enters several days of the announcement in one go; one is invalid,
    so none is saved — but a due date computed meanwhile must not keep the rejected day."""
    day = D(2025, 3, 12)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_calendar_day(None, day, CalendarDay.Kind.DAY_OFF, "Nghỉ (bị hủy)")
        assert add_working_days(D(2025, 3, 10), 5) == D(2025, 3, 18)
        raise RuntimeError("the next row of the announcement is invalid")

    assert not CalendarDay.objects.filter(date=day).exists()
    assert is_working_day(day)


def test_correcting_the_date_of_an_override_in_the_admin_moves_it(rf, officials):
    """The administrator typed 12/03 instead of 13/03 and corrects the row in the admin."""
    sysadmin = officials["sysadmin"]
    typo = services.set_calendar_day(sysadmin, D(2025, 3, 12), CalendarDay.Kind.DAY_OFF, "Nghỉ")
    request = rf.post("/admin/core/calendarday/")
    request.user = sysadmin
    model_admin = admin.site._registry[CalendarDay]

    typo.date = D(2025, 3, 13)  # what the change form does with the edited field
    model_admin.save_model(request, typo, form=None, change=True)

    assert list(CalendarDay.objects.values_list("date", flat=True)) == [D(2025, 3, 13)]
    assert is_working_day(D(2025, 3, 12))
    assert not is_working_day(D(2025, 3, 13))


@pytest.mark.django_db(transaction=True)
def test_a_committed_override_replaces_the_cached_calendar_at_once():
    day = D(2025, 3, 12)
    assert is_working_day(day)  # the calendar is now cached for a minute

    override = services.set_calendar_day(None, day, CalendarDay.Kind.DAY_OFF, "Nghỉ")
    assert not is_working_day(day)

    services.remove_calendar_day(None, override)
    assert is_working_day(day)


@pytest.mark.django_db(transaction=True)
def test_a_due_date_computed_by_another_desk_during_the_save_is_not_kept_after_commit():
    """Another request thread reads the calendar while the override is not yet committed:
    it must not leave the old calendar in the cache once the override commits."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent readers during a write are a PostgreSQL deployment")
    day = D(2025, 3, 12)
    seen_by_other_desk = []

    def other_desk():
        try:
            seen_by_other_desk.append(is_working_day(day))
        finally:
            connection.close()

    with transaction.atomic():
        services.set_calendar_day(None, day, CalendarDay.Kind.DAY_OFF, "Nghỉ")
        desk = threading.Thread(target=other_desk)
        desk.start()
        desk.join(timeout=30)
        assert seen_by_other_desk == [True]  # the override is not committed yet

    assert not is_working_day(day)


# --- time limits in working hours -----------------------------------------------------------


@pytest.fixture
def office():
    """Office sessions 07:30–11:30 and 13:30–17:00."""
    return WorkingCalendar(sessions=OFFICE_SESSIONS)


def test_eight_hours_received_friday_afternoon_end_monday_afternoon(office):
    """Fri 14/03 15:00–17:00 = 2 h; Mon 17/03 07:30–11:30 = 4 h; 13:30 + 2 h = 15:30."""
    received = at(2025, 3, 14, 15, 0)
    assert office.add_working_hours(received, 8) == at(2025, 3, 17, 15, 30)
    assert office.working_hours_between(received, at(2025, 3, 17, 15, 30)) == 8


def test_hours_received_at_lunch_start_counting_at_1330(office):
    received = at(2025, 3, 12, 12, 0)
    assert office.add_working_hours(received, 0) == at(2025, 3, 12, 13, 30)
    assert office.add_working_hours(received, 2) == at(2025, 3, 12, 15, 30)
    assert office.working_hours_between(received, at(2025, 3, 12, 13, 30)) == 0


def test_hours_received_on_a_sunday_start_monday_morning(office):
    received = at(2025, 3, 16, 10, 0)  # Sunday
    assert office.add_working_hours(received, 0) == at(2025, 3, 17, 7, 30)
    assert office.add_working_hours(received, 1) == at(2025, 3, 17, 8, 30)


def test_hours_received_after_closing_time_start_the_next_morning(office):
    received = at(2025, 3, 12, 17, 30)
    assert office.add_working_hours(received, 3.5) == at(2025, 3, 13, 11, 0)


def test_hours_limit_ending_at_closing_time_ends_that_day(office):
    received = at(2025, 3, 12, 13, 30)
    assert office.add_working_hours(received, 3.5) == at(2025, 3, 12, 17, 0)


def test_four_hours_received_before_tet_2025_end_after_tet(office):
    received = at(2025, 1, 24, 16, 0)  # Friday, last afternoon before Tết Ất Tỵ
    assert office.add_working_hours(received, 4) == at(2025, 2, 3, 10, 30)


def test_a_received_time_given_in_utc_is_read_on_the_vietnamese_clock(office):
    received_utc = dt.datetime(2025, 3, 14, 8, 0, tzinfo=dt.UTC)  # 15:00 in Hà Nội
    assert office.add_working_hours(received_utc, 8) == at(2025, 3, 17, 15, 30)


def test_negative_hours_are_refused(office):
    with pytest.raises(ValueError, match="negative"):
        office.add_working_hours(at(2025, 3, 14, 15, 0), -1)

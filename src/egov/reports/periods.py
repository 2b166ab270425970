"""Reporting periods of Decision 766/QĐ-TTg: month, quarter, 6 months, 9 months, year.

Written ``YYYY`` (year), ``YYYY-Qn`` (quarter), ``YYYY-MM`` (month), ``YYYY-H1`` / ``YYYY-H2``
(half year; H1 is the "6 months" report) and ``YYYY-9M`` (the first nine months).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PATTERN = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|9M|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # year, quarter, half, nine_months, month

    @property
    def label(self) -> str:
        start, end = self.start.strftime("%d/%m/%Y"), self.end.strftime("%d/%m/%Y")
        return _("%(code)s (%(start)s – %(end)s)") % {"code": self.code, "start": start, "end": end}

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes: Vietnam midnight of the first day and of the day after the last."""
        first = timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))
        after = timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )
        return first, after

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month of the period, in order."""
        year, month, out = self.start.year, self.start.month, []
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(value: str | None) -> Period:
    """The period ``value`` names; ``ValidationError`` with a message a person can act on."""
    text = (value or "").strip().upper()
    match = PATTERN.match(text)
    if not match:
        raise ValidationError(
            _(
                "“%(value)s” is not a period. Write YYYY (a year), YYYY-Qn (a quarter, n = 1–4), "
                "YYYY-MM (a month), YYYY-H1 / YYYY-H2 (a half year) or YYYY-9M (nine months)."
            )
            % {"value": value or ""},
            code="period",
        )
    year, part = int(match.group(1)), match.group(2)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must be between 2000 and 2100."), code="period")
    if part is None:
        return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    if part.startswith("Q"):
        quarter = int(part[1])
        first_month = 3 * (quarter - 1) + 1
        return Period(
            text, dt.date(year, first_month, 1), _month_end(year, first_month + 2), "quarter"
        )
    if part == "H1":
        return Period(text, dt.date(year, 1, 1), dt.date(year, 6, 30), "half")
    if part == "H2":
        return Period(text, dt.date(year, 7, 1), dt.date(year, 12, 31), "half")
    if part == "9M":
        return Period(text, dt.date(year, 1, 1), dt.date(year, 9, 30), "nine_months")
    month = int(part)
    if not 1 <= month <= 12:
        raise ValidationError(_("The month must be between 01 and 12."), code="period")
    return Period(text, dt.date(year, month, 1), _month_end(year, month), "month")


def current_year() -> str:
    return str(timezone.localdate().year)


def period_choices(year: int) -> list[tuple[str, str]]:
    """The periods of ``year`` offered in the period picker."""
    choices = [(str(year), _("Year %(year)s") % {"year": year})]
    choices += [(f"{year}-9M", _("Nine months %(year)s") % {"year": year})]
    choices += [(f"{year}-H{h}", _("Half %(h)s/%(year)s") % {"h": h, "year": year}) for h in (1, 2)]
    choices += [
        (f"{year}-Q{q}", _("Quarter %(q)s/%(year)s") % {"q": q, "year": year}) for q in range(1, 5)
    ]
    choices += [
        (f"{year}-{m:02d}", _("Month %(m)s/%(year)s") % {"m": f"{m:02d}", "year": year})
        for m in range(1, 13)
    ]
    return choices

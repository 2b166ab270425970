"""Dossier codes ``<receiving agency code>-<YYMMDD>-<NNNN>``: unique and continuous per agency
per day, with no gap and no duplicate under concurrent intake.

The counter row of (agency, day) is incremented with an upsert (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, PostgreSQL and SQLite ≥ 3.35) and stays locked for the rest of the
issuing transaction, so two desks receiving at the same moment get consecutive numbers; if the
intake fails and rolls back, the number goes back too (no gap).
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone

from egov.core.models import Agency

from .models import CodeCounter, TrackingCounter

DEFAULT_PATTERN = "{agency}-{date:%y%m%d}-{number:04d}"


def _next(model, lookup: dict) -> int:
    """Increment the counter row identified by ``lookup`` (creating it at 1) and return the
    new value, in one statement that keeps the row locked until the transaction ends."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in lookup]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    last = connection.ops.quote_name("last")
    # Only quoted model and column names are interpolated; the values are parameters.
    values = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {table} ({names}, {last}) VALUES ({values}, 1) "  # noqa: S608
        f"ON CONFLICT ({names}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    params = [
        field.get_db_prep_value(getattr(value, "pk", value), connection)
        for field, value in zip(fields, lookup.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def issue_code(agency: Agency, at: dt.datetime | None = None) -> str:
    """The next dossier code of ``agency`` for the (Vietnam) day of ``at``. Call inside the
    transaction that stores the dossier."""
    day = timezone.localdate(at or timezone.now())
    number = _next(CodeCounter, {"agency": agency, "day": day})
    pattern = getattr(settings, "EGOV_DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    return pattern.format(agency=agency.code, date=day, number=number)


def issue_tracking_number(agency: Agency, at: dt.datetime) -> int:
    """Next row of the agency's tracking book (sổ theo dõi hồ sơ) for the year."""
    return _next(TrackingCounter, {"agency": agency, "year": timezone.localdate(at).year})

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


def _upsert(model, lookup: dict, source: str = "") -> tuple[str, list]:
    """The statement that increments the counter row identified by ``lookup`` (creating it
    at 1) and returns the new value, and its parameters. With ``source`` (a CTE name) the row
    is written only after that CTE ran, which fixes the order the two counters are locked in."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in lookup]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    last = connection.ops.quote_name("last")
    # Only quoted model and column names are interpolated; the values are parameters.
    values = ", ".join(["%s"] * len(fields))
    rows = f"SELECT {values}, 1 FROM {source}" if source else f"VALUES ({values}, 1)"  # noqa: S608
    sql = (
        f"INSERT INTO {table} ({names}, {last}) {rows} "  # noqa: S608
        f"ON CONFLICT ({names}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    params = [
        field.get_db_prep_value(getattr(value, "pk", value), connection)
        for field, value in zip(fields, lookup.values(), strict=True)
    ]
    return sql, params


def _next(model, lookup: dict) -> int:
    """Increment the counter row identified by ``lookup`` and return the new value, in one
    statement that keeps the row locked until the transaction ends."""
    sql, params = _upsert(model, lookup)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def issue_code(agency: Agency, at: dt.datetime | None = None) -> str:
    """The next dossier code of ``agency`` for the (Vietnam) day of ``at``. Call inside the
    transaction that stores the dossier."""
    day = timezone.localdate(at or timezone.now())
    number = _next(CodeCounter, {"agency": agency, "day": day})
    return _code(agency, day, number)


def issue_tracking_number(agency: Agency, at: dt.datetime) -> int:
    """Next row of the agency's tracking book (sổ theo dõi hồ sơ) for the year."""
    return _next(TrackingCounter, {"agency": agency, "year": timezone.localdate(at).year})


def issue_code_and_tracking_number(agency: Agency, at: dt.datetime) -> tuple[str, int]:
    """:func:`issue_code` and :func:`issue_tracking_number` of a receipt. On PostgreSQL both
    counters move in one statement (the code's first, as when called one by one): a round trip
    less on every counter intake."""
    if connection.vendor != "postgresql":
        return issue_code(agency, at), issue_tracking_number(agency, at)
    day = timezone.localdate(at)
    code_sql, code_params = _upsert(CodeCounter, {"agency": agency, "day": day})
    book_sql, book_params = _upsert(
        TrackingCounter, {"agency": agency, "year": day.year}, source="code"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH code AS ({code_sql}) {book_sql}, (SELECT last FROM code)",  # noqa: S608
            [*code_params, *book_params],
        )
        tracking, number = cursor.fetchone()
    return _code(agency, day, number), tracking


def _code(agency: Agency, day: dt.date, number: int) -> str:
    """The code of the ``number``-th dossier of ``agency`` on ``day`` (configurable pattern)."""
    pattern = getattr(settings, "EGOV_DOSSIER_CODE_PATTERN", DEFAULT_PATTERN)
    return pattern.format(agency=agency.code, date=day, number=number)

"""Numbers of the yearly registers (sổ văn bản đi / đến) and the symbols of Decree 30/2020.

A number is continuous within a calendar year per agency and never issued twice: the counter
row of (agency, year) is incremented with the same upsert as the dossier codes
(``INSERT … ON CONFLICT DO UPDATE … RETURNING``) and stays locked until the issuing
transaction ends, so two clerks releasing at once get consecutive numbers and a release that
rolls back gives its number back (no gap).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from egov.dossiers.codes import _next

from .models import IncomingCounter, OutgoingCounter


def padded(number: int) -> str:
    """Arabic digits, zero-padded below 10 (Decree 30/2020, Appendix I): 5 → "05"."""
    return f"{number:02d}"


def next_outgoing_number(agency, at: dt.datetime | None = None) -> tuple[int, int]:
    """(year, number) from the agency's outgoing register for the Vietnam date of ``at``."""
    year = timezone.localdate(at or timezone.now()).year
    return year, _next(OutgoingCounter, {"agency": agency, "year": year})


def next_incoming_number(agency, at: dt.datetime | None = None) -> tuple[int, int]:
    """(year, number) from the agency's incoming register (paper and electronic share it)."""
    year = timezone.localdate(at or timezone.now()).year
    return year, _next(IncomingCounter, {"agency": agency, "year": year})


def symbol(number: int, doc_type, agency, drafting_unit=None) -> str:
    """Số, ký hiệu: ``15/QĐ-UBND``; for a công văn ``125/SGDĐT-VP`` (agency, drafting unit).

    ``/`` before the symbol, ``-`` between groups, no spaces.
    """
    agency_abbr = (agency.short_name or agency.code).replace(" ", "")
    if doc_type.is_letter:
        unit_abbr = (drafting_unit.short_name if drafting_unit else "").replace(" ", "")
        groups = [agency_abbr, unit_abbr] if unit_abbr else [agency_abbr]
    else:
        groups = [doc_type.abbreviation, agency_abbr]
    return f"{padded(number)}/{'-'.join(groups)}"

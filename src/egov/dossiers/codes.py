"""Dossier codes ``<receiving agency code>-<YYMMDD>-<NNNN>``: unique and continuous per agency
per day, with no gap and no duplicate under concurrent intake.

The counter row of (agency, day) is locked for the rest of the issuing transaction, so two
desks receiving at the same moment get consecutive numbers; if the intake fails and rolls
back, the number goes back too (no gap).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from egov.core.models import Agency

from .models import CodeCounter, TrackingCounter

DEFAULT_PATTERN = "{agency}-{date:%y%m%d}-{number:04d}"


def _next(model, lookup: dict) -> int:
    """Increment the locked counter row identified by ``lookup`` and return the new value."""
    while True:
        counter = model.objects.select_for_update().filter(**lookup).first()
        if counter is not None:
            counter.last += 1
            counter.save(update_fields=["last"])
            return counter.last
        try:
            with transaction.atomic():  # savepoint: another desk may create the row first
                model.objects.create(**lookup, last=1)
            return 1
        except IntegrityError:
            continue


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

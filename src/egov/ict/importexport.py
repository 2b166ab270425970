"""XLSX import of the inventory, in the background with its progress, like the catalogue's
(:mod:`egov.catalog.importexport`, whose sheet readers this module reuses).

The workbook has two sheets, each row keyed by the agency code (QCVN 102:2016):

- "Hạ tầng": one agency profile per row (officials, mailboxes, LAN, networks) for a period;
  a row for an agency and start date already recorded updates that profile;
- "Máy tính": computers of one type acquired in one year; a row for an agency, type, year
  and start date already recorded updates its count.

Each row is saved in its own transaction through :mod:`egov.ict.services`; a refused row
changes nothing and is listed with its sheet, row number and reasons.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.catalog.importexport import (
    ImportFileError,
    _boolean,
    _read_bytes,
    _sheet_rows,
    _whole,
)
from egov.core.audit import record_event
from egov.core.models import Agency

from . import services
from .models import AgencyInfrastructure, Computer, ComputerKind, ImportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 25

SHEET_PROFILES = "Hạ tầng"
SHEET_COMPUTERS = "Máy tính"
PROFILE_COLUMNS = [
    ("code", "Mã cơ quan"),
    ("valid_from", "Từ ngày"),
    ("valid_to", "Đến ngày"),
    ("officials", "Số CBCCVC"),
    ("officials_with_computer", "Số CBCCVC có máy tính"),
    ("mailboxes", "Số hộp thư"),
    ("officials_with_mailbox", "Số CBCCVC có hộp thư"),
    ("has_lan", "Có mạng LAN"),
    ("lan_firewall", "LAN có tường lửa"),
    ("dedicated_network", "Kết nối mạng chuyên dùng"),
    ("internet", "Kết nối Internet"),
]
COMPUTER_COLUMNS = [
    ("code", "Mã cơ quan"),
    ("kind", "Loại máy"),
    ("count", "Số lượng"),
    ("acquired_year", "Năm trang bị"),
    ("valid_from", "Từ ngày"),
    ("valid_to", "Đến ngày"),
]
KIND_NAMES = {
    "may tinh de ban": ComputerKind.DESKTOP,
    "may tinh xach tay": ComputerKind.LAPTOP,
    "may chu": ComputerKind.SERVER,
    "khac": ComputerKind.OTHER,
    **{kind.value: kind for kind in ComputerKind},
}


def template_xlsx() -> bytes:
    """An empty workbook with both sheets and their headings."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = SHEET_PROFILES
    first.append([header for _key, header in PROFILE_COLUMNS])
    second = book.create_sheet(SHEET_COMPUTERS)
    second.append([header for _key, header in COMPUTER_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[tuple[str, int, dict]]:
    """(sheet, row number, values) of every filled row of both sheets."""
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is not an XLSX workbook.")) from error
    rows = [(SHEET_PROFILES, n, v) for n, v in _sheet_rows(book, SHEET_PROFILES, PROFILE_COLUMNS)]
    rows += [
        (SHEET_COMPUTERS, n, v) for n, v in _sheet_rows(book, SHEET_COMPUTERS, COMPUTER_COLUMNS)
    ]
    if (
        not rows
        and SHEET_PROFILES not in book.sheetnames
        and SHEET_COMPUTERS not in book.sheetnames
    ):
        raise ImportFileError(
            _("The workbook has neither a sheet “%(a)s” nor a sheet “%(b)s”.")
            % {"a": SHEET_PROFILES, "b": SHEET_COMPUTERS}
        )
    return rows


def start_import(actor, uploaded) -> ImportJob:
    """Record an uploaded workbook as an import job and queue it for the worker."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Log in to import an inventory."))
    from .tasks import import_inventory

    with transaction.atomic():
        job = ImportJob.objects.create(created_by=actor, file=uploaded)
        record_event(
            "ict.import_start",
            job,
            actor=actor,
            changes={"file": uploaded.name, "size": uploaded.size},
        )
        transaction.on_commit(lambda: import_inventory.enqueue(job.pk))
    return job


def _save_progress(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        **{
            name: getattr(job, name)
            for name in ("processed", "created", "updated", "unchanged", "errors", "total")
        }
    )


def run_import(job: ImportJob) -> ImportJob:
    """Import the rows of ``job``'s workbook one by one, each in its own transaction."""
    with translation.override(settings.LANGUAGE_CODE):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
        try:
            with job.file.open("rb") as handle:
                rows = read_xlsx(_read_bytes(handle))
        except ImportFileError as error:
            return _finish(job, ImportJob.Status.FAILED, str(error))
        job.total = len(rows)
        _save_progress(job)
        agencies = {a.code: a for a in Agency.objects.all()}
        for index, (sheet, number, values) in enumerate(rows):
            code = str(values.get("code", "")).strip()
            try:
                with transaction.atomic():
                    outcome = import_row(job.created_by, sheet, values, agencies)
            except ValidationError as error:
                job.errors.append(
                    {"row": number, "sheet": sheet, "code": code, "errors": error.messages}
                )
            except PermissionDenied as error:
                job.errors.append(
                    {"row": number, "sheet": sheet, "code": code, "errors": [str(error)]}
                )
            else:
                setattr(job, outcome, getattr(job, outcome) + 1)
            job.processed = index + 1
            if job.processed % PROGRESS_EVERY == 0:
                _save_progress(job)
        return _finish(job, ImportJob.Status.DONE, "")


def _finish(job: ImportJob, status: str, message: str) -> ImportJob:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    _save_progress(job)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, message=message, finished_at=job.finished_at
    )
    return job


def _date(value, problems, label):
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        problems.append(
            _("%(column)s: “%(value)s” is not a date (dd/mm/yyyy).")
            % {"column": label, "value": value}
        )
        return None


def _count(value, problems, label):
    value = _whole(value)
    if value is None:
        return 0
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(
            _("%(column)s: “%(value)s” is not a whole number.") % {"column": label, "value": value}
        )
        return 0
    return value


def import_row(actor, sheet: str, values: dict, agencies: dict) -> str:
    """Create or update the record one row describes; "created", "updated" or "unchanged".

    Raises ``ValidationError`` with every problem of the row (nothing is saved then).
    """
    problems: list[str] = []
    code = str(values.get("code", "")).strip()
    agency = agencies.get(code)
    if agency is None:
        problems.append(_("No agency has the code “%(code)s”.") % {"code": code})
    columns = dict(PROFILE_COLUMNS if sheet == SHEET_PROFILES else COMPUTER_COLUMNS)
    valid_from = _date(values.get("valid_from"), problems, columns["valid_from"])
    valid_to = _date(values.get("valid_to"), problems, columns["valid_to"])
    if valid_from is None and not problems:
        problems.append(_("%(column)s is required.") % {"column": columns["valid_from"]})
    if sheet == SHEET_PROFILES:
        data = {
            key: _count(values.get(key), problems, columns[key])
            for key in (
                "officials",
                "officials_with_computer",
                "mailboxes",
                "officials_with_mailbox",
            )
        }
        for key in ("has_lan", "lan_firewall", "dedicated_network", "internet"):
            data[key] = bool(_boolean(values.get(key, False), problems, columns[key]))
        if problems:
            raise ValidationError(problems)
        record = AgencyInfrastructure.objects.filter(agency=agency, valid_from=valid_from).first()
        lookup = {}
        model = AgencyInfrastructure
    else:
        kind = KIND_NAMES.get(_fold(values.get("kind", "")))
        if kind is None:
            problems.append(
                _("%(column)s: “%(value)s” is not a known type.")
                % {"column": columns["kind"], "value": values.get("kind", "")}
            )
        count = _count(values.get("count"), problems, columns["count"])
        year = values.get("acquired_year")
        year = _count(year, problems, columns["acquired_year"]) if year not in (None, "") else None
        if problems:
            raise ValidationError(problems)
        data = {"count": count}
        lookup = {"kind": kind, "acquired_year": year}
        model = Computer
        record = Computer.objects.filter(agency=agency, valid_from=valid_from, **lookup).first()
    data["valid_to"] = valid_to
    if record is None:
        record = model(agency=agency, valid_from=valid_from, **lookup, **data)
        services.save_record(actor, record)
        return "created"
    if all(getattr(record, key) == value for key, value in data.items()):
        return "unchanged"
    for key, value in data.items():
        setattr(record, key, value)
    services.save_record(actor, record)
    return "updated"


def _fold(value) -> str:
    from egov.core.text import fold

    return fold(str(value or "")).strip()

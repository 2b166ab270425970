"""Export and import of the whole catalogue, as JSON or as an XLSX workbook.

Both formats carry the rows that :func:`egov.catalog.services.import_row` reads (the exchange
format of the demo data): what goes out comes back "unchanged". The XLSX workbook spreads a row
over four sheets — procedures, documents, fees and workflow steps, joined by the procedure
code — so that an official can edit it in a spreadsheet.

An import runs in the background (:mod:`egov.catalog.tasks`): each row in its own transaction,
refused rows listed with their row number in the file and the reasons in Vietnamese.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.core.audit import record_event
from egov.core.text import fold

from . import services
from .models import (
    Field,
    ImportFormat,
    ImportJob,
    ImportStatus,
    ProcedureVersion,
    VersionStatus,
)

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 25
"""Rows between two progress updates of a running import (each one is a write)."""


class ImportFileError(ValueError):
    """The uploaded file cannot be read as a catalogue (the message says why, for a person)."""


# --- export ----------------------------------------------------------------------------------
def versions_in_force():
    """The versions in force today, with everything the export writes, by procedure code."""
    return (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .valid_on()
        .select_related("procedure", "field", "competent_agency")
        .prefetch_related("documents", "fees", "steps__agency", "coordinating_agencies")
        .order_by("procedure__code")
    )


def export_rows() -> list[dict]:
    """Every procedure in force as a row of the exchange format."""
    provincial = services.provincial_agencies()
    return [services.version_row(version, provincial) for version in versions_in_force()]


def export_json() -> bytes:
    """The catalogue as a JSON list of rows (UTF-8, Vietnamese left readable)."""
    return json.dumps(export_rows(), ensure_ascii=False, indent=1).encode("utf-8")


# The workbook's sheets and columns: (key in the row, header shown in the sheet).
SHEET_PROCEDURES = "Thủ tục"
SHEET_DOCUMENTS = "Thành phần hồ sơ"
SHEET_FEES = "Phí, lệ phí"
SHEET_STEPS = "Quy trình"
PROCEDURE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field", "Lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("agency", "Cơ quan có thẩm quyền"),
    ("time", "Thời hạn giải quyết"),
    ("time_unit", "Đơn vị thời hạn"),
    ("after_15h_next_day", "Nhận sau 15 giờ tính từ ngày làm việc sau"),
    ("result", "Kết quả"),
    ("online_mode", "Dịch vụ công trực tuyến"),
    ("legacy_level", "Mức độ (2011)"),
    ("delivery", "Hình thức trả kết quả"),
    ("coordinating", "Cơ quan phối hợp"),
    ("legal_basis", "Căn cứ pháp lý"),
    ("source", "Nguồn"),
    ("synthetic", "Mô phỏng"),
]
DOCUMENT_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("order", "Thứ tự"),
    ("name", "Tên giấy tờ"),
    ("kind", "Loại"),
    ("count", "Số lượng"),
    ("mandatory", "Bắt buộc"),
]
# A fixed fee is one line without a case; a fee by table is one line per case, the lines of
# one fee following each other with the same name (its note on the first).
FEE_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("name", "Tên phí, lệ phí"),
    ("kind", "Phí hay lệ phí"),
    ("condition", "Trường hợp áp dụng"),
    ("amount", "Mức thu (đồng)"),
    ("unit", "Đơn vị tính"),
    ("note", "Ghi chú"),
]
FEE_KINDS = {"fee": "fee", "phi": "fee", "charge": "charge", "le phi": "charge"}
STEP_COLUMNS = [
    ("code", "Mã thủ tục"),
    ("order", "Thứ tự"),
    ("name", "Tên bước"),
    ("kind", "Loại bước"),
    ("performer", "Nơi thực hiện"),
    ("agency", "Mã cơ quan"),
    ("role", "Vai trò"),
    ("days", "Số ngày làm việc"),
]
LIST_SEPARATOR = "; "
LIST_KEYS = {"delivery", "coordinating"}


def _sheet(workbook, title, columns, rows):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, (key, _header) in enumerate(columns, start=1):
        width = 60 if key in ("name", "legal_basis", "source", "note", "condition") else 16
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    headers = []
    for _key, header in columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        headers.append(cell)
    sheet.append(headers)
    for row in rows:
        sheet.append(
            [
                LIST_SEPARATOR.join(row[key]) if key in LIST_KEYS else row.get(key)
                for key, _header in columns
            ]
        )
    return sheet


def export_xlsx() -> bytes:
    """The catalogue as a workbook: one sheet of procedures (one row each, scalar columns)
    and one sheet each for documents, fees and workflow steps, joined by the code."""
    from openpyxl import Workbook

    rows = export_rows()
    workbook = Workbook(write_only=True)  # streams rows: several times faster
    _sheet(workbook, SHEET_PROCEDURES, PROCEDURE_COLUMNS, rows)
    _sheet(
        workbook,
        SHEET_DOCUMENTS,
        DOCUMENT_COLUMNS,
        [
            {"code": row["code"], "order": order, **doc}
            for row in rows
            for order, doc in enumerate(row["documents"], start=1)
        ],
    )
    _sheet(
        workbook,
        SHEET_FEES,
        FEE_COLUMNS,
        [line for row in rows for fee in row["fees"] for line in _fee_lines(row["code"], fee)],
    )
    _sheet(
        workbook,
        SHEET_STEPS,
        STEP_COLUMNS,
        [
            {"code": row["code"], "order": order, **step}
            for row in rows
            for order, step in enumerate(row["steps"], start=1)
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fee_lines(code: str, fee: dict) -> list[dict]:
    """The lines of the fees sheet for one fee: one, or one per case of a fee by table."""
    if not fee.get("rows"):
        return [{"code": code, **fee}]
    head = {"code": code, "name": fee["name"], "kind": fee.get("kind", "")}
    return [
        {**head, **case, "note": fee.get("note", "") if number == 0 else None}
        for number, case in enumerate(fee["rows"])
    ]


# --- reading an uploaded file ----------------------------------------------------------------
# Each row read from a file carries "_row" (its number as shown in the file) and, when the
# reader already found something wrong with it, "_errors"; run_import takes both off.


def _read_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def read_json(file) -> list[dict]:
    """Rows of a JSON catalogue: a list of objects (or ``{"procedures": [...]}``)."""
    try:
        data = json.loads(_read_bytes(file).decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text: it cannot be read as JSON.")
        raise ImportFileError(message) from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            _("The file is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    if isinstance(data, dict) and isinstance(data.get("procedures"), list):
        data = data["procedures"]
    if not isinstance(data, list):
        raise ImportFileError(_("The JSON file must hold a list of procedures."))
    rows = []
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            # A null is a value left out: the defaults of the format apply.
            rows.append({**{k: v for k, v in item.items() if v is not None}, "_row": number})
        else:
            rows.append({"_row": number, "_errors": [_("The row is not an object.")]})
    return rows


def _header_map(columns) -> dict[str, str]:
    names = {}
    for key, header in columns:
        names[fold(header)] = key
        names[key] = key
    return names


def _sheet_rows(workbook, title, columns, required=False):
    """(row number, {key: value}) for each non-empty row of a sheet; empty cells left out."""
    if title not in workbook.sheetnames:
        if required:
            raise ImportFileError(_("The workbook has no sheet “%(sheet)s”.") % {"sheet": title})
        return []
    sheet = workbook[title]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    names = _header_map(columns)
    keys = [names.get(fold(str(cell))) if cell is not None else None for cell in header]
    if "code" not in keys:
        raise ImportFileError(
            _("The sheet “%(sheet)s” has no column “%(column)s” in its first row.")
            % {"sheet": title, "column": columns[0][1]}
        )
    found = []
    for number, line in enumerate(lines, start=2):
        values = {}
        for key, value in zip(keys, line, strict=False):
            if key is None or value is None:
                continue
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            values[key] = value
        if values:
            found.append((number, values))
    return found


_TRUE = {"true", "1", "x", "co", "yes", "đung", "dung"}
_FALSE = {"false", "0", "khong", "no", "sai"}


def _boolean(value, problems, label):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = fold(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    message = _("%(column)s: “%(value)s” is not yes or no.")
    problems.append(message % {"column": label, "value": value})
    return None


WHOLE_NUMBER = re.compile(r"^-?(\d+|\d{1,3}([.,\s]\d{3})+)$")


def _whole(value):
    """A whole number typed in a spreadsheet (5, 5.0, "5", "50.000") as an int; anything
    else is returned as it is, for the validation to refuse with its own message."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and WHOLE_NUMBER.match(value.strip()):
        return int(re.sub(r"[.,\s]", "", value.strip()))
    return value


def _number(value):
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", ".").strip())
        except ArithmeticError:
            return value
    return value


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _where(sheet, number):
    return _("sheet “%(sheet)s”, row %(row)s") % {"sheet": sheet, "row": number}


def read_xlsx(file) -> list[dict]:
    """Rows of an XLSX catalogue as exported: "Thủ tục" (one row per procedure) and the
    documents, fees and workflow steps sheets joined to it by code. A row's number is its
    row in "Thủ tục"."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(_read_bytes(file)), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("The file is not an XLSX workbook (Excel 2007 or later).")
        ) from error
    try:
        procedures = _sheet_rows(workbook, SHEET_PROCEDURES, PROCEDURE_COLUMNS, required=True)
        fee_keys = _sheet_keys(workbook, SHEET_FEES, FEE_COLUMNS)
        parts = {
            "documents": _sheet_rows(workbook, SHEET_DOCUMENTS, DOCUMENT_COLUMNS),
            "fees": _sheet_rows(workbook, SHEET_FEES, FEE_COLUMNS),
            "steps": _sheet_rows(workbook, SHEET_STEPS, STEP_COLUMNS),
        }
    finally:
        workbook.close()
    headers = {key: header for key, header in PROCEDURE_COLUMNS}
    rows, by_code = [], {}
    for number, values in procedures:
        problems = []
        row = {"_row": number}
        for key, value in values.items():
            if key in LIST_KEYS:
                row[key] = [item.strip() for item in _text(value).split(";") if item.strip()]
            elif key in ("after_15h_next_day", "synthetic"):
                flag = _boolean(value, problems, headers[key])
                if flag is not None:
                    row[key] = flag
            elif key == "legacy_level":
                row[key] = _whole(value)
            elif key == "time":
                row[key] = _number(value)
            else:
                row[key] = _text(value)
        row.update(documents=[], fees=[], steps=[])
        if problems:
            row["_errors"] = problems
        rows.append(row)
        by_code.setdefault(row.get("code", ""), row)
    orphans = []
    sheet_titles = {"documents": SHEET_DOCUMENTS, "fees": SHEET_FEES, "steps": SHEET_STEPS}
    for part, lines in parts.items():
        ordered = sorted(lines, key=lambda line: (_order(line[1]), line[0]))
        for number, values in ordered:
            code = _text(values.get("code", ""))
            owner = by_code.get(code)
            where = _where(sheet_titles[part], number)
            if owner is None:
                orphans.append(
                    {
                        "_row": number,
                        "code": code,
                        "_errors": [
                            _("%(where)s: no procedure with this code in sheet “%(sheet)s”.")
                            % {"where": where, "sheet": SHEET_PROCEDURES}
                        ],
                    }
                )
                continue
            problems = []
            item = _part(part, values, problems, where)
            if part == "fees":
                if "kind" in fee_keys:  # an empty cell says "not stated", not "from the name"
                    item.setdefault("kind", "")
                _add_fee_line(owner["fees"], item)
            else:
                owner[part].append(item)
            if problems:
                owner.setdefault("_errors", []).extend(problems)
    return rows + orphans


def _sheet_keys(workbook, title, columns) -> set[str]:
    """The keys of the columns a sheet has (its first row), empty when there is no sheet."""
    if title not in workbook.sheetnames:
        return set()
    header = next(workbook[title].iter_rows(max_row=1, values_only=True), None) or ()
    names = _header_map(columns)
    return {
        names[fold(str(cell))] for cell in header if cell is not None and fold(str(cell)) in names
    }


def _add_fee_line(fees: list[dict], line: dict) -> None:
    """A line of the fees sheet: a fixed fee, or a case added to the fee by table it follows
    (same name), or the first case of a new one."""
    if "condition" not in line:
        fees.append(line)
        return
    case = {"condition": line["condition"], "amount": line.get("amount", 0)}
    case["unit"] = line.get("unit", "")
    last = fees[-1] if fees else None
    if last is not None and last.get("rows") and last.get("name") == line.get("name"):
        last["rows"].append(case)
        if line.get("note") and not last.get("note"):
            last["note"] = line["note"]
        return
    fee = {key: line[key] for key in ("name", "kind", "note") if key in line}
    fee["rows"] = [case]
    fees.append(fee)


def _order(values):
    order = values.get("order")
    return order if isinstance(order, int | float) else 0


def _part(part, values, problems, where):
    if part == "documents":
        item = {"name": _text(values.get("name", ""))}
        if "kind" in values:
            item["kind"] = _text(values["kind"])
        if "count" in values:
            item["count"] = _whole(values["count"])
            if not isinstance(item["count"], int):
                problems.append(
                    _("%(where)s: the count must be a whole number.") % {"where": where}
                )
        if "mandatory" in values:
            flag = _boolean(values["mandatory"], problems, where)
            if flag is not None:
                item["mandatory"] = flag
        return item
    if part == "fees":
        item = {"amount": _whole(values.get("amount", 0))}
        for key in ("name", "condition", "unit", "note"):
            if key in values:
                item[key] = _text(values[key])
        if "kind" in values:
            item["kind"] = FEE_KINDS.get(fold(_text(values["kind"])), _text(values["kind"]))
        return item
    item = {
        "name": _text(values.get("name", "")),
        "kind": _text(values.get("kind", "")),
        "days": _number(values.get("days", 0)),
    }
    for key in ("performer", "agency", "role"):
        if key in values:
            item[key] = _text(values[key])
    return item


READERS = {ImportFormat.JSON: read_json, ImportFormat.XLSX: read_xlsx}


def format_of(filename: str) -> str | None:
    """The import format of a file by its extension (None when neither JSON nor XLSX)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return extension if extension in ImportFormat.values else None


# --- starting and running an import ----------------------------------------------------------
def start_import(actor, uploaded) -> ImportJob:
    """Record an uploaded catalogue file as an import job and queue it for the worker."""
    if not actor.is_system_admin:
        raise PermissionDenied(_("Only a system administrator may import the catalogue."))
    fmt = format_of(uploaded.name)
    if fmt is None:
        raise ValidationError(_("Upload a .json or .xlsx file."))
    from .tasks import import_catalog

    with transaction.atomic():
        job = ImportJob.objects.create(created_by=actor, format=fmt, file=uploaded)
        record_event(
            "catalog.import_start",
            job,
            actor=actor,
            changes={"format": fmt, "file": uploaded.name, "size": uploaded.size},
        )
        transaction.on_commit(lambda: import_catalog.enqueue(job.pk))
    return job


def _save_progress(job: ImportJob, **extra) -> None:
    values = {
        name: getattr(job, name)
        for name in ("processed", "created", "updated", "unchanged", "errors")
    }
    values.update(extra)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def run_import(job: ImportJob) -> ImportJob:
    """Import the rows of ``job``'s file one by one, each in its own transaction.

    A refused row (``ValidationError``) changes nothing and is listed in ``job.errors`` with
    its row number in the file; the other rows are imported. Progress is saved every
    ``PROGRESS_EVERY`` rows so that the page can show it. A file that cannot be read fails
    the job with a message saying why.
    """
    with translation.override(settings.LANGUAGE_CODE):
        job.status, job.started_at = ImportStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
        try:
            with job.file.open("rb") as handle:
                rows = READERS[job.format](handle.read())
        except ImportFileError as error:
            return _finish(job, ImportStatus.FAILED, str(error))
        except OSError:
            logger.exception("catalogue import %s: the uploaded file cannot be opened", job.pk)
            return _finish(job, ImportStatus.FAILED, _("The uploaded file cannot be opened."))
        job.total = len(rows)
        job.save(update_fields=["total"])
        try:
            _import_rows(job, rows)
        except Exception:
            logger.exception("catalogue import %s stopped", job.pk)
            _finish(
                job,
                ImportStatus.FAILED,
                _("The import stopped because of an internal error; it has been logged."),
            )
            raise
        return _finish(job, ImportStatus.DONE, "")


def _import_rows(job: ImportJob, rows: list[dict]) -> None:
    actor = job.created_by
    provincial = services.provincial_agencies()
    fields = {f.name: f for f in Field.objects.all()}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        number = row.pop("_row", index + 1)
        problems = row.pop("_errors", [])
        code = str(row.get("code", "")).strip()
        if code and code in seen and not problems:
            problems = [
                _("The code %(code)s is also on row %(row)s: each procedure once.")
                % {"code": code, "row": seen[code]}
            ]
        if problems:
            job.errors.append({"row": number, "code": code, "errors": problems})
        else:
            seen.setdefault(code, number)
            try:
                with transaction.atomic():
                    outcome = services.import_exchange_row(actor, row, fields, provincial)
            except ValidationError as error:
                job.errors.append({"row": number, "code": code, "errors": error.messages})
                # A field created for the refused row was rolled back with it.
                fields = {f.name: f for f in Field.objects.all()}
            except Exception:  # noqa: BLE001 - one odd row must not stop the whole catalogue
                logger.exception("catalogue import %s: row %s could not be saved", job.pk, number)
                job.errors.append(
                    {
                        "row": number,
                        "code": code,
                        "errors": [_("The row could not be saved; the error has been logged.")],
                    }
                )
                fields = {f.name: f for f in Field.objects.all()}
            else:
                setattr(job, outcome, getattr(job, outcome) + 1)
        job.processed = index + 1
        if job.processed % PROGRESS_EVERY == 0:
            _save_progress(job)


def _finish(job: ImportJob, status: str, message: str) -> ImportJob:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    if status == ImportStatus.DONE:
        job.processed = job.total
    _save_progress(
        job, status=status, message=message, finished_at=job.finished_at, total=job.total
    )
    record_event(
        "catalog.import_finish",
        job,
        actor=job.created_by,
        changes={
            "status": status,
            "total": job.total,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "refused": len(job.errors),
            "message": message,
        },
    )
    return job

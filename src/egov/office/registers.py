"""The registers (sổ đăng ký văn bản đi / đến, Decree 30/2020 Appendix IV) for a period, as
PDF (WeasyPrint with Tinos, the official layout of the dossier forms) or XLSX (openpyxl)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from egov.dossiers.documents.forms import dmy, header, render_pdf

from . import access
from .models import IncomingDocument, OutgoingDocument
from .numbering import padded

OUTGOING_COLUMNS = [  # (heading, width in mm on landscape A4)
    ("Số, ký hiệu văn bản", 32),
    ("Ngày tháng văn bản", 22),
    ("Tên loại và trích yếu nội dung văn bản", 78),
    ("Người ký", 32),
    ("Nơi nhận văn bản", 50),
    ("Đơn vị, người nhận bản lưu", 22),
    ("Số lượng bản", 12),
    ("Ghi chú", 20),
]
INCOMING_COLUMNS = [
    ("Ngày đến", 18),
    ("Số đến", 14),
    ("Tác giả", 40),
    ("Số, ký hiệu", 28),
    ("Ngày tháng", 18),
    ("Tên loại và trích yếu nội dung", 70),
    ("Đơn vị hoặc người nhận", 36),
    ("Ký nhận", 14),
    ("Ghi chú", 30),
]


def _bounds(start: dt.date, end: dt.date):
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def _visible_ids(user, model, documents) -> set[int] | None:
    """Ids among ``documents`` that ``user`` may open (None: no user, everything shown)."""
    if user is None:
        return None
    q = (
        access.visible_outgoing_q(user)
        if model is OutgoingDocument
        else access.visible_incoming_q(user)
    )
    return set(
        model.objects.filter(q, pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )


def outgoing_rows(agency, start: dt.date, end: dt.date, user=None) -> list[list]:
    """One row per document released by ``agency`` in the period, in register order; the
    subject of a secret document is masked for a ``user`` who may not open it."""
    first, after = _bounds(start, end)
    documents = (
        OutgoingDocument.objects.filter(
            agency=agency, released_at__gte=first, released_at__lt=after
        )
        .select_related("doc_type", "signer", "drafting_unit")
        .prefetch_related("recipients")
        .order_by("year", "number")
    )
    visible = _visible_ids(user, OutgoingDocument, documents)
    rows = []
    for document in documents:
        note = "Đã thu hồi: " + document.recall_reason if document.state == "recalled" else ""
        rows.append(
            [
                document.number_symbol,
                dmy(document.released_at),
                f"{document.doc_type.name}: {access.masked_subject(user, document, visible)}",
                document.signer.get_full_name() if document.signer_id else "",
                "; ".join(r.name for r in document.recipients.all()),
                f"VT, {document.drafting_unit.short_name}" if document.drafting_unit_id else "VT",
                1,
                note,
            ]
        )
    return rows


def incoming_rows(agency, start: dt.date, end: dt.date, user=None) -> list[list]:
    """One row per document registered by ``agency`` in the period, by incoming number (a
    secret document's subject masked for a ``user`` who may not open it)."""
    first, after = _bounds(start, end)
    documents = (
        IncomingDocument.objects.filter(
            agency=agency, registered_at__gte=first, registered_at__lt=after
        )
        .select_related("assignee", "assigned_unit")
        .order_by("year", "number")
    )
    visible = _visible_ids(user, IncomingDocument, documents)
    rows = []
    for document in documents:
        subject = access.masked_subject(user, document, visible)
        handler = ", ".join(
            p
            for p in (
                document.assigned_unit.name if document.assigned_unit_id else "",
                document.assignee.get_full_name() if document.assignee_id else "",
            )
            if p
        )
        notes = [document.get_source_display()]
        if document.state in ("returned", "recalled"):
            notes.append(document.get_state_display())
        rows.append(
            [
                dmy(document.registered_at),
                padded(document.number),
                document.sender_name,
                document.number_symbol,
                dmy(document.issued_on) if document.issued_on else "",
                f"{document.type_name}: {subject}" if document.type_name else subject,
                handler,
                "",
                "; ".join(str(n) for n in notes),
            ]
        )
    return rows


REGISTERS = {
    "outgoing": ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", OUTGOING_COLUMNS, outgoing_rows),
    "incoming": ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", INCOMING_COLUMNS, incoming_rows),
}


def render_register(
    agency, kind: str, start: dt.date, end: dt.date, fmt: str = "pdf", user=None
) -> bytes:
    """The ``kind`` ("outgoing" or "incoming") register of ``agency`` from ``start`` to
    ``end`` as ``fmt`` ("pdf" or "xlsx"), as ``user`` may read it (secret subjects masked;
    None: the full register)."""
    if kind not in REGISTERS or fmt not in ("pdf", "xlsx"):
        raise ValueError("Unknown register or format.")
    if end < start:
        raise ValueError("The period ends before it starts.")
    title, columns, rows_of = REGISTERS[kind]
    rows = rows_of(agency, start, end, user)
    context = {
        "title": title,
        "header": header(agency),
        "period": f"Từ ngày {dmy(start)} đến ngày {dmy(end)}",
        "year": end.year,
    }
    if fmt == "xlsx":
        return _xlsx(columns, rows, context)
    context.update(
        columns=[{"title": t, "width": w} for t, w in columns], rows=rows, landscape=True
    )
    return render_pdf("office/registers/register.html", context)


def _xlsx(columns, rows, context) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So van ban"
    last = get_column_letter(len(columns))
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    head = context["header"]
    sheet.merge_cells("A1:C1")
    sheet["A1"] = head.get("governing") or ""
    sheet.merge_cells("A2:C2")
    sheet["A2"], sheet["A2"].font = head["name"], bold
    sheet.merge_cells(f"A4:{last}4")
    sheet["A4"], sheet["A4"].font = (
        context["title"],
        Font(name="Times New Roman", size=14, bold=True),
    )
    sheet["A4"].alignment = centre
    sheet.merge_cells(f"A5:{last}5")
    sheet["A5"], sheet["A5"].alignment = context["period"], centre
    header_row = 7
    for index, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=title)
        cell.font, cell.alignment, cell.border = bold, centre, border
        sheet.column_dimensions[get_column_letter(index)].width = round(width * 0.6) + 2
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=value)
            cell.font, cell.alignment, cell.border = font, wrap, border
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""The scorecard as CSV, XLSX (openpyxl) and PDF (WeasyPrint, the layout of the official
forms)."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.documents.forms import header, render_pdf


def _headings() -> list[str]:
    return [
        _("Group"),
        _("Code"),
        _("Indicator"),
        _("Formula"),
        _("Maximum points"),
        _("Numerator"),
        _("Denominator"),
        _("Rate (%)"),
        _("Points"),
    ]


def rows(card: dict) -> list[list]:
    """One row per indicator; "no data" where the denominator is zero."""
    out = []
    for group in card["groups"]:
        for r in group["indicators"]:
            out.append(
                [
                    group["code"],
                    r["code"],
                    str(r["name"]),
                    str(r["formula"]),
                    r["weight"],
                    r["numerator"] if r["numerator"] is not None else "",
                    r["denominator"] if r["denominator"] is not None else "",
                    r["percent"] if r["has_data"] else _("no data"),
                    r["score"] if r["has_data"] else _("no data"),
                ]
            )
    return out


def _summary(card: dict) -> list[list]:
    return [
        [_("Points"), card["total"] if card["total"] is not None else _("no data")],
        [_("Measurable points"), card["attainable"]],
        [_("Index (on 100)"), card["index"] if card["index"] is not None else _("no data")],
    ]


def to_csv(card: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Service-quality index"), str(card["scope"].label), card["period"].code])
    writer.writerow(_headings())
    writer.writerows(rows(card))
    writer.writerows(_summary(card))
    # A byte-order mark, so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(card: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bo chi so 766"
    bold = Font(bold=True)
    sheet.append([_("Service-quality index (Decision 766/QĐ-TTg)")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([str(card["scope"].label), card["period"].label])
    sheet.append([])
    sheet.append(_headings())
    for cell in sheet[4]:
        cell.font = bold
    for row in rows(card):
        sheet.append(row)
    sheet.append([])
    for row in _summary(card):
        sheet.append(row)
    for column, width in zip("ABCDEFGHI", (8, 8, 40, 60, 10, 12, 12, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_pdf(card: dict) -> bytes:
    agency = card["scope"].agency
    return render_pdf(
        "reports/pdf/scorecard.html",
        {
            "card": card,
            "header": header(agency) if agency is not None else None,
            "printed": timezone.localtime(),
            "landscape": True,
        },
    )

"""The yearly ICT report as an official PDF (WeasyPrint, the layout of the one-stop forms) and
as an XLSX workbook (openpyxl), both rendered from :func:`egov.ict.report.annual_report`."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import translation

from egov.core.models import Agency, AgencyKind, Level

from .report import Report

REPORTING_AGENCY = "STTTT"
"""Abbreviation of the department that reports on ICT (Sở Thông tin và Truyền thông)."""


def header() -> dict:
    """The heading block: the provincial People's Committee over the reporting department."""
    root = (
        Agency.objects.valid_on()
        .filter(level=Level.PROVINCE, kind=AgencyKind.PEOPLES_COMMITTEE, parent=None)
        .first()
    )
    department = (
        Agency.objects.valid_on().filter(level=Level.PROVINCE, short_name=REPORTING_AGENCY).first()
    )
    if department is not None:
        return {"governing": root.name.upper() if root else "", "name": department.name.upper()}
    return {"governing": "", "name": root.name.upper() if root else settings.EGOV_PROVINCE_NAME}


def render_pdf(report: Report) -> bytes:
    from egov.dossiers.documents.forms import render_pdf as render

    with translation.override("vi"):
        return render(
            "ict/documents/annual_report.html",
            {
                "r": report,
                "header": header(),
                "weak_points": [str(w) for w in report.weak_points],
                "place_date": f"Ngày 31 tháng 12 năm {report.year}",
            },
        )


def render_xlsx(report: Report) -> bytes:
    """One sheet per section, Vietnamese headings, figures as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Máy tính, hộp thư"
    sheet.append([f"Báo cáo tình hình ứng dụng CNTT năm {report.year}"])
    sheet.append(
        ["Cấp", "Số máy tính", "CBCCVC", "Có máy tính", "Tỷ lệ", "Hộp thư", "Có hộp thư", "Tỷ lệ"]
    )
    names = ["Cấp tỉnh", "Cấp huyện", "Cấp xã"]
    for name, row in zip(names, report.officials["rows"], strict=True):
        sheet.append(
            [
                name,
                row["computers"],
                row["officials"],
                row["officials_with_computer"],
                row["computer"].share,
                row["mailboxes"],
                row["officials_with_mailbox"],
                row["mailbox"].share,
            ]
        )
    sheet.append(["Đơn vị không thuộc cấp nào", report.computers["unassigned"]])
    total = report.officials["total"]
    sheet.append(
        [
            "Toàn tỉnh",
            report.computers["total"],
            total["officials"],
            total["officials_with_computer"],
            report.officials["computer"].share,
            total["mailboxes"],
            total["officials_with_mailbox"],
            report.officials["mailbox"].share,
        ]
    )
    groups = ["Sở, ngành, Trung tâm HCC", "UBND cấp huyện", "UBND cấp xã"]
    net = book.create_sheet("Mạng")
    net.append(["Nhóm", "Số cơ quan", "Có LAN", "LAN có tường lửa", "Mạng chuyên dùng", "Internet"])
    for name, row in zip(groups, report.networks, strict=True):
        net.append(
            [
                name,
                row["agencies"],
                row["lan"].part,
                row["firewall"].part,
                row["dedicated"].part,
                row["internet"].part,
            ]
        )
    other = book.create_sheet("Tổng hợp")
    cert, office, video = report.certificates, report.office, report.video
    for label, value in [
        ("Chứng thư số do hệ thống cấp", cert["platform"]),
        ("Chứng thư số cấp ngoài hệ thống", cert["outside"]),
        ("Tổng số chứng thư số", cert["total"]),
        ("Cơ quan dùng văn phòng điện tử", office["coverage"].part),
        ("Tổng số cơ quan", office["coverage"].whole),
        ("Tỷ lệ văn bản điện tử", office["electronic"].share),
        ("Số điểm cầu", video["point_count"]),
        ("Số cuộc họp trực tuyến", video["meeting_count"]),
        ("Một cửa: sở, ngành", report.one_stop["departments"].part),
        ("Một cửa: Trung tâm HCC", report.one_stop["service_centres"].part),
        ("Một cửa: huyện", report.one_stop["rows"][1]["coverage"].part),
        ("Một cửa: xã", report.one_stop["rows"][2]["coverage"].part),
        ("Tổng số TTHC", report.procedures["total"]["total"]),
        ("TTHC mức độ 2", report.procedures["total"]["level_2"]),
        ("TTHC trực tuyến mức độ 3–4", report.procedures["total"]["online"]),
        ("Tỷ lệ hồ sơ nộp trực tuyến", report.online_filing["rate"].share),
    ]:
        other.append([label, value])
    weak = book.create_sheet("Hạn chế")
    with translation.override("vi"):
        for point in report.weak_points:
            weak.append([str(point)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

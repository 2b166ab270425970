"""Incoming documents: one number sequence for paper and electronic, assignment (bút phê),
processing, forwarding, completion, return to the sender, the registers, the inbox and search."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.office import queries, registers, services
from egov.office.models import IncomingDocument

from .conftest import pdf, released

pytestmark = pytest.mark.django_db


def paper(people, subject="Về việc tổ chức Hội nghị chuyển đổi số", **kwargs):
    return services.receive_paper(
        people["stp_clerk"],
        people["stp"],
        sender_name="Ủy ban nhân dân huyện Cư Jút",
        sender_code="000.00.31.H16",
        number_symbol="45/UBND-VP",
        type_name="Công văn",
        issued_on=dt.date(2025, 3, 7),
        subject=subject,
        scan=pdf("scan.pdf"),
        **kwargs,
    )


def test_paper_and_electronic_share_one_incoming_sequence(people, certificates):
    first = paper(people)
    outgoing = released(people)  # delivered electronically to Sở Tư pháp
    electronic = IncomingDocument.objects.get(outgoing=outgoing)
    assert electronic.number is None and electronic.state == "arrived"
    electronic = services.register(people["stp_clerk"], electronic)
    third = paper(people)
    assert [first.number, electronic.number, third.number] == [1, 2, 3]
    assert str(first).startswith("Incoming 01") or "01" in str(first)
    # the sender sees the acceptance at once (same-day acknowledgement)
    recipient = outgoing.recipients.get(code=people["stp"].code)
    assert [s.code for s in recipient.statuses.all()] == ["01", "03"]


def test_assignment_processing_forwarding_and_completion(people, certificates):
    outgoing = released(people)
    document = services.register(
        people["stp_clerk"], IncomingDocument.objects.get(outgoing=outgoing)
    )
    due = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(PermissionDenied):  # a specialist does not assign
        services.assign(people["stp_specialist"], document, assignee=people["stp_specialist"])
    document = services.assign(
        people["stp_director"],
        document,
        unit=people["stp_vp"],
        assignee=people["stp_specialist"],
        due_date=due,
        instructions="Giao Văn phòng tham mưu trả lời trước ngày hạn.",
    )
    assert document.state == "assigned" and document.due_date == due
    inbox = queries.inbox_for(people["stp_specialist"])
    assert document in inbox["incoming"]

    with pytest.raises(PermissionDenied):  # not hers
        services.add_note(people["stp_specialist2"], document, "Đã đọc")
    document = services.add_note(
        people["stp_specialist"], document, "Đã dự thảo văn bản trả lời", pdf("tra-loi.pdf")
    )
    assert document.state == "processing"
    document = services.forward(
        people["stp_specialist"], document, people["stp_specialist2"], "Nhờ chị hoàn thiện"
    )
    with pytest.raises(PermissionDenied):
        services.complete(people["stp_specialist"], document)
    document = services.complete(people["stp_specialist2"], document, "Đã trả lời")
    assert document.state == "completed" and document.completed_on == timezone.localdate()
    assert list(document.handlings.values_list("action", flat=True)) == [
        "arrived",
        "registered",
        "assigned",
        "note",
        "forwarded",
        "completed",
    ]
    statuses = outgoing.recipients.get(code=people["stp"].code).statuses
    assert [s.code for s in statuses.all()] == ["01", "03", "04", "05", "06"]


def test_a_misaddressed_document_is_returned_with_the_reason(people, certificates):
    outgoing = released(people)
    document = IncomingDocument.objects.get(outgoing=outgoing)
    with pytest.raises(ValidationError):
        services.return_to_sender(people["stp_clerk"], document, "")
    with pytest.raises(PermissionDenied):
        services.return_to_sender(people["stp_specialist"], document, "Sai nơi nhận")
    document = services.return_to_sender(people["stp_clerk"], document, "Gửi nhầm cơ quan")
    assert document.state == "returned" and document.number is None
    last = outgoing.recipients.get(code=people["stp"].code).last_status
    assert (last.code, last.description) == ("02", "Gửi nhầm cơ quan")


def test_the_clerk_of_another_agency_cannot_register(people, certificates):
    outgoing = released(people)
    document = IncomingDocument.objects.get(outgoing=outgoing)
    with pytest.raises(PermissionDenied):
        services.register(people["clerk"], document)
    with pytest.raises(PermissionDenied):
        services.receive_paper(
            people["clerk"], people["stp"], sender_name="X", subject="Y", scan=pdf()
        )


def test_search_ignores_accents_and_case(people):
    paper(people, subject="Về việc tổ chức Hội nghị chuyển đổi số")
    paper(people, subject="Kế hoạch kiểm tra công tác văn thư")
    clerk = people["stp_clerk"]
    found = queries.search_incoming(clerk, text="hoi nghi CHUYEN doi")
    assert [d.subject for d in found] == ["Về việc tổ chức Hội nghị chuyển đổi số"]
    assert queries.search_incoming(clerk, sender="cu jut").count() == 2
    assert queries.search_incoming(clerk, text="45/UBND-VP").count() == 2
    # nobody else's register
    assert queries.search_incoming(people["clerk"], text="hoi nghi").count() == 0


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as a reader sees it (poppler's pdftotext)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "register.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_registers_hold_the_rows_as_pdf_and_xlsx(people, certificates, tmp_path):
    from openpyxl import load_workbook

    paper(people)
    outgoing = released(people)
    today = timezone.localdate()
    data = registers.render_register(people["stp"], "incoming", today, today, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "01" in values and "45/UBND-VP" in values

    out_pdf = registers.render_register(people["stttt"], "outgoing", today, today, "pdf")
    text = pdf_text(out_pdf, tmp_path)
    assert outgoing.number_symbol in text and "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text
    out_xlsx = registers.render_register(people["stttt"], "outgoing", today, today, "xlsx")
    sheet = load_workbook(io.BytesIO(out_xlsx)).active
    assert outgoing.number_symbol in [c.value for row in sheet.iter_rows() for c in row]

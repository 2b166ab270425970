"""The inventory pages as officials use them: who may edit what, the history of changes, the
XLSX import with its refused rows, and the yearly report as a page, a PDF and a workbook."""

import datetime as dt
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from openpyxl import Workbook, load_workbook

from egov.core.tests.helpers import enrol_totp
from egov.ict import services
from egov.ict.importexport import COMPUTER_COLUMNS, PROFILE_COLUMNS
from egov.ict.models import AgencyInfrastructure, Computer, ImportJob


def login(client, user):
    """Log in with a verified second factor (leaders and administrators need one)."""
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _workbook(profiles, computers) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Hạ tầng"
    sheet.append([h for _k, h in PROFILE_COLUMNS])
    for row in profiles:
        sheet.append(row)
    other = book.create_sheet("Máy tính")
    other.append([h for _k, h in COMPUTER_COLUMNS])
    for row in computers:
        other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_agency_admin_edits_the_own_agency_and_the_change_is_in_its_history(
    client, tree, officials
):
    login(client, officials["admin"])  # Sở TTTT
    url = reverse("ict:record_new", args=[tree["stttt"].code, "may-tinh"])
    response = client.post(
        url, {"kind": "desktop", "count": "12", "acquired_year": "2017", "valid_from": "01/01/2018"}
    )
    assert response.status_code == 302
    record = Computer.objects.get(agency=tree["stttt"])
    assert record.count == 12
    client.post(
        reverse("ict:record_edit", args=["may-tinh", record.pk]),
        {"kind": "desktop", "count": "15", "acquired_year": "2017", "valid_from": "01/01/2018"},
    )
    page = client.get(reverse("ict:agency", args=[tree["stttt"].code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-action="ict.computer_create"' in html
    assert 'data-action="ict.computer_update"' in html
    record.refresh_from_db()
    assert record.count == 15


def test_another_agencys_admin_cannot_edit_or_delete(client, tree, officials):
    record = services.save_record(
        None, Computer(agency=tree["stttt"], kind="laptop", count=3, valid_from=dt.date(2018, 1, 1))
    )
    login(client, officials["other_admin"])  # Sở Tư pháp
    new = client.post(
        reverse("ict:record_new", args=[tree["stttt"].code, "may-tinh"]),
        {"kind": "desktop", "count": "1", "valid_from": "01/01/2018"},
    )
    edit = client.post(
        reverse("ict:record_edit", args=["may-tinh", record.pk]),
        {"kind": "laptop", "count": "99", "valid_from": "01/01/2018"},
    )
    delete = client.post(reverse("ict:record_delete", args=["may-tinh", record.pk]))
    assert {new.status_code, edit.status_code, delete.status_code} == {403}
    record.refresh_from_db()
    assert record.count == 3
    assert Computer.objects.count() == 1


def test_a_leader_reads_but_does_not_edit(client, tree, officials):
    login(client, officials["leader"])
    page = client.get(reverse("ict:agency", args=[tree["stttt"].code]))
    assert page.status_code == 200
    assert reverse("ict:record_new", args=[tree["stttt"].code, "may-tinh"]) not in (
        page.content.decode()
    )
    assert client.get(reverse("ict:agency", args=[tree["stp"].code])).status_code == 403
    assert client.get(reverse("ict:annual_report", args=[2018])).status_code == 200


def test_a_profile_that_overlaps_another_is_refused_with_a_message(client, tree, officials):
    login(client, officials["admin"])
    url = reverse("ict:record_new", args=[tree["stttt"].code, "ha-tang"])
    data = {
        "valid_from": "01/01/2018",
        "valid_to": "31/12/2018",
        "officials": "10",
        "officials_with_computer": "9",
        "mailboxes": "10",
        "officials_with_mailbox": "10",
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, {**data, "valid_from": "01/06/2018"})
    assert again.status_code == 200
    assert "Cơ quan đã có số liệu hạ tầng CNTT cho thời gian" in again.content.decode()
    assert AgencyInfrastructure.objects.count() == 1


def test_import_with_bad_rows_imports_the_good_ones_and_lists_the_bad(
    client, tree, officials, django_capture_on_commit_callbacks
):
    content = _workbook(
        profiles=[
            [tree["stttt"].code, "01/01/2018", "31/12/2018", 40, 38, 45, 40, "x", "", "x", "x"],
            [tree["stttt"].code, "01/01/2019", "", 40, 50, 45, 40, "x", "", "x", "x"],  # 50 > 40
            ["999.99.99.H99", "01/01/2018", "", 5, 5, 5, 5, "", "", "", ""],  # no such agency
            [tree["stp"].code, "01/01/2018", "", 5, 5, 5, 5, "", "", "", ""],  # not theirs
        ],
        computers=[
            [tree["stttt"].code, "Máy tính để bàn", 30, 2016, "01/01/2018", ""],
            [tree["stttt"].code, "Máy bay", 3, 2016, "01/01/2018", ""],  # unknown type
        ],
    )
    login(client, officials["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ict:import"), {"file": SimpleUploadedFile("kiem-ke.xlsx", content)}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    progress = client.get(reverse("ict:import_progress", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "done"
    assert (job.created, len(job.errors)) == (2, 4)
    assert sorted((e["sheet"], e["row"]) for e in job.errors) == [
        ("Hạ tầng", 3),
        ("Hạ tầng", 4),
        ("Hạ tầng", 5),
        ("Máy tính", 3),
    ]
    assert 'data-row="4"' in progress
    # bad rows changed nothing: only the good profile and the good computers exist
    assert AgencyInfrastructure.objects.get().officials_with_computer == 38
    assert Computer.objects.get().count == 30
    assert not AgencyInfrastructure.objects.filter(agency=tree["stp"]).exists()


def _pdftotext(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="pdftotext (poppler-utils) is not installed",
)
def test_the_report_downloads_as_a_vietnamese_pdf_and_a_workbook(client, tree, officials, tmp_path):
    services.save_record(
        None,
        Computer(agency=tree["stttt"], kind="desktop", count=42, valid_from=dt.date(2018, 1, 1)),
    )
    login(client, officials["sysadmin"])
    pdf = client.get(reverse("ict:annual_report_pdf", args=[2018]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdftotext(pdf.content, tmp_path)
    assert "BÁO CÁO TÌNH HÌNH ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM 2018" in text
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam".upper() in text
    assert "42" in text
    xlsx = client.get(reverse("ict:annual_report_xlsx", args=[2018]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Máy tính, hộp thư"].iter_rows(values_only=True))
    assert rows[2][:2] == ("Cấp tỉnh", 42)
    assert rows[-1][:2] == ("Toàn tỉnh", 42)


def test_the_overview_shows_storage_and_support_alerts(client, tree, officials):
    from decimal import Decimal

    from egov.ict.models import DataCentreAsset

    services.save_record(
        None,
        DataCentreAsset(
            agency=tree["stttt"],
            name="Hệ thống lưu trữ SAN",
            kind="storage",
            capacity_tb=Decimal(20),
            used_tb=Decimal(18),
            support_end=dt.date(2016, 12, 31),
        ),
    )
    login(client, officials["admin"])
    html = client.get(reverse("ict:overview")).content.decode()
    assert 'data-alert="storage"' in html
    assert 'data-alert="support"' in html
    assert "Hệ thống lưu trữ SAN" in html
    login(client, officials["sysadmin"])
    report = client.get(reverse("ict:annual_report", args=[2018])).content.decode()
    assert "Thiết bị lưu trữ sắp đầy" in report  # "storage nearly full"

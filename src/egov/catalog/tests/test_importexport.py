"""Export and import of the whole catalogue, as the administrator of the catalogue meets them."""

import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from openpyxl import load_workbook

from egov.catalog import importexport
from egov.catalog.models import ImportJob, ImportStatus, Procedure, VersionStatus
from egov.catalog.services import import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.core.audit import verify_chain
from egov.core.models import AuditEvent
from egov.core.models.validity import today_in_vietnam
from egov.core.tests.helpers import enrol_totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


_row = procedure_row


@pytest.fixture
def catalogue(tree):
    """Four procedures: provincial, inter-agency (with the tax office), by agency code, and
    a district one decided by the People's Committee where the dossier is filed."""
    provincial, fields = provincial_agencies(), {}
    for row in [
        _row("1.000001", "Cấp phiếu lý lịch tư pháp"),
        _row("1.000002", "Cấp giấy phép liên thông", time=6, coordinating=["STTTT", "Thuế"]),
        _row("1.000003", "Cấp giấy phép bưu chính", agency="000.00.05.H16", time=7.5),
        _row("2.000004", "Đăng ký khai sinh", agency="UBND", level="district", time=3),
    ]:
        import_row(None, row, fields, provincial)
    return {p.code: p for p in Procedure.objects.all()}


def _job(user, content: bytes, fmt: str) -> ImportJob:
    return ImportJob.objects.create(
        created_by=user, format=fmt, file=ContentFile(content, name=f"catalogue.{fmt}")
    )


def _versions(code):
    return list(
        Procedure.objects.get(code=code)
        .versions.order_by("number")
        .values_list("number", "status", "valid_to")
    )


def test_the_export_holds_every_procedure_in_force_in_the_import_row_format(catalogue):
    rows = json.loads(importexport.export_json())
    assert [r["code"] for r in rows] == ["1.000001", "1.000002", "1.000003", "2.000004"]
    liaison = rows[1]
    assert liaison["agency"] == "STP"
    assert liaison["coordinating"] == ["STTTT", "Thuế"]
    # A fee written before fees had a kind takes it from its name ("Lệ phí" is a charge).
    assert liaison["fees"] == [
        {"name": "Lệ phí", "kind": "charge", "amount": 50000, "unit": "", "note": ""}
    ]
    assert {s["kind"] for s in liaison["steps"]} >= {"receive", "interagency", "return"}
    interagency = next(s for s in liaison["steps"] if s["kind"] == "interagency")
    assert interagency["agency"] == "000.00.05.H16"  # steps name agencies by code
    assert sum(s["days"] for s in liaison["steps"]) == pytest.approx(6)
    assert rows[2]["time"] == 7.5 and rows[2]["agency"] == "STTTT"
    assert rows[3]["agency"] == "UBND" and rows[3]["level"] == "district"


def test_a_json_export_imported_again_leaves_every_procedure_unchanged(catalogue, officials):
    job = _job(officials["sysadmin"], importexport.export_json(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.message
    assert job.errors == []
    assert (job.total, job.processed, job.unchanged, job.created, job.updated) == (4, 4, 4, 0, 0)
    assert all(p.versions.count() == 1 for p in Procedure.objects.all())
    assert job.finished_at >= job.started_at


def test_an_xlsx_export_imported_again_leaves_every_procedure_unchanged(catalogue, officials):
    content = importexport.export_xlsx()
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Thủ tục", "Thành phần hồ sơ", "Phí, lệ phí", "Quy trình"]
    assert workbook["Thủ tục"].max_row == 5  # header + 4 procedures
    assert workbook["Thành phần hồ sơ"]["A2"].value == "1.000001"
    job = _job(officials["sysadmin"], content, "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.errors == []
    assert (job.status, job.total, job.processed, job.unchanged) == ("done", 4, 4, 4)


def test_a_changed_time_puts_a_second_version_in_force_and_retires_the_first(catalogue, officials):
    rows = json.loads(importexport.export_json())
    rows[0]["time"] = 10
    # The workflow of the file no longer adds up to 10 days: leaving it out gives the usual
    # workflow for the new time.
    del rows[0]["steps"]
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.updated, job.unchanged, job.errors) == (1, 3, [])
    today = today_in_vietnam()
    versions = _versions("1.000001")
    assert versions[0][:2] == (1, VersionStatus.RETIRED) and versions[0][2] < today
    assert versions[1] == (2, VersionStatus.PUBLISHED, None)
    current = Procedure.objects.get(code="1.000001").current
    assert current.number == 2 and current.time_value == 10
    assert sum(s.days for s in current.steps.all()) == 10


def test_a_changed_time_with_the_old_workflow_is_refused_with_the_reason(catalogue, officials):
    rows = json.loads(importexport.export_json())
    rows[0]["time"] = 8
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert [(e["row"], e["code"]) for e in job.errors] == [(1, "1.000001")]
    with translation.override("vi"):
        expected = gettext(
            "The workflow steps add up to %(total)s working days but the statutory time is "
            "%(expected)s."
        ) % {"total": 5, "expected": 8}
    assert job.errors[0]["errors"] == [expected]
    assert _versions("1.000001") == [(1, VersionStatus.PUBLISHED, None)]


def test_an_xlsx_with_one_bad_row_imports_the_others_and_lists_the_bad_one(catalogue, officials):
    workbook = load_workbook(io.BytesIO(importexport.export_xlsx()))
    sheet = workbook["Thủ tục"]
    headers = [cell.value for cell in sheet[1]]
    # Row 3 of the sheet (1.000002): an unknown agency, a malformed code, a negative fee.
    sheet.cell(row=3, column=headers.index("Cơ quan có thẩm quyền") + 1, value="SKHONGCO")
    sheet.cell(row=3, column=headers.index("Thời hạn giải quyết") + 1, value=8)
    sheet.cell(row=3, column=1, value="1.23")
    fees = workbook["Phí, lệ phí"]
    amount = [cell.value for cell in fees[1]].index("Mức thu (đồng)")
    for line in fees.iter_rows(min_row=2):
        if line[0].value == "1.000002":
            line[0].value = "1.23"
            line[amount].value = -5000
    steps = workbook["Quy trình"]
    for line in steps.iter_rows(min_row=2):
        if line[0].value == "1.000002":
            line[0].value = "1.23"
    documents = workbook["Thành phần hồ sơ"]
    for line in documents.iter_rows(min_row=2):
        if line[0].value == "1.000002":
            line[0].value = "1.23"
    # Row 4 (1.000003): a real change that goes through.
    renamed = "Cấp giấy phép bưu chính (sửa)"
    sheet.cell(row=4, column=headers.index("Tên thủ tục") + 1, value=renamed)
    buffer = io.BytesIO()
    workbook.save(buffer)
    events_before = AuditEvent.objects.count()

    job = _job(officials["sysadmin"], buffer.getvalue(), "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()

    assert (job.status, job.total, job.processed) == (ImportStatus.DONE, 4, 4)
    assert (job.updated, job.unchanged, job.created) == (1, 2, 0)
    assert len(job.errors) == 1
    error = job.errors[0]
    assert (error["row"], error["code"]) == (3, "1.23")
    with translation.override("vi"):
        expected = [
            gettext("The national procedure code has the form d.dddddd, e.g. 1.004194."),
            gettext("Unknown competent agency “%(agency)s”.") % {"agency": "SKHONGCO"},
            gettext("Fee “%(name)s”: the amount must be a whole number of đồng.")
            % {"name": "Lệ phí"},
        ]
    assert sorted(error["errors"]) == sorted(expected)
    # Nothing of the bad row was written.
    assert not Procedure.objects.filter(code="1.23").exists()
    assert _versions("1.000002") == [(1, VersionStatus.PUBLISHED, None)]
    assert Procedure.objects.get(code="1.000003").current.name == renamed
    assert AuditEvent.objects.count() > events_before
    assert verify_chain().ok


def test_the_row_number_of_a_json_error_is_its_position_from_one(catalogue, officials):
    rows = json.loads(importexport.export_json())
    rows[2]["documents"][0]["kind"] = "photo"
    rows.append("not a procedure")
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert [(e["row"], e["code"]) for e in job.errors] == [(3, "1.000003"), (5, "")]
    assert job.unchanged == 3 and job.total == job.processed == 5


def test_a_code_twice_in_one_file_is_refused_the_second_time(catalogue, officials):
    rows = json.loads(importexport.export_json())
    rows.append(dict(rows[0], name="Bản trùng"))
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert [(e["row"], e["code"]) for e in job.errors] == [(5, "1.000001")]
    assert Procedure.objects.get(code="1.000001").versions.count() == 1


def test_new_procedures_in_a_file_are_created(tree, officials):
    rows = [_row("1.000009", "Thủ tục mới", agency="STP")]
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.created, job.errors) == (1, [])
    assert Procedure.objects.get(code="1.000009").current.status == VersionStatus.PUBLISHED


@pytest.mark.parametrize(
    ("fmt", "content"),
    [
        ("json", b"\x89PNG\r\n\x1a\n not json at all"),
        ("json", b'{"name": "not a list"}'),
        ("json", b"[1, 2,"),
        ("xlsx", b"PK\x03\x04 this is no workbook"),
        ("xlsx", b"name,code\nfoo,1.000001\n"),
    ],
)
def test_a_file_that_is_not_a_catalogue_fails_the_job_with_a_clear_message(
    catalogue, officials, fmt, content
):
    job = _job(officials["sysadmin"], content, fmt)
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.message and "Traceback" not in job.message
    assert job.finished_at is not None
    assert all(p.versions.count() == 1 for p in Procedure.objects.all())


def test_a_workbook_without_the_procedures_sheet_is_refused(officials):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _job(officials["sysadmin"], buffer.getvalue(), "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "Thủ tục" in job.message


def test_progress_is_saved_while_the_rows_go_through(catalogue, officials, monkeypatch):
    monkeypatch.setattr(importexport, "PROGRESS_EVERY", 2)
    seen = []
    original = importexport._save_progress

    def spy(job, **extra):
        seen.append(ImportJob.objects.get(pk=job.pk).processed)
        original(job, **extra)

    monkeypatch.setattr(importexport, "_save_progress", spy)
    job = _job(officials["sysadmin"], importexport.export_json(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.processed == job.total == 4
    assert seen[:2] == [0, 2]  # saved at row 2, then at 4, then when finished


# --- the pages -------------------------------------------------------------------------------
def _login_verified(client, user):
    """Log in with a verified second factor (as after entering the TOTP code)."""
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_the_import_page_flow_upload_then_progress_then_counts(
    client, catalogue, officials, django_capture_on_commit_callbacks
):
    _login_verified(client, officials["sysadmin"])
    assert client.get(reverse("catalog:import")).status_code == 200
    rows = json.loads(importexport.export_json())
    rows[1]["legal_basis"] = "Luật mới 2025"
    rows[3]["level"] = "ward"  # not a level
    upload = SimpleUploadedFile(
        "danh-muc.json", json.dumps(rows).encode(), content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("catalog:import_job", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"<progress" in page.content
    partial = client.get(reverse("catalog:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "hx-trigger" not in html  # done: the page stops polling
    assert 'value="4"' in html and 'max="4"' in html
    assert 'data-count="updated">1<' in html and 'data-count="unchanged">2<' in html
    assert "2.000004" in html and "<table" in html  # the refused row in the error table


def test_a_running_job_keeps_polling(client, catalogue, officials):
    _login_verified(client, officials["sysadmin"])
    job = _job(officials["sysadmin"], b"[]", "json")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, total=100, processed=25)
    html = client.get(reverse("catalog:import_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="25"' in html and 'max="100"' in html


def test_an_upload_that_is_neither_json_nor_xlsx_is_refused_on_the_form(
    client, catalogue, officials
):
    _login_verified(client, officials["sysadmin"])
    upload = SimpleUploadedFile("danh-muc.csv", b"a,b\n", content_type="text/csv")
    response = client.post(reverse("catalog:import"), {"file": upload})
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["admin", "specialist", "leader"])
def test_only_system_administrators_may_import(client, catalogue, officials, who):
    user = officials[who]
    if who in ("admin", "leader"):
        _login_verified(client, user)
    else:
        client.force_login(user)
    assert client.get(reverse("catalog:import")).status_code == 403
    upload = SimpleUploadedFile("danh-muc.json", b"[]", content_type="application/json")
    assert client.post(reverse("catalog:import"), {"file": upload}).status_code == 403
    job = _job(officials["sysadmin"], b"[]", "json")
    assert client.get(reverse("catalog:import_job", args=[job.pk])).status_code == 403
    assert not ImportJob.objects.exclude(pk=job.pk).exists()


def test_staff_download_the_catalogue_as_json_and_xlsx(client, catalogue, officials):
    client.force_login(officials["specialist"])
    response = client.get(reverse("catalog:export_json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert len(json.loads(response.content)) == 4
    response = client.get(reverse("catalog:export_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert load_workbook(io.BytesIO(response.content))["Thủ tục"].max_row == 5


def test_the_export_is_not_for_anonymous_visitors(client, catalogue):
    response = client.get(reverse("catalog:export_json"))
    assert response.status_code == 302 and "login" in response.url


def test_the_procedure_list_searches_without_accents_and_filters(client, catalogue, officials):
    client.force_login(officials["specialist"])
    url = reverse("catalog:list")
    page = client.get(url, {"q": "CAP PHIEU ly lich"}).content.decode()
    assert "1.000001" in page and "1.000002" not in page
    district = client.get(url, {"level": "district"}).content.decode()
    assert "2.000004" in district and "1.000001" not in district
    partial = client.get(url, {"q": "giay phep"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "1.000002" in partial and "1.000003" in partial and "1.000001" not in partial


def test_the_procedure_list_pages_by_code(client, catalogue, officials, monkeypatch):
    from egov.catalog.web import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client.force_login(officials["specialist"])
    first = client.get(reverse("catalog:list"))
    codes = [v.procedure.code for v in first.context["versions"]]
    assert codes == ["1.000001", "1.000002", "1.000003"]
    assert first.context["next_url"] == "?after=1.000003"
    second = client.get(reverse("catalog:list") + first.context["next_url"])
    assert [v.procedure.code for v in second.context["versions"]] == ["2.000004"]
    assert second.context["next_url"] is None and second.context["total"] == 4


def test_the_procedure_page_shows_documents_fees_time_workflow_and_versions(
    client, catalogue, officials
):
    rows = json.loads(importexport.export_json())
    rows[0]["time"] = 10
    del rows[0]["steps"]
    importexport.run_import(_job(officials["sysadmin"], json.dumps(rows).encode(), "json"))
    client.force_login(officials["specialist"])
    response = client.get(reverse("catalog:detail", args=["1.000001"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tờ khai theo mẫu" in page and "50.000" in page
    assert "Thẩm định hồ sơ" in page
    assert response.context["steps_total"] == 10 and response.context["statutory_days"] == 10
    assert [v.number for v in response.context["history"]] == [2, 1]
    old = client.get(reverse("catalog:detail", args=["1.000001"]), {"version": 1})
    assert old.context["version"].number == 1
    assert client.get(reverse("catalog:detail", args=["9.999999"])).status_code == 404


def test_catalogue_pages_are_for_officials_only(client, catalogue):
    from egov.core.models import User

    citizen = User.objects.create_user("citizen", password="x-very-secret", kind="citizen")
    client.force_login(citizen)
    assert client.get(reverse("catalog:list")).status_code == 403
    assert client.get(reverse("catalog:export_json")).status_code == 403
    assert client.get(reverse("catalog:detail", args=["1.000001"])).status_code == 403


def test_a_row_that_breaks_unexpectedly_is_listed_and_the_others_go_through(
    catalogue, officials, monkeypatch
):
    from egov.catalog import services

    original = services.import_row

    def flaky(actor, row, fields, provincial):
        if row["code"] == "1.000002":
            raise RuntimeError("disk on fire")
        return original(actor, row, fields, provincial)

    monkeypatch.setattr(services, "import_row", flaky)
    rows = json.loads(importexport.export_json())
    for row in rows:
        row["legal_basis"] = "Luật sửa đổi 2025"
    job = _job(officials["sysadmin"], json.dumps(rows).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert [(e["row"], e["code"]) for e in job.errors] == [(2, "1.000002")]
    assert "disk on fire" not in json.dumps(job.errors)
    assert job.updated == 3


def test_the_task_imports_once_even_when_delivered_twice(catalogue, officials):
    from egov.catalog.tasks import import_catalog

    job = _job(officials["sysadmin"], importexport.export_json(), "json")
    first = import_catalog.enqueue(job.pk)
    assert first.return_value["unchanged"] == 4
    again = import_catalog.enqueue(job.pk)
    assert again.return_value == {"job": job.pk, "skipped": True}

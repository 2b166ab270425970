"""Fees and charges by table: a construction permit costs 75.000 đ for a house and 150.000 đ
for other works; the catalogue stores, shows, exports, imports and copies such tables."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from openpyxl import Workbook, load_workbook

from egov.catalog import fees, importexport, services
from egov.catalog.models import Fee, FeeKind, ImportJob, ImportStatus, Procedure, VersionStatus
from egov.catalog.testing import procedure_row
from egov.core.tests.helpers import enrol_totp

pytestmark = pytest.mark.django_db

PERMIT_FEE = {
    "name": "Lệ phí cấp giấy phép xây dựng",
    "kind": "charge",
    "rows": [
        {"condition": "Nhà ở riêng lẻ", "amount": 75000, "unit": "đồng/giấy phép"},
        {"condition": "Công trình khác", "amount": 150000, "unit": "đồng/giấy phép"},
    ],
    "note": "Mức do HĐND tỉnh quy định.",
}
COPY_FEE = {
    "name": "Phí chứng thực bản sao",
    "kind": "fee",
    "amount": 2000,
    "unit": "đồng/trang",
    "note": "",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def permit(tree):
    """A procedure with a fee by table and a fixed fee counted per page."""
    row = procedure_row(
        "1.000010", "Cấp giấy phép xây dựng", agency="STTTT", fees=[PERMIT_FEE, COPY_FEE]
    )
    services.import_row(None, row, {}, services.provincial_agencies())
    return Procedure.objects.get(code="1.000010")


def _job(user, content: bytes, fmt: str) -> ImportJob:
    return ImportJob.objects.create(
        created_by=user, format=fmt, file=ContentFile(content, name=f"catalogue.{fmt}")
    )


def _fees(version):
    return list(version.fees.values_list("name", "kind", "amount", "unit", "rows", "note"))


# --- the rules -------------------------------------------------------------------------------
def test_amounts_are_written_the_vietnamese_way():
    assert fees.format_vnd(75000) == "75.000 đ"
    assert fees.format_vnd(1250000) == "1.250.000 đ"
    assert fees.format_vnd(0) == "0 đ"
    assert fees.amount_with_unit(2000, "đồng/trang") == "2.000 đồng/trang"
    assert fees.amount_with_unit(2000, "bản") == "2.000 đ (bản)"


def test_the_kind_follows_the_published_name_when_it_is_not_given():
    assert fees.kind_from_name("Lệ phí đăng ký kinh doanh") == "charge"
    assert fees.kind_from_name("Phí thẩm định") == "fee"
    assert fees.kind_from_name("Phí, lệ phí") == ""
    assert fees.kind_from_name("Phiếu lý lịch") == ""


def test_a_table_is_typed_one_case_a_line():
    text = "Nhà ở riêng lẻ | 75.000 | đồng/giấy phép\n\nCông trình khác | 150000 đ"
    assert fees.rows_from_text(text) == [
        {"condition": "Nhà ở riêng lẻ", "amount": 75000, "unit": "đồng/giấy phép"},
        {"condition": "Công trình khác", "amount": 150000, "unit": ""},
    ]
    assert fees.rows_to_text(fees.rows_from_text(text)) == (
        "Nhà ở riêng lẻ | 75.000 | đồng/giấy phép\nCông trình khác | 150.000"
    )
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        fees.rows_from_text("Nhà ở riêng lẻ | bảy mươi lăm nghìn\nchỉ một cột")
    with translation.override("vi"):
        assert error.value.messages == [
            gettext("Line %(number)s: the amount must be a whole number of đồng.") % {"number": 1},
            gettext("Line %(number)s: write “case | amount | unit” (the unit may be left out).")
            % {"number": 2},
        ]


def test_a_fee_is_one_amount_or_a_table_never_both(permit):
    fee = permit.current.fees.get(kind=FeeKind.CHARGE)
    fee.amount = 75000
    with pytest.raises(ValidationError):
        fee.full_clean()
    fee.amount, fee.rows = None, []
    with pytest.raises(ValidationError):
        fee.full_clean()
    fee.rows = [{"condition": "", "amount": -1}]
    with pytest.raises(ValidationError):
        fee.full_clean()


# --- stored and shown ------------------------------------------------------------------------
def test_an_imported_fee_by_table_is_stored_with_its_cases(permit):
    version = permit.current
    assert _fees(version) == [
        (
            "Lệ phí cấp giấy phép xây dựng",
            "charge",
            None,
            "",
            PERMIT_FEE["rows"],
            PERMIT_FEE["note"],
        ),
        ("Phí chứng thực bản sao", "fee", 2000, "đồng/trang", [], ""),
    ]
    table, copy = version.fees.all()
    assert str(table) == (
        "Lệ phí cấp giấy phép xây dựng: Nhà ở riêng lẻ: 75.000 đồng/giấy phép; "
        "Công trình khác: 150.000 đồng/giấy phép"
    )
    assert str(copy) == "Phí chứng thực bản sao: 2.000 đồng/trang"
    # The least the applicant pays: the lowest case of the table and the fixed fee.
    assert version.total_fee() == 75000 + 2000


def test_the_procedure_page_shows_the_table_in_dong(client, permit, officials):
    client.force_login(officials["specialist"])
    with translation.override("vi"):
        page = client.get(reverse("catalog:detail", args=["1.000010"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Nhà ở riêng lẻ", "75.000 đ", "Công trình khác", "150.000 đ", "đồng/giấy phép"):
        assert text in html
    assert "2.000 đ" in html and "đồng/trang" in html
    assert 'rowspan="2"' in html  # the name of the fee spans its two cases


def test_the_api_gives_the_cases_and_no_single_amount_for_a_table(client, permit):
    detail = client.get("/api/v1/procedures/1.000010/").json()
    assert detail["fees"] == [
        {
            "name": "Lệ phí cấp giấy phép xây dựng",
            "kind": "charge",
            "amount": None,
            "unit": "",
            "rows": PERMIT_FEE["rows"],
            "note": "Mức do HĐND tỉnh quy định.",
        },
        {**COPY_FEE, "rows": []},
    ]
    schema = client.get("/api/schema/", {"format": "json"}).json()
    fee_schema = schema["components"]["schemas"]["Fee"]["properties"]
    assert {"kind", "amount", "unit", "rows"} <= set(fee_schema)
    assert "Construction permit (fee by table)" in json.dumps(schema["paths"])


# --- exchange --------------------------------------------------------------------------------
def test_a_fee_by_table_goes_out_and_back_in_json_unchanged(permit, officials):
    exported = json.loads(importexport.export_json())
    assert exported[0]["fees"] == [PERMIT_FEE, COPY_FEE]
    job = _job(officials["sysadmin"], importexport.export_json(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.status, job.unchanged, job.updated, job.errors) == (ImportStatus.DONE, 1, 0, [])
    # A changed case is a change: a new version with the new table.
    exported[0]["fees"][0]["rows"][1]["amount"] = 200000
    job = _job(officials["sysadmin"], json.dumps(exported).encode(), "json")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.updated, job.errors) == (1, [])
    permit.refresh_from_db()
    assert permit.current.number == 2
    assert [r["amount"] for r in permit.current.fees.first().rows] == [75000, 200000]


def test_a_fee_by_table_is_one_line_per_case_in_xlsx_and_comes_back_unchanged(permit, officials):
    content = importexport.export_xlsx()
    sheet = load_workbook(io.BytesIO(content))["Phí, lệ phí"]
    lines = [list(line) for line in sheet.iter_rows(values_only=True)]
    assert lines[0] == [header for _key, header in importexport.FEE_COLUMNS]
    assert lines[1:] == [
        ["1.000010", "Lệ phí cấp giấy phép xây dựng", "charge", "Nhà ở riêng lẻ", 75000,
         "đồng/giấy phép", "Mức do HĐND tỉnh quy định."],
        ["1.000010", "Lệ phí cấp giấy phép xây dựng", "charge", "Công trình khác", 150000,
         "đồng/giấy phép", None],
        ["1.000010", "Phí chứng thực bản sao", "fee", None, 2000, "đồng/trang", None],
    ]  # fmt: skip
    job = _job(officials["sysadmin"], content, "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.status, job.unchanged, job.errors) == (ImportStatus.DONE, 1, [])

    # An official adds a case in the spreadsheet, the amount typed as "15.000", kind in Vietnamese.
    workbook = load_workbook(io.BytesIO(content))
    workbook["Phí, lệ phí"].insert_rows(4)
    for column, value in enumerate(
        ["1.000010", "Lệ phí cấp giấy phép xây dựng", "lệ phí", "Gia hạn giấy phép", "15.000",
         "đồng/giấy phép"], start=1
    ):  # fmt: skip
        workbook["Phí, lệ phí"].cell(row=4, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _job(officials["sysadmin"], buffer.getvalue(), "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.updated, job.errors) == (1, [])
    table = Procedure.objects.get(code="1.000010").current.fees.first()
    assert [(r["condition"], r["amount"]) for r in table.rows] == [
        ("Nhà ở riêng lẻ", 75000),
        ("Công trình khác", 150000),
        ("Gia hạn giấy phép", 15000),
    ]


def test_a_workbook_in_the_old_four_column_format_still_imports(tree, officials):
    workbook = Workbook()
    procedures = workbook.active
    procedures.title = "Thủ tục"
    row = procedure_row("1.000011", "Cấp phiếu lý lịch tư pháp")
    columns = [
        c for c in importexport.PROCEDURE_COLUMNS if c[0] in row and not isinstance(row[c[0]], list)
    ]
    procedures.append([header for _key, header in columns])
    procedures.append([row[key] for key, _header in columns])
    old = workbook.create_sheet("Phí, lệ phí")
    old.append(["Mã thủ tục", "Tên phí, lệ phí", "Mức thu (đồng)", "Ghi chú"])
    old.append(["1.000011", "Lệ phí", "50.000", "Nộp khi nhận kết quả"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = _job(officials["sysadmin"], buffer.getvalue(), "xlsx")
    importexport.run_import(job)
    job.refresh_from_db()
    assert (job.created, job.errors) == (1, [])
    version = Procedure.objects.get(code="1.000011").current
    assert _fees(version) == [("Lệ phí", "charge", 50000, "", [], "Nộp khi nhận kết quả")]


def test_a_fee_with_both_an_amount_and_a_table_is_refused_with_the_reason(tree):
    bad = {**PERMIT_FEE, "amount": 75000}
    row = procedure_row("1.000012", "Cấp giấy phép", fees=[bad])
    with pytest.raises(ValidationError) as error, translation.override("vi"):
        services.import_exchange_row(None, row, {}, services.provincial_agencies())
    with translation.override("vi"):
        expected = gettext(
            "Fee “%(name)s”: a fee is either one amount or a table of amounts by case, not both."
        ) % {"name": PERMIT_FEE["name"]}
    assert error.value.messages == [expected]
    assert not Procedure.objects.filter(code="1.000012").exists()


# --- drafts ----------------------------------------------------------------------------------
def test_a_draft_version_copies_the_tables(permit, officials):
    draft = services.new_draft_version(officials["sysadmin"], permit)
    assert _fees(draft) == _fees(permit.current)
    # The copy is its own: changing it leaves the version in force as it was.
    fee = draft.fees.first()
    fee.rows[0]["amount"] = 80000
    services.update_draft_version(officials["sysadmin"], draft, saved_parts=[fee])
    assert permit.current.fees.first().rows[0]["amount"] == 75000


def _admin_client(client, user):
    user.is_staff = True
    user.save()
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _change_form(page, draft):
    """The POST data of the admin change page as it is shown, inline forms included."""
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    data.update(
        coordinating_external="[]",
        delivery_modes='["counter"]',
        receiving_places="",
        coordinating_agencies="",
    )
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        for key, value in formset.formset.management_form.initial.items():
            data[f"{prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                value = field.prepare_value(value) if name == "rows" else value
                value = value.pk if hasattr(value, "pk") else value
                if not (value is None or value is False or name in ("template", "DELETE")):
                    data[f"{prefix}-{index}-{name}"] = value
            data[f"{prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{prefix}-{index}-version"] = draft.pk
    return data


def test_an_administrator_edits_a_fee_table_as_lines_of_text(client, permit, officials):
    _admin_client(client, officials["sysadmin"])
    draft = services.new_draft_version(officials["sysadmin"], permit)
    url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    page = client.get(url)
    assert "Nhà ở riêng lẻ | 75.000 | đồng/giấy phép" in page.content.decode()
    data = _change_form(page, draft)
    data["fees-0-rows"] = "Nhà ở riêng lẻ | 80.000 | đồng/giấy phép\nCông trình khác | 160.000"
    response = client.post(url, data)
    assert response.status_code == 302
    table = draft.fees.get(kind=FeeKind.CHARGE)
    assert table.rows == [
        {"condition": "Nhà ở riêng lẻ", "amount": 80000, "unit": "đồng/giấy phép"},
        {"condition": "Công trình khác", "amount": 160000, "unit": ""},
    ]
    # A line that cannot be read is shown back with the reason; nothing changes.
    data["fees-0-rows"] = "Nhà ở riêng lẻ - tám mươi nghìn"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert Fee.objects.get(pk=table.pk).rows == table.rows


def test_a_published_version_shows_its_table_read_only_in_the_admin(client, permit, officials):
    _admin_client(client, officials["sysadmin"])
    url = reverse("admin:catalog_procedureversion_change", args=[permit.current.pk])
    html = client.get(url).content.decode()
    assert "Nhà ở riêng lẻ | 75.000 | đồng/giấy phép<br>" in html
    assert 'name="fees-0-rows"' not in html
    assert permit.current.status == VersionStatus.PUBLISHED

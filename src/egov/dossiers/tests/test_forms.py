"""The official forms as the desk prints them and the citizen reads them.

The PDFs are read back as a person would: their text (``pdftotext``), their fonts (``pdffonts``)
and the QR code, scanned from the rendered page (``pdftoppm`` + ``zbarimg``). These tools come
from the Debian packages poppler-utils and zbar-tools; without them the tests are skipped, except
under CI, where they fail.
"""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from django.utils import timezone

from egov.core.models import Role
from egov.dossiers import services
from egov.dossiers.documents.forms import (
    FormNotApplicable,
    place_date,
    regime_on,
    render_form,
    render_tracking_book,
    vnd,
)

from .conftest import APPLICANT, all_documents

pytestmark = pytest.mark.django_db

TOOLS = ("pdftotext", "pdffonts", "pdftoppm", "zbarimg")


@pytest.fixture(autouse=True)
def _pdf_tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)} (apt-get install poppler-utils zbar-tools)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _run(args, data: bytes, tmp_path, name="form.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run([*args, str(path), "-"], capture_output=True, check=True, timeout=30)
    return unicodedata.normalize("NFC", result.stdout.decode())


def text_of(pdf: bytes, tmp_path, layout=False) -> str:
    """The PDF's text in reading order (or, with ``layout``, line by line across the page, as
    the rows of a table read), blanks collapsed."""
    assert pdf.startswith(b"%PDF-")
    return " ".join(
        _run(["pdftotext", "-layout"] if layout else ["pdftotext"], pdf, tmp_path).split()
    )


def fonts_of(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """(name without the subset tag, embedded yes/no) for each font of the PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    rows = out.stdout.splitlines()[2:]
    return [(row.split()[0].split("+")[-1], row.split()[-5]) for row in rows if row.strip()]


def qr_codes_of(pdf: bytes, tmp_path) -> list[str]:
    """What a scanner reads from the first page, printed at 150 dpi."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(path)]
        + [str(tmp_path / "page")],
        check=True,
        timeout=30,
    )
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True
    )
    return out.stdout.split()


def open_at_counter(desk, version, documents=None):
    return services.create_dossier(
        desk["officer"],
        version,
        desk["center"],
        APPLICANT,
        documents=all_documents(version) if documents is None else documents,
    )


def received_at_counter(desk, version, at, moment):
    at(moment)
    return services.receive(desk["officer"], open_at_counter(desk, version))


# --- the receipt (form 01) ------------------------------------------------------------------
def test_the_receipt_tells_the_citizen_what_was_received_and_when_to_come_back(
    desk, procedures, at, tmp_path, settings
):
    settings.EGOV_PUBLIC_URL = "https://dichvucong.daknong.gov.vn"
    dossier = received_at_counter(desk, procedures["1.000001"], at, dt.datetime(2025, 3, 10, 9, 30))

    pdf = render_form(dossier, "receipt")
    text = text_of(pdf, tmp_path)

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG" in text and "TRUNG TÂM HÀNH CHÍNH CÔNG" in text
    assert "Mẫu số 01" in text
    assert "Đắk Nông, ngày 10 tháng 3 năm 2025" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text
    assert "Nguyễn Văn An" in text and "067085000123" in text and "0912345678" in text
    rows = text_of(pdf, tmp_path, layout=True)
    assert "1 Tờ khai theo mẫu Bản chính 01" in rows
    assert "2 Bản sao giấy tờ tùy thân Bản sao 01" in rows
    assert "5 ngày làm việc" in text
    assert "09 giờ 30 phút, ngày 10/03/2025" in text
    assert "17 giờ 00 phút, ngày 17/03/2025" in text
    assert "Lệ phí: 50.000 đồng" in text
    assert "Quyển số: 2025, Số thứ tự: 1" in text
    assert dossier.lookup_secret in text
    assert "https://dichvucong.daknong.gov.vn/tra-cuu/" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert desk["officer"].get_full_name() in text

    # The QR code carries the public look-up address of the dossier, and a scanner reads it.
    assert qr_codes_of(pdf, tmp_path) == [
        f"https://dichvucong.daknong.gov.vn/tra-cuu/?code={dossier.code}"
    ]


def test_the_forms_embed_the_shipped_times_compatible_font(desk, procedures, at, tmp_path):
    dossier = received_at_counter(desk, procedures["1.000001"], at, dt.datetime(2025, 3, 10, 9, 30))
    fonts = fonts_of(render_form(dossier, "receipt"), tmp_path)
    assert fonts, "the PDF has no font"
    # Tinos (metric-compatible with Times New Roman) from @fontsource/tinos, never a system font;
    # its Vietnamese subset carries the letters with diacritics.
    assert all(name.startswith("Tinos") for name, _embedded in fonts), fonts
    assert all(embedded == "yes" for _name, embedded in fonts), fonts
    assert {"Tinos", "Tinos-Bold", "Tinos-Vietnamese", "Tinos-Vietnamese-Bold"} <= {
        name for name, _embedded in fonts
    }


def test_there_is_no_receipt_before_the_dossier_is_received(desk, procedures):
    dossier = open_at_counter(desk, procedures["1.000001"])
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "receipt")
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "control-sheet")


# --- supplement (02) and refusal (03) ---------------------------------------------------------
def test_a_supplement_request_lists_everything_missing_under_its_number(
    desk, procedures, at, tmp_path
):
    version = procedures["1.000001"]
    at(dt.datetime(2025, 3, 10, 9, 30))
    dossier = open_at_counter(desk, version, documents=[{"requirement": version.documents.first()}])
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "supplement")

    dossier = services.request_supplement(
        desk["officer"],
        dossier,
        [{"name": "Bản sao giấy tờ tùy thân", "kind": "certified_copy", "count": 2}],
        "Thiếu bản sao CCCD",
    )
    pdf = render_form(dossier, "supplement")
    text = text_of(pdf, tmp_path)
    assert "Mẫu số 02" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Số: {dossier.code}/HDHS" in text
    assert "1 Bản sao giấy tờ tùy thân Bản sao chứng thực 02" in text_of(pdf, tmp_path, True)
    assert "Lý do: Thiếu bản sao CCCD" in text
    assert "NGƯỜI HƯỚNG DẪN" in text and desk["officer"].get_full_name() in text
    # Not received: no receipt yet.
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "receipt")


def test_a_refusal_gives_the_reason_and_exists_only_for_a_refused_dossier(
    desk, procedures, at, tmp_path
):
    at(dt.datetime(2025, 3, 11, 8, 15))
    dossier = open_at_counter(desk, procedures["1.000001"])
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "refusal")
    dossier = services.refuse(desk["officer"], dossier, "Không thuộc thẩm quyền giải quyết")

    text = text_of(render_form(dossier, "refusal"), tmp_path)
    assert "Mẫu số 03" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Không thuộc thẩm quyền giải quyết" in text
    assert "Căn cứ quy định tại" in text and "Cấp phiếu lý lịch tư pháp" in text
    assert "Nguyễn Văn An" in text and desk["officer"].get_full_name() in text


# --- processing: apology (04) and control sheet (05) -----------------------------------------
def _through_processing(desk, stp_staff, version, at):
    """Received Mon 10/03 09:30; handed over at once; appraised early; reviewed late."""
    dossier = received_at_counter(desk, version, at, dt.datetime(2025, 3, 10, 9, 30))
    at(dt.datetime(2025, 3, 10, 10, 0))
    dossier = services.handover(desk["officer"], dossier)
    at(dt.datetime(2025, 3, 10, 14, 0))
    dossier = services.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    at(dt.datetime(2025, 3, 12, 11, 0))  # appraisal (4 days, due 14/03): early
    dossier = services.forward(stp_staff["specialist"], dossier)
    at(dt.datetime(2025, 3, 17, 9, 0))  # review (half a day, due 13/03): late
    return services.forward(stp_staff["head"], dossier)


def test_an_apology_exists_only_once_issued_and_sets_the_new_appointment(
    desk, stp_staff, procedures, at, tmp_path
):
    dossier = _through_processing(desk, stp_staff, procedures["1.000001"], at)
    with pytest.raises(FormNotApplicable):
        render_form(dossier, "apology")

    at(dt.datetime(2025, 3, 17, 10, 0))
    new_date = timezone.make_aware(dt.datetime(2025, 3, 20, 17, 0))
    dossier = services.apologize(
        stp_staff["director"], dossier, new_date, "Cần xác minh thêm thông tin lý lịch"
    )
    text = text_of(render_form(dossier, "apology"), tmp_path)
    assert "Mẫu số 04" in text
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Kính gửi: Ông/Bà Nguyễn Văn An" in text
    assert "Ngày 10/03/2025" in text and dossier.code in text
    assert "17 giờ 00 phút, ngày 17/03/2025" in text  # the original appointment
    assert "chưa trả kết quả" in text and "Cần xác minh thêm thông tin lý lịch" in text
    assert "xin lỗi" in text and "17 giờ 00 phút, ngày 20/03/2025" in text
    assert "Đắk Nông, ngày 17 tháng 3 năm 2025" in text
    assert "SỞ TƯ PHÁP" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and stp_staff["director"].get_full_name() in text


def test_the_control_sheet_has_a_row_per_handover_with_its_timeliness(
    desk, stp_staff, procedures, at, tmp_path
):
    dossier = _through_processing(desk, stp_staff, procedures["1.000001"], at)
    at(dt.datetime(2025, 3, 17, 10, 0))  # approval (half a day from 09:00): on time
    dossier = services.approve(stp_staff["director"], dossier, "Đã cấp phiếu")

    pdf = render_form(dossier, "control-sheet")
    text = text_of(pdf, tmp_path)
    assert "Mẫu số 05" in text
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {dossier.code}" in text
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp" in text

    table = text_of(pdf, tmp_path, layout=True)
    # the rows, without the column heading (repeated on each page) that names the three results
    rows = re.sub(r"\(Trước hạn/ ?Đúng hạn/ ?Quá hạn\)", "", table[table.index("1. Giao:") :])
    handovers = list(dossier.handovers.order_by("at", "id"))
    assert len(handovers) == 6 and rows.count("Giao:") == 6
    for moment in (
        "09 giờ 30 phút, ngày 10/03/2025",  # received from the applicant
        "10 giờ 00 phút, ngày 10/03/2025",  # desk → Sở Tư pháp
        "14 giờ 00 phút, ngày 10/03/2025",  # assigned to the specialist
        "11 giờ 00 phút, ngày 12/03/2025",  # appraised
        "09 giờ 00 phút, ngày 17/03/2025",  # reviewed
        "10 giờ 00 phút, ngày 17/03/2025",  # approved, result to the desk
    ):
        assert moment in rows
    labels = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
    shown = re.findall(r"Trước hạn|Đúng hạn|Quá hạn", rows)
    assert shown == [labels[h.timeliness] for h in handovers if h.timeliness]
    # appraisal two days before its due date, review after it, approval within its half day
    assert shown[-3:] == ["Trước hạn", "Quá hạn", "Đúng hạn"]
    assert "Nhận: Sở Tư pháp" in rows and stp_staff["specialist"].get_full_name() in rows


# --- regimes: Circular 01/2018 until 30 June 2025, Circular 03/2025 after ----------------------
def test_the_regime_follows_the_date_the_dossier_was_received(
    desk, stp_staff, procedures, at, tmp_path
):
    assert regime_on(dt.date(2025, 6, 30)).key == "2018"
    assert regime_on(dt.date(2025, 7, 1)).key == "2025"
    version = procedures["1.000001"]
    march = received_at_counter(desk, version, at, dt.datetime(2025, 3, 10, 9, 30))
    july = received_at_counter(desk, version, at, dt.datetime(2025, 7, 10, 9, 30))

    assert "Mẫu số 05" in text_of(render_form(march, "control-sheet"), tmp_path)
    july_sheet = text_of(render_form(july, "control-sheet"), tmp_path)
    assert "Mẫu số 06" in july_sheet and "Mẫu số 05" not in july_sheet
    assert "Mẫu số 01" in text_of(render_form(july, "receipt"), tmp_path)

    # The stop notice is a form of 2025 only: an old dossier stopped today has none.
    at(dt.datetime(2025, 7, 11, 8, 0))
    march = services.stop(desk["officer"], march, "Người nộp hồ sơ rút hồ sơ")
    with pytest.raises(FormNotApplicable, match="01/2018"):
        render_form(march, "stop-notice")
    with pytest.raises(FormNotApplicable):
        render_form(july, "stop-notice")
    july = services.stop(desk["officer"], july, "Người nộp hồ sơ rút hồ sơ")
    notice = text_of(render_form(july, "stop-notice"), tmp_path)
    assert "Mẫu số 05" in notice
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice
    assert "Người nộp hồ sơ rút hồ sơ" in notice and july.code in notice
    assert "Ngày 10/07/2025" in notice and "THỦ TRƯỞNG CƠ QUAN" in notice


def test_dates_and_money_are_written_the_official_way():
    assert place_date(dt.date(2025, 2, 5)) == "Đắk Nông, ngày 05 tháng 02 năm 2025"
    assert place_date(dt.date(2025, 11, 20)) == "Đắk Nông, ngày 20 tháng 11 năm 2025"
    moment = timezone.make_aware(dt.datetime(2025, 3, 1, 23, 30))  # Vietnam time
    assert place_date(moment, "Lâm Đồng") == "Lâm Đồng, ngày 01 tháng 3 năm 2025"
    assert vnd(1250000) == "1.250.000 đồng" and vnd(0) == "0 đồng"


# --- the tracking book (06 / 07) -------------------------------------------------------------
def test_the_tracking_book_has_a_row_per_dossier_received_in_the_period(
    desk, procedures, at, tmp_path
):
    from openpyxl import load_workbook

    version = procedures["1.000001"]
    inside = [
        received_at_counter(desk, version, at, moment)
        for moment in (
            dt.datetime(2025, 3, 10, 9, 30),
            dt.datetime(2025, 3, 10, 15, 45),
            dt.datetime(2025, 3, 11, 8, 0),
        )
    ]
    after = received_at_counter(desk, version, at, dt.datetime(2025, 3, 12, 7, 45))
    first, last = dt.date(2025, 3, 10), dt.date(2025, 3, 11)

    sheet = load_workbook(
        io.BytesIO(render_tracking_book(desk["center"], first, last, fmt="xlsx"))
    ).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[1] == "Mã hồ sơ")
    assert values[header][:5] == [
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên tổ chức, cá nhân",
    ]
    assert values[header][7:9] == ["Nhận hồ sơ", "Hẹn trả kết quả"]
    rows = [row for row in values[header + 1 :] if row[1]]
    assert [row[1] for row in rows] == [d.code for d in inside]
    assert [row[0] for row in rows] == [1, 2, 3]
    for row, dossier in zip(rows, inside, strict=True):
        assert row[2] == "Cấp phiếu lý lịch tư pháp"
        assert row[4] == "Nguyễn Văn An"
        assert row[6] == "Sở Tư pháp"
        assert row[7] == timezone.localtime(dossier.received_at).replace(tzinfo=None)
        assert row[8] == timezone.localtime(dossier.due_at).replace(tzinfo=None)
    assert any("Mẫu số 06" in str(v) for row in values[:header] for v in row)

    text = text_of(render_tracking_book(desk["center"], first, last), tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Mẫu số 06" in text
    assert "Từ ngày 10/03/2025 đến ngày 11/03/2025" in text
    assert all(d.code in text for d in inside) and after.code not in text


# --- over the API ------------------------------------------------------------------------------
def test_the_forms_over_the_api(client, desk, procedures, at, tree, make_official):
    dossier = received_at_counter(desk, procedures["1.000001"], at, dt.datetime(2025, 3, 10, 9, 30))
    url = f"/api/v1/dossiers/{dossier.code}/forms/"

    client.force_login(desk["officer"])
    response = client.get(url + "receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert dossier.code in response["Content-Disposition"]

    conflict = client.get(url + "apology.pdf")  # no apology was issued
    assert conflict.status_code == 409
    assert conflict.json()["error"]["message"]
    assert client.get(url + "passport.pdf").status_code == 404

    # An official of another agency does not learn that the dossier exists.
    client.force_login(make_official("motcua.cujut", tree["cujut"], Role.RECEPTION))
    assert client.get(url + "receipt.pdf").status_code == 404

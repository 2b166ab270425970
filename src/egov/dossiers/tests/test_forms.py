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
from types import SimpleNamespace

import pytest
from django.utils import timezone

from egov.core.models import Role
from egov.dossiers import services
from egov.dossiers.documents.forms import (
    FormNotApplicable,
    place_date,
    regime_for,
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


def test_a_fee_by_table_is_printed_case_by_case_on_the_receipt(desk, procedures, at, tmp_path):
    """The officer has not chosen the case when the receipt is printed: every case shows."""
    version = procedures["1.000001"]
    version.fees.update(
        amount=None,
        rows=[
            {"condition": "Nhà ở riêng lẻ", "amount": 75000, "unit": "đồng/giấy phép"},
            {"condition": "Công trình khác", "amount": 150000, "unit": "đồng/giấy phép"},
        ],
    )
    dossier = received_at_counter(desk, version, at, dt.datetime(2025, 3, 10, 9, 30))
    text = " ".join(text_of(render_form(dossier, "receipt"), tmp_path).split())
    assert "Nhà ở riêng lẻ: 75.000 đồng/giấy phép" in text
    assert "Công trình khác: 150.000 đồng/giấy phép" in text
    assert not re.search(r"(?<![\d.])0 đồng", text)  # no table priced at nothing


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


# --- regimes: Circular 01/2018 until 14 September 2025, Circular 03/2025 from 15 September -----
TITLES_2018 = {  # Circular 01/2018/TT-VPCP, forms 01–06
    "receipt": ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "supplement": ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "control-sheet": ("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}
TITLES_2025 = {  # Circular 03/2025/TT-VPCP, Appendix I, forms 01–07 (documents/SOURCES.md)
    "receipt": ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "supplement": ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    "stop-notice": ("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    "control-sheet": ("06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}
LAST_DAY_2018 = dt.datetime(2025, 9, 12, 16, 0)  # Friday before Circular 03/2025 (15/09/2025)
FIRST_DAY_2025 = dt.datetime(2025, 9, 15, 7, 30)  # Monday, the day Circular 03/2025 was issued


def test_the_boundary_day_picks_the_regime_in_vietnam_time():
    assert regime_on(dt.date(2019, 1, 8)).key == "2018"
    assert regime_on(dt.date(2025, 6, 30)).key == "2018"
    # Decree 118/2025 is in force from 1 July, but its forms came with Circular 03/2025.
    assert regime_on(dt.date(2025, 7, 1)).key == "2018"
    assert regime_on(dt.date(2025, 9, 14)).key == "2018"
    assert regime_on(dt.date(2025, 9, 15)).key == "2025"
    assert regime_on(dt.date(2030, 1, 1)).key == "2025"
    assert regime_on(dt.date(2010, 1, 1)).key == "2018"  # before all: the earliest set

    def received(moment):
        return SimpleNamespace(received_at=moment, submitted_at=None, created_at=None)

    utc = dt.UTC
    # 00:30 on 15/09/2025 in Vietnam (UTC+7) is still 14/09 in UTC: the Vietnam day counts.
    assert regime_for(received(dt.datetime(2025, 9, 14, 17, 30, tzinfo=utc))).key == "2025"
    assert regime_for(received(dt.datetime(2025, 9, 14, 16, 59, tzinfo=utc))).key == "2018"
    # Not received yet: the day it was submitted, else created.
    submitted = SimpleNamespace(
        received_at=None,
        submitted_at=dt.datetime(2025, 9, 15, 1, 0, tzinfo=utc),
        created_at=dt.datetime(2025, 9, 10, 1, 0, tzinfo=utc),
    )
    assert regime_for(submitted).key == "2025"


def _started(dossier, moment):
    """Date a dossier not yet received as if opened at ``moment`` (``created_at`` is automatic)."""
    type(dossier).objects.filter(pk=dossier.pk).update(created_at=timezone.make_aware(moment))
    dossier.refresh_from_db()
    return dossier


def _at_the_department(desk, stp_staff, version, at, moment):
    """Received at ``moment``, handed to Sở Tư pháp and assigned to its specialist."""
    dossier = received_at_counter(desk, version, at, moment)
    at(moment + dt.timedelta(minutes=30))
    dossier = services.handover(desk["officer"], dossier)
    return services.assign(stp_staff["head"], dossier, stp_staff["specialist"])


def _every_form(desk, stp_staff, version, at, moment):
    """Dossiers started at ``moment`` in every state that has a form: {form: dossier}."""
    received = received_at_counter(desk, version, at, moment)

    apologised = _at_the_department(desk, stp_staff, version, at, moment)
    at(moment + dt.timedelta(days=7))
    apologised = services.apologize(
        stp_staff["director"],
        apologised,
        timezone.make_aware(moment + dt.timedelta(days=14)),
        "Cần xác minh thêm thông tin",
    )

    stopped = received_at_counter(desk, version, at, moment)
    at(moment + dt.timedelta(days=1))
    stopped = services.stop(desk["officer"], stopped, "Người nộp rút hồ sơ")

    at(moment)
    first_only = [{"requirement": version.documents.first()}]
    incomplete = _started(open_at_counter(desk, version, documents=first_only), moment)
    incomplete = services.request_supplement(
        desk["officer"], incomplete, [{"name": "Bản sao giấy tờ tùy thân"}], "Thiếu giấy tờ"
    )
    refused = _started(open_at_counter(desk, version), moment)
    refused = services.refuse(desk["officer"], refused, "Không thuộc thẩm quyền giải quyết")
    return {
        "receipt": received,
        "supplement": incomplete,
        "refusal": refused,
        "apology": apologised,
        "control-sheet": received,
        "stop-notice": stopped,
    }


@pytest.mark.parametrize(
    ("moment", "titles", "basis"),
    [
        (LAST_DAY_2018, TITLES_2018, "01/2018"),
        (FIRST_DAY_2025, TITLES_2025, "03/2025"),
    ],
    ids=["2018", "2025"],
)
def test_each_regime_prints_its_own_numbers_and_titles(
    desk, stp_staff, procedures, at, tmp_path, moment, titles, basis
):
    dossiers = _every_form(desk, stp_staff, procedures["1.000001"], at, moment)
    other = {**TITLES_2018, **TITLES_2025}
    for form, dossier in dossiers.items():
        assert basis in regime_for(dossier).legal_basis, form
        if form not in titles:  # the stop notice of 2025: none before
            with pytest.raises(FormNotApplicable, match=basis):
                render_form(dossier, form)
            continue
        number, title = titles[form]
        text = text_of(render_form(dossier, form), tmp_path)
        assert f"Mẫu số {number}" in text, form
        assert title in text, form
        if other[form][1] != title:
            assert other[form][1] not in text, form


def test_the_2025_apology_asks_to_extend_the_processing_time(
    desk, stp_staff, procedures, at, tmp_path
):
    moment = dt.datetime(2025, 9, 15, 9, 30)
    dossier = _at_the_department(desk, stp_staff, procedures["1.000001"], at, moment)
    at(dt.datetime(2025, 9, 22, 10, 0))
    dossier = services.apologize(
        stp_staff["director"],
        dossier,
        timezone.make_aware(dt.datetime(2025, 9, 25, 17, 0)),
        "Cần xác minh thêm thông tin lý lịch",
    )
    text = text_of(render_form(dossier, "apology"), tmp_path)
    assert "Mẫu số 04" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "PHIẾU XIN LỖI" not in text and "hẹn trả kết quả vào" not in text
    assert "Kính gửi: Ông/Bà Nguyễn Văn An" in text
    assert "Ngày 15/09/2025, Trung tâm Hành chính công tiếp nhận" in text and dossier.code in text
    assert "17 giờ 00 phút, ngày 22/09/2025" in text  # the original appointment
    assert "Lý do: Cần xác minh thêm thông tin lý lịch" in text
    assert (
        "xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị gia hạn thời gian giải quyết hồ sơ đến: "
        "17 giờ 00 phút, ngày 25/09/2025" in text
    )
    assert "Đắk Nông, ngày 22 tháng 9 năm 2025" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text and stp_staff["director"].get_full_name() in text


def test_a_dossier_keeps_the_forms_it_started_under(desk, stp_staff, procedures, at, tmp_path):
    version = procedures["1.000001"]
    # Received in July 2025: Decree 118/2025 in force, Circular 03/2025 not issued yet.
    july = received_at_counter(desk, version, at, dt.datetime(2025, 7, 10, 9, 30))
    september = received_at_counter(desk, version, at, FIRST_DAY_2025)

    # Stopped after 15/09/2025, the July dossier still has the 2018 forms: no stop notice.
    at(dt.datetime(2025, 9, 16, 8, 0))
    july = services.stop(desk["officer"], july, "Người nộp hồ sơ rút hồ sơ")
    july_sheet = text_of(render_form(july, "control-sheet"), tmp_path)
    assert "Mẫu số 05" in july_sheet and "Mẫu số 06" not in july_sheet
    with pytest.raises(FormNotApplicable) as refused:
        render_form(july, "stop-notice")
    message = str(refused.value)
    assert "Thông báo dừng giải quyết hồ sơ" in message
    assert "01/2018" in message and "10/07/2025" in message
    assert "03/2025/TT-VPCP (Mẫu số 05)" in message

    with pytest.raises(FormNotApplicable):  # not stopped
        render_form(september, "stop-notice")
    september = services.stop(desk["officer"], september, "Người nộp hồ sơ rút hồ sơ")
    notice = text_of(render_form(september, "stop-notice"), tmp_path)
    assert "Mẫu số 05" in notice and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice
    assert "Người nộp hồ sơ rút hồ sơ" in notice and september.code in notice
    assert "Ngày 15/09/2025" in notice and "THỦ TRƯỞNG CƠ QUAN" in notice
    sheet = text_of(render_form(september, "control-sheet"), tmp_path)
    assert "Mẫu số 06" in sheet and "Mẫu số 05" not in sheet


def test_the_tracking_book_is_numbered_by_the_regime_at_the_end_of_its_period(
    desk, procedures, at, tmp_path
):
    version = procedures["1.000001"]
    before = received_at_counter(desk, version, at, LAST_DAY_2018)
    after = received_at_counter(desk, version, at, FIRST_DAY_2025)
    september = (dt.date(2025, 9, 1), dt.date(2025, 9, 12))
    text = text_of(render_tracking_book(desk["center"], *september), tmp_path)
    assert "Mẫu số 06" in text and before.code in text and after.code not in text
    text = text_of(
        render_tracking_book(desk["center"], dt.date(2025, 9, 1), dt.date(2025, 9, 30)), tmp_path
    )
    assert "Mẫu số 07" in text and "SỔ THEO DÕI HỒ SƠ" in text
    assert before.code in text and after.code in text


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


def test_the_api_says_which_circular_has_a_form_the_dossier_lacks(client, desk, procedures, at):
    version = procedures["1.000001"]
    july = received_at_counter(desk, version, at, dt.datetime(2025, 7, 10, 9, 30))
    october = received_at_counter(desk, version, at, dt.datetime(2025, 10, 1, 9, 30))
    at(dt.datetime(2025, 10, 2, 8, 0))
    july = services.stop(desk["officer"], july, "Người nộp hồ sơ rút hồ sơ")
    october = services.stop(desk["officer"], october, "Người nộp hồ sơ rút hồ sơ")
    client.force_login(desk["officer"])

    conflict = client.get(f"/api/v1/dossiers/{july.code}/forms/stop-notice.pdf")
    assert conflict.status_code == 409
    message = conflict.json()["error"]["message"]
    assert "Thông báo dừng giải quyết hồ sơ" in message
    assert "Thông tư số 01/2018/TT-VPCP" in message and "10/07/2025" in message
    assert "Thông tư số 03/2025/TT-VPCP (Mẫu số 05)" in message

    response = client.get(f"/api/v1/dossiers/{october.code}/forms/stop-notice.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")

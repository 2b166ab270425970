"""One-stop shop journeys in a real browser: counter intake, then the department takes over."""

import re

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from egov.core.tests.helpers import current_code, enrol_totp
from egov.dossiers.models import Dossier
from egov.dossiers.tests.conftest import desk, procedures, stp_staff  # noqa: F401 (fixtures)
from egov.dossiers.workflow import State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def log_in(page, username, device=None):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:  # leaders confirm the code of their authenticator
        page.wait_for_url(re.compile(r"/2fa/verify/"))
        page.get_by_label("Mã 6 chữ số").fill(current_code(device))
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/$"))


def take_action(page, action, **fields):
    """Open the action's small form on the dossier page, fill it and send it."""
    box = page.get_by_test_id(f"action-{action}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    for label, value in fields.items():
        box.get_by_label(label).select_option(value)
    box.get_by_role("button").click()


def test_the_desk_receives_a_dossier_and_the_unit_leader_assigns_it(
    page,
    desk,  # noqa: F811
    stp_staff,  # noqa: F811
    procedures,  # noqa: F811
):
    log_in(page, "tiepnhan")
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()

    # 1. The officer finds the procedure typing without accents; htmx fills the rows.
    page.get_by_label("Tên hoặc mã thủ tục").fill("ly lich")
    rows = page.get_by_test_id("procedure-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cấp phiếu lý lịch tư pháp")
    rows.first.get_by_role("link", name=re.compile("Chọn")).click()

    # 2. Applicant, documents received (one scanned), decision.
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Số giấy tờ").fill("067190000456")
    page.get_by_label("Địa chỉ").fill("Phường Nghĩa Đức, Gia Nghĩa")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Thư điện tử").fill("hoa@example.vn")
    page.get_by_role("checkbox", name="Tờ khai theo mẫu").check()
    page.get_by_role("checkbox", name="Bản sao giấy tờ tùy thân").check()
    page.get_by_label("Bản quét “Tờ khai theo mẫu”").set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Tiếp nhận", exact=True).click()

    page.wait_for_url(re.compile(r"/dossiers/000\.00\.21\.H16-\d{6}-0001/$"))
    code = page.get_by_test_id("dossier-code").inner_text()
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == State.RECEIVED and dossier.applicant_name == "Nguyễn Thị Hoa"
    expect(page.get_by_role("status")).to_contain_text(code)
    receipt = page.get_by_role("link", name=re.compile("Giấy tiếp nhận hồ sơ"))
    expect(receipt).to_have_attribute("href", f"/api/v1/dossiers/{code}/forms/receipt.pdf")
    expect(page.get_by_test_id("document")).to_have_count(2)

    # The desk hands the dossier to the Department of Justice.
    take_action(page, "handover")
    expect(page.get_by_test_id("holder")).to_contain_text("Sở Tư pháp")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/login/"))

    # 3. The unit leader finds it in his tasks and assigns the specialist.
    log_in(page, "truongphong.stp", device=enrol_totp(stp_staff["head"]))
    page.get_by_role("link", name="Việc của tôi").click()
    row = page.get_by_test_id("dossier-row").filter(has_text=code)
    expect(row).to_contain_text("Nguyễn Thị Hoa")
    row.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(rf"/dossiers/{re.escape(code)}/$"))
    take_action(page, "assign", **{"Chuyên viên": "chuyenvien.stp"})
    expect(page.get_by_test_id("holder")).to_contain_text("Chuyenvien Stp")
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.current_holder == stp_staff["specialist"]

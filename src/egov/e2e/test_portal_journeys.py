"""The public service portal in a real browser, on a 360-pixel-wide phone: a citizen finds a
procedure, logs in, applies online and follows her dossier; axe-core checks every page."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from egov.core.models import User
from egov.dossiers.models import Dossier
from egov.dossiers.tests.conftest import desk, procedures, stp_staff  # noqa: F401 (fixtures)
from egov.dossiers.workflow import State
from egov.portal.accounts import get_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "hoa-sen-no-tren-ho-2024"
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def citizen(db):
    user = User.objects.create_user(
        "0912345678",
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        full_name="Nguyễn Thị Hoa",
        phone="0912345678",
        email="hoa@example.vn",
    )
    profile = get_profile(user)
    profile.citizen_id, profile.address = "067190000456", "Gia Nghĩa, Đắk Nông"
    from django.utils import timezone

    profile.verified_at = timezone.now()
    profile.save()
    return user


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (npm ci)")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {json.dumps([n['target'] for n in v['nodes']])}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def check_page(page):
    assert fits_the_screen(page), f"{page.url} scrolls sideways at 360 px"
    assert serious_violations(page) == [], page.url


def test_a_citizen_applies_online_from_her_phone(
    small_phone,
    citizen,
    desk,  # noqa: F811
    procedures,  # noqa: F811
):
    page = small_phone
    procedures["1.000001"].receiving_places.set([desk["center"]])

    # Find the procedure without typing accents.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/dich-vu-cong/$"))
    check_page(page)
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("ly lich tu phap")
    page.get_by_role("button", name="Tìm kiếm").click()
    check_page(page)
    page.get_by_role("link", name="Cấp phiếu lý lịch tư pháp").click()
    expect(page.get_by_test_id("documents")).to_contain_text("Tờ khai theo mẫu")
    check_page(page)

    # Applying asks her to log in, then brings her back.
    page.get_by_test_id("apply").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    check_page(page)
    page.get_by_label(re.compile("Số điện thoại|Thư điện tử|điện thoại", re.I)).first.fill(
        "0912 345 678"
    )
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/1.000001/nop/"))
    check_page(page)
    page.get_by_role("button", name="Tiếp tục").click()

    # The draft: attach the two documents and submit.
    expect(page.get_by_test_id("draft-form")).to_be_visible()
    check_page(page)
    for requirement in procedures["1.000001"].documents.all():
        page.locator(f"#file-{requirement.pk}").set_input_files(
            {"name": f"giay-to-{requirement.pk}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
    page.get_by_test_id("submit").click()

    # Her dossier page: submitted online, waiting for the desk's check.
    expect(page.get_by_test_id("state")).to_contain_text("Đã nộp trực tuyến")
    check_page(page)
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.state == State.SUBMITTED and dossier.documents.count() == 2
    page.get_by_role("link", name="Hồ sơ của tôi").first.click()
    expect(page.get_by_test_id("my-dossiers")).to_contain_text(dossier.code)
    check_page(page)


def test_the_public_pages_pass_the_accessibility_check_in_english_too(
    small_phone,
    desk,  # noqa: F811
    procedures,  # noqa: F811
):
    page = small_phone
    for path in ("/dich-vu-cong/", "/dich-vu-cong/thu-tuc/?q=giay+phep", "/tra-cuu/"):
        page.goto(path)
        check_page(page)
    page.goto("/dich-vu-cong/danh-gia/")
    check_page(page)
    page.get_by_role("button", name="Mở trình đơn").click()  # the menu folds on a phone
    page.get_by_role("button", name="EN").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page)

"""The reports in a real browser: the dashboard's charts are drawn under the strict CSP."""

import re

import pytest
from conftest import PASSWORD
from playwright.sync_api import expect

from egov.core.tests.helpers import current_code, enrol_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_leader_opens_the_dashboard_and_sees_its_charts_drawn(page, officials):
    device = enrol_totp(officials["leader"])
    problems = []
    # Script errors and CSP refusals; failed loads are checked by URL (the browser's own
    # favicon request is no concern of the page).
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill("leader")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/2fa/"))
    page.get_by_label("Mã 6 chữ số").fill(current_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Báo cáo").click()
    page.wait_for_url(re.compile(r"/bao-cao/"))
    charts = page.locator("canvas[data-chart]")
    expect(charts.first).to_be_visible()
    # Chart.js sizes each canvas it draws on; an undrawn canvas keeps the 300×150 default.
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => c.dataset.chart && c.width > 0 && c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data.some(v => v !== 0)).length"
    )
    assert drawn == charts.count() and drawn >= 5
    assert not problems, problems  # no script error, no CSP refusal

"""Journeys through the foundation in a real browser."""

import re

import pytest
from conftest import PASSWORD
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_leader_enrols_an_authenticator_and_reaches_her_home_page(page, officials):
    import base64

    log_in(page, "leader")
    page.wait_for_url(re.compile(r"/2fa/setup/"))
    secret = page.get_by_test_id("otp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{TOTP(key).token():06d}"  # what the phone app would show
    page.get_by_label("Mã 6 chữ số").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("role-card").first.inner_text().startswith("Lãnh đạo cơ quan")


def test_a_specialist_searches_the_directory_as_she_types_and_switches_to_english(page, officials):
    log_in(page, "specialist")
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Cơ quan, đơn vị").click()
    page.get_by_label("Tìm theo tên hoặc mã").fill("cu jut")
    # htmx replaces the rows without reloading the page.
    rows = page.locator("#agency-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Cư Jút")
    page.get_by_role("button", name="EN").click()
    page.get_by_role("heading", name="Agencies").wait_for()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_an_officer_on_a_phone_opens_the_menu(phone, officials):
    log_in(phone, "reception")
    phone.wait_for_url(re.compile(r"/$"))
    toggler = phone.get_by_role("button", name="Mở trình đơn")
    assert toggler.is_visible()
    assert not phone.get_by_role("link", name="Cơ quan, đơn vị").is_visible()
    toggler.click()
    phone.get_by_role("link", name="Cơ quan, đơn vị").wait_for(state="visible")


def test_repeated_wrong_passwords_lock_the_account_in_the_browser(page, officials):
    for _ in range(5):
        log_in(page, "clerk", "wrong-password")
    log_in(page, "clerk")
    assert page.get_by_role("heading", name="Tài khoản bị khóa").is_visible()

"""Accounts of citizens and businesses, as people meet them on the portal: register with an
e-mail address or a phone, verify with the code received, log in, forget the password, keep
a profile. (Pages are read in English here; the Vietnamese wording is in the translations.)"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from egov.core.models import AuditEvent, User
from egov.notifications.sms import LogBackend
from egov.portal.models import Profile, VerificationCode

from .accounts_helpers import (
    Browser,
    last_email_code,
    last_sms_code,
    page,
    registration,
    sms_to,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, django_capture_on_commit_callbacks):
    LogBackend.outbox.clear()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return Browser(client, django_capture_on_commit_callbacks)


@pytest.fixture
def vietnamese(client, django_capture_on_commit_callbacks):
    LogBackend.outbox.clear()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return Browser(client, django_capture_on_commit_callbacks)


def actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="core.user", object_id=str(user.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def verified(browser):
    """Trần Văn An, registered and verified with her e-mail address."""
    browser.register("an.tran@example.vn")
    browser.verify("an.tran@example.vn", last_email_code("an.tran@example.vn"))
    mail.outbox.clear()
    return User.objects.get(email="an.tran@example.vn")


# --- registration by e-mail and by phone ----------------------------------------------------------
def test_a_citizen_registers_by_email_verifies_the_emailed_code_and_logs_in(browser):
    form = browser.get(reverse("accounts:register"))
    assert form.status_code == 200
    html = page(form)
    assert 'for="id_identifier"' in html and 'for="id_password1"' in html
    assert 'aria-describedby="id_password1_helptext"' in html

    response = browser.register("An.Tran@Example.VN")
    assert response.status_code == 302 and response.url == reverse("accounts:verify")
    user = User.objects.get()
    assert user.kind == User.Kind.CITIZEN and user.email == "an.tran@example.vn"
    assert user.username == "an.tran@example.vn" and not user.is_active
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an.tran@example.vn"]
    code = last_email_code("an.tran@example.vn")
    stored = VerificationCode.objects.get(user=user)
    assert code not in stored.code_hash  # only a keyed hash is kept

    # Not verified yet: the right password leads to the code page, not into the portal.
    early = browser.log_in("an.tran@example.vn")
    assert early.status_code == 302 and early.url == reverse("accounts:verify")
    assert browser.logged_in_user_id() is None
    verify_page = page(browser.get(reverse("accounts:verify")))
    assert "not verified yet" in verify_page and 'value="an.tran@example.vn"' in verify_page

    verified = browser.verify("an.tran@example.vn", code)
    assert verified.status_code == 302 and verified.url.startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert user.is_active and user.portal_profile.verified_at and user.portal_profile.email_verified

    logged = browser.log_in("AN.TRAN@example.vn")
    assert logged.status_code == 302 and logged.url == reverse("accounts:profile")
    assert browser.logged_in_user_id() == str(user.pk)
    assert "an.tran@example.vn" in page(browser.get(reverse("accounts:profile")))
    assert actions(user) == ["account.register", "account.verify", "auth.login"]


def test_a_citizen_registers_by_phone_and_the_code_comes_by_sms(browser):
    response = browser.register("+84 912 345 678")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "0912345678" and user.email == "" and not user.is_active
    assert mail.outbox == []
    texts = sms_to("0912345678")
    assert len(texts) == 1 and "10 minutes" in texts[0]

    assert browser.verify("0912 345 678", last_sms_code("0912345678")).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.portal_profile.phone_verified

    # Any usual way of writing the number logs in.
    assert browser.log_in("84912345678").url == reverse("accounts:profile")
    assert browser.logged_in_user_id() == str(user.pk)


def test_a_number_that_is_not_a_vietnamese_mobile_is_refused(browser):
    response = browser.register("0212345678")
    assert response.status_code == 400
    assert "is not a Vietnamese mobile number" in page(response)
    assert not User.objects.exists() and LogBackend.outbox == []


def test_the_same_email_or_phone_cannot_register_twice(browser):
    browser.register("an.tran@example.vn")
    browser.register("0912345678")
    again = browser.register("AN.TRAN@example.vn", full_name="Người khác")
    assert again.status_code == 400
    assert "An account with this e-mail address already exists" in page(again)
    by_phone = browser.register("+84912345678")
    assert by_phone.status_code == 400
    assert "An account with this phone number already exists" in page(by_phone)
    assert User.objects.count() == 2
    assert len(mail.outbox) == 1 and len(LogBackend.outbox) == 1


def test_an_invalid_citizen_id_is_refused_with_a_clear_message_in_vietnamese(vietnamese):
    response = vietnamese.register("an.tran@example.vn", citizen_id="12345")
    assert response.status_code == 400
    html = page(response)
    assert "Số định danh cá nhân phải có đúng 12 chữ số." in html
    # The message is tied to its field for screen readers.
    assert re.search(r'aria-describedby="[^"]*\bid_citizen_id_error\b', html)
    assert 'id="id_citizen_id_error"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists() and mail.outbox == []


def test_a_citizen_id_with_an_unknown_province_code_is_refused(browser):
    response = browser.register("an.tran@example.vn", citizen_id="999123456789")
    assert response.status_code == 400
    assert "(999) are not a province code" in page(response)
    assert not User.objects.exists()


def test_a_weak_password_or_two_different_passwords_are_refused(browser):
    weak = browser.register("an.tran@example.vn", password1="12345678", password2="12345678")
    assert weak.status_code == 400 and 'id="id_password1_error"' in page(weak)
    differ = browser.register("an.tran@example.vn", password2="something-else-2024")
    assert differ.status_code == 400 and "The two passwords are not the same." in page(differ)
    assert not User.objects.exists()


def test_a_business_registers_with_its_name_and_tax_code(browser):
    missing = browser.register("ketoan@caphe.vn", kind="business")
    assert missing.status_code == 400
    assert "Enter the tax code of the organisation." in page(missing)
    wrong = browser.register(
        "ketoan@caphe.vn", kind="business", organisation_name="Công ty Cà phê", tax_code="64001"
    )
    assert "The tax code has 10 digits" in page(wrong)
    assert not User.objects.exists()

    ok = browser.register(
        "ketoan@caphe.vn",
        kind="business",
        organisation_name="Công ty TNHH Cà phê Đắk Nông",
        tax_code="6400123456-001",
    )
    assert ok.status_code == 302
    user = User.objects.get()
    assert user.kind == User.Kind.BUSINESS
    assert user.portal_profile.tax_code == "6400123456-001"
    assert user.portal_profile.organisation_name == "Công ty TNHH Cà phê Đắk Nông"


# --- the code: wrong, expired, sent again ---------------------------------------------------------
def test_five_wrong_codes_lock_the_code_until_a_new_one_is_sent(browser):
    browser.register("0987654321")
    right = last_sms_code("0987654321")
    wrong = "000000" if right != "000000" else "111111"
    for attempt in range(1, 6):
        response = browser.verify("0987654321", wrong)
        assert response.status_code == 400
        if attempt < 5:
            assert f"Attempts left: {5 - attempt}." in page(response)
    assert "it was the last attempt" in page(response)
    locked = browser.verify("0987654321", right)
    assert locked.status_code == 400
    assert "entered wrongly too many times" in page(locked)
    assert not User.objects.get().is_active

    # A new code cannot be asked for at once...
    too_soon = browser.post(reverse("accounts:resend"), {"identifier": "0987654321"}, follow=True)
    assert "Wait a minute" in page(too_soon)
    assert len(sms_to("0987654321")) == 1
    # ... but a minute later it can, and the new code works.
    cache.clear()
    browser.post(reverse("accounts:resend"), {"identifier": "0987654321"})
    assert len(sms_to("0987654321")) == 2
    fresh = last_sms_code("0987654321")
    assert browser.verify("0987654321", fresh).status_code == 302
    assert User.objects.get().is_active


def test_an_expired_code_is_refused(browser):
    browser.register("an.tran@example.vn")
    code = last_email_code("an.tran@example.vn")
    # Eleven minutes pass.
    eleven = dt.timedelta(minutes=11)
    row = VerificationCode.objects.get()
    VerificationCode.objects.filter(pk=row.pk).update(
        created_at=row.created_at - eleven, expires_at=row.expires_at - eleven
    )
    response = browser.verify("an.tran@example.vn", code)
    assert response.status_code == 400
    assert "This code has expired" in page(response)
    assert not User.objects.get().is_active


def test_an_older_code_stops_working_when_a_new_one_is_sent(browser):
    browser.register("an.tran@example.vn")
    first = last_email_code("an.tran@example.vn")
    cache.clear()  # a minute later
    browser.post(reverse("accounts:resend"), {"identifier": "an.tran@example.vn"})
    second = last_email_code("an.tran@example.vn")
    if first != second:
        assert browser.verify("an.tran@example.vn", first).status_code == 400
    assert browser.verify("an.tran@example.vn", second).status_code == 302


# --- log-in and log-out ---------------------------------------------------------------------------
def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_account(browser, verified):
    wrong = browser.log_in("an.tran@example.vn", "not-the-password")
    assert wrong.status_code == 400
    assert "Wrong e-mail, phone number or password" in page(wrong)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        browser.log_in("An.Tran@example.vn", "still-wrong")
    locked = browser.log_in("an.tran@example.vn")
    assert locked.status_code == 429
    assert browser.logged_in_user_id() is None


def test_staff_cannot_use_the_citizen_log_in_and_citizens_leave_with_log_out(
    browser, verified, officials
):
    staff = browser.log_in("specialist", "correct-horse-battery")
    assert staff.status_code == 400 and browser.logged_in_user_id() is None
    assert browser.log_in("an.tran@example.vn").status_code == 302
    out = browser.post(reverse("accounts:logout"))
    assert out.status_code == 302 and out.url == reverse("accounts:login")
    assert browser.logged_in_user_id() is None


def test_the_profile_page_needs_a_log_in(browser):
    response = browser.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


# --- forgotten password ---------------------------------------------------------------------------
def test_a_forgotten_password_is_reset_with_the_emailed_link(browser, verified):
    cache.clear()  # some time after the registration
    response = browser.post(
        reverse("accounts:password_reset"), {"identifier": "AN.TRAN@example.vn"}, follow=True
    )
    assert "we sent it a link" in page(response)
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/tai-khoan/" in line)
    path = link[link.index("/tai-khoan/") :].strip()

    form = browser.get(path)
    assert form.status_code == 200 and 'for="id_new_password1"' in page(form)
    mismatch = browser.post(
        path, {"new_password1": "mat-khau-moi-2025", "new_password2": "khac-hoan-toan"}
    )
    assert mismatch.status_code == 400
    done = browser.post(
        path, {"new_password1": "mat-khau-moi-2025", "new_password2": "mat-khau-moi-2025"}
    )
    assert done.status_code == 302 and done.url == reverse("accounts:login")

    assert browser.log_in("an.tran@example.vn").status_code == 400  # old password
    assert browser.log_in("an.tran@example.vn", "mat-khau-moi-2025").status_code == 302
    # The link works once.
    assert browser.get(path).status_code == 400
    assert "account.password_reset" in actions(verified)


def test_asking_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(browser):
    response = browser.post(
        reverse("accounts:password_reset"), {"identifier": "nobody@example.vn"}, follow=True
    )
    assert "we sent it a link" in page(response)
    assert mail.outbox == []


def test_someone_who_lost_the_code_and_the_password_resets_it_and_is_verified(browser):
    browser.register("an.tran@example.vn")
    mail.outbox.clear()
    cache.clear()  # later that day
    browser.post(reverse("accounts:password_reset"), {"identifier": "an.tran@example.vn"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/tai-khoan/" in line)
    path = link[link.index("/tai-khoan/") :].strip()
    done = browser.post(
        path, {"new_password1": "mat-khau-moi-2025", "new_password2": "mat-khau-moi-2025"}
    )
    assert done.status_code == 302
    user = User.objects.get()
    assert user.is_active and user.portal_profile.email_verified
    assert browser.log_in("an.tran@example.vn", "mat-khau-moi-2025").status_code == 302


def test_a_forgotten_password_is_reset_with_a_code_sent_by_sms(browser):
    browser.register("0912345678")
    browser.verify("0912345678", last_sms_code("0912345678"))
    cache.clear()
    asked = browser.post(reverse("accounts:password_reset"), {"identifier": "+84912345678"})
    assert asked.status_code == 302 and asked.url == reverse("accounts:password_reset_code")
    code = last_sms_code("0912345678")
    assert "reset your password" in sms_to("0912345678")[-1]

    form = page(browser.get(asked.url))
    assert 'value="0912345678"' in form
    data = {
        "identifier": "0912345678",
        "code": "000000" if code != "000000" else "111111",
        "new_password1": "mat-khau-moi-2025",
        "new_password2": "mat-khau-moi-2025",
    }
    wrong = browser.post(asked.url, data)
    assert wrong.status_code == 400 and "The code is not correct" in page(wrong)
    done = browser.post(asked.url, {**data, "code": code})
    assert done.status_code == 302
    assert browser.log_in("0912345678", "mat-khau-moi-2025").status_code == 302


# --- profile --------------------------------------------------------------------------------------
def test_a_citizen_completes_her_profile_and_a_wrong_citizen_id_changes_nothing(browser, verified):
    browser.log_in("an.tran@example.vn")
    data = {
        "full_name": "Trần Thị An",
        "citizen_id": "067190001234",
        "date_of_birth": "1990-05-17",
        "address": "Số 5, đường Lê Duẩn, phường Nghĩa Trung, Gia Nghĩa",
    }
    saved = browser.post(reverse("accounts:profile"), data)
    assert saved.status_code == 302
    profile = Profile.objects.get(user=verified)
    assert profile.citizen_id == "067190001234"
    assert profile.date_of_birth == dt.date(1990, 5, 17)
    verified.refresh_from_db()
    assert verified.full_name == "Trần Thị An"
    event = AuditEvent.objects.get(action="account.profile_update")
    assert event.changes["citizen_id"] == ["", "067190001234"]

    wrong = browser.post(reverse("accounts:profile"), {**data, "citizen_id": "06719000123"})
    assert wrong.status_code == 400
    assert "must have exactly 12 digits" in page(wrong)
    future = browser.post(
        reverse("accounts:profile"),
        {**data, "date_of_birth": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 400 and "date in the past" in page(future)
    profile.refresh_from_db()
    assert profile.citizen_id == "067190001234"
    assert profile.date_of_birth == dt.date(1990, 5, 17)


def test_a_business_profile_asks_for_the_tax_code(browser):
    browser.register(
        "ketoan@caphe.vn",
        kind="business",
        organisation_name="Công ty Cà phê",
        tax_code="6400123456",
    )
    browser.verify("ketoan@caphe.vn", last_email_code("ketoan@caphe.vn"))
    browser.log_in("ketoan@caphe.vn")
    html = page(browser.get(reverse("accounts:profile")))
    assert 'id="id_tax_code"' in html and 'value="6400123456"' in html
    response = browser.post(
        reverse("accounts:profile"),
        {"full_name": "Lê Kế Toán", "organisation_name": "Công ty Cà phê", "tax_code": "12"},
    )
    assert response.status_code == 400 and "The tax code has 10 digits" in page(response)
    assert Profile.objects.get().tax_code == "6400123456"


def test_the_registration_form_lists_every_field_with_a_label(browser):
    html = page(browser.get(reverse("accounts:register")))
    for name in (
        "full_name",
        "identifier",
        "citizen_id",
        "organisation_name",
        "tax_code",
        "password1",
        "password2",
    ):
        assert f'for="id_{name}"' in html, name
    assert "<legend" in html  # the account kind is a group of radio buttons with its legend
    assert registration("x")["kind"] == "citizen"


@pytest.mark.parametrize(
    "name", ["login", "register", "verify", "password_reset", "password_reset_code"]
)
def test_every_account_page_opens_without_a_log_in_with_a_label_on_every_field(vietnamese, name):
    response = vietnamese.get(reverse(f"accounts:{name}"))
    assert response.status_code == 200
    html = page(response)
    assert '<html lang="vi">' in html
    inputs = re.findall(r'<input[^>]*\bid="(id_[a-z_0-9]+)"', html)
    assert inputs
    for input_id in inputs:
        assert f'for="{input_id}"' in html, input_id

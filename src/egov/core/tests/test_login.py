"""Log-in, second factor, lockout and session expiry — as an official experiences them."""

import time

import pytest
from conftest import PASSWORD
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import AuditEvent

from .helpers import current_code, enrol_totp

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("core:login"), {"username": username, "password": password})


def test_a_specialist_logs_in_with_password_and_sees_her_role_on_the_home_page(client, officials):
    response = login(client, "specialist")
    assert response.status_code == 302 and response.url == reverse("core:home")
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    page = home.content.decode()
    assert "Chuyên viên" in page  # role name in Vietnamese, the default language
    assert "Phòng Công nghệ thông tin" in page
    assert AuditEvent.objects.filter(action="auth.login", actor=officials["specialist"]).exists()


def test_a_wrong_password_is_refused_with_a_clear_message(client, officials):
    response = login(client, "specialist", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "mật khẩu" in response.content.decode().lower()


def test_an_account_is_locked_after_repeated_failed_log_ins(client, officials):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "clerk", "guess")
    # Even the right password is refused while the account is locked.
    response = login(client, "clerk")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "khóa" in response.content.decode()


def test_a_locked_account_is_also_locked_for_api_tokens(client, officials):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "clerk", "guess")
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "clerk", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "locked"


def test_a_leader_without_an_authenticator_must_enrol_one_before_working(client, officials):
    login(client, "leader")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:otp_setup"))
    setup = client.get(response.url)
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=officials["leader"], confirmed=False)
    # A wrong code does not enrol.
    wrong = "000000" if current_code(device) != "000000" else "111111"
    bad = client.post(reverse("core:otp_setup"), {"otp": wrong})
    assert bad.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    time.sleep(1.1)  # guesses are throttled: after a wrong code the next try waits a second
    ok = client.post(reverse("core:otp_setup"), {"otp": current_code(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_an_enrolled_leader_must_enter_the_current_code_after_the_password(client, officials):
    device = enrol_totp(officials["leader"])
    login(client, "leader")
    response = client.get(reverse("core:home"))
    assert response.url.startswith(reverse("core:otp_verify"))
    wrong = "000000" if current_code(device) != "000000" else "111111"
    assert client.post(reverse("core:otp_verify"), {"otp": wrong}).status_code == 200
    assert client.get(reverse("core:home")).status_code == 302
    # Guessing is throttled: even the right code is refused immediately after a wrong one.
    assert client.post(reverse("core:otp_verify"), {"otp": current_code(device)}).status_code == 200
    time.sleep(1.1)
    right = client.post(reverse("core:otp_verify"), {"otp": current_code(device)})
    assert right.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_a_specialist_is_not_asked_for_a_second_factor(client, officials):
    login(client, "specialist")
    assert client.get(reverse("core:home")).status_code == 200


def test_the_admin_site_requires_a_verified_second_factor(client, officials):
    sysadmin = officials["sysadmin"]
    sysadmin.is_staff = True
    sysadmin.save()
    device = enrol_totp(sysadmin)
    login(client, "sysadmin")
    # Password alone does not open the admin.
    response = client.get("/admin/")
    assert response.status_code == 302
    client.post(reverse("core:otp_verify"), {"otp": current_code(device)})
    assert client.get("/admin/").status_code == 200


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_an_officials_activity_keeps_her_session_alive_without_a_write_per_page(
    client, officials, settings
):
    """The idle timeout slides forward with use, but the session row is rewritten at most
    once per refresh interval, not on every page view."""
    login(client, "specialist")
    client.get(reverse("dossiers:inbox"))  # the first page after log-in may refresh
    first = _expiry(client).expire_date
    assert client.get(reverse("dossiers:inbox")).status_code == 200
    assert _expiry(client).expire_date == first  # within the interval: not rewritten
    # Once the refresh interval has passed (0 here), a page view moves the expiry forward.
    settings.EGOV_SESSION_REFRESH_SECONDS = 0
    time.sleep(0.01)
    assert client.get(reverse("dossiers:inbox")).status_code == 200
    refreshed = _expiry(client).expire_date
    assert refreshed > first
    age = (refreshed - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < age <= settings.SESSION_COOKIE_AGE
    # The cookie itself ends with the browser.
    assert client.cookies[settings.SESSION_COOKIE_NAME]["expires"] == ""


def test_an_unknown_session_cookie_is_not_revived(client, db, settings):
    from django.contrib.sessions.models import Session

    settings.EGOV_SESSION_REFRESH_SECONDS = 0
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    assert client.get(reverse("dossiers:inbox")).status_code == 302  # to the log-in page
    assert not Session.objects.exists()


def test_an_expired_session_sends_the_official_back_to_log_in(client, officials):
    login(client, "specialist")
    session = client.session
    session.set_expiry(-1)
    session.save()
    # (The site's home page now greets visitors with the public portal; a staff page asks
    # for the log-in again.)
    response = client.get(reverse("dossiers:inbox"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_a_flood_of_log_ins_from_one_address_is_slowed_down(client, officials, settings):
    settings.EGOV_LOGIN_RATE_PER_MINUTE = 3
    # Different user names, so the per-account lockout does not trigger first.
    for name in ("a1", "a2", "a3"):
        assert login(client, name, "x").status_code == 200
    refused = login(client, "specialist")
    assert refused.status_code == 429
    assert "Quá nhiều" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_citizen_is_sent_to_the_portal_log_in_not_let_in_as_an_official(client, db):
    from egov.core.models import User

    User.objects.create_user("0912345678", password=PASSWORD, kind=User.Kind.CITIZEN)
    response = login(client, "0912345678")
    assert response.status_code == 200  # the form again, with the reason
    assert "public service portal" in response.content.decode() or "Cổng dịch vụ công" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session

"""Log-in with an OpenID Connect provider (the national identity platform, or any standard
provider set in the settings), against a provider of our own that speaks the protocol over
HTTP: discovery, authorization redirect, token endpoint, JWKS, RS256 ID tokens."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core import mail
from django.urls import reverse

from egov.core.models import AuditEvent, User
from egov.portal.models import Profile

from .accounts_helpers import Browser, last_email_code, page
from .oidc_provider import FakeOidcProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    idp = FakeOidcProvider().start()
    settings.EGOV_OIDC_ISSUER = idp.issuer
    settings.EGOV_OIDC_CLIENT_ID = idp.client_id
    settings.EGOV_OIDC_CLIENT_SECRET = idp.client_secret
    settings.EGOV_OIDC_PROVIDER_NAME = "VNeID"
    settings.EGOV_OIDC_CITIZEN_ID_CLAIM = "so_dinh_danh"
    yield idp
    idp.stop()


@pytest.fixture
def browser(client, django_capture_on_commit_callbacks):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return Browser(client, django_capture_on_commit_callbacks)


def log_in_with_provider(browser, provider, next_url=""):
    """Click the button, let the provider authenticate, follow its redirect back."""
    query = f"?next={next_url}" if next_url else ""
    start = browser.get(reverse("accounts:oidc_start") + query)
    assert start.status_code == 302 and start.url.startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(start.url, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("accounts:oidc_callback")
    assert "code" in parse_qs(back.query), back.query
    return browser.get(f"{back.path}?{back.query}")


def test_the_button_shows_only_when_a_provider_is_configured(browser, settings):
    settings.EGOV_OIDC_ISSUER = ""
    assert 'data-testid="oidc-login"' not in page(browser.get(reverse("accounts:login")))
    settings.EGOV_OIDC_ISSUER = "https://id.example.vn"
    settings.EGOV_OIDC_CLIENT_ID = "portal"
    settings.EGOV_OIDC_PROVIDER_NAME = "VNeID"
    html = page(browser.get(reverse("accounts:login")))
    assert 'data-testid="oidc-login"' in html and "Log in with VNeID" in html


def test_a_first_log_in_creates_the_citizen_and_the_next_one_reuses_it(browser, provider):
    provider.person = {
        "sub": "vneid-0001",
        "name": "Nguyễn Thị Bình",
        "email": "binh@example.vn",
        "email_verified": True,
        "phone_number": "+84 905 111 222",
        "so_dinh_danh": "067190001234",
        "birthdate": "1990-05-17",
    }
    response = log_in_with_provider(browser, provider)
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    user = User.objects.get()
    assert browser.logged_in_user_id() == str(user.pk)
    assert user.kind == User.Kind.CITIZEN and user.is_active
    assert user.full_name == "Nguyễn Thị Bình"
    assert user.email == "binh@example.vn" and user.phone == "0905111222"
    assert not user.has_usable_password()
    profile = user.portal_profile
    assert (profile.oidc_issuer, profile.oidc_subject) == (provider.issuer, "vneid-0001")
    assert profile.citizen_id == "067190001234" and str(profile.date_of_birth) == "1990-05-17"
    assert profile.verified_at and profile.email_verified

    # The request carried PKCE and a nonce; the token exchange proved the verifier.
    asked = provider.authorize_requests[0]
    assert asked["code_challenge_method"] == "S256" and asked["nonce"]
    assert provider.token_requests[0]["code_verifier"]

    browser.post(reverse("accounts:logout"))
    provider.person = {**provider.person, "name": "Nguyễn Thị Bình (đổi tên)"}
    again = log_in_with_provider(browser, provider)
    assert again.status_code == 302
    assert User.objects.count() == 1 and browser.logged_in_user_id() == str(user.pk)
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk), object_type="core.user")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["account.oidc_register", "auth.login", "auth.login"]


def test_the_provider_log_in_returns_to_the_page_asked_for(browser, provider):
    response = log_in_with_provider(browser, provider, next_url=reverse("accounts:profile"))
    assert response.url == reverse("accounts:profile")


def test_an_account_registered_by_email_is_linked_when_the_provider_vouches_for_the_email(
    browser, provider
):
    browser.register("binh@example.vn")
    browser.verify("binh@example.vn", last_email_code("binh@example.vn"))
    mine = User.objects.get()
    provider.person = {
        "sub": "vneid-0042",
        "name": "Nguyễn Thị Bình",
        "email": "Binh@Example.vn",
        "email_verified": True,
    }
    assert log_in_with_provider(browser, provider).status_code == 302
    assert User.objects.count() == 1 and browser.logged_in_user_id() == str(mine.pk)
    assert Profile.objects.get(user=mine).oidc_subject == "vneid-0042"
    assert AuditEvent.objects.filter(action="account.oidc_link", object_id=str(mine.pk)).exists()


def test_an_unvouched_email_of_another_account_is_not_linked(browser, provider):
    browser.register("binh@example.vn")
    browser.verify("binh@example.vn", last_email_code("binh@example.vn"))
    mail.outbox.clear()
    provider.person = {"sub": "someone-else", "name": "Kẻ Mạo Danh", "email": "binh@example.vn"}
    assert log_in_with_provider(browser, provider).status_code == 302
    newcomer = User.objects.get(portal_profile__oidc_subject="someone-else")
    assert newcomer.email == ""  # the address stays with the account that proved it
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("foreign_key", "BadSignatureError"),
        ("expired", "ExpiredTokenError"),
        ("nonce", "'nonce'"),
        ("audience", "'aud'"),
    ],
    ids=["forged-signature", "expired", "wrong-nonce", "other-audience"],
)
def test_a_bad_id_token_is_refused_and_creates_nothing(browser, provider, tamper, reason, caplog):
    provider.tamper = tamper
    response = log_in_with_provider(browser, provider)
    assert reason in caplog.text  # refused for that very reason, logged for the operators
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert browser.logged_in_user_id() is None
    assert not User.objects.exists()
    html = page(browser.get(response.url))
    assert "The log-in with the identity provider failed" in html


def test_a_callback_without_the_state_of_this_browser_is_refused(browser, provider, client):
    start = browser.get(reverse("accounts:oidc_start"))
    at_provider = requests.get(start.url, allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    # Another browser (no session with this state) replays the redirect.
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = other.get(f"{back.path}?{back.query}")
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in other.session and not User.objects.exists()


def test_an_unreachable_provider_gives_a_clear_message(browser, provider):
    provider.stop()
    response = browser.get(reverse("accounts:oidc_start"), follow=True)
    assert "The identity provider cannot be reached" in page(response)

"""The web shell: Vietnamese first, English on request, secure headers, the agency directory."""

from pathlib import Path

import polib
import pytest
from conftest import PASSWORD
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_log_in_page_is_in_vietnamese_by_default(client):
    page = client.get(reverse("core:login")).content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page and "Mật khẩu" in page


def test_an_official_can_switch_the_interface_to_english(client, officials):
    client.post(reverse("core:login"), {"username": "specialist", "password": PASSWORD})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in page
    assert "Specialist" in page and "Log out" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đăng xuất" in client.get(reverse("core:home")).content.decode()


def test_every_interface_string_has_a_vietnamese_translation():
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [
        e.msgid for e in po.fuzzy_entries()
    ]
    assert untranslated == []


def test_pages_carry_security_headers(client):
    response = client.get(reverse("core:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_log_in_without_the_csrf_token_is_refused(officials):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("core:login"), {"username": "specialist", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_pages_need_a_log_in(client):
    response = client.get(reverse("core:agencies"))
    assert response.status_code == 302 and response.url.startswith(reverse("core:login"))


def test_the_agency_directory_searches_without_accents(client, officials, tree):
    client.force_login(officials["specialist"])
    page = client.get(reverse("core:agencies"), {"q": "tu phap"}).content.decode()
    assert "Sở Tư pháp" in page and "Sở Thông tin" not in page
    # htmx asks for the rows only.
    rows = client.get(reverse("core:agencies"), {"q": "cu jut"}, HTTP_HX_REQUEST="true")
    body = rows.content.decode()
    assert "Cư Jút" in body and "<html" not in body


def test_static_front_end_libraries_are_served_by_the_app(client):
    for path in (
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/chartjs/chart.umd.min.js",
    ):
        response = client.get(settings.STATIC_URL + path)
        assert response.status_code == 200, path


def test_the_home_page_lists_every_role_of_the_official(client, officials, tree):
    from egov.core import services
    from egov.core.models import Role

    services.assign_position(None, officials["specialist"], tree["stttt"], Role.RECEPTION)
    client.force_login(officials["specialist"])
    page = client.get(reverse("core:home")).content.decode()
    assert page.count('data-testid="role-card"') == 2
    assert "Cán bộ tiếp nhận" in page and "Chuyên viên" in page

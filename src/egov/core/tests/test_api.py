"""The public API of the foundation, as another system (the integration platform) uses it."""

import datetime as dt

import pytest
from conftest import PASSWORD
from rest_framework.authtoken.models import Token

from .helpers import current_code, enrol_totp

pytestmark = pytest.mark.django_db


def get_token(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, **extra},
        content_type="application/json",
    )


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_a_specialist_gets_a_token_and_lists_agencies(client, officials, tree):
    response = get_token(client, "specialist")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    listing = client.get("/api/v1/agencies/", **auth(token))
    assert listing.status_code == 200
    codes = [row["code"] for row in listing.json()["results"]]
    assert "000.00.00.H16" in codes and "000.00.05.H16" in codes
    stttt = next(r for r in listing.json()["results"] if r["code"] == "000.00.05.H16")
    assert stttt["parent"] == "000.00.00.H16"
    assert stttt["level"] == "province"
    assert stttt["short_name"] == "STTTT"
    assert stttt["valid_from"] and "valid_to" in stttt


def test_a_wrong_password_gets_the_documented_error_shape(client, officials):
    response = get_token(client, "specialist", "nope-nope-nope")
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "invalid_credentials"
    assert body["error"]["message"]
    assert body["error"]["fields"] == {}


def test_a_missing_field_names_the_field(client, officials):
    response = client.post(
        "/api/v1/auth/token/", {"username": "specialist"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]


def test_a_leader_needs_the_current_code_for_a_token(client, officials):
    device = enrol_totp(officials["leader"])
    without = get_token(client, "leader")
    assert without.status_code == 401
    assert without.json()["error"]["code"] == "otp_required"
    with_code = get_token(client, "leader", otp=current_code(device))
    assert with_code.status_code == 200
    assert with_code.json()["token"]


def test_a_leader_without_an_authenticator_cannot_get_a_token(client, officials):
    response = get_token(client, "leader")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_not_enrolled"


def test_an_expired_token_is_refused(client, officials):
    token = get_token(client, "specialist").json()["token"]
    Token.objects.filter(key=token).update(created=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.get("/api/v1/agencies/", **auth(token))
    assert response.status_code == 401
    assert "hết hạn" in response.json()["error"]["message"]
    # Logging in again issues a fresh token that works.
    fresh = get_token(client, "specialist").json()["token"]
    assert fresh != token
    assert client.get("/api/v1/agencies/", **auth(fresh)).status_code == 200


def test_agencies_require_authentication(client, tree):
    response = client.get("/api/v1/agencies/")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_agency_search_ignores_accents_and_case(client, officials, tree):
    client.force_login(officials["specialist"])
    for query in ("thong tin va truyen thong", "THÔNG TIN VÀ TRUYỀN", "sở thông tin", "stttt"):
        codes = [r["code"] for r in client.get("/api/v1/agencies/", {"q": query}).json()["results"]]
        assert codes == ["000.00.05.H16"], query


def test_agencies_filter_by_level_parent_and_date(client, officials, tree):
    client.force_login(officials["specialist"])
    district = client.get("/api/v1/agencies/", {"level": "district"}).json()["results"]
    assert [r["code"] for r in district] == ["000.00.31.H16"]
    children = client.get("/api/v1/agencies/", {"parent": "000.00.05.H16"}).json()["results"]
    assert sorted(r["code"] for r in children) == ["001.00.05.H16", "002.00.05.H16"]
    before = client.get("/api/v1/agencies/", {"valid_on": "1999-12-31"}).json()["results"]
    assert before == []


def test_one_agency_by_code(client, officials, tree):
    client.force_login(officials["specialist"])
    response = client.get("/api/v1/agencies/000.00.05.H16/")
    assert response.status_code == 200
    assert response.json()["name"] == "Sở Thông tin và Truyền thông"
    missing = client.get("/api/v1/agencies/999.99.99.Z99/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_a_citizen_account_does_not_see_the_internal_directory(client, db, tree):
    from egov.core.models import User

    citizen = User.objects.create_user("citizen", password=PASSWORD, kind=User.Kind.CITIZEN)
    client.force_login(citizen)
    assert client.get("/api/v1/agencies/").json()["results"] == []


def test_agency_list_is_keyset_paginated(client, officials, tree):
    client.force_login(officials["specialist"])
    first = client.get("/api/v1/agencies/", {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert "count" not in first  # never counts the whole table
    assert first["next"]
    second = client.get(first["next"]).json()
    assert not {r["code"] for r in first["results"]} & {r["code"] for r in second["results"]}


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/agencies/",
        "/api/v1/agencies/{code}/",
        "/api/v1/procedures/",
        "/api/v1/procedures/{code}/",
        "/api/v1/dossiers/",
        "/api/v1/dossiers/{code}/",
        "/api/v1/dossiers/{code}/transitions/",
        "/api/v1/dossiers/{code}/events/",
        "/api/v1/dossiers/{code}/forms/{form}.pdf",
        "/api/v1/lookup/",
    ):
        assert path in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200


def test_health_reports_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_the_interactive_docs_load_everything_from_the_platform_itself(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "cdn" not in page.lower()
    assert "<script>" not in page and "<style>" not in page  # nothing inline: strict CSP
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()

"""The dossier API as the counter software and other systems use it."""

import pytest

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db


def intake(client, version, headers=None, **extra):
    body = {
        "procedure": version.procedure.code,
        **APPLICANT,
        "documents": [{"requirement": d.pk} for d in version.documents.all()],
        **extra,
    }
    return client.post(
        "/api/v1/dossiers/", body, content_type="application/json", headers=headers or {}
    )


def test_counter_intake_over_the_api_returns_the_receipt_data(client, desk, procedures):
    client.force_login(desk["officer"])
    response = intake(client, procedures["1.000001"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "received"
    assert body["code"].startswith("000.00.21.H16-")
    assert body["due_at"]
    assert body["links"]["receipt"] == f"/api/v1/dossiers/{body['code']}/forms/receipt.pdf"
    detail = client.get(body["links"]["self"]).json()
    assert any(a["action"] == "handover" for a in detail["allowed_actions"])
    assert [s["agency"] for s in detail["steps"]][0] == "000.00.21.H16"
    assert detail["steps"][0]["status"] == "active"
    assert detail["steps"][0]["assignee"] == desk["officer"].username


def test_counter_intake_is_one_audit_event_naming_the_documents(client, desk, procedures):
    from egov.core.models import AuditEvent

    client.force_login(desk["officer"])
    version = procedures["1.000001"]
    code = intake(client, version).json()["code"]
    events = AuditEvent.objects.filter(object_label__contains=code)
    assert [e.action for e in events] == ["dossier.receive"]
    assert [f["name"] for f in events[0].changes["files"]] == [
        d.name for d in version.documents.all()
    ]


def test_a_wrong_citizen_id_is_refused_with_the_field_named(client, desk, procedures):
    client.force_login(desk["officer"])
    response = intake(client, procedures["1.000001"], applicant_id_number="12345")
    assert response.status_code == 400
    assert "applicant_id_number" in response.json()["error"]["fields"]
    assert client.get("/api/v1/dossiers/").json()["results"] == []


def test_a_refused_transition_is_409_with_the_reason(client, desk, procedures):
    client.force_login(desk["officer"])
    code = intake(client, procedures["1.000001"]).json()["code"]
    response = client.post(
        f"/api/v1/dossiers/{code}/transitions/",
        {"action": "approve"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"]
    assert client.get(f"/api/v1/dossiers/{code}/").json()["state"] == "received"


def test_the_public_lookup_needs_code_and_secret(client, desk, procedures):
    from egov.dossiers.models import Dossier

    client.force_login(desk["officer"])
    code = intake(client, procedures["1.000001"]).json()["code"]
    secret = Dossier.objects.get(code=code).lookup_secret
    client.logout()
    ok = client.get("/api/v1/lookup/", {"code": code, "secret": secret.lower()})
    assert ok.status_code == 200 and ok.json()["state"] == "received"
    wrong_secret = client.get("/api/v1/lookup/", {"code": code, "secret": "AAAAAAAA"})
    wrong_code = client.get("/api/v1/lookup/", {"code": code + "9", "secret": secret})
    assert wrong_secret.status_code == wrong_code.status_code == 404
    assert wrong_secret.json() == wrong_code.json()
    assert "applicant" not in str(ok.json())


def test_the_catalogue_search_ignores_accents(client, procedures):
    response = client.get("/api/v1/procedures/", {"q": "cap phieu ly lich tu phap"})
    assert response.status_code == 200
    assert [r["code"] for r in response.json()["results"]] == ["1.000001"]
    detail = client.get("/api/v1/procedures/1.000001/").json()
    assert len(detail["documents"]) == 2 and detail["fees"][0]["amount"] == 50000
    assert sum(float(s["days"]) for s in detail["steps"]) == 5


def test_the_receipts_qr_code_opens_a_public_status_page(client, desk, procedures, settings):
    from egov.dossiers.models import Dossier

    client.force_login(desk["officer"])
    code = intake(client, procedures["1.000001"]).json()["code"]
    secret = Dossier.objects.get(code=code).lookup_secret
    client.logout()
    page = client.get("/tra-cuu/", {"code": code})
    assert page.status_code == 200 and code in page.content.decode()  # code pre-filled
    found = client.get("/tra-cuu/", {"code": code, "secret": secret})
    assert found.status_code == 200
    assert "Cấp phiếu lý lịch tư pháp" in found.content.decode()
    assert "Nguyễn Văn An" not in found.content.decode()  # no personal data without log-in
    wrong = client.get("/tra-cuu/", {"code": code, "secret": "ZZZZZZZZ"})
    assert wrong.status_code == 404
    settings.EGOV_LOOKUP_RATE_PER_MINUTE = 2
    assert client.get("/tra-cuu/", {"code": code, "secret": secret}).status_code == 429


def test_the_desk_downloads_its_tracking_book_and_others_may_not(
    client, desk, procedures, stp_staff
):
    import io

    from django.utils import timezone
    from openpyxl import load_workbook

    client.force_login(desk["officer"])
    code = intake(client, procedures["1.000001"]).json()["code"]
    today = timezone.localdate().isoformat()
    params = {"agency": "000.00.21.H16", "from": today, "to": today, "output": "xlsx"}
    response = client.get("/api/v1/tracking-book/", params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert code in [cell.value for row in sheet.iter_rows() for cell in row]
    client.force_login(stp_staff["specialist"])
    assert client.get("/api/v1/tracking-book/", params).status_code == 403


def test_a_retry_with_the_same_idempotency_key_returns_the_first_dossier(client, desk, procedures):
    import uuid

    from egov.dossiers.models import Dossier

    client.force_login(desk["officer"])
    key = str(uuid.uuid4())
    first = intake(client, procedures["1.000001"], headers={"Idempotency-Key": key})
    again = intake(client, procedures["1.000001"], headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"]
    assert Dossier.objects.count() == 1
    # Another key is another dossier; a key that is not a UUID is refused and changes nothing.
    assert (
        intake(
            client, procedures["1.000001"], headers={"Idempotency-Key": str(uuid.uuid4())}
        ).status_code
        == 201
    )
    bad = intake(client, procedures["1.000001"], headers={"Idempotency-Key": "twice"})
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["error"]["fields"]
    assert Dossier.objects.count() == 2


def test_a_key_used_by_someone_else_is_a_conflict_not_a_look_at_their_dossier(
    client, desk, procedures, tree, make_official
):
    import uuid

    from egov.core.models import Role

    key = str(uuid.uuid4())
    client.force_login(desk["officer"])
    assert (
        intake(client, procedures["1.000001"], headers={"Idempotency-Key": key}).status_code == 201
    )
    outsider = make_official("tiepnhan.cujut", tree["cujut"], Role.RECEPTION)
    client.force_login(outsider)
    response = intake(
        client,
        procedures["1.000001"],
        headers={"Idempotency-Key": key},
        receiving_agency=tree["cujut"].code,
    )
    assert response.status_code == 409
    assert desk["center"].code not in response.content.decode()

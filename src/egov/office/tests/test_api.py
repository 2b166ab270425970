"""The office API (read-only, /api/v1/office/…): the documents the caller may see — secrecy
included —, one document, the status trail of an outgoing document, the registers' entries."""

import pytest
from django.utils import timezone

from egov.core.models import Role
from egov.office import services
from egov.office.models import IncomingDocument, Secrecy

from .conftest import login, released
from .test_incoming import paper

pytestmark = pytest.mark.django_db
API = "/api/v1/office"


def test_the_clerk_lists_and_reads_the_incoming_documents_of_her_agency(
    people, certificates, client
):
    outgoing = released(people)
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    paper(people)
    client.force_login(people["stp_clerk"])

    page = client.get(f"{API}/incoming/").json()
    assert {r["subject"] for r in page["results"]} == {
        outgoing.subject,
        "Về việc tổ chức Hội nghị chuyển đổi số",
    }
    assert "next" in page and "count" not in page  # keyset pagination, never a count
    found = client.get(f"{API}/incoming/", {"q": "hoi nghi chuyen doi"}).json()["results"]
    assert [r["number_symbol"] for r in found] == ["45/UBND-VP"]

    detail = client.get(f"{API}/incoming/{incoming.pk}/").json()
    assert detail["validation"]["indication"] == "TOTAL-PASSED"
    assert detail["files"][0]["name"] == "du-thao.pdf"
    assert [h["action"] for h in detail["history"]] == ["arrived"]


def test_the_status_trail_shows_what_came_back_from_each_recipient(people, certificates, client):
    outgoing = released(people)
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    services.register(people["stp_clerk"], incoming)
    client.force_login(people["clerk"])

    trail = client.get(f"{API}/outgoing/{outgoing.pk}/statuses/").json()
    assert trail["number_symbol"] == "01/QĐ-STTTT" and trail["state"] == "released"
    assert [h["action"] for h in trail["history"]] == [
        "drafted",
        "submitted",
        "signed",
        "numbered",
        "sealed",
        "released",
    ]
    (recipient,) = trail["recipients"]
    assert [st["code"] for st in recipient["statuses"]] == ["01", "03"]
    detail = client.get(f"{API}/outgoing/{outgoing.pk}/").json()
    assert detail["number_symbol"] == "01/QĐ-STTTT" and detail["files"][0]["kind"] == "main"


def test_a_colleague_gets_a_404_for_a_secret_document_and_it_is_not_in_her_lists(people, client):
    secret = paper(people, subject="Phương án bảo vệ", secrecy=Secrecy.TOP_SECRET)
    plain = paper(people, subject="Lịch công tác tuần")
    client.force_login(people["stp_specialist"])

    assert client.get(f"{API}/incoming/{secret.pk}/").status_code == 404
    listed = [r["id"] for r in client.get(f"{API}/incoming/").json()["results"]]
    assert listed == [plain.pk]
    # the register lists both numbers, the secret subject masked
    today = timezone.localdate().isoformat()
    register = client.get(
        f"{API}/registers/incoming/",
        {"agency": people["stp"].code, "start": today, "end": today},
    ).json()
    assert [row[1] for row in register["rows"]] == ["01", "02"]
    assert "Phương án bảo vệ" not in str(register["rows"])
    # her director sees it
    login(client, people["stp_director"])
    assert client.get(f"{API}/incoming/{secret.pk}/").status_code == 200


def test_another_agency_neither_reads_the_documents_nor_the_register(
    people, certificates, client, make_official
):
    outgoing = released(people)
    client.force_login(people["stp_clerk"])
    assert client.get(f"{API}/outgoing/{outgoing.pk}/").status_code == 404
    assert client.get(f"{API}/outgoing/{outgoing.pk}/statuses/").status_code == 404
    assert client.get(f"{API}/outgoing/").json()["results"] == []
    response = client.get(f"{API}/registers/outgoing/", {"agency": people["stttt"].code})
    assert response.status_code == 403 and "error" in response.json()
    client.logout()
    assert client.get(f"{API}/outgoing/").status_code in (401, 403)


def test_the_schema_describes_the_office_api(client, make_official, people):
    admin = make_official("quantri.api", people["stttt"], Role.SPECIALIST)
    client.force_login(admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/office/outgoing/",
        "/api/v1/office/outgoing/{id}/statuses/",
        "/api/v1/office/incoming/{id}/",
        "/api/v1/office/registers/{kind}/",
    ):
        assert path in schema["paths"], path

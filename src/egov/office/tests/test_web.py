"""The pages: registers with accent-free search, the document page with its actions, the
inbox, the registers' downloads, and refusals for people of other agencies."""

import pytest

from egov.office.models import IncomingDocument

from .conftest import released
from .test_incoming import paper

pytestmark = pytest.mark.django_db


def test_the_clerk_finds_a_document_without_accents_and_registers_it(people, certificates, client):
    outgoing = released(people)
    paper(people, subject="Kế hoạch kiểm tra công tác văn thư")
    client.force_login(people["stp_clerk"])

    page = client.get("/van-phong/van-ban-den/", {"q": "ke hoach kiem tra"}).content.decode()
    assert "Kế hoạch kiểm tra công tác văn thư" in page
    assert outgoing.subject not in page

    inbox = client.get("/van-phong/").content.decode()
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    assert f"/van-phong/van-ban-den/{incoming.pk}/" in inbox

    detail = client.get(f"/van-phong/van-ban-den/{incoming.pk}/").content.decode()
    assert "TOTAL-PASSED" in detail or "passed" in detail.lower() or "hợp lệ" in detail.lower()
    response = client.post(f"/van-phong/van-ban-den/{incoming.pk}/xu-ly/", {"action": "register"})
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.number == 2 and incoming.state == "registered"


def test_people_of_another_agency_see_neither_the_page_nor_the_register(
    people, certificates, client
):
    outgoing = released(people)
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    client.force_login(people["clerk"])  # Sở TTTT's clerk
    assert client.get(f"/van-phong/van-ban-den/{incoming.pk}/").status_code == 403
    response = client.post(f"/van-phong/van-ban-den/{incoming.pk}/xu-ly/", {"action": "register"})
    assert response.status_code == 403
    incoming.refresh_from_db()
    assert incoming.state == "arrived"
    page = client.get("/van-phong/so/incoming.xlsx", {"agency": people["stp"].pk})
    assert page.status_code == 403


def test_a_refused_action_says_why_and_changes_nothing(people, certificates, client):
    outgoing = released(people)
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    client.force_login(people["stp_clerk"])
    response = client.post(
        f"/van-phong/van-ban-den/{incoming.pk}/xu-ly/",
        {"action": "return", "note": ""},
        follow=True,
    )
    assert response.status_code == 200
    incoming.refresh_from_db()
    assert incoming.state == "arrived"
    assert "reason" in response.content.decode() or "lý do" in response.content.decode()


def test_the_outgoing_register_downloads(people, certificates, client):
    released(people)
    client.force_login(people["clerk"])
    response = client.get("/van-phong/so/outgoing.pdf", {"agency": people["stttt"].pk})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get("/van-phong/van-ban-di/", {"q": "quy che"}).status_code == 200
    assert client.get("/van-phong/van-ban-di/moi/").status_code == 200
    assert client.get("/van-phong/van-ban-den/giay/").status_code == 200

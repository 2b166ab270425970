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


def test_the_director_sets_the_approval_chain_and_new_drafts_follow_it(people, client):
    from egov.office.models import ApprovalChain
    from egov.pki.tests.test_sign_page import log_in

    log_in(client, people["director"], language="vi")
    url = "/van-phong/quy-trinh/"
    assert client.get(url).status_code == 200
    # A line that names neither a role nor a person is refused, and nothing is saved.
    client.post(url, {"agency": people["stttt"].pk, "name": "Sai", "steps": "Trưởng phòng: sếp"})
    assert not ApprovalChain.objects.exists()
    response = client.post(
        url,
        {
            "agency": people["stttt"].pk,
            "name": "Quy trình trình ký của Sở",
            "steps": "Trưởng phòng: unit_leader\nPhó Giám đốc: @phogiamdoc.stttt",
        },
    )
    assert response.status_code == 302
    chain = ApprovalChain.objects.get(agency=people["stttt"], is_default=True)
    steps = list(chain.steps.all())
    assert [s.label for s in steps] == ["Trưởng phòng", "Phó Giám đốc"]
    assert steps[0].role == "unit_leader" and steps[1].user == people["deputy"]
    assert "Quy trình trình ký của Sở" in client.get(url).content.decode()
    from egov.office.services import default_chain

    assert default_chain(people["stttt"]) == chain  # what create_draft gives new drafts


def test_a_clerk_may_not_set_approval_chains(people, client):
    client.force_login(people["clerk"])
    assert client.get("/van-phong/quy-trinh/").status_code == 403

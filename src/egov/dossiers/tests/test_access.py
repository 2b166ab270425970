"""Who sees and acts on a dossier: every combination outside the rules is refused, through the
API and through the web pages."""

import pytest
from django.test import Client

from egov.core.models import Role, User
from egov.dossiers import services

from .conftest import APPLICANT, all_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(desk, stp_staff, tree, make_official, officials):
    """Everyone around one dossier at the Service Center desk, competent: Sở Tư pháp."""
    citizen = User.objects.create_user(
        "citizen.an", password="x-Strong-pass-1", kind=User.Kind.CITIZEN
    )
    stranger = User.objects.create_user(
        "citizen.binh", password="x-Strong-pass-1", kind=User.Kind.CITIZEN
    )
    return {
        "desk": desk["officer"],
        "stp_specialist": stp_staff["specialist"],
        "stp_head": stp_staff["head"],
        "stp_director": stp_staff["director"],
        "tttt_specialist": make_official("cv.tttt", tree["stttt"], Role.SPECIALIST),
        "tttt_leader": officials["leader"],
        "cujut_desk": make_official("tn.cujut", tree["cujut"], Role.RECEPTION),
        "sysadmin": officials["sysadmin"],
        "citizen": citizen,
        "stranger": stranger,
    }


def client_for(user):
    """A logged-in browser; leaders and administrators also pass their second factor."""
    from egov.core.security import requires_second_factor
    from egov.core.tests.helpers import current_code, enrol_totp

    client = Client()
    client.force_login(user)
    if requires_second_factor(user):
        device = enrol_totp(user)
        assert client.post("/2fa/verify/", {"otp": current_code(device)}).status_code == 302
    return client


def test_who_sees_a_dossier_in_the_api_and_on_the_web(people, desk, procedures):
    version = procedures["1.000001"]
    dossier = services.receive_at_counter(
        people["desk"], version, desk["center"], APPLICANT, documents=all_documents(version)
    )
    sees = {"desk", "stp_specialist", "stp_head", "stp_director", "sysadmin"}
    for name, user in people.items():
        client = client_for(user)
        api = client.get(f"/api/v1/dossiers/{dossier.code}/")
        listed = [d["code"] for d in client.get("/api/v1/dossiers/").json()["results"]]
        if name in sees:
            assert api.status_code == 200, name
            assert dossier.code in listed, name
        else:
            assert api.status_code == 404, name  # not even told that the code exists
            assert dossier.code not in listed, name
        if user.kind == User.Kind.STAFF:
            web = client.get(f"/dossiers/{dossier.code}/")
            assert web.status_code == (200 if name in sees else 404), name


def test_an_applicant_sees_only_her_own_online_dossier(people, desk, procedures):
    version = procedures["1.000001"]
    mine = services.submit(
        people["citizen"],
        services.create_dossier(
            people["citizen"],
            version,
            desk["center"],
            APPLICANT,
            channel="online",
            documents=all_documents(version),
            applicant_user=people["citizen"],
        ),
    )
    own = client_for(people["citizen"])
    assert own.get(f"/api/v1/dossiers/{mine.code}/").status_code == 200
    assert [d["code"] for d in own.get("/api/v1/dossiers/").json()["results"]] == [mine.code]
    other = client_for(people["stranger"])
    assert other.get(f"/api/v1/dossiers/{mine.code}/").status_code == 404
    assert other.get("/api/v1/dossiers/").json()["results"] == []
    # The applicant cannot act as the desk on her own dossier.
    refused = own.post(
        f"/api/v1/dossiers/{mine.code}/transitions/",
        {"action": "receive"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    # Staff pages are for staff only.
    assert own.get(f"/dossiers/{mine.code}/").status_code in (403, 404)


@pytest.mark.parametrize(
    "action,who",
    [
        ("handover", "stp_specialist"),  # only the desk hands over
        ("handover", "cujut_desk"),  # another desk (cannot even see it)
    ],
)
def test_actions_outside_ones_place_are_refused(people, desk, procedures, action, who):
    version = procedures["1.000001"]
    dossier = services.receive_at_counter(
        people["desk"], version, desk["center"], APPLICANT, documents=all_documents(version)
    )
    response = client_for(people[who]).post(
        f"/api/v1/dossiers/{dossier.code}/transitions/",
        {"action": action},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    dossier.refresh_from_db()
    assert dossier.state == "received"


def test_after_handover_the_desk_cannot_assign_and_a_specialist_cannot_take_anothers_work(
    people, desk, procedures, make_official, tree, stp_staff
):
    version = procedures["1.000001"]
    dossier = services.handover(
        people["desk"],
        services.receive_at_counter(
            people["desk"], version, desk["center"], APPLICANT, documents=all_documents(version)
        ),
    )
    body = {"action": "assign", "assignee": "chuyenvien.stp"}
    desk_try = client_for(people["desk"]).post(
        f"/api/v1/dossiers/{dossier.code}/transitions/", body, content_type="application/json"
    )
    assert desk_try.status_code == 403
    ok = client_for(people["stp_head"]).post(
        f"/api/v1/dossiers/{dossier.code}/transitions/", body, content_type="application/json"
    )
    assert ok.status_code == 200
    colleague = make_official("cv2.stp", tree["stp"], Role.SPECIALIST, stp_staff["unit"])
    steal = client_for(colleague).post(
        f"/api/v1/dossiers/{dossier.code}/transitions/",
        {"action": "forward"},
        content_type="application/json",
    )
    assert steal.status_code == 403
    assert client_for(colleague).get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200


def test_a_coordinating_agency_sees_the_dossier_once_it_is_asked(
    people, desk, procedures, stp_staff
):
    version = procedures["1.000002"]
    dossier = services.assign(
        stp_staff["head"],
        services.handover(
            people["desk"],
            services.receive_at_counter(
                people["desk"], version, desk["center"], APPLICANT, documents=all_documents(version)
            ),
        ),
        stp_staff["specialist"],
    )
    tttt = client_for(people["tttt_specialist"])
    assert tttt.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    services.request_interagency(stp_staff["specialist"], dossier)
    detail = tttt.get(f"/api/v1/dossiers/{dossier.code}/")
    assert detail.status_code == 200
    assert [a["action"] for a in detail.json()["allowed_actions"]] == ["complete_interagency"]
    # The coordinating agency cannot approve or stop the dossier.
    for action in ("approve", "stop", "forward"):
        response = tttt.post(
            f"/api/v1/dossiers/{dossier.code}/transitions/",
            {"action": action, "reason": "x"},
            content_type="application/json",
        )
        assert response.status_code in (403, 409), action


def test_files_are_served_only_to_those_who_see_the_dossier(people, desk, procedures):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = procedures["1.000001"]
    scan = SimpleUploadedFile(
        "don.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    documents = [
        {"requirement": d, "file": scan if i == 0 else None}
        for i, d in enumerate(version.documents.all())
    ]
    dossier = services.receive_at_counter(
        people["desk"], version, desk["center"], APPLICANT, documents=documents
    )
    document = dossier.documents.exclude(file="").get()
    url = f"/api/v1/dossiers/{dossier.code}/documents/{document.pk}/file"
    allowed = client_for(people["stp_specialist"]).get(url)
    assert allowed.status_code == 200 and allowed.content.startswith(b"%PDF")
    assert client_for(people["tttt_specialist"]).get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)
    assert document.sha256 and len(document.sha256) == 64

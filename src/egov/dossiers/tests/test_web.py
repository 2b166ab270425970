"""The officer workspace as officials use it: counter intake, my tasks, the dossier page, the
leader's overview and the search, through the Django test client."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY

from egov.core.models import AuditEvent
from egov.core.security import requires_second_factor
from egov.core.tests.helpers import enrol_totp
from egov.dossiers import files, queries, services
from egov.dossiers.models import Dossier
from egov.dossiers.workflow import State

from .conftest import APPLICANT, all_documents

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded scans go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(client, user):
    """Log in; leaders also pass the second factor, as they must for the web pages."""
    client.force_login(user)
    if requires_second_factor(user):
        device = enrol_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def intake_url(version):
    return f"/dossiers/new/?procedure={version.procedure.code}"


def intake_data(version, action="receive", ticked=None, **fields):
    """The intake form as the officer fills it: every document ticked unless told."""
    data = {**APPLICANT, "sets": "1", "action": action, **fields}
    for document in version.documents.all():
        if ticked is None or document.name in ticked:
            data[f"doc_{document.pk}"] = "on"
    return data


def received(desk, version):
    dossier = services.create_dossier(
        desk["officer"], version, desk["center"], APPLICANT, documents=all_documents(version)
    )
    return services.receive(desk["officer"], dossier)


def assigned(desk, stp_staff, version):
    dossier = services.handover(desk["officer"], received(desk, version))
    return services.assign(stp_staff["head"], dossier, stp_staff["specialist"])


def page(response) -> str:
    return response.content.decode()


def vietnamese(call) -> str:
    """The message a refused call raises, as a Vietnamese user reads it."""
    with translation.override("vi"):
        try:
            call()
        except ValidationError as error:
            return error.messages[0]
        except services.TransitionRefused as error:
            return error.message
    raise AssertionError("the call was expected to be refused")


# --- counter intake -------------------------------------------------------------------------------
def test_a_reception_officer_receives_a_dossier_with_its_scans_and_lands_on_its_page(
    client, desk, procedures
):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    first = version.documents.first()
    data = intake_data(version)
    data[f"file_{first.pk}"] = [
        SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("to-khai-trang-2.pdf", PDF, content_type="application/pdf"),
    ]
    response = client.post(intake_url(version), data)

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dossiers/{dossier.code}/"
    assert dossier.state == State.RECEIVED and dossier.receiving_agency == desk["center"]
    assert dossier.applicant_name == "Nguyễn Văn An"
    scans = dossier.documents.filter(requirement=first)
    assert scans.count() == 2 and all(
        d.sha256 and d.content_type == "application/pdf" for d in scans
    )
    assert dossier.documents.count() == 3  # two scans of the form, the ID copy on paper

    detail = client.get(response.url)
    assert detail.status_code == 200
    html = page(detail)
    assert dossier.code in html
    assert f'href="/api/v1/dossiers/{dossier.code}/forms/receipt.pdf"' in html
    assert f"/api/v1/dossiers/{dossier.code}/documents/{scans[0].pk}/file" in html
    assert 'data-testid="action-handover"' in html  # the next thing the desk does


def test_a_wrong_citizen_id_shows_the_field_error_in_vietnamese_and_creates_nothing(
    client, desk, procedures
):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    response = client.post(intake_url(version), intake_data(version, applicant_id_number="12345"))
    assert response.status_code == 400
    assert "Số định danh cá nhân phải có đúng 12 chữ số." in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert response.context["form"].errors["applicant_id_number"]
    assert not Dossier.objects.exists()


def test_unticked_mandatory_documents_become_the_items_of_a_supplement_request(
    client, desk, procedures
):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    data = intake_data(
        version,
        action="request_supplement",
        ticked={"Tờ khai theo mẫu"},
        reason="Thiếu bản sao giấy tờ tùy thân",
        items="Ảnh 4x6\n",
    )
    response = client.post(intake_url(version), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.state == State.SUPPLEMENT_REQUESTED and dossier.due_at is None
    request = dossier.supplements.get()
    assert [item["name"] for item in request.items] == ["Bản sao giấy tờ tùy thân", "Ảnh 4x6"]
    assert request.reason == "Thiếu bản sao giấy tờ tùy thân"
    html = page(client.get(response.url))
    assert "Bản sao giấy tờ tùy thân" in html
    assert f"/api/v1/dossiers/{dossier.code}/forms/supplement.pdf" in html
    assert "/forms/receipt.pdf" not in html  # not received: no receipt


def test_a_supplement_request_or_refusal_without_a_reason_changes_nothing(client, desk, procedures):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    for action in ("request_supplement", "refuse"):
        data = intake_data(version, action=action, ticked={"Tờ khai theo mẫu"})
        response = client.post(intake_url(version), data)
        assert response.status_code == 400
        assert response.context["form"].errors["reason"]
    # Everything ticked: a supplement request would list nothing.
    data = intake_data(version, action="request_supplement", reason="Thiếu giấy tờ")
    response = client.post(intake_url(version), data)
    assert response.status_code == 400 and response.context["form"].errors["items"]
    assert not Dossier.objects.exists()


def test_receiving_with_a_mandatory_document_missing_is_refused_before_anything_is_stored(
    client, desk, procedures
):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    response = client.post(intake_url(version), intake_data(version, ticked={"Tờ khai theo mẫu"}))
    assert response.status_code == 400
    assert "Bản sao giấy tờ tùy thân" in " ".join(response.context["form"].non_field_errors())
    assert not Dossier.objects.exists()


def test_a_renamed_file_that_is_not_a_pdf_is_refused_with_the_reason(client, desk, procedures):
    version = procedures["1.000001"]
    log_in(client, desk["officer"])
    first = version.documents.first()
    data = intake_data(version)
    data[f"file_{first.pk}"] = SimpleUploadedFile("scan.pdf", EXE, content_type="application/pdf")
    response = client.post(intake_url(version), data)

    expected = vietnamese(lambda: files.inspect_upload(SimpleUploadedFile("scan.pdf", EXE)))
    assert response.status_code == 400
    assert expected in page(response)
    assert response.context["form"].errors[f"file_{first.pk}"] == [expected]
    assert not Dossier.objects.exists()


def test_the_procedure_search_ignores_accents_and_answers_htmx_with_rows(client, desk, procedures):
    log_in(client, desk["officer"])
    rows = client.get("/dossiers/new/", {"q": "ly lich"}, headers={"HX-Request": "true"})
    html = page(rows)
    assert rows.status_code == 200 and "<html" not in html
    assert "Cấp phiếu lý lịch tư pháp" in html and "Cấp giấy phép liên thông" not in html
    assert 'href="/dossiers/new/?procedure=1.000001"' in html
    full = client.get("/dossiers/new/", {"q": "LY LICH tu phap"})
    assert "<html" in page(full) and "Cấp phiếu lý lịch tư pháp" in page(full)


def test_only_a_reception_officer_opens_the_intake(client, stp_staff, procedures):
    log_in(client, stp_staff["specialist"])
    assert client.get("/dossiers/new/").status_code == 403


def test_a_district_procedure_asks_which_peoples_committee_handles_it(
    client, desk, procedures, tree
):
    from egov.catalog.services import import_row, provincial_agencies

    from .conftest import _row

    import_row(
        None,
        _row("2.000003", "Đăng ký khai sinh", agency="", level="district"),
        {},
        provincial_agencies(),
    )
    version = queries.procedure_in_force("2.000003")
    assert version is not None and version.competent_agency_id is None
    log_in(client, desk["officer"])
    form = client.get(intake_url(version)).context["form"]
    assert list(form.fields["competent_agency"].queryset) == [tree["cujut"]]
    response = client.post(
        intake_url(version), intake_data(version, competent_agency=tree["cujut"].pk)
    )
    assert response.status_code == 302
    assert Dossier.objects.get().competent_agency == tree["cujut"]


# --- my tasks, visibility -------------------------------------------------------------------------
def test_my_tasks_follow_the_dossier_and_other_agencies_see_nothing(
    client, desk, stp_staff, procedures, officials
):
    version = procedures["1.000001"]
    dossier = services.handover(desk["officer"], received(desk, version))
    # Nobody holds it yet at the Department of Justice: it waits for the unit leader to assign.
    head = log_in(client, stp_staff["head"])
    assert dossier.code in page(head.get("/dossiers/"))
    client.logout()
    log_in(client, stp_staff["specialist"])
    assert dossier.code not in page(client.get("/dossiers/"))

    services.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    inbox = client.get("/dossiers/")
    assert inbox.status_code == 200
    rows = inbox.context["rows"]
    assert [d.code for d in rows] == [dossier.code]
    assert rows[0].due_class in ("due-green", "due-amber", "due-red")
    html = page(inbox)
    assert f'class="{rows[0].due_class}"' in html
    assert timezone_text(dossier.due_at) in html
    assert client.get(f"/dossiers/{dossier.code}/").status_code == 200

    client.logout()
    log_in(client, officials["specialist"])  # a specialist of another department
    assert dossier.code not in page(client.get("/dossiers/"))
    assert client.get(f"/dossiers/{dossier.code}/").status_code == 404
    assert client.post(f"/dossiers/{dossier.code}/act/", {"action": "forward"}).status_code == 404


def timezone_text(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_an_overdue_dossier_is_red_in_my_tasks(client, desk, procedures, at):
    at(dt.datetime(2025, 3, 10, 9, 30))  # long ago: the appointment has passed
    dossier = received(desk, procedures["1.000001"])
    log_in(client, desk["officer"])
    row = client.get("/dossiers/").context["rows"][0]
    assert row.code == dossier.code and row.due_class == "due-red" and row.late


def test_the_inbox_costs_the_same_number_of_queries_however_many_rows_it_shows(
    client, desk, procedures
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, desk["officer"])

    def inbox():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/dossiers/")
        return len(response.context["rows"]), len(queries)

    for _ in range(3):
        received(desk, procedures["1.000001"])
    inbox()  # the first page after log-in moves the session's idle expiry (one write)
    rows, statements = inbox()
    for _ in range(3):
        received(desk, procedures["1.000001"])
    assert inbox() == (rows + 3, statements)
    assert rows == 3 and statements <= 15


def test_the_officer_workspace_is_for_officials(client, desk, procedures):
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.create_user("congdan", kind="citizen")
    client.force_login(citizen)
    assert client.get("/dossiers/").status_code == 403
    assert client.get("/dossiers/new/").status_code == 403


# --- the dossier page and its actions -------------------------------------------------------------
def test_the_leader_assigns_a_specialist_from_the_dossier_page(client, desk, stp_staff, procedures):
    dossier = services.handover(desk["officer"], received(desk, procedures["1.000001"]))
    log_in(client, stp_staff["head"])
    html = page(client.get(f"/dossiers/{dossier.code}/"))
    assert 'data-testid="action-assign"' in html
    assert 'value="chuyenvien.stp"' in html  # the specialist is offered

    response = client.post(
        f"/dossiers/{dossier.code}/act/",
        {"action": "assign", "assign-assignee": "chuyenvien.stp"},
    )
    assert response.status_code == 302 and response.url == f"/dossiers/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.current_holder == stp_staff["specialist"]
    timeline = client.get(response.url).context["timeline"]
    assert [row["action"] for row in timeline if row["kind"] == "event"][-1] == "dossier.assign"


def test_a_refused_transition_shows_the_reason_and_changes_nothing(client, desk, procedures):
    dossier = received(desk, procedures["1.000001"])
    events = AuditEvent.objects.count()
    log_in(client, desk["officer"])
    response = client.post(f"/dossiers/{dossier.code}/act/", {"action": "approve"})

    expected = vietnamese(lambda: services.perform(desk["officer"], dossier, "approve", {}))
    assert response.status_code == 409
    assert response.context["error"] == expected
    assert expected in page(response)
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and AuditEvent.objects.count() == events


def test_an_action_needing_a_reason_is_not_taken_without_one(client, desk, procedures):
    dossier = received(desk, procedures["1.000001"])
    log_in(client, desk["officer"])
    response = client.post(f"/dossiers/{dossier.code}/act/", {"action": "stop", "stop-reason": ""})
    assert response.status_code == 400
    assert response.context["actions"] and "stop-reason" in page(response)
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_an_apology_shows_the_new_appointment(client, desk, stp_staff, procedures, at):
    at(dt.datetime(2025, 3, 10, 9, 30))
    dossier = assigned(desk, stp_staff, procedures["1.000001"])
    log_in(client, stp_staff["director"])
    response = client.post(
        f"/dossiers/{dossier.code}/act/",
        {
            "action": "apologize",
            "apologize-reason": "Chờ xác minh",
            "apologize-new_appointment": "2025-03-21T16:00",
        },
    )
    assert response.status_code == 302, response.context and response.context.get("error")
    html = page(client.get(response.url))
    assert 'data-testid="new-appointment">21/03/2025 16:00' in html
    assert 'data-testid="overdue-badge"' in html  # an apology does not undo the delay


# --- leader's overview ----------------------------------------------------------------------------
def test_the_leader_overview_counts_by_state_and_lists_the_overdue(
    client, desk, stp_staff, procedures, at, officials
):
    version = procedures["1.000001"]
    at(dt.datetime(2025, 3, 10, 9, 30))
    late = assigned(desk, stp_staff, version)  # due 17/03/2025: overdue today
    at(timezone.now())
    fresh = received(desk, version)  # its clock has just started
    log_in(client, stp_staff["director"])
    response = client.get("/dossiers/overview/")
    assert response.status_code == 200
    counts = {row["state"]: row["count"] for row in response.context["by_state"]}
    assert counts == {State.PROCESSING: 1, State.RECEIVED: 1}
    assert [d.code for d in response.context["overdue"]] == [late.code]
    holders = response.context["holders"]
    assert [(h["current_holder__username"], h["n"], h["late"]) for h in holders] == [
        ("chuyenvien.stp", 1, 1),
        ("tiepnhan", 1, 0),  # the fresh one is still at the desk
    ]
    html = page(response)
    assert late.code in html and fresh.code not in html.split('data-testid="overdue-list"')[1]

    client.logout()
    log_in(client, stp_staff["specialist"])
    assert client.get("/dossiers/overview/").status_code == 403
    client.logout()
    log_in(client, officials["leader"])  # leads another department: none of these
    assert client.get("/dossiers/overview/").context["by_state"] == []


# --- search ---------------------------------------------------------------------------------------
def test_the_search_filters_and_pages_by_keyset(client, desk, procedures, monkeypatch):
    version = procedures["1.000001"]
    dossiers = [received(desk, version) for _ in range(3)]
    other = services.create_dossier(
        desk["officer"],
        version,
        desk["center"],
        {**APPLICANT, "applicant_name": "Trần Thị Bình"},
        documents=all_documents(version),
    )
    other = services.receive(desk["officer"], other)
    log_in(client, desk["officer"])

    found = client.get("/dossiers/search/", {"applicant": "Trần Thị Bình"})
    assert [d.code for d in found.context["rows"]] == [other.code]
    assert client.get("/dossiers/search/", {"code": other.code}).context["rows"][0] == other
    assert client.get("/dossiers/search/", {"state": "refused"}).context["rows"] == []
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert len(client.get("/dossiers/search/", {"received_from": today}).context["rows"]) == 4
    bad = client.get("/dossiers/search/", {"received_from": "2025-03-10"})
    assert bad.status_code == 400 and bad.context["form"].errors["received_from"]

    monkeypatch.setattr(queries, "SEARCH_PAGE", 2)
    first = client.get("/dossiers/search/", {"applicant": "Nguyễn Văn An"})
    assert [d.code for d in first.context["rows"]] == [d.code for d in dossiers[::-1][:2]]
    next_link = re.search(r'href="([^"]+)" data-testid="next-page"', page(first)).group(1)
    assert next_link.startswith("?") and "after=" in next_link
    second = client.get("/dossiers/search/" + next_link.replace("&amp;", "&"))
    assert [d.code for d in second.context["rows"]] == [dossiers[0].code]
    assert second.context["next_after"] is None


# --- hygiene --------------------------------------------------------------------------------------
def test_the_workspace_templates_carry_no_inline_script_style_or_handler():
    folder = Path(queries.__file__).parent / "templates" / "dossiers"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert "<style" not in text and "style=" not in text, template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name

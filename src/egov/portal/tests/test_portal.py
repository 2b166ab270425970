"""The portal as citizens use it: find a procedure, apply online, answer a supplement request,
reuse documents from the data store, receive the result, rate the service."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egov.core.models import User
from egov.dossiers import services as dossiers
from egov.dossiers.models import Dossier, Evaluation
from egov.dossiers.workflow import State
from egov.portal.accounts import get_profile
from egov.portal.demo import scan
from egov.portal.models import Application, DocumentReuse, StoredDocument

PASSWORD = "hoa-sen-no-tren-ho-2024"


@pytest.fixture
def version(procedures, desk):
    """The criminal-record procedure, filed at the provincial service centre."""
    version = procedures["1.000001"]
    version.receiving_places.set([desk["center"]])
    return version


def _citizen(username, citizen_id="067085000123"):
    user = User.objects.create_user(
        username,
        password=PASSWORD,
        kind=User.Kind.CITIZEN,
        full_name="Nguyễn Văn An",
        email=f"{username}@example.vn",
        phone="0912345678",
    )
    profile = get_profile(user)
    profile.citizen_id, profile.address = citizen_id, "Gia Nghĩa, Đắk Nông"
    profile.verified_at = timezone.now()
    profile.save()
    return user


@pytest.fixture
def citizen(db):
    return _citizen("an")


@pytest.fixture
def browser(client, citizen):
    client.force_login(citizen)
    return client


def _start(browser, version, desk, key=None):
    return browser.post(
        reverse("portal:apply", args=[version.procedure.code]),
        {"receiving": desk["center"].pk, "key": str(key or uuid.uuid4())},
    )


def _files(version):
    return {f"file-{r.pk}": scan(f"doc-{r.pk}") for r in version.documents.all()}


def _submitted(browser, version, desk) -> Dossier:
    application_url = _start(browser, version, desk).url
    response = browser.post(application_url, {"action": "submit", **_files(version)})
    assert response.status_code == 302, response.content[:500]
    return Dossier.objects.get(code=response.url.rstrip("/").rsplit("/", 1)[-1])


# --- public pages -----------------------------------------------------------------------------
def test_a_visitor_finds_a_procedure_without_typing_accents(client, version):
    response = client.get(reverse("portal:search"), {"q": "LY LICH tu phap"})
    assert response.status_code == 200
    assert "Cấp phiếu lý lịch tư pháp" in response.content.decode()
    response = client.get(reverse("portal:search"), {"q": "ly lich", "level": "district"})
    assert "Cấp phiếu lý lịch tư pháp" not in response.content.decode()


def test_search_filters_by_agency_and_online_mode(client, version, tree, procedures):
    page = client.get(reverse("portal:search"), {"agency": tree["stp"].pk}).content.decode()
    assert "Cấp phiếu lý lịch tư pháp" in page
    page = client.get(reverse("portal:search"), {"agency": tree["stttt"].pk}).content.decode()
    assert "Cấp phiếu lý lịch tư pháp" not in page
    page = client.get(reverse("portal:search"), {"online_mode": "full"}).content.decode()
    assert "Cấp phiếu lý lịch tư pháp" not in page


def test_the_procedure_page_says_what_to_bring_where_and_what_it_costs(client, version, desk):
    page = client.get(reverse("portal:procedure", args=["1.000001"])).content.decode()
    assert "Tờ khai theo mẫu" in page and "Bản sao giấy tờ tùy thân" in page
    assert "Trung tâm Hành chính công" in page
    assert "50.000" in page
    assert reverse("portal:apply", args=["1.000001"]) in page
    assert client.get(reverse("portal:procedure", args=["9.999999"])).status_code == 404


# --- applying online --------------------------------------------------------------------------
def test_applying_asks_a_visitor_to_log_in(client, version):
    response = client.get(reverse("portal:apply", args=["1.000001"]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_citizen_applies_online_and_the_desk_sees_it_submitted(browser, version, desk):
    draft = _start(browser, version, desk)
    assert draft.status_code == 302
    # Submitting without the documents is refused, with their names, and nothing is submitted.
    page = browser.post(draft.url, {"action": "submit"}, follow=True).content.decode()
    assert "Tờ khai theo mẫu" in page
    dossier = Application.objects.get().dossier
    assert dossier.state == State.DRAFT
    response = browser.post(draft.url, {"action": "submit", **_files(version)})
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED and dossier.channel == "online"
    assert response.url == reverse("portal:dossier", args=[dossier.code])
    assert dossier.applicant_user.username == "an"
    assert dossier.applicant_id_number == "067085000123"
    # The desk's inbox shows it waiting for the completeness check.
    assert dossier.code in dossiers_of(desk["officer"])


def dossiers_of(officer):
    from egov.dossiers.queries import inbox_for

    return {d.code for d in inbox_for(officer)}


def test_pressing_submit_twice_or_retrying_makes_one_dossier(browser, version, desk):
    key = uuid.uuid4()
    first, again = _start(browser, version, desk, key), _start(browser, version, desk, key)
    assert first.url == again.url and Application.objects.count() == 1
    files = _files(version)
    browser.post(first.url, {"action": "submit", **files})
    retry = browser.post(first.url, {"action": "submit"})
    assert Dossier.objects.filter(applicant_user__username="an").count() == 1
    assert retry.url == reverse("portal:dossier", args=[Dossier.objects.get().code])


def test_a_citizen_without_a_citizen_id_is_asked_to_complete_her_profile(client, version, desk):
    user = User.objects.create_user("binh", password=PASSWORD, kind=User.Kind.CITIZEN)
    client.force_login(user)
    page = client.post(
        reverse("portal:apply", args=["1.000001"]),
        {"receiving": desk["center"].pk, "key": str(uuid.uuid4())},
        follow=True,
    ).content.decode()
    assert Dossier.objects.count() == 0
    assert "profile" in page.lower() or "hồ sơ tài khoản" in page.lower()


def test_a_broken_upload_is_refused_and_nothing_is_attached(browser, version, desk):
    draft = _start(browser, version, desk)
    requirement = version.documents.first()
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = browser.post(
        draft.url, {"action": "save", f"file-{requirement.pk}": fake}, follow=True
    ).content.decode()
    assert "scan.pdf" in page
    assert Application.objects.get().dossier.documents.count() == 0


def test_nobody_else_sees_a_citizens_draft_or_dossier(client, browser, version, desk):
    dossier = _submitted(browser, version, desk)
    draft_url = reverse("portal:draft", args=[Application.objects.get().key])
    client.force_login(_citizen("mallory", citizen_id="067085000124"))
    assert client.get(draft_url).status_code == 404
    assert client.get(reverse("portal:dossier", args=[dossier.code])).status_code == 404


# --- supplements ------------------------------------------------------------------------------
def test_the_applicant_answers_a_supplement_request_online(browser, version, desk):
    dossier = _submitted(browser, version, desk)
    dossiers.request_supplement(
        desk["officer"], dossier, [{"name": "Bản sao hộ khẩu"}], "Thiếu bản sao"
    )
    page = browser.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert "Bản sao hộ khẩu" in page
    browser.post(
        reverse("portal:supplement", args=[dossier.code]),
        {"note": "Gửi bổ sung", "files": scan("ho-khau")},
    )
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED
    assert dossier.supplements.get().answered_at is not None
    assert dossier.documents.filter(name="ho-khau.pdf").exists()


def test_answering_a_pause_resumes_the_clock_and_moves_the_appointment(
    browser, version, desk, stp_staff
):
    dossier = _submitted(browser, version, desk)
    dossier = dossiers.receive(desk["officer"], dossier)
    dossier = dossiers.handover(desk["officer"], dossier)
    dossier = dossiers.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    due = dossier.due_at
    from egov.dossiers.tests.conftest import MONDAY_0930  # noqa: F401

    dossier = dossiers.pause_for_supplement(
        stp_staff["specialist"], dossier, [{"name": "Ảnh 4x6"}], "Thiếu ảnh"
    )
    Dossier.objects.filter(pk=dossier.pk).update(
        paused_since=timezone.now() - timezone.timedelta(days=3)
    )
    pause = dossier.pauses.get()
    pause.started_at = timezone.now() - timezone.timedelta(days=3)
    pause.save()
    browser.post(
        reverse("portal:supplement", args=[dossier.code]), {"files": scan("anh"), "note": ""}
    )
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    assert dossier.due_at > due


def test_an_empty_supplement_is_refused(browser, version, desk):
    dossier = _submitted(browser, version, desk)
    dossiers.request_supplement(desk["officer"], dossier, [{"name": "Ảnh"}], "Thiếu ảnh")
    browser.post(reverse("portal:supplement", args=[dossier.code]), {"note": " "})
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED


# --- data store -------------------------------------------------------------------------------
def test_filed_documents_are_kept_and_reused_in_the_next_application(browser, version, desk):
    _submitted(browser, version, desk)
    stored = list(StoredDocument.objects.filter(owner__username="an"))
    assert len(stored) == version.documents.count()
    second = _start(browser, version, desk)
    reuse = {f"reuse-{r.pk}": s.pk for r, s in zip(version.documents.all(), stored, strict=True)}
    response = browser.post(second.url, {"action": "submit", **reuse})
    assert response.status_code == 302
    newest = Dossier.objects.order_by("-pk").first()
    assert newest.state == State.SUBMITTED
    assert DocumentReuse.objects.filter(dossier=newest).count() == len(stored)
    # The reused file is the one kept, not a new upload.
    assert {d.sha256 for d in newest.documents.all()} == {s.sha256 for s in stored}


def test_someone_elses_stored_document_cannot_be_reused(client, browser, version, desk):
    _submitted(browser, version, desk)
    theirs = StoredDocument.objects.filter(owner__username="an").first()
    client.force_login(_citizen("mallory", citizen_id="067085000124"))
    draft = _start(client, version, desk)
    requirement = version.documents.first()
    client.post(draft.url, {"action": "save", f"reuse-{requirement.pk}": theirs.pk})
    assert not DocumentReuse.objects.exists()
    assert client.get(reverse("portal:store_file", args=[theirs.pk])).status_code == 404


def test_a_person_adds_and_removes_documents_in_her_store(browser):
    browser.post(reverse("portal:store"), {"name": "Căn cước công dân", "file": scan("cccd")})
    stored = StoredDocument.objects.get(owner__username="an")
    assert stored.name == "Căn cước công dân"
    page = browser.get(reverse("portal:store")).content.decode()
    assert "Căn cước công dân" in page
    browser.post(reverse("portal:store_remove", args=[stored.pk]))
    assert "Căn cước công dân" not in browser.get(reverse("portal:store")).content.decode()


# --- result and evaluation --------------------------------------------------------------------
def _to_result(dossier, desk, stp_staff, result_file=None):
    dossier = dossiers.receive(desk["officer"], dossier)
    dossier = dossiers.handover(desk["officer"], dossier)
    dossier = dossiers.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    dossier = dossiers.forward(stp_staff["specialist"], dossier)
    dossier = dossiers.forward(stp_staff["head"], dossier)
    return dossiers.approve(stp_staff["director"], dossier, "Đã cấp", result_file)


def test_the_electronic_result_is_downloaded_and_kept_in_the_store(
    browser, version, desk, stp_staff, django_capture_on_commit_callbacks
):
    dossier = _submitted(browser, version, desk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = _to_result(dossier, desk, stp_staff, scan("phieu-ly-lich"))
    assert dossier.state == State.RESULT_READY
    result = dossier.documents.get(is_result=True)
    page = browser.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert reverse("portal:document", args=[dossier.code, result.pk]) in page
    download = browser.get(reverse("portal:document", args=[dossier.code, result.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert StoredDocument.objects.filter(owner__username="an", kind="result").count() == 1


def test_a_result_sent_by_post_records_its_tracking_number(browser, version, desk, stp_staff):
    dossier = _to_result(_submitted(browser, version, desk), desk, stp_staff)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        dossiers.return_result(desk["officer"], dossier, "post")
    dossier = dossiers.return_result(desk["officer"], dossier, "post", "EB 123 456 789 VN")
    assert dossier.return_tracking == "EB123456789VN"
    page = browser.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert "EB123456789VN" in page


def test_the_applicant_rates_the_service_once_it_is_returned(
    client, browser, version, desk, stp_staff
):
    dossier = _to_result(_submitted(browser, version, desk), desk, stp_staff)
    url = reverse("portal:evaluate", args=[dossier.code])
    browser.post(url, {"rating": "satisfied"})  # too early: the result is not returned yet
    assert not Evaluation.objects.exists()
    dossiers.return_result(desk["officer"], dossier, "online")
    browser.post(url, {"rating": "satisfied", "score-attitude": "3"})  # no such points
    assert not Evaluation.objects.exists()
    browser.post(
        url,
        {"rating": "very_satisfied", "score-attitude": "2", "score-total_time": "1", "comment": ""},
    )
    evaluation = Evaluation.objects.get()
    assert evaluation.rating == "very_satisfied" and evaluation.channel == "online"
    assert evaluation.scores == {"attitude": 2, "total_time": 1}
    dossier.refresh_from_db()
    assert dossier.state == State.EVALUATED
    # Everyone can see the aggregate, per agency, per procedure and per criterion.
    page = client.get(reverse("portal:ratings")).content.decode()
    assert "Sở Tư pháp" in page and "1.000001" in page
    assert "100,0" in page  # Vietnamese decimal comma


# --- nobody reads another person's dossier, file or stored document --------------------------
def test_another_person_reaches_nothing_of_mine_by_real_or_guessed_ids(
    client, browser, version, desk
):
    dossier = _submitted(browser, version, desk)
    mine = dossier.documents.first()
    stored = StoredDocument.objects.filter(owner__username="an").first()
    client.force_login(_citizen("mallory", citizen_id="067085000124"))
    web = [
        reverse("portal:dossier", args=[dossier.code]),
        reverse("portal:document", args=[dossier.code, mine.pk]),
        reverse("portal:document", args=[dossier.code, mine.pk + 1]),
        reverse("portal:store_file", args=[stored.pk]),
        reverse("portal:store_file", args=[stored.pk + 1]),
        reverse("portal:draft", args=[uuid.uuid4()]),
    ]
    for url in web:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portal:store_remove", args=[stored.pk])).status_code == 404
    assert StoredDocument.objects.get(pk=stored.pk).removed_at is None
    # The API answers the same: not found, and her list holds only her own dossiers.
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 404
    assert client.get(f"/api/v1/dossiers/{dossier.code}/events/").status_code == 404
    listed = client.get("/api/v1/dossiers/").json()
    assert dossier.code not in str(listed)
    # While the owner sees hers.
    client.force_login(User.objects.get(username="an"))
    assert client.get(f"/api/v1/dossiers/{dossier.code}/").status_code == 200
    assert client.get(reverse("portal:document", args=[dossier.code, mine.pk])).status_code == 200


def test_the_next_page_link_keeps_the_search_words(client, procedures, db):
    from egov.catalog.services import import_row, provincial_agencies
    from egov.catalog.testing import procedure_row

    provincial, fields = provincial_agencies(), {}
    for i in range(25):
        import_row(
            None, procedure_row(f"1.1000{i:02d}", f"Cấp giấy phép số {i}"), fields, provincial
        )
    page = client.get(reverse("portal:search"), {"q": "giấy phép"}).content.decode()
    assert "q=gi%E1%BA%A5y+ph%C3%A9p&amp;page=2" in page

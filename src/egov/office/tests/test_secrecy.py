"""Secret documents (mật, tối mật, tuyệt mật) are open only to the agency's leaders and clerks
and to the people who handle them: a colleague of the same agency finds them neither in the
lists nor by search, page, file link or a guessed id; the register keeps the row but hides the
subject from her."""

import io

import pytest
from django.utils import timezone

from egov.core.models import Role
from egov.office import access, registers, services
from egov.office.models import IncomingDocument, OutgoingDocument, Secrecy

from .conftest import doc_type, login, pdf
from .test_incoming import paper

pytestmark = pytest.mark.django_db

SECRET_SUBJECT = "Phương án bảo vệ mục tiêu trọng điểm"


def test_the_secrecy_choices_are_the_three_levels_of_the_law():
    assert set(Secrecy.values) == {"", "mat", "toi_mat", "tuyet_mat"}


@pytest.fixture
def secret_incoming(people):
    return paper(people, subject=SECRET_SUBJECT, secrecy=Secrecy.SECRET)


def _pages(client, document):
    base = f"/van-phong/van-ban-den/{document.pk}/"
    main = document.files.get(kind="main")
    return {
        "list": client.get("/van-phong/van-ban-den/"),
        "search": client.get("/van-phong/van-ban-den/", {"q": "bao ve muc tieu"}),
        "detail": client.get(base),
        "file": client.get(f"{base}tep/{main.pk}/"),
        "action": client.post(f"{base}xu-ly/", {"action": "note", "note": "xem"}),
    }


def test_a_colleague_cannot_open_a_secret_incoming_document_by_any_way(
    people, secret_incoming, client
):
    login(client, people["stp_specialist"])
    pages = _pages(client, secret_incoming)
    assert SECRET_SUBJECT not in pages["list"].content.decode()
    assert SECRET_SUBJECT not in pages["search"].content.decode()
    assert pages["detail"].status_code == 403
    assert pages["file"].status_code == 403
    assert pages["action"].status_code == 403
    # a guessed id of the next secret document is as closed as this one
    other = paper(people, subject="Kế hoạch diễn tập", secrecy=Secrecy.TOP_SECRET)
    assert client.get(f"/van-phong/van-ban-den/{other.pk}/").status_code == 403
    # a non-secret document of the same agency is open to her
    plain = paper(people, subject="Lịch công tác tuần")
    assert client.get(f"/van-phong/van-ban-den/{plain.pk}/").status_code == 200


def test_the_clerk_and_leader_see_it_and_the_assignee_once_assigned(
    people, secret_incoming, client
):
    for who in ("stp_clerk", "stp_director"):
        login(client, people[who])
        assert client.get(f"/van-phong/van-ban-den/{secret_incoming.pk}/").status_code == 200
        assert SECRET_SUBJECT in client.get("/van-phong/van-ban-den/").content.decode()

    services.assign(people["stp_director"], secret_incoming, assignee=people["stp_specialist"])
    login(client, people["stp_specialist"])
    assert client.get(f"/van-phong/van-ban-den/{secret_incoming.pk}/").status_code == 200
    login(client, people["stp_specialist2"])
    assert client.get(f"/van-phong/van-ban-den/{secret_incoming.pk}/").status_code == 403

    # forwarded to her colleague: now she handles it, and may open it
    services.forward(
        people["stp_specialist"], secret_incoming, people["stp_specialist2"], "Nhờ xử lý"
    )
    assert client.get(f"/van-phong/van-ban-den/{secret_incoming.pk}/").status_code == 200


def test_the_register_keeps_the_row_but_hides_the_subject(people, secret_incoming):
    from openpyxl import load_workbook

    today = timezone.localdate()

    def cells(user):
        data = registers.render_register(people["stp"], "incoming", today, today, "xlsx", user)
        sheet = load_workbook(io.BytesIO(data)).active
        return [c.value for row in sheet.iter_rows() for c in row if c.value]

    colleague = cells(people["stp_specialist"])
    assert "01" in colleague and "45/UBND-VP" in colleague
    assert not any(SECRET_SUBJECT in str(v) for v in colleague)
    assert any(str(access.MASKED_SUBJECT) in str(v) for v in colleague)
    assert any(SECRET_SUBJECT in str(v) for v in cells(people["stp_clerk"]))


def test_a_secret_draft_is_open_to_its_drafter_reviewers_and_signer_only(
    people, make_official, client
):
    colleague = make_official("chuyenvien2.stttt", people["stttt"], Role.SPECIALIST, people["vp"])
    document = services.create_draft(
        people["specialist"],
        people["stttt"],
        doc_type=doc_type("ke-hoach"),
        subject=SECRET_SUBJECT,
        main=pdf(),
        drafting_unit=people["it"],
        recipients=[people["stp"]],
        secrecy=Secrecy.CONFIDENTIAL,
        signer=people["director"],
    )
    url = f"/van-phong/van-ban-di/{document.pk}/"
    main = document.files.get(kind="main")
    login(client, colleague)
    assert client.get(url).status_code == 403
    assert client.get(f"{url}tep/{main.pk}/").status_code == 403
    assert SECRET_SUBJECT not in client.get("/van-phong/van-ban-di/").content.decode()
    assert not OutgoingDocument.objects.filter(access.visible_outgoing_q(colleague)).exists()
    for who in ("specialist", "head", "director", "clerk", "deputy"):
        login(client, people[who])
        assert client.get(url).status_code == 200, who


def test_a_secret_document_delivered_inside_the_installation_stays_secret(people, certificates):
    from .conftest import released

    outgoing = released(people, subject=SECRET_SUBJECT, secrecy=Secrecy.SECRET)
    incoming = IncomingDocument.objects.get(outgoing=outgoing)
    assert incoming.secrecy == Secrecy.SECRET
    assert not access.may_view_incoming(people["stp_specialist"], incoming)
    assert access.may_view_incoming(people["stp_clerk"], incoming)


OTHER_INSTALLATION = ("000.00.00.G14", "Bộ Nội vụ")


def test_a_secret_draft_for_another_installation_is_refused_and_nothing_is_kept(people):
    from django.core.exceptions import ValidationError

    from .conftest import draft

    before = OutgoingDocument.objects.count()
    with pytest.raises(ValidationError) as refused:
        draft(
            people,
            subject=SECRET_SUBJECT,
            secrecy=Secrecy.CONFIDENTIAL,
            recipients=[people["stp"], OTHER_INSTALLATION],
        )
    assert "000.00.00.G14" in refused.value.messages[0]
    assert "giấy" in refused.value.messages[0]  # the clerk is told to send it on paper
    assert OutgoingDocument.objects.count() == before
    # Inside the installation, or not secret, the same draft is fine.
    draft(people, subject=SECRET_SUBJECT, secrecy=Secrecy.CONFIDENTIAL)
    draft(people, subject="Thông báo lịch họp", recipients=[OTHER_INSTALLATION])


def test_release_refuses_a_secret_document_for_another_installation_and_changes_nothing(
    people, certificates, settings, django_capture_on_commit_callbacks
):
    """Drafted and sealed while the exchange was allowed to carry secrets, released after the
    province turned it off: the release is refused, nothing is delivered or queued."""
    from django.core.exceptions import ValidationError

    from egov.exchange.models import OutboxMessage

    from .conftest import sealed

    settings.EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS = True
    document = sealed(
        people,
        subject=SECRET_SUBJECT,
        secrecy=Secrecy.SECRET,
        recipients=[people["stp"], OTHER_INSTALLATION],
    )
    settings.EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS = False
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.release(people["clerk"], document)
    document.refresh_from_db()
    assert document.state == "sealed" and document.released_at is None
    assert not IncomingDocument.objects.filter(outgoing=document).exists()
    assert not OutboxMessage.objects.filter(office_document_id=document.pk).exists()

    settings.EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS = True
    with django_capture_on_commit_callbacks(execute=True):
        services.release(people["clerk"], document)
    document.refresh_from_db()
    assert document.state == "released"
    assert IncomingDocument.objects.get(outgoing=document).secrecy == Secrecy.SECRET

"""The pages around the messages: the applicant's notices and settings, the officers' delivery
log and the dossier's list, and the administrators' template editor."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client

from egov.core.models import Role, User
from egov.dossiers import services as dossiers
from egov.dossiers.tests.conftest import APPLICANT, all_documents
from egov.notifications import services
from egov.notifications.defaults import load_default_templates
from egov.notifications.forms import MessageTemplateForm
from egov.notifications.models import MessageTemplate, Notice, Preference
from egov.notifications.queries import deliveries_for

# Until the project mounts them, the pages are served from a URL map that adds them.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("egov.notifications.tests.urls")]


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


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        "citizen.an", password="x-Strong-pass-1", kind=User.Kind.CITIZEN
    )


@pytest.fixture
def received(citizen, desk, procedures, at, django_capture_on_commit_callbacks):
    """An online dossier just received at the Service Center (three messages logged)."""
    at(dt.datetime(2025, 3, 10, 9, 30))
    version = procedures["1.000001"]
    dossier = dossiers.create_dossier(
        citizen,
        version,
        desk["center"],
        APPLICANT,
        channel="online",
        documents=all_documents(version),
        applicant_user=citizen,
    )
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.submit(citizen, dossier)
        return dossiers.receive(desk["officer"], dossier)


def test_the_applicant_reads_her_notices_and_they_are_then_marked_read(citizen, received):
    browser = client_for(citizen)
    page = browser.get("/thong-bao/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Hồ sơ {received.code} đã được tiếp nhận" in html
    assert html.count("data-unread") == 1  # shown as new this once
    assert not Notice.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert "data-unread" not in browser.get("/thong-bao/").content.decode()


def test_someone_else_does_not_see_her_notices(citizen, received):
    other = User.objects.create_user("citizen.binh", password="x", kind=User.Kind.CITIZEN)
    html = client_for(other).get("/thong-bao/").content.decode()
    assert received.code not in html
    assert Client().get("/thong-bao/").status_code == 302  # log in first


def test_the_applicant_turns_sms_off_on_her_settings_page(citizen):
    browser = client_for(citizen)
    assert browser.get("/thong-bao/cai-dat/").status_code == 200
    answer = browser.post("/thong-bao/cai-dat/", {"email": "on", "language": "vi"})
    assert answer.status_code == 302
    preference = Preference.objects.get(user=citizen)
    assert preference.email is True and preference.sms is False


def test_the_desk_sees_the_delivery_log_of_its_dossiers_and_filters_it(
    received, desk, tree, make_official, citizen
):
    browser = client_for(desk["officer"])
    page = browser.get("/thong-bao/nhat-ky/")
    assert page.status_code == 200
    html = page.content.decode()
    assert received.code in html
    assert "an@example.vn" in html and "0912345678" in html
    only_sms = browser.get("/thong-bao/nhat-ky/", {"channel": "sms"}).content.decode()
    assert "0912345678" in only_sms and "an@example.vn" not in only_sms
    failed = browser.get("/thong-bao/nhat-ky/", {"status": "failed"}).content.decode()
    assert "0912345678" not in failed
    by_code = browser.get("/thong-bao/nhat-ky/", {"code": received.code[-4:]}).content.decode()
    assert "an@example.vn" in by_code
    # A district desk elsewhere sees nothing of it; a citizen may not open the log.
    elsewhere = make_official("tn.cujut", tree["cujut"], Role.RECEPTION)
    assert "0912345678" not in client_for(elsewhere).get("/thong-bao/nhat-ky/").content.decode()
    assert client_for(citizen).get("/thong-bao/nhat-ky/").status_code == 403


def test_a_system_administrator_sees_every_delivery(received, officials):
    html = client_for(officials["sysadmin"]).get("/thong-bao/nhat-ky/").content.decode()
    assert "0912345678" in html and received.code in html


def test_the_dossier_page_snippet_lists_the_messages(received):
    html = render_to_string(
        "notifications/_deliveries.html", {"deliveries": deliveries_for(received)}
    )
    assert html.count("<tr>") == 4  # header + portal, e-mail, SMS
    assert "an@example.vn" in html and "citizen.an" in html


def test_a_broken_template_is_refused_with_a_message():
    template = MessageTemplate.objects.get(event="refused", channel="email", language="vi")
    form = MessageTemplateForm(
        {
            "event": "refused",
            "channel": "email",
            "language": "vi",
            "subject": "Hồ sơ {{ code }}",
            "body": "Lý do: {% if reason %}{{ reason }}",
            "active": "on",
        },
        instance=template,
    )
    assert not form.is_valid()
    assert "The template is broken" in str(form.errors["body"]) or "Mẫu" in str(form.errors["body"])
    template.refresh_from_db()
    assert "{% if reason %}" not in template.body


def test_the_admin_edits_a_template_with_a_preview_for_a_sample_dossier(db):
    admin = User.objects.create_superuser("quantri", password="x-Strong-pass-1")
    browser = client_for(admin)
    template = MessageTemplate.objects.get(event="fee_due", channel="sms", language="vi")
    url = f"/admin/notifications/messagetemplate/{template.pk}/change/"
    page = browser.get(url)
    assert page.status_code == 200
    assert "can nop phi, le phi 200.000 đồng" in page.content.decode()  # the sample, rendered
    broken = browser.post(
        url,
        {
            "event": "fee_due",
            "channel": "sms",
            "language": "vi",
            "subject": "",
            "body": "Phi {% if amount %}{{ amount_text }}",
            "active": "on",
        },
    )
    assert broken.status_code == 200  # the form again, with the error
    template.refresh_from_db()
    assert "{{ amount_text }}" in template.body
    saved = browser.post(
        url,
        {
            "event": "fee_due",
            "channel": "sms",
            "language": "vi",
            "subject": "",
            "body": "Ho so {{ code }}: nop {{ amount_text }}",
            "active": "on",
        },
    )
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.body == "Ho so {{ code }}: nop {{ amount_text }}"
    assert template.updated_by == admin


def test_the_default_templates_load_once_and_never_overwrite_an_edit(db):
    count = MessageTemplate.objects.count()
    assert count >= 26  # shipped by the data migration
    edited = MessageTemplate.objects.get(event="received", channel="sms", language="vi")
    edited.body = "Da nhan {{ code }}"
    edited.save()
    MessageTemplate.objects.filter(event="refused", channel="portal").delete()
    assert load_default_templates() == 1
    assert load_default_templates() == 0
    assert MessageTemplate.objects.count() == count
    edited.refresh_from_db()
    assert edited.body == "Da nhan {{ code }}"


def test_every_default_template_renders_for_the_sample_dossier(db):
    for template in MessageTemplate.objects.all():
        subject, body = services.preview(template)
        assert body, template
        assert "{{" not in body and "{%" not in body
        if template.channel != "sms":
            assert subject, template

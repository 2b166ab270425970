"""The e-forms workspace at /bieu-mau/ as administrators use it: the list, the editor with its
live preview, publishing, the read-only versions, and who is turned away."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from egov.core.models import AuditEvent
from egov.core.security import requires_second_factor
from egov.core.tests.helpers import enrol_totp
from egov.portal.eforms import current_form, services
from egov.portal.models import ApplicationForm, FormStatus

from .test_eforms import SCHEMA, UI, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(tree):
    return make_procedure()


def log_in(client, user):
    """Log in; administrators also pass the second factor, as they must for the web pages."""
    client.force_login(user)
    if requires_second_factor(user):
        device = enrol_totp(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def definition(schema=SCHEMA, ui=UI, **extra):
    return {
        "schema": json.dumps(schema, ensure_ascii=False),
        "ui_schema": json.dumps(ui, ensure_ascii=False),
        **extra,
    }


def test_an_agency_administrator_writes_previews_saves_and_publishes_a_form(
    client, procedure, officials
):
    log_in(client, officials["admin"])
    edit_url = reverse("eforms:edit", args=[procedure.code])
    page = client.get(edit_url)
    assert page.status_code == 200
    # A procedure without an e-form starts from the applicant's identity.
    assert "applicant_id" in page.context["form"].initial["schema"]
    assert 'hx-post="/bieu-mau/1.000101/xem-truoc/"' in page.content.decode()

    preview = client.post(
        reverse("eforms:preview", args=[procedure.code]), definition(), HTTP_HX_REQUEST="true"
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'data-testid="eform-preview"' in html
    assert "Tờ khai cấp Phiếu lý lịch tư pháp" in html
    assert 'for="id_preview-full_name"' in html
    assert 'value="Nguyễn Văn An"' in html  # the sample profile fills the prefilled fields

    saved = client.post(edit_url, definition(action="save"), follow=True)
    draft = ApplicationForm.objects.get(procedure=procedure)
    assert draft.status == FormStatus.DRAFT and draft.created_by == officials["admin"]
    assert "Đã lưu bản dự thảo phiên bản 1." in saved.content.decode()
    assert current_form(procedure) is None

    published = client.post(edit_url, definition(action="publish"), follow=True)
    assert published.redirect_chain[-1][0] == reverse("eforms:version", args=[procedure.code, 1])
    assert current_form(procedure).pk == draft.pk
    listing = client.get(reverse("eforms:list"))
    assert listing.status_code == 200
    assert "1.000101" in listing.content.decode()
    assert set(
        AuditEvent.objects.filter(action__startswith="eform.").values_list("action", flat=True)
    ) == {"eform.create_draft", "eform.publish"}


def test_an_invalid_schema_is_refused_on_save_with_a_message(client, procedure, officials):
    log_in(client, officials["admin"])
    edit_url = reverse("eforms:edit", args=[procedure.code])
    broken = {**SCHEMA, "required": "full_name"}
    with translation.override("vi"):
        page = client.post(edit_url, definition(broken, action="save"), HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="form-errors"' in text
    assert "Lược đồ không phải JSON Schema (draft 2020-12) hợp lệ tại required" in text
    not_json = client.post(edit_url, {**definition(action="save"), "schema": "{'title': 1"})
    assert "(dòng 1, cột 2)" in not_json.content.decode()
    unknown = client.post(
        edit_url, definition(ui={"order": ["nickname"]}, action="publish"), follow=True
    )
    assert "Giao diện nhắc đến trường “nickname”" in unknown.content.decode()
    assert not ApplicationForm.objects.exists()
    preview = client.post(
        reverse("eforms:preview", args=[procedure.code]), definition(ui={"order": ["nickname"]})
    )
    assert 'data-testid="definition-problems"' in preview.content.decode()


def test_editing_a_published_form_makes_a_new_version_and_the_old_stays_readable(
    client, procedure, officials
):
    first = services.publish_definition(officials["admin"], procedure, SCHEMA, UI)
    log_in(client, officials["admin"])
    edit_url = reverse("eforms:edit", args=[procedure.code])
    changed = {**SCHEMA, "title": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (mẫu mới)"}
    client.post(edit_url, definition(changed, action="publish"))
    second = current_form(procedure)
    assert second.number == 2 and second.schema["title"].endswith("(mẫu mới)")
    first.refresh_from_db()
    assert first.status == FormStatus.RETIRED
    editor = client.get(edit_url)
    assert editor.context["form"].initial["schema"].index('"full_name"') < editor.context[
        "form"
    ].initial["schema"].index('"citizen_id"')
    assert "(mẫu mới)" in editor.context["form"].initial["schema"]
    old = client.get(reverse("eforms:version", args=[procedure.code, 1]))
    assert old.status_code == 200
    assert "Tờ khai cấp Phiếu lý lịch tư pháp" in old.content.decode()
    assert old.context["eform"].schema == SCHEMA


def test_the_editor_is_refused_to_everyone_but_the_procedures_administrators(
    client, procedure, officials
):
    edit_url = reverse("eforms:edit", args=[procedure.code])
    preview_url = reverse("eforms:preview", args=[procedure.code])
    for who in ("specialist", "leader", "other_admin"):
        client.logout()
        log_in(client, officials[who])
        assert client.get(edit_url).status_code == 403, who
        assert client.post(edit_url, definition(action="publish")).status_code == 403, who
        assert client.post(preview_url, definition()).status_code == 403, who
    assert client.get(reverse("eforms:list")).status_code == 200  # other_admin: own procedures
    client.logout()
    log_in(client, officials["specialist"])
    refused = client.get(reverse("eforms:list"))
    assert refused.status_code == 403
    assert not ApplicationForm.objects.exists()
    client.logout()
    log_in(client, officials["sysadmin"])
    assert client.get(edit_url).status_code == 200
    client.logout()
    assert client.get(edit_url).status_code == 302  # to the log-in page


def test_the_list_finds_a_procedure_to_give_its_first_form(client, procedure, officials):
    log_in(client, officials["admin"])
    page = client.get(reverse("eforms:list"), {"q": "ly lich tu phap"})
    assert 'data-testid="without-eform"' in page.content.decode()
    assert reverse("eforms:edit", args=[procedure.code]) in page.content.decode()
    other = log_in(client, officials["other_admin"]).get(
        reverse("eforms:list"), {"q": "ly lich tu phap"}
    )
    assert reverse("eforms:edit", args=[procedure.code]) not in other.content.decode()


def test_the_django_admin_shows_the_forms_read_only(client, procedure, officials):
    form = services.publish_definition(officials["admin"], procedure, SCHEMA, UI)
    user = officials["sysadmin"]
    user.is_staff = True
    user.save()
    log_in(client, user)
    listing = client.get(reverse("admin:portal_applicationform_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:portal_applicationform_change", args=[form.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:portal_applicationform_add")).status_code == 403

"""The catalogue in the administration: drafts are edited, published versions are not."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY

from egov.catalog import services
from egov.catalog.models import Procedure, ProcedureVersion, VersionStatus
from egov.catalog.testing import procedure_row
from egov.core.audit import verify_chain
from egov.core.models import AuditEvent
from egov.core.models.validity import today_in_vietnam
from egov.core.tests.helpers import enrol_totp

pytestmark = pytest.mark.django_db


def _row(code, name, agency="STP", time=5, coordinating=()):
    return procedure_row(
        code,
        name,
        agency,
        time,
        coordinating,
        documents=[{"name": "Tờ khai theo mẫu", "kind": "original", "count": 1, "mandatory": True}],
    )


@pytest.fixture
def procedures(tree):
    provincial, fields = services.provincial_agencies(), {}
    services.import_row(None, _row("1.000001", "Cấp phiếu lý lịch tư pháp"), fields, provincial)
    services.import_row(
        None,
        _row("1.000002", "Cấp giấy phép liên thông", agency="STTTT", time=6, coordinating=["STP"]),
        fields,
        provincial,
    )
    return {p.code: p for p in Procedure.objects.all()}


def _admin_client(client, user):
    """``user`` in the administration: staff flag and a verified second factor."""
    user.is_staff = True
    user.save()
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def _action(client, model, action, pks, **extra):
    url = reverse(f"admin:catalog_{model}_changelist")
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], "index": 0}
    data.update(extra)
    return client.post(url, data, follow=True)


def test_the_new_version_action_makes_a_draft_copy_of_the_version_in_force(
    client, procedures, officials
):
    _admin_client(client, officials["sysadmin"])
    procedure = procedures["1.000002"]
    current = procedure.current
    response = _action(client, "procedure", "new_version", [procedure.pk])
    assert response.status_code == 200
    draft = procedure.versions.get(number=2)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:catalog_procedureversion_change", args=[draft.pk]
    )
    assert draft.status == VersionStatus.DRAFT
    assert (draft.name, draft.time_value, draft.competent_agency) == (
        current.name,
        current.time_value,
        current.competent_agency,
    )
    assert list(draft.coordinating_agencies.all()) == list(current.coordinating_agencies.all())

    def parts(version):
        return (
            list(version.documents.values_list("order", "name", "kind", "count", "mandatory")),
            list(version.fees.values_list("name", "amount", "note")),
            list(version.steps.values_list("order", "name", "kind", "agency", "role", "days")),
        )

    assert parts(draft) == parts(current)
    procedure.refresh_from_db()
    assert procedure.current == current  # nothing changes in force until published
    assert AuditEvent.objects.filter(action="procedure.new_draft", object_id=str(draft.pk)).exists()
    # A second draft is not started while one is open.
    again = _action(client, "procedure", "new_version", [procedure.pk])
    assert procedure.versions.count() == 2
    with translation.override("vi"):
        refusal = gettext(
            "Version %(number)s of %(code)s is already a draft: edit or publish it."
        ) % {"number": 2, "code": "1.000002"}
    assert any(refusal in m for m in _messages(again)), _messages(again)


def test_a_draft_is_edited_in_the_admin_with_an_audit_event(client, procedures, officials):
    _admin_client(client, officials["sysadmin"])
    draft = services.new_draft_version(officials["sysadmin"], procedures["1.000001"])
    url = reverse("admin:catalog_procedureversion_change", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' in page.content
    form = page.context["adminform"].form
    data = {
        name: form.initial.get(name) if form.initial.get(name) is not None else ""
        for name in form.fields
    }
    data["coordinating_external"] = "[]"
    data["delivery_modes"] = '["counter"]'
    data["receiving_places"] = ""
    data["coordinating_agencies"] = ""
    data["name"] = "Cấp phiếu lý lịch tư pháp (sửa đổi)"
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        prefix = formset.formset.prefix
        for key, value in management.initial.items():
            data[f"{prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                skip = value is None or value is False or name in ("template", "DELETE")
                if not skip:
                    data[f"{prefix}-{index}-{name}"] = value
            data[f"{prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{prefix}-{index}-version"] = draft.pk
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.errors]
    draft.refresh_from_db()
    assert draft.name == "Cấp phiếu lý lịch tư pháp (sửa đổi)"
    event = AuditEvent.objects.get(action="procedure.draft_update", object_id=str(draft.pk))
    assert "name" in event.changes["fields"]
    assert verify_chain().ok


def test_publishing_a_draft_whose_steps_do_not_add_up_shows_the_error_and_keeps_the_draft(
    client, procedures, officials
):
    _admin_client(client, officials["sysadmin"])
    draft = services.new_draft_version(officials["sysadmin"], procedures["1.000001"])
    draft.time_value = Decimal(7)
    services.update_draft_version(officials["sysadmin"], draft, changed_fields=["time_value"])
    confirm = _action(client, "procedureversion", "publish", [draft.pk])
    assert confirm.status_code == 200 and b'name="valid_from"' in confirm.content
    response = _action(
        client,
        "procedureversion",
        "publish",
        [draft.pk],
        apply="1",
        valid_from=today_in_vietnam().isoformat(),
    )
    with translation.override("vi"):
        expected = gettext(
            "The workflow steps add up to %(total)s working days but the statutory time is "
            "%(expected)s."
        ) % {"total": 5, "expected": 7}
    assert any(expected in m for m in _messages(response)), _messages(response)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert Procedure.objects.get(code="1.000001").current.number == 1


def test_publishing_a_sound_draft_puts_it_in_force(client, procedures, officials):
    _admin_client(client, officials["sysadmin"])
    draft = services.new_draft_version(officials["sysadmin"], procedures["1.000001"])
    start = today_in_vietnam() + dt.timedelta(days=3)
    _action(
        client,
        "procedureversion",
        "publish",
        [draft.pk],
        apply="1",
        valid_from=start.isoformat(),
    )
    draft.refresh_from_db()
    first = procedures["1.000001"].versions.get(number=1)
    assert (draft.status, draft.valid_from) == (VersionStatus.PUBLISHED, start)
    assert (first.status, first.valid_to) == (VersionStatus.RETIRED, start - dt.timedelta(days=1))


def test_the_change_page_of_a_published_version_is_read_only(client, procedures, officials):
    _admin_client(client, officials["sysadmin"])
    version = procedures["1.000001"].current
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'name="name"' not in page.content  # no input: the name is shown as text
    assert version.name.encode() in page.content
    response = client.post(url, {"name": "Đổi tên trái phép"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Cấp phiếu lý lịch tư pháp"


def test_the_service_refuses_to_edit_a_published_version(procedures, officials):
    version = procedures["1.000001"].current
    version.name = "Sửa trực tiếp"
    with pytest.raises(services.ValidationError):
        services.update_draft_version(officials["sysadmin"], version, changed_fields=["name"])
    assert ProcedureVersion.objects.get(pk=version.pk).name == "Cấp phiếu lý lịch tư pháp"


def test_an_agency_admin_sees_and_changes_only_the_procedures_of_the_agency(
    client, procedures, officials
):
    # officials["admin"] administers the Sở TTTT: 1.000002 is theirs, 1.000001 (STP) is not.
    _admin_client(client, officials["admin"])
    listing = client.get(reverse("admin:catalog_procedureversion_changelist"))
    assert listing.status_code == 200
    shown = {v.procedure.code for v in listing.context["cl"].result_list}
    assert shown == {"1.000002"}
    other = procedures["1.000001"].current
    assert (
        client.get(reverse("admin:catalog_procedureversion_change", args=[other.pk])).status_code
        == 302  # not in their queryset: the admin says it does not exist
    )
    _action(client, "procedure", "new_version", [procedures["1.000001"].pk])
    assert procedures["1.000001"].versions.count() == 1
    _action(client, "procedure", "new_version", [procedures["1.000002"].pk])
    assert procedures["1.000002"].versions.count() == 2


def test_officials_without_an_admin_role_do_not_see_the_catalogue_admin(client, officials):
    _admin_client(client, officials["leader"])
    assert client.get(reverse("admin:catalog_procedureversion_changelist")).status_code == 403

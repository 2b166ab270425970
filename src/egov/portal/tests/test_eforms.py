"""Application e-forms as an applicant and an administrator meet them: a form rendered from its
definition, answers checked field by field with Vietnamese messages, versions that never change
once published."""

import copy
import datetime as dt
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.utils import translation

from egov.catalog.models import Procedure
from egov.catalog.services import import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.core.audit import verify_chain
from egov.core.models import AuditEvent
from egov.core.models.validity import today_in_vietnam
from egov.portal.eforms import bind, current_form, prefill_from, services, summary
from egov.portal.models import ApplicationForm, FormStatus

pytestmark = pytest.mark.django_db

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Tờ khai cấp Phiếu lý lịch tư pháp",
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "title": "Họ và tên", "maxLength": 100},
        "citizen_id": {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"},
        "birth_date": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gender": {
            "type": "string",
            "title": "Giới tính",
            "oneOf": [{"const": "nam", "title": "Nam"}, {"const": "nu", "title": "Nữ"}],
        },
        "kind": {
            "type": "string",
            "title": "Loại phiếu",
            "enum": ["1", "2"],
        },
        "email": {"type": "string", "title": "Thư điện tử", "format": "email"},
        "phone": {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
        "history": {"type": "string", "title": "Quá trình cư trú", "maxLength": 2000},
        "copies": {"type": "integer", "title": "Số lượng phiếu", "minimum": 1, "maximum": 10},
        "area": {"type": "number", "title": "Diện tích (m²)", "exclusiveMinimum": 0},
        "purposes": {
            "type": "array",
            "title": "Mục đích",
            "items": {"type": "string", "enum": ["work", "study", "visa"]},
            "minItems": 1,
        },
        "ban": {"type": "boolean", "title": "Xác nhận cấm đảm nhiệm chức vụ"},
        "commitment": {"type": "boolean", "title": "Tôi cam đoan", "const": True},
    },
    "required": [
        "full_name",
        "citizen_id",
        "birth_date",
        "gender",
        "kind",
        "copies",
        "purposes",
        "commitment",
    ],
}
UI = {
    "groups": [
        {
            "title": "Người yêu cầu",
            "fields": ["full_name", "citizen_id", "birth_date", "gender", "email", "phone"],
        },
        {"title": "Nội dung yêu cầu", "fields": ["kind", "purposes", "copies", "area", "history"]},
    ],
    "order": ["ban", "commitment"],
    "fields": {
        "full_name": {"prefill": "full_name", "placeholder": "NGUYỄN VĂN A"},
        "citizen_id": {"prefill": "citizen_id", "help": "12 chữ số"},
        "birth_date": {"prefill": "date_of_birth"},
        "gender": {"widget": "radio"},
        "kind": {"widget": "select", "choice_labels": {"1": "Phiếu số 1", "2": "Phiếu số 2"}},
        "purposes": {
            "choice_labels": {"work": "Xin việc", "study": "Du học", "visa": "Xin thị thực"}
        },
        "history": {"widget": "textarea", "rows": 4},
        "ban": {"widget": "radio"},
    },
}
VALID = {
    "ef-full_name": "Nguyễn Văn An",
    "ef-citizen_id": "067090001234",
    "ef-birth_date": "25/08/1990",
    "ef-gender": "nam",
    "ef-kind": "2",
    "ef-email": "An@Example.com",
    "ef-phone": "0912 345 678",
    "ef-history": "Từ 2004 đến nay: Gia Nghĩa",
    "ef-copies": "2",
    "ef-area": "150,5",
    "ef-purposes": ["work", "visa"],
    "ef-ban": "false",
    "ef-commitment": "true",
}


def post(data: dict) -> QueryDict:
    """``data`` as the browser posts it (lists become repeated keys)."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def make_procedure():
    """Cấp Phiếu lý lịch tư pháp, decided by the Sở TTTT of the test tree (whose agency
    administrator is ``officials["admin"]``)."""
    row = procedure_row("1.000101", "Cấp Phiếu lý lịch tư pháp", agency="STTTT")
    import_row(None, row, {}, provincial_agencies())
    return Procedure.objects.get(code="1.000101")


@pytest.fixture
def procedure(tree):
    return make_procedure()


@pytest.fixture
def eform(procedure, officials):
    return services.publish_definition(officials["admin"], procedure, SCHEMA, UI)


class Inputs(HTMLParser):
    """The form controls of a page, their labels and the elements' ids."""

    def __init__(self, html):
        super().__init__()
        self.controls, self.labels, self.ids, self.legends = [], {}, {}, 0
        self._label_for = None
        self._text = []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = attrs
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **attrs})
        if tag == "label":
            self._label_for, self._text = attrs.get("for"), []
        if tag == "legend":
            self.legends += 1

    def handle_data(self, data):
        if self._label_for is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "label" and self._label_for is not None:
            self.labels[self._label_for] = " ".join("".join(self._text).split())
            self._label_for = None

    def control(self, name, value=None):
        for control in self.controls:
            if control.get("name") == name and (value is None or control.get("value") == value):
                return control
        raise AssertionError(f"no control {name}={value}")


def test_a_published_form_renders_every_widget_with_a_label(eform):
    form = current_form(eform.procedure)
    assert form == eform and form.status == FormStatus.PUBLISHED
    html = bind(form).render()
    page = Inputs(html)
    # Every control has a label of its own, and the fields of each group are in a fieldset.
    assert page.controls
    for control in page.controls:
        assert control["id"] in page.labels, control
    assert page.labels["id_ef-full_name"].startswith("Họ và tên")
    assert page.control("ef-history")["tag"] == "textarea"
    assert page.control("ef-kind")["tag"] == "select"
    assert "Phiếu số 2" in str(html)
    assert page.control("ef-gender", "nu")["type"] == "radio"
    assert page.labels[page.control("ef-gender", "nu")["id"]] == "Nữ"
    assert page.control("ef-purposes", "visa")["type"] == "checkbox"
    assert page.labels[page.control("ef-purposes", "visa")["id"]] == "Xin thị thực"
    assert page.control("ef-commitment")["type"] == "checkbox"
    assert page.control("ef-birth_date")["placeholder"] == "dd/mm/yyyy"
    assert page.control("ef-phone")["type"] == "tel"
    assert page.control("ef-copies")["inputmode"] == "numeric"
    # Required fields are marked, for the eye and for screen readers; optional ones are not.
    assert "*" in page.labels["id_ef-full_name"]
    assert page.control("ef-full_name")["aria-required"] == "true"
    assert "aria-required" not in page.control("ef-email")
    assert "*" not in page.labels["id_ef-email"]
    # Help text is tied to its input; groups become fieldsets with their titles.
    assert page.control("ef-citizen_id")["aria-describedby"] == "id_ef-citizen_id_help"
    assert "Người yêu cầu" in str(html) and page.legends >= 2


def test_wrong_answers_are_named_on_their_fields_in_vietnamese_and_come_back_as_typed(eform):
    data = {
        **VALID,
        "ef-full_name": "",
        "ef-citizen_id": "12345",
        "ef-birth_date": "31/02/1990",
        "ef-copies": "25",
    }
    with translation.override("vi"):
        bound = bind(eform, post(data))
        assert not bound.is_valid()
        assert bound.errors == {
            "full_name": ["Trường này là bắt buộc."],
            "citizen_id": ["Số định danh cá nhân phải có đúng 12 chữ số."],
            "birth_date": [
                "Vui lòng nhập ngày có thật theo dạng ngày/tháng/năm, ví dụ 25/08/1990."
            ],
            "copies": ["Vui lòng nhập giá trị không lớn hơn 10."],
        }
        assert bound.cleaned == {}
        html = bound.render()
    page = Inputs(html)
    for name in ("citizen_id", "birth_date", "copies", "full_name"):
        control = page.control(f"ef-{name}")
        assert control["aria-invalid"] == "true"
        error_id = f"id_ef-{name}_error"
        assert error_id in control["aria-describedby"].split()
        assert error_id in page.ids
    assert "aria-invalid" not in page.control("ef-gender", "nam")
    # What the applicant typed is shown again, as typed.
    assert page.control("ef-citizen_id")["value"] == "12345"
    assert page.control("ef-birth_date")["value"] == "31/02/1990"
    assert page.control("ef-copies")["value"] == "25"
    assert page.control("ef-area")["value"] == "150,5"
    assert "checked" in page.control("ef-purposes", "visa")
    assert "checked" not in page.control("ef-purposes", "study")
    assert "checked" in page.control("ef-commitment")
    assert 'data-testid="eform-errors"' in str(html)


def test_other_mistakes_have_their_own_message(eform):
    data = {
        **VALID,
        "ef-citizen_id": "999090001234",
        "ef-gender": "",
        "ef-kind": "3",
        "ef-email": "an@",
        "ef-phone": "12345",
        "ef-copies": "hai",
        "ef-area": "0",
        "ef-purposes": [],
    }
    data.pop("ef-commitment")
    with translation.override("vi"):
        errors = bind(eform, post(data)).errors
    assert errors == {
        "citizen_id": ["Ba chữ số đầu của số định danh (999) không phải mã tỉnh, thành phố."],
        "gender": ["Vui lòng chọn một mục."],
        "email": ["Vui lòng nhập địa chỉ thư điện tử hợp lệ, ví dụ ten@example.com."],
        "phone": [
            "Vui lòng nhập số điện thoại Việt Nam: 10 chữ số bắt đầu bằng 0 (ví dụ "
            "0912345678), hoặc số cố định kèm mã vùng."
        ],
        "kind": ["Vui lòng chọn một trong các mục có sẵn."],
        "purposes": ["Vui lòng chọn một mục."],
        "copies": ["Vui lòng nhập số nguyên, ví dụ 2."],
        "area": ["Vui lòng nhập giá trị lớn hơn 0."],
        "commitment": ["Vui lòng đánh dấu vào ô này để tiếp tục."],
    }


def test_messages_follow_the_language_of_the_interface(eform):
    with translation.override("en"):
        errors = bind(eform, post({**VALID, "ef-copies": "0", "ef-full_name": ""})).errors
    assert errors == {
        "full_name": ["This field is required."],
        "copies": ["Enter a value of at least 1."],
    }


def test_a_valid_post_gives_typed_answers(eform):
    bound = bind(eform, post(VALID))
    assert bound.is_valid(), bound.errors
    assert bound.cleaned == {
        "full_name": "Nguyễn Văn An",
        "citizen_id": "067090001234",
        "birth_date": "1990-08-25",
        "gender": "nam",
        "kind": "2",
        "email": "an@example.com",
        "phone": "0912345678",
        "history": "Từ 2004 đến nay: Gia Nghĩa",
        "copies": 2,
        "area": 150.5,
        "purposes": ["work", "visa"],
        "ban": False,
        "commitment": True,
    }
    # The answers shown again (an applicant editing a saved dossier) read as they were typed.
    again = Inputs(bind(eform, initial=bound.cleaned).render())
    assert again.control("ef-birth_date")["value"] == "25/08/1990"
    assert "checked" in again.control("ef-ban", "false")


def test_the_summary_reads_like_the_paper_form(eform):
    answers = bind(eform, post(VALID)).cleaned
    with translation.override("vi"):
        rows = summary(eform, answers)
    assert rows[:4] == [
        ("Họ và tên", "Nguyễn Văn An"),
        ("Số định danh cá nhân", "067090001234"),
        ("Ngày sinh", "25/08/1990"),
        ("Giới tính", "Nam"),
    ]
    assert ("Loại phiếu", "Phiếu số 2") in rows
    assert ("Mục đích", "Xin việc, Xin thị thực") in rows
    assert ("Diện tích (m²)", "150,5") in rows
    assert ("Tôi cam đoan", "Có") in rows
    assert ("Xác nhận cấm đảm nhiệm chức vụ", "Không") in rows


def test_the_profile_fills_the_form_and_a_locked_field_keeps_it(eform, procedure, officials):
    profile = {
        "full_name": "Nguyễn Văn An",
        "citizen_id": "067090001234",
        "date_of_birth": dt.date(1990, 8, 25),
    }
    page = Inputs(bind(eform, None, profile).render())
    assert page.control("ef-full_name")["value"] == "Nguyễn Văn An"
    assert page.control("ef-birth_date")["value"] == "25/08/1990"
    # A form whose citizen ID comes from the verified identity cannot be changed by a POST.
    ui = copy.deepcopy(UI)
    ui["fields"]["citizen_id"]["readonly"] = True
    locked = services.publish_definition(officials["admin"], procedure, SCHEMA, ui)
    bound = bind(locked, post({**VALID, "ef-citizen_id": "067090009999"}), profile)
    assert bound.is_valid(), bound.errors
    assert bound.cleaned["citizen_id"] == "067090001234"
    assert "readonly" in Inputs(bound.render()).control("ef-citizen_id")


def test_prefill_reads_the_user_and_its_profile(officials):
    user = officials["clerk"]
    assert prefill_from(user) == {"full_name": "Clerk", "email": "clerk@example.gov.vn"}


def test_publishing_a_new_version_retires_the_old_which_stays_readable(eform, officials):
    admin = officials["admin"]
    procedure = eform.procedure
    changed = copy.deepcopy(SCHEMA)
    changed["properties"]["copies"]["maximum"] = 5
    draft = services.save_draft(admin, procedure, changed, UI)
    assert (draft.number, draft.status) == (2, FormStatus.DRAFT)
    assert current_form(procedure) == eform  # a draft changes nothing for applicants
    # Saving again edits the same draft.
    assert services.save_draft(admin, procedure, changed, {}).pk == draft.pk
    services.publish_form(admin, draft)
    eform.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == FormStatus.PUBLISHED and current_form(procedure) == draft
    assert eform.status == FormStatus.RETIRED
    assert eform.valid_to == today_in_vietnam() - dt.timedelta(days=1)
    # The old version keeps its exact definition: a dossier filled in with it reads the same.
    assert eform.schema == SCHEMA and eform.ui_schema == UI
    assert bind(eform, post({**VALID, "ef-copies": "8"})).is_valid()
    assert not bind(draft, post({**VALID, "ef-copies": "8"})).is_valid()
    eform.schema = changed
    with pytest.raises(ValueError):
        eform.save()
    actions = list(
        AuditEvent.objects.filter(object_type="portal.applicationform")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "eform.create_draft",
        "eform.publish",
        "eform.create_draft",
        "eform.update_draft",
        "eform.publish",
    ]
    assert verify_chain().ok


def test_a_version_published_for_a_later_date_takes_over_on_that_date(eform, officials):
    later = today_in_vietnam() + dt.timedelta(days=10)
    changed = {**SCHEMA, "title": "Tờ khai (mẫu mới)"}
    new = services.publish_definition(officials["admin"], eform.procedure, changed, UI, later)
    assert current_form(eform.procedure) == eform
    assert current_form(eform.procedure, later) == new
    with pytest.raises(ValidationError):
        services.publish_definition(
            officials["admin"], eform.procedure, SCHEMA, UI, today_in_vietnam() - dt.timedelta(1)
        )


def test_an_invalid_definition_is_refused_and_nothing_is_saved(procedure, officials):
    admin = officials["admin"]
    broken = {**SCHEMA, "properties": {**SCHEMA["properties"], "copies": {"type": "count"}}}
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_draft(admin, procedure, broken, UI)
    assert "schema" in refused.value.message_dict
    assert "JSON Schema" in refused.value.message_dict["schema"][0]
    unknown_field = {**UI, "order": ["ban", "commitment", "nickname"]}
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.save_draft(admin, procedure, SCHEMA, unknown_field)
    assert refused.value.message_dict == {
        "ui_schema": [
            "Giao diện nhắc đến trường “nickname” (trong order) nhưng lược đồ không có trường này."
        ]
    }
    unsupported = {**SCHEMA, "properties": {**SCHEMA["properties"], "x": {"type": "object"}}}
    with pytest.raises(ValidationError):
        services.save_draft(admin, procedure, unsupported, {})
    with pytest.raises(ValidationError):
        services.save_draft(
            admin, procedure, {**SCHEMA, "$schema": "http://json-schema.org/draft-07/schema#"}, {}
        )
    wrong_widget = {"fields": {"copies": {"widget": "date"}}}
    with pytest.raises(ValidationError):
        services.save_draft(admin, procedure, SCHEMA, wrong_widget)
    assert not ApplicationForm.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="eform.").exists()


def test_only_administrators_of_the_competent_agency_change_a_form(procedure, officials):
    with translation.override("vi"), pytest.raises(PermissionDenied) as refused:
        services.save_draft(officials["specialist"], procedure, SCHEMA, UI)
    assert str(refused.value) == "Bạn không có quyền sửa đối với 1.000101 — Tờ khai."
    with pytest.raises(PermissionDenied):
        services.save_draft(officials["other_admin"], procedure, SCHEMA, UI)
    assert services.save_draft(officials["sysadmin"], procedure, SCHEMA, UI).number == 1
    assert not ApplicationForm.objects.filter(created_by=officials["other_admin"]).exists()


def test_business_numbers_are_read_as_vietnamese_write_them(procedure, officials):
    schema = {
        "title": "Giấy đề nghị",
        "type": "object",
        "properties": {
            "tax_code": {"type": "string", "title": "Mã số thuế", "format": "tax-code"},
            "capital": {"type": "integer", "title": "Vốn (đồng)", "minimum": 1_000_000},
            "name": {"type": "string", "title": "Tên", "minLength": 5, "pattern": "^Công ty .+"},
        },
        "required": ["tax_code", "capital", "name"],
    }
    ui = {"fields": {"name": {"pattern_message": "Tên bắt đầu bằng “Công ty”."}}}
    form = services.publish_definition(officials["admin"], procedure, schema, ui)
    good = bind(
        form,
        post({"ef-tax_code": "6400123456-001", "ef-capital": "1.500.000", "ef-name": "Công ty An"}),
    )
    assert good.cleaned == {
        "tax_code": "6400123456-001",
        "capital": 1_500_000,
        "name": "Công ty An",
    }
    with translation.override("vi"):
        bad = bind(form, post({"ef-tax_code": "64001", "ef-capital": "900.000", "ef-name": "An"}))
        assert bad.errors == {
            "tax_code": [
                "Vui lòng nhập mã số thuế: 10 chữ số, 10 chữ số kèm -nnn đối với đơn vị phụ "
                "thuộc, hoặc số định danh cá nhân 12 chữ số."
            ],
            "capital": ["Vui lòng nhập giá trị không nhỏ hơn 1.000.000."],
            "name": [
                "Vui lòng nhập ít nhất 5 ký tự (bạn đã nhập 2).",
                "Tên bắt đầu bằng “Công ty”.",
            ],
        }
        assert summary(form, good.cleaned)[1] == ("Vốn (đồng)", "1.500.000")


def test_fields_keep_the_order_the_administrator_wrote(procedure, officials):
    schema = {
        "type": "object",
        "properties": {
            "surname_and_given_names": {"type": "string", "title": "Họ và tên"},
            "id": {"type": "string", "title": "Số định danh"},
            "address": {"type": "string", "title": "Nơi cư trú"},
        },
    }
    services.publish_definition(officials["admin"], procedure, schema, {})
    form = ApplicationForm.objects.get(procedure=procedure)  # as stored by the database
    assert list(form.schema["properties"]) == ["surname_and_given_names", "id", "address"]
    names = [c["name"] for c in Inputs(bind(form).render()).controls]
    assert names == ["ef-surname_and_given_names", "ef-id", "ef-address"]

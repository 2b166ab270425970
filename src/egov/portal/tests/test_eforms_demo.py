"""The demo e-forms: real procedures of the demo catalogue get a realistic form, which an
applicant can fill in; loading twice changes nothing."""

import json
from pathlib import Path

import pytest

from egov.catalog.models import Procedure
from egov.catalog.services import import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.portal.eforms import bind, current_form, services, summary
from egov.portal.eforms.demo import DEMO_FORMS, load_demo_forms
from egov.portal.models import ApplicationForm

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "catalog" / "demo" / "data" / "procedures.json"


@pytest.fixture
def demo_procedures(tree):
    """The demo catalogue's procedures that have a demo form (with their real names), and a
    criminal record certificate procedure."""
    real = {row["code"]: row["name"] for row in json.loads(CATALOGUE.read_text("utf-8"))}
    provincial, fields = provincial_agencies(), {}
    for entry in DEMO_FORMS:
        if "code" in entry:
            assert entry["code"] in real, f"{entry['code']} is not in the demo catalogue"
            row = procedure_row(entry["code"], real[entry["code"]], agency="STP")
            import_row(None, row, fields, provincial)
    row = procedure_row("1.000101", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")
    import_row(None, row, fields, provincial)
    return Procedure.objects.all()


def test_the_demo_gives_each_procedure_a_form_an_applicant_can_fill_in(demo_procedures):
    assert load_demo_forms() == len(DEMO_FORMS) >= 5
    for entry in DEMO_FORMS:
        if "code" in entry:
            procedure = Procedure.objects.get(code=entry["code"])
        else:
            procedure = Procedure.objects.get(code="1.000101")
        form = current_form(procedure)
        assert form is not None, procedure
        # The sample answers, as a browser would post them, are accepted and typed back.
        posted = {f"ef-{name}": value for name, value in entry["sample"].items()}
        bound = bind(form, posted)
        assert bound.is_valid(), (procedure.code, bound.errors)
        assert bound.cleaned == entry["sample"]
        assert bind(form).render()
        assert len(summary(form, bound.cleaned)) >= len(entry["sample"]) - 1
    birth = current_form(Procedure.objects.get(code="1.001193"))
    assert birth.title == "Tờ khai đăng ký khai sinh"


def test_loading_the_demo_twice_changes_nothing(demo_procedures):
    load_demo_forms()
    before = list(ApplicationForm.objects.values_list("pk", "content_hash", "status"))
    assert load_demo_forms() == 0
    assert list(ApplicationForm.objects.values_list("pk", "content_hash", "status")) == before


def test_the_demo_leaves_a_form_an_administrator_took_over(demo_procedures, officials):
    load_demo_forms()
    procedure = Procedure.objects.get(code="1.001193")
    form = current_form(procedure)
    edited = {**form.schema, "title": "Tờ khai đăng ký khai sinh (sửa)"}
    services.publish_definition(officials["sysadmin"], procedure, edited, form.ui_schema)
    load_demo_forms()
    assert current_form(procedure).schema["title"] == "Tờ khai đăng ký khai sinh (sửa)"

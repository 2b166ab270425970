"""The demo province "Đắk Nông 2018" loads from data files, completely and idempotently."""

import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command

from egov.core.models import AdministrativeUnit, Agency, AuditEvent, Level, Position, Role, User
from egov.core.validators import validate_admin_unit_code, validate_agency_code

pytestmark = pytest.mark.django_db
ARTICLE_DAY = dt.date(2018, 8, 27)  # the day the source article was published


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_province_has_8_districts_and_71_communes_in_2018(demo):
    units = AdministrativeUnit.objects.valid_on(ARTICLE_DAY)
    province = units.get(level=Level.PROVINCE)
    assert province.code == "67" and province.name == "Tỉnh Đắk Nông"
    districts = units.filter(level=Level.DISTRICT, parent=province)
    assert districts.count() == 8
    names = {d.name.removeprefix("Huyện ").removeprefix("Thị xã ") for d in districts}
    assert names == {
        "Gia Nghĩa",
        "Cư Jút",
        "Đắk Glong",
        "Đắk Mil",
        "Đắk R'Lấp",
        "Đắk Song",
        "Krông Nô",
        "Tuy Đức",
    }
    assert units.filter(level=Level.COMMUNE, parent__in=districts).count() == 71


def test_the_2025_two_tier_structure_is_represented_with_successors(demo):
    after = dt.date(2025, 7, 1)
    assert not AdministrativeUnit.objects.valid_on(after).filter(level=Level.DISTRICT).exists()
    dak_nong = AdministrativeUnit.objects.get(code="67")
    assert dak_nong.valid_to == dt.date(2025, 6, 30)
    assert dak_nong.successor.code == "68" and dak_nong.successor.valid_from == after
    communes_2025 = AdministrativeUnit.objects.valid_on(after).filter(level=Level.COMMUNE)
    assert communes_2025.exists()
    assert all(c.parent.code == "68" for c in communes_2025)


def test_every_agency_and_unit_code_is_valid_and_every_name_is_nfc(demo):
    for agency in Agency.objects.all():
        validate_agency_code(agency.code)
        assert unicodedata.is_normalized("NFC", agency.name)
    for unit in AdministrativeUnit.objects.all():
        validate_admin_unit_code(unit.code)
        assert unicodedata.is_normalized("NFC", unit.name)


def test_the_agency_tree_matches_the_article(demo):
    ubnd = Agency.objects.get(code="000.00.00.H16")
    assert ubnd.name == "Ủy ban nhân dân tỉnh Đắk Nông"
    departments = Agency.objects.filter(parent=ubnd, kind__in=["department", "board"])
    assert departments.count() >= 20
    assert Agency.objects.filter(kind="service_center").count() == 1
    assert Agency.objects.filter(kind="people_committee", level="district").count() == 8
    assert Agency.objects.filter(kind="people_committee", level="commune").count() == 71
    stttt = Agency.objects.get(short_name="STTTT")
    assert stttt.children.filter(kind="internal_unit").exists()


def test_there_is_a_demo_official_for_every_role(demo):
    assert set(Position.objects.values_list("role", flat=True)) == set(Role.values)
    assert "egov-demo-2018" in demo and "tiepnhan.hcc" in demo
    reception = User.objects.get(username="tiepnhan.hcc")
    assert reception.check_password("egov-demo-2018")


def test_loading_twice_changes_nothing_and_duplicates_nothing(demo):
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Position.objects.count(),
        AuditEvent.objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing to change" in out.getvalue()
    assert counts == (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        Position.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_load_is_audited_once(demo):
    event = AuditEvent.objects.get(action="demo.load")
    assert event.changes["created"]["agencies"] == Agency.objects.count()


def test_the_demo_is_refused_where_it_is_not_allowed(db, settings):
    from django.core.management.base import CommandError

    settings.EGOV_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="published password"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()

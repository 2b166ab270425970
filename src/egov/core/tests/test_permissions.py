"""Who may do what: agency-scoped rules answered by one helper, for objects and querysets."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from egov.core import permissions as perms
from egov.core import services
from egov.core.models import Agency, AgencyKind, AuditEvent, Level, Position, Role, User

pytestmark = pytest.mark.django_db


def test_an_agency_admin_changes_her_agency_and_its_units_but_not_another(officials, tree):
    admin = officials["admin"]
    assert perms.can(admin, "change", tree["stttt"])
    assert perms.can(admin, "change", tree["it"])
    assert not perms.can(admin, "change", tree["stp"])
    assert not perms.can(admin, "change", tree["ubnd"])
    editable = set(
        perms.scope(admin, Agency.objects.all(), "change").values_list("code", flat=True)
    )
    assert editable == {"000.00.05.H16", "001.00.05.H16", "002.00.05.H16"}


def test_a_refused_change_raises_and_changes_nothing(officials, tree):
    with pytest.raises(PermissionDenied) as refused:
        services.update_agency(officials["admin"], tree["stp"], phone="0261 3 544 444")
    assert "không có quyền" in str(refused.value) or "not allowed" in str(refused.value)
    assert Agency.objects.get(code="000.00.06.H16").phone == ""
    assert not AuditEvent.objects.filter(action="agency.update").exists()


def test_an_agency_admin_edit_is_recorded_field_by_field(officials, tree):
    services.update_agency(officials["admin"], tree["stttt"], phone="0261 3 544 555")
    event = AuditEvent.objects.get(action="agency.update")
    assert event.actor == officials["admin"]
    assert event.changes == {"phone": ["", "0261 3 544 555"]}


def test_specialists_leaders_and_clerks_cannot_change_agencies(officials, tree):
    for key in ("specialist", "unit_leader", "leader", "clerk", "reception"):
        assert not perms.can(officials[key], "change", tree["stttt"]), key
        assert not perms.scope(officials[key], Agency.objects.all(), "change").exists(), key


def test_the_system_admin_may_restructure_and_agency_admins_may_not(officials, tree):
    assert perms.can(officials["sysadmin"], "restructure", tree["stp"])
    assert not perms.can(officials["admin"], "restructure", tree["stttt"])


def test_a_unit_role_scopes_to_the_unit_an_agency_role_to_the_whole_agency(officials, tree):
    specialist, leader = officials["specialist"], officials["leader"]
    assert perms.in_agency_scope(specialist, tree["it"])
    assert not perms.in_agency_scope(specialist, tree["office"])
    assert not perms.in_agency_scope(specialist, tree["stttt"])
    assert perms.in_agency_scope(leader, tree["office"])
    assert perms.in_agency_scope(leader, tree["it"])
    assert not perms.in_agency_scope(leader, tree["stp"])


def test_an_agency_admin_manages_only_her_agencys_staff(officials, tree):
    admin, other = officials["admin"], officials["other_admin"]
    assert perms.can(admin, "manage", officials["specialist"])
    assert not perms.can(other, "manage", officials["specialist"])
    managed = set(
        perms.scope(admin, User.objects.all(), "manage").values_list("username", flat=True)
    )
    assert "specialist" in managed and "stpadmin" not in managed and "sysadmin" not in managed
    with pytest.raises(PermissionDenied):
        services.assign_position(other, officials["clerk"], tree["stttt"], Role.SPECIALIST)


def test_an_ended_position_no_longer_grants_anything(officials, tree):
    admin = officials["admin"]
    position = Position.objects.get(user=admin, role=Role.AGENCY_ADMIN)
    services.end_position(officials["sysadmin"], position, dt.date.today() - dt.timedelta(days=1))
    fresh = User.objects.get(pk=admin.pk)  # caches live on the instance of one request
    assert not perms.can(fresh, "change", tree["stttt"])


def test_an_inactive_or_anonymous_user_is_refused_everything(officials, tree):
    from django.contrib.auth.models import AnonymousUser

    sysadmin = officials["sysadmin"]
    sysadmin.is_active = False
    assert not perms.can(sysadmin, "change", tree["stttt"])
    assert not perms.can(AnonymousUser(), "view", tree["stttt"])
    assert not perms.scope(AnonymousUser(), Agency.objects.all()).exists()


def test_the_audit_trail_is_visible_to_the_agencys_leaders_only(officials, tree):
    services.update_agency(
        officials["admin"], tree["stttt"], website="https://stttt.daknong.gov.vn"
    )
    services.update_agency(
        officials["other_admin"], tree["stp"], website="https://stp.daknong.gov.vn"
    )
    leader_sees = perms.scope(
        officials["leader"], AuditEvent.objects.filter(action="agency.update")
    )
    assert [e.agency.code for e in leader_sees] == ["000.00.05.H16"]
    assert not perms.scope(officials["specialist"], AuditEvent.objects.all()).exists()
    assert (
        perms.scope(
            officials["sysadmin"], AuditEvent.objects.filter(action="agency.update")
        ).count()
        == 2
    )


def test_a_unit_must_belong_to_the_agency_of_the_position(officials, tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assign_position(None, officials["clerk"], tree["stp"], Role.CLERK, unit=tree["it"])


def test_internal_units_know_their_organisation(tree):
    assert tree["it"].organisation() == tree["stttt"]
    assert tree["stttt"].organisation() == tree["stttt"]
    unit = services.create_agency(
        None,
        code="003.00.05.H16",
        name="Phòng Bưu chính",
        kind=AgencyKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=tree["stttt"],
    )
    assert unit.path == "/000.00.00.H16/000.00.05.H16/003.00.05.H16/"

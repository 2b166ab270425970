"""Shared pytest fixtures: a small agency tree and officials in every role.

The fixtures build data through the services, as the platform itself does.
"""

import datetime as dt

import pytest

from egov.core import services
from egov.core.models import AdministrativeUnit, AgencyKind, Level, Role, UnitType


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached answers live in the cache: each test starts clean."""
    from django.core.cache import cache

    from egov.core.localcache import ProcessCache

    cache.clear()
    ProcessCache.clear_all()  # ids are reused between tests: nothing may outlive one
    yield


@pytest.fixture
def province_unit(db):
    return AdministrativeUnit.objects.create(
        code="67", name="Tỉnh Đắk Nông", unit_type=UnitType.PROVINCE, level=Level.PROVINCE
    )


@pytest.fixture
def tree(db, province_unit):
    """UBND tỉnh → Sở TTTT (→ Văn phòng, Phòng CNTT) and Sở Tư pháp; UBND huyện Cư Jút."""
    mk = services.create_agency
    ubnd = mk(
        None,
        code="000.00.00.H16",
        name="Ủy ban nhân dân tỉnh Đắk Nông",
        short_name="UBND",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        level=Level.PROVINCE,
        administrative_unit=province_unit,
    )
    stttt = mk(
        None,
        code="000.00.05.H16",
        name="Sở Thông tin và Truyền thông",
        short_name="STTTT",
        kind=AgencyKind.DEPARTMENT,
        level=Level.PROVINCE,
        parent=ubnd,
    )
    office = mk(
        None,
        code="001.00.05.H16",
        name="Văn phòng Sở",
        short_name="VP",
        kind=AgencyKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=stttt,
    )
    it_unit = mk(
        None,
        code="002.00.05.H16",
        name="Phòng Công nghệ thông tin",
        short_name="CNTT",
        kind=AgencyKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=stttt,
    )
    stp = mk(
        None,
        code="000.00.06.H16",
        name="Sở Tư pháp",
        short_name="STP",
        kind=AgencyKind.DEPARTMENT,
        level=Level.PROVINCE,
        parent=ubnd,
    )
    cujut = mk(
        None,
        code="000.00.31.H16",
        name="Ủy ban nhân dân huyện Cư Jút",
        short_name="UBND",
        kind=AgencyKind.PEOPLES_COMMITTEE,
        level=Level.DISTRICT,
        parent=ubnd,
    )
    return {
        "ubnd": ubnd,
        "stttt": stttt,
        "office": office,
        "it": it_unit,
        "stp": stp,
        "cujut": cujut,
    }


PASSWORD = "correct-horse-battery"


@pytest.fixture
def make_official(db):
    """make_official("name", agency, role, unit=None) → a staff user holding that role."""

    def make(username, agency, role, unit=None):
        user = services.create_staff_user(
            None,
            username,
            username.replace(".", " ").title(),
            email=f"{username}@example.gov.vn",
            password=PASSWORD,
        )
        services.assign_position(
            None, user, agency, role, unit=unit, valid_from=dt.date(2018, 1, 1)
        )
        return user

    return make


@pytest.fixture
def officials(tree, make_official):
    """One official per role, most of them in the Sở TTTT."""
    return {
        "reception": make_official("reception", tree["stttt"], Role.RECEPTION),
        "specialist": make_official("specialist", tree["stttt"], Role.SPECIALIST, tree["it"]),
        "unit_leader": make_official("unitleader", tree["stttt"], Role.UNIT_LEADER, tree["it"]),
        "leader": make_official("leader", tree["stttt"], Role.AGENCY_LEADER),
        "clerk": make_official("clerk", tree["stttt"], Role.CLERK),
        "admin": make_official("admin", tree["stttt"], Role.AGENCY_ADMIN),
        "other_admin": make_official("stpadmin", tree["stp"], Role.AGENCY_ADMIN),
        "sysadmin": make_official("sysadmin", tree["ubnd"], Role.SYSTEM_ADMIN),
    }

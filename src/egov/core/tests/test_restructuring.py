"""Merging and splitting agencies (as in the 2025 reorganisation) keeps every piece of history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from egov.core import services
from egov.core.models import Agency, AgencyKind, AuditEvent, Level
from egov.core.signals import agency_succeeded

pytestmark = pytest.mark.django_db

JULY_1 = dt.date(2025, 7, 1)


@pytest.fixture
def received():
    """Collect agency_succeeded signals, as the dossier and document apps receive them."""
    calls = []

    def receiver(sender, predecessor, successor, effective_date, actor, **kwargs):
        calls.append((predecessor.code, successor.code, effective_date))

    agency_succeeded.connect(receiver)
    yield calls
    agency_succeeded.disconnect(receiver)


def test_two_departments_merge_into_one_and_the_old_ones_remain_as_history(
    officials, tree, received
):
    """Sở TTTT is absorbed by Sở Tư pháp's successor (a new Sở) on 1 July 2025."""
    new = services.create_agency(
        None,
        code="000.00.40.H16",
        name="Sở Khoa học và Công nghệ",
        short_name="SKHCN",
        kind=AgencyKind.DEPARTMENT,
        level=Level.PROVINCE,
        parent=tree["ubnd"],
        valid_from=JULY_1,
    )
    services.merge_agencies(
        officials["sysadmin"],
        [tree["stttt"], tree["stp"]],
        new,
        JULY_1,
        reason="Nghị quyết 202/2025/QH15",
    )
    stttt = Agency.objects.get(code="000.00.05.H16")
    assert stttt.valid_to == dt.date(2025, 6, 30)
    assert stttt.successor == new
    assert stttt.is_valid_on(dt.date(2025, 6, 30)) and not stttt.is_valid_on(JULY_1)
    # The internal units now belong to the successor, with their paths updated.
    it_unit = Agency.objects.get(code="002.00.05.H16")
    assert it_unit.parent == new and it_unit.path.startswith(new.path)
    # Both predecessors still exist (documents and dossiers point at them).
    assert Agency.objects.filter(code__in=["000.00.05.H16", "000.00.06.H16"]).count() == 2
    assert set(
        Agency.objects.valid_on(JULY_1)
        .filter(kind=AgencyKind.DEPARTMENT)
        .values_list("code", flat=True)
    ) == {"000.00.40.H16"}
    assert sorted(received) == [
        ("000.00.05.H16", "000.00.40.H16", JULY_1),
        ("000.00.06.H16", "000.00.40.H16", JULY_1),
    ]
    merge_events = AuditEvent.objects.filter(action__startswith="agency.merge")
    assert merge_events.count() == 3
    assert all(e.reason == "Nghị quyết 202/2025/QH15" for e in merge_events)


def test_a_merge_without_a_reason_is_refused_and_changes_nothing(officials, tree):
    with pytest.raises(ValidationError):
        services.merge_agencies(officials["sysadmin"], [tree["stp"]], tree["stttt"], JULY_1, "")
    assert Agency.objects.get(code="000.00.06.H16").valid_to is None


def test_an_agency_admin_cannot_merge_agencies(officials, tree):
    with pytest.raises(PermissionDenied):
        services.merge_agencies(
            officials["admin"], [tree["stp"]], tree["stttt"], JULY_1, "Quyết định 01"
        )
    assert Agency.objects.get(code="000.00.06.H16").successor is None


def test_merging_an_agency_that_already_ceased_is_refused(officials, tree):
    services.merge_agencies(officials["sysadmin"], [tree["stp"]], tree["stttt"], JULY_1, "QĐ 1")
    with pytest.raises(ValidationError):
        services.merge_agencies(
            officials["sysadmin"], [tree["stp"]], tree["stttt"], dt.date(2026, 1, 1), "QĐ 2"
        )
    assert Agency.objects.get(code="000.00.06.H16").valid_to == dt.date(2025, 6, 30)


def test_a_district_is_split_in_two_and_names_its_main_successor(officials, tree, received):
    created = services.split_agency(
        officials["sysadmin"],
        tree["cujut"],
        [
            {
                "code": "000.00.41.H16",
                "name": "Ủy ban nhân dân xã Nam Dong",
                "short_name": "UBND",
                "kind": AgencyKind.PEOPLES_COMMITTEE,
                "level": Level.COMMUNE,
                "parent": tree["ubnd"],
            },
            {
                "code": "000.00.42.H16",
                "name": "Ủy ban nhân dân xã Cư Jút",
                "short_name": "UBND",
                "kind": AgencyKind.PEOPLES_COMMITTEE,
                "level": Level.COMMUNE,
                "parent": tree["ubnd"],
            },
        ],
        main_successor_code="000.00.42.H16",
        effective=JULY_1,
        reason="Nghị quyết 1671/NQ-UBTVQH15",
    )
    assert [a.valid_from for a in created] == [JULY_1, JULY_1]
    cujut = Agency.objects.get(code="000.00.31.H16")
    assert cujut.valid_to == dt.date(2025, 6, 30) and cujut.successor.code == "000.00.42.H16"
    assert received == [("000.00.31.H16", "000.00.42.H16", JULY_1)]
    split = AuditEvent.objects.get(action="agency.split")
    assert split.changes["into"] == ["000.00.41.H16", "000.00.42.H16"]


def test_a_split_with_a_bad_code_creates_nothing(officials, tree):
    with pytest.raises(ValidationError):
        services.split_agency(
            officials["sysadmin"],
            tree["cujut"],
            [
                {
                    "code": "000.00.41.H16",
                    "name": "Xã A",
                    "kind": AgencyKind.PEOPLES_COMMITTEE,
                    "level": Level.COMMUNE,
                    "parent": tree["ubnd"],
                },
                {
                    "code": "41-H16",
                    "name": "Xã B",
                    "kind": AgencyKind.PEOPLES_COMMITTEE,
                    "level": Level.COMMUNE,
                    "parent": tree["ubnd"],
                },
            ],
            main_successor_code="000.00.41.H16",
            effective=JULY_1,
            reason="NQ",
        )
    assert not Agency.objects.filter(code="000.00.41.H16").exists()
    assert Agency.objects.get(code="000.00.31.H16").valid_to is None

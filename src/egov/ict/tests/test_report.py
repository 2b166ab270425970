"""The yearly ICT report adds up records when it is asked for: each figure on a small province
built by hand (a department, a district and two communes)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from egov.core import services as core
from egov.core.models import AgencyKind, Level
from egov.ict import services
from egov.ict.models import (
    AgencyInfrastructure,
    AssetKind,
    BridgePoint,
    Computer,
    DataCentreAsset,
    ExternalFigure,
    FigureKind,
    VideoMeeting,
)
from egov.ict.report import annual_report

Y0, Y1 = dt.date(2018, 1, 1), dt.date(2018, 12, 31)


@pytest.fixture
def province(tree):
    """The conftest tree plus two communes under Cư Jút."""
    communes = [
        core.create_agency(
            None,
            code=f"000.{n:02d}.31.H16",
            name=f"Ủy ban nhân dân xã Thử {n}",
            short_name="UBND",
            kind=AgencyKind.PEOPLES_COMMITTEE,
            level=Level.COMMUNE,
            parent=tree["cujut"],
        )
        for n in (1, 2)
    ]
    return {**tree, "communes": communes}


def profile(agency, **fields):
    values = {
        "officials": 10,
        "officials_with_computer": 9,
        "mailboxes": 12,
        "officials_with_mailbox": 10,
        "has_lan": True,
        "dedicated_network": True,
        "internet": True,
        "valid_from": Y0,
        "valid_to": Y1,
        **fields,
    }
    return services.save_record(None, AgencyInfrastructure(agency=agency, **values))


def computers(agency, count, **fields):
    return services.save_record(
        None, Computer(agency=agency, kind="desktop", count=count, **{"valid_from": Y0, **fields})
    )


def test_a_year_without_records_gives_zeros_and_no_weak_points(province):
    report = annual_report(2015)
    assert report.computers["total"] == 0
    assert report.officials["computer"].share is None
    assert [str(row["lan"]) for row in report.networks] == ["0/2", "0/1", "0/2"]
    assert report.certificates["total"] == 0
    assert report.office["electronic"].whole == 0
    assert report.video["point_count"] == report.video["meeting_count"] == 0
    assert report.procedures["total"]["total"] == 0
    assert report.weak_points == []


def test_computers_count_by_level_with_units_without_a_level(province):
    computers(province["stttt"], 30)
    computers(province["it"], 5)  # an internal unit counts for its department: province level
    computers(province["cujut"], 7)
    computers(province["communes"][0], 2)
    services.save_record(None, Computer(holder="Trường học", kind="laptop", count=4, valid_from=Y0))
    computers(province["stp"], 100, valid_to=dt.date(2018, 6, 30))  # retired before the end
    computers(province["stp"], 50, valid_from=dt.date(2019, 1, 1))  # not yet acquired
    report = annual_report(2018)
    assert report.computers["by_level"] == {"province": 35, "district": 7, "commune": 2}
    assert report.computers["unassigned"] == 4
    assert report.computers["total"] == 48


def test_share_of_officials_with_a_computer_and_a_mailbox(province):
    profile(
        province["stttt"],
        officials=100,
        officials_with_computer=97,
        mailboxes=120,
        officials_with_mailbox=100,
    )
    profile(province["cujut"], officials=50, officials_with_computer=45, officials_with_mailbox=40)
    report = annual_report(2018)
    assert report.officials["total"]["officials"] == 150
    assert report.officials["computer"].share == pytest.approx(142 / 150)
    assert report.officials["total"]["mailboxes"] == 132
    assert report.officials["mailbox"].share == pytest.approx(140 / 150)
    assert report.officials["rows"][0]["computer"].percent == "97,0%"


def test_lan_dedicated_network_and_firewall_by_group(province):
    profile(province["stttt"], lan_firewall=True)
    profile(province["stp"])
    profile(province["cujut"])
    profile(province["communes"][0], dedicated_network=False, has_lan=False)
    report = annual_report(2018)
    province_row, district_row, commune_row = report.networks
    assert (str(province_row["lan"]), str(province_row["dedicated"])) == ("2/2", "2/2")
    assert str(province_row["firewall"]) == "1/2"
    assert str(district_row["dedicated"]) == "1/1"
    assert (str(commune_row["dedicated"]), str(commune_row["internet"])) == ("0/2", "1/2")
    assert any("2/3 mạng LAN chưa có tường lửa" in w for w in report.weak_points)


def test_editing_one_record_changes_the_report(province, officials):
    record = profile(province["communes"][1], dedicated_network=False)
    assert str(annual_report(2018).networks[2]["dedicated"]) == "0/2"
    record.dedicated_network = True
    services.save_record(officials["sysadmin"], record)
    assert str(annual_report(2018).networks[2]["dedicated"]) == "1/2"
    machines = computers(province["stttt"], 10)
    machines.count = 11
    services.save_record(officials["admin"], machines)
    assert annual_report(2018).computers["total"] == 11


def test_a_merged_commune_counts_once_as_its_successor(province):
    first, second = province["communes"]
    profile(first, officials=10, dedicated_network=True)
    profile(second, officials=20, dedicated_network=False, valid_to=None)
    computers(first, 3)
    core.merge_agencies(None, [first], second, dt.date(2019, 1, 1), "Sáp nhập xã")
    before = annual_report(2018)
    assert str(before.networks[2]["dedicated"]) == "1/2"
    # The profile of the merged commune was kept open into 2019: it now counts for its successor.
    AgencyInfrastructure.objects.filter(agency=first).update(valid_to=None)
    after = annual_report(2019)
    assert str(after.networks[2]["dedicated"]) == "1/1"
    assert after.officials["rows"][2]["officials"] == 30
    assert after.computers["by_level"]["commune"] == 3


def test_certificates_from_the_platform_and_from_outside_add_up(province):
    services.save_record(
        None,
        ExternalFigure(
            agency=province["stttt"], year=2017, kind=FigureKind.CERTIFICATES, value=100
        ),
    )
    services.save_record(
        None,
        ExternalFigure(agency=province["stttt"], year=2018, kind=FigureKind.CERTIFICATES, value=38),
    )
    report = annual_report(2018)
    assert report.certificates["outside"] == 138
    assert report.certificates["outside_in_year"] == 38
    assert report.certificates["platform"] == 0  # the platform's CA issued none by then
    assert report.certificates["total"] == 138
    assert annual_report(2017).certificates["total"] == 100


def test_electronic_office_coverage_and_electronic_share(province):
    for agency, received, electronic in (
        (province["stttt"], 100, 95),
        (province["communes"][0], 50, 40),
    ):
        for kind, value in (
            (FigureKind.DOCUMENTS_RECEIVED, received),
            (FigureKind.DOCUMENTS_ELECTRONIC, electronic),
        ):
            services.save_record(
                None, ExternalFigure(agency=agency, year=2018, kind=kind, value=value)
            )
    report = annual_report(2018)
    assert str(report.office["coverage"]) == "2/5"
    assert report.office["electronic"].share == pytest.approx(135 / 150)


def test_bridge_points_and_meetings_of_the_year(province):
    good = services.save_record(
        None, BridgePoint(agency=province["ubnd"], place="Hội trường tỉnh", valid_from=Y0)
    )
    broken = services.save_record(
        None,
        BridgePoint(
            agency=province["cujut"], place="Hội trường huyện", status="broken", valid_from=Y0
        ),
    )
    for day in (dt.date(2018, 3, 1), dt.date(2018, 9, 1), dt.date(2019, 1, 5)):
        services.save_record(
            None,
            VideoMeeting(
                agency=province["ubnd"], held_on=day, chair="Chủ tịch", subject="Giao ban"
            ),
            points=[good, broken],
        )
    report = annual_report(2018)
    assert report.video["point_count"] == 2
    assert report.video["meeting_count"] == 2
    assert any("Hội trường huyện" in w for w in report.weak_points)


@override_settings(EGOV_ICT_STORAGE_ALERT=0.9)
def test_storage_past_the_threshold_and_devices_past_support_are_weak_points(province):
    services.save_record(
        None,
        DataCentreAsset(
            agency=province["stttt"],
            name="SAN",
            kind=AssetKind.STORAGE,
            capacity_tb=Decimal(10),
            used_tb=Decimal("8.9"),
            valid_from=Y0,
        ),
    )
    assert not any("lưu trữ" in w for w in annual_report(2018).weak_points)
    asset = DataCentreAsset.objects.get()
    asset.used_tb = Decimal("9.2")
    asset.support_end = dt.date(2018, 6, 30)
    asset.commissioned_year = 2011
    services.save_record(None, asset)
    weak = annual_report(2018).weak_points
    assert any("sắp đầy (đã sử dụng từ 90% trở lên): SAN 92%" in w for w in weak)
    assert any("đã hết hạn hỗ trợ" in w and "2011 (cách đây 7 năm)" in w for w in weak)


def test_low_online_filing_is_a_weak_point(province):
    for kind, value in ((FigureKind.DOSSIERS_RECEIVED, 1000), (FigureKind.DOSSIERS_ONLINE, 5)):
        services.save_record(
            None, ExternalFigure(agency=province["cujut"], year=2018, kind=kind, value=value)
        )
    report = annual_report(2018)
    assert report.online_filing["rate"].share == pytest.approx(0.005)
    assert any("nộp trực tuyến thấp: 5/1000" in w for w in report.weak_points)
    # the district received dossiers: one-stop coverage
    assert str(report.one_stop["rows"][1]["coverage"]) == "1/1"

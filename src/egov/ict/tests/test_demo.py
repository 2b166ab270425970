"""The demo's "Đắk Nông 2018" inventory gives the source article's figures in the 2018 report
(baodaknong.vn, 27/08/2018), computed from the records the loaders create."""

import time

import pytest

from egov.catalog.demo.loader import load as load_catalog
from egov.core.demo.loader import load as load_core
from egov.ict import demo
from egov.ict.models import AgencyInfrastructure, Computer
from egov.ict.report import annual_report


@pytest.fixture
def demo_province(db):
    load_core()
    load_catalog()
    started = time.monotonic()
    demo.load()
    return time.monotonic() - started


def test_the_2018_report_reproduces_the_article_and_loading_again_changes_nothing(
    demo_province,
):
    assert demo_province < 5  # seconds
    counts = (AgencyInfrastructure.objects.count(), Computer.objects.count())
    demo.load()
    assert (AgencyInfrastructure.objects.count(), Computer.objects.count()) == counts
    r = annual_report(2018)
    # about 5,768 computers: province 3,332, district 1,056, commune 1,079 (+301 without a level)
    assert r.computers["by_level"] == {"province": 3332, "district": 1056, "commune": 1079}
    assert r.computers["total"] == 5768
    assert round(r.officials["computer"].share * 100) == 97
    assert r.officials["total"]["mailboxes"] > 6200
    assert r.officials["mailbox"].share == 1
    province, district, commune = r.networks
    assert (str(province["lan"]), str(province["dedicated"])) == ("21/21", "21/21")
    assert (str(district["lan"]), str(district["dedicated"])) == ("8/8", "8/8")
    assert str(commune["dedicated"]) == "49/71"
    assert all(row["internet"].share == 1 for row in r.networks)
    assert r.certificates["total"] == 1638
    assert r.office["coverage"].share == 1
    assert round(r.office["electronic"].share * 100) == 90
    assert (r.video["point_count"], r.video["meeting_count"]) == (8, 15)
    assert str(r.one_stop["departments"]) == "20/20"
    assert str(r.one_stop["service_centres"]) == "1/1"
    assert [str(row["coverage"]) for row in r.one_stop["rows"][1:]] == ["8/8", "71/71"]
    assert r.procedures["total"]["total"] == 3206
    assert r.procedures["total"]["level_2"] == 1115
    assert r.procedures["total"]["online"] == 444
    weak = " ".join(r.weak_points)
    for finding in (
        "Tỷ lệ hồ sơ nộp trực tuyến thấp",
        "Thiết bị lưu trữ sắp đầy",
        "đưa vào sử dụng từ năm 2011",
        "Thiết bị bảo mật mạng bị hỏng",
        "mạng LAN chưa có tường lửa",
        "Điểm cầu bị hỏng",
    ):
        assert finding in weak

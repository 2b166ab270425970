"""What leaders see on the pages and through the API: their agency only, the province for
provincial leaders; exports; clear refusals of a bad period."""

import pytest
from django.test import Client

from egov.reports.services import refresh_summaries


def client_for(user):
    """A logged-in browser; leaders also pass their second factor."""
    from egov.core.security import requires_second_factor
    from egov.core.tests.helpers import current_code, enrol_totp

    client = Client()
    client.force_login(user)
    if requires_second_factor(user):
        device = enrol_totp(user)
        assert client.post("/2fa/verify/", {"otp": current_code(device)}).status_code == 302
    return client


@pytest.fixture
def data(tree, make_dossier):
    make_dossier(tree["stp"], "10/01/2025", finished="15/01/2025", timeliness="early")
    make_dossier(tree["stttt"], "12/01/2025", finished="20/01/2025", timeliness="late")
    refresh_summaries()


def test_a_leader_sees_her_agencys_scorecard_but_not_anothers(tree, leaders, data):
    client = client_for(leaders["stp"])
    own = client.get("/bao-cao/chi-so/", {"period": "2025-Q1", "agency": tree["stp"].pk})
    assert own.status_code == 200
    assert "TDGQ1" in own.content.decode()
    other = client.get("/bao-cao/chi-so/", {"period": "2025-Q1", "agency": tree["stttt"].pk})
    assert other.status_code == 403
    assert client.get("/bao-cao/", {"agency": tree["stttt"].pk}).status_code == 403
    assert client.get("/bao-cao/chi-so.csv", {"agency": tree["stttt"].pk}).status_code == 403
    drill = client.get(f"/bao-cao/chi-so/TDGQ1/numerator/?agency={tree['stttt'].pk}")
    assert drill.status_code == 403
    # Without an agency she gets her own, never the province.
    default = client.get("/bao-cao/chi-so/", {"period": "2025-Q1"})
    assert default.context["card"]["scope"].agency == tree["stp"]


def test_the_api_refuses_another_agencys_scorecard(tree, leaders, data):
    client = client_for(leaders["stp"])
    own = client.get(
        "/api/v1/reports/scorecard/", {"period": "2025-Q1", "agency": tree["stp"].code}
    )
    assert own.status_code == 200
    body = own.json()
    tdgq1 = next(i for g in body["groups"] for i in g["indicators"] if i["code"] == "TDGQ1")
    assert (tdgq1["numerator"], tdgq1["denominator"], tdgq1["score"]) == (1, 1, 14.0)
    other = client.get(
        "/api/v1/reports/scorecard/", {"period": "2025-Q1", "agency": tree["stttt"].code}
    )
    assert other.status_code == 403
    assert "error" in other.json()
    assert client.get("/api/v1/reports/scorecard/", {"level": "district"}).json()["agency"] == (
        tree["stp"].code
    )


def test_staff_who_lead_nothing_and_anonymous_callers_are_refused(leaders, data):
    assert client_for(leaders["specialist"]).get("/bao-cao/chi-so/").status_code == 403
    assert client_for(leaders["specialist"]).get("/api/v1/reports/scorecard/").status_code == 403
    assert Client().get("/api/v1/reports/scorecard/").status_code in (401, 403)
    assert Client().get("/bao-cao/chi-so/").status_code == 302  # to the log-in


def test_provincial_leaders_see_the_province_each_level_and_any_agency(tree, leaders, data):
    client = client_for(leaders["province"])
    body = client.get("/api/v1/reports/scorecard/", {"period": "2025"}).json()
    tdgq1 = next(i for g in body["groups"] for i in g["indicators"] if i["code"] == "TDGQ1")
    assert (body["agency"], tdgq1["numerator"], tdgq1["denominator"]) == (None, 1, 2)
    district = client.get("/api/v1/reports/scorecard/", {"period": "2025", "level": "district"})
    assert district.json()["level"] == "district"
    page = client.get("/bao-cao/chi-so/", {"period": "2025", "agency": tree["stttt"].pk})
    assert page.status_code == 200


@pytest.mark.parametrize("period", ["2025-Q5", "25", "2025-13", "next year", "2025-M1"])
def test_a_bad_period_is_refused_with_a_clear_message(leaders, period):
    client = client_for(leaders["province"])
    response = client.get("/api/v1/reports/scorecard/", {"period": period})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "period" in error["fields"]
    # The message shows the accepted forms, or the range of months (Vietnamese by default).
    assert "YYYY" in error["message"] or "01 đến 12" in error["message"]
    assert client.get("/bao-cao/chi-so/", {"period": period}).status_code == 400


@pytest.mark.parametrize(
    "period,start,end",
    [
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025-Q2", "2025-04-01", "2025-06-30"),
        ("2025-02", "2025-02-01", "2025-02-28"),
        ("2025-H1", "2025-01-01", "2025-06-30"),
        ("2025-9M", "2025-01-01", "2025-09-30"),
    ],
)
def test_the_api_reads_each_kind_of_period(leaders, period, start, end):
    body = client_for(leaders["province"]).get("/api/v1/reports/scorecard/", {"period": period})
    assert (body.json()["start"], body.json()["end"]) == (start, end)


def test_an_empty_period_reads_no_data_on_the_page(tree, leaders, data):
    page = client_for(leaders["stp"]).get("/bao-cao/chi-so/", {"period": "2019-Q1"})
    assert page.status_code == 200
    rows = {r["code"]: r for g in page.context["card"]["groups"] for r in g["indicators"]}
    assert rows["TDGQ1"]["score"] is None
    assert "chưa có dữ liệu" in page.content.decode()  # "no data", in the default language


def test_the_scorecard_exports_as_csv_xlsx_and_pdf(tree, leaders, data):
    client = client_for(leaders["stp"])
    csv = client.get("/bao-cao/chi-so.csv", {"period": "2025-Q1"})
    assert csv.status_code == 200 and "TDGQ1" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/bao-cao/chi-so.xlsx", {"period": "2025-Q1"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get("/bao-cao/chi-so.pdf", {"period": "2025-Q1"})
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_the_dashboard_carries_its_chart_data_and_tables(tree, leaders, data):
    page = client_for(leaders["province"]).get("/bao-cao/", {"period": "2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="reports-data"' in html and 'data-chart="intake"' in html
    charts = {c["key"]: c for c in page.context["data"]["charts"]}
    assert charts["timeliness"]["rows"][0] == ["01/2025", 1, 0, 1]
    assert "<script>" not in html  # nothing inline (strict CSP)


def test_the_drill_down_page_lists_the_counted_dossiers(tree, leaders, data):
    page = client_for(leaders["stp"]).get("/bao-cao/chi-so/TDGQ1/numerator/", {"period": "2025"})
    assert page.status_code == 200
    assert len(page.context["dossiers"]) == 1


def test_the_schema_describes_the_scorecard_endpoint():
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/scorecard/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"period", "agency", "level"}


def test_a_leader_sees_the_history_of_an_agency_merged_into_hers(tree, leaders, make_dossier):
    import datetime as dt

    from egov.core import services as core
    from egov.core.models import AgencyKind, Level

    old = core.create_agency(
        None,
        code="000.00.07.H16",
        name="Sở Nội vụ",
        short_name="SNV",
        kind=AgencyKind.DEPARTMENT,
        level=Level.PROVINCE,
        parent=tree["ubnd"],
    )
    make_dossier(old, "15/01/2025", finished="20/01/2025", timeliness="late")
    refresh_summaries()
    client = client_for(leaders["stp"])
    url = "/api/v1/reports/scorecard/"
    assert client.get(url, {"period": "2025", "agency": old.code}).status_code == 403
    core.merge_agencies(None, [old], tree["stp"], dt.date(2025, 3, 1), "Quyết định 01/QĐ-UBND")
    assert client.get(url, {"period": "2025", "agency": old.code}).status_code == 200
    own = client.get(url, {"period": "2025", "agency": tree["stp"].code}).json()
    tdgq1 = next(i for g in own["groups"] for i in g["indicators"] if i["code"] == "TDGQ1")
    assert (tdgq1["numerator"], tdgq1["denominator"]) == (0, 1)


def test_leaders_find_the_reports_in_the_menu_and_specialists_do_not(leaders):
    menu_link = 'href="/bao-cao/"'
    assert menu_link in client_for(leaders["stp"]).get("/").content.decode()
    assert menu_link not in client_for(leaders["specialist"]).get("/").content.decode()

"""The scorecard's formulas on hand-built cases: each indicator's numerator, denominator and
points; a period with no dossiers; agencies merged into another."""

import datetime as dt

import pytest

from egov.core import services as core
from egov.core.models import AgencyKind, Level
from egov.reports import scorecard
from egov.reports.indicators import check_weights
from egov.reports.periods import parse_period
from egov.reports.services import refresh_summaries


def _by_code(card):
    return {r["code"]: r for g in card["groups"] for r in g["indicators"]}


@pytest.fixture
def first_quarter(tree, make_dossier, leaders):
    """Four dossiers of Sở Tư pháp in the first quarter of 2025."""
    stp = tree["stp"]
    d1 = make_dossier(  # counter, early, paid at the desk, scanned, electronic result
        stp,
        "10/01/2025",
        finished="15/01/2025",
        timeliness="early",
        fee=50000,
        documents=[True, True],
        result_file=True,
        rating="very_satisfied",
        scores={"attitude": 2, "total_time": 1},
    )
    d2 = make_dossier(  # online, late with an apology, paid online, reused a stored document
        stp,
        "01/02/2025",
        channel="online",
        finished="10/02/2025",
        timeliness="late",
        fee=50000,
        documents=[True],
        paid=True,
        reused=True,
        apology_by=leaders["stp"],
        rating="not_satisfied",
        scores={"attitude": 0},
    )
    d3 = make_dossier(  # online, still in processing, one paper not scanned, no fee
        stp, "05/03/2025", channel="online", documents=[True, False]
    )
    d4 = make_dossier(  # counter, on time, result sent online, no documents recorded
        stp,
        "10/03/2025",
        finished="12/03/2025",
        timeliness="on_time",
        fee=50000,
        return_mode="online",
    )
    refresh_summaries()
    return {"d1": d1, "d2": d2, "d3": d3, "d4": d4}


def test_the_weights_of_each_group_add_up_to_its_points():
    check_weights()


def test_each_indicator_of_a_quarter_counts_what_its_formula_says(tree, first_quarter):
    card = scorecard.compute(parse_period("2025-Q1"), scorecard.make_scope(tree["stp"]))
    rows = _by_code(card)
    expected = {
        # code: (numerator, denominator, points)
        "TDGQ1": (2, 3, 9.33),  # early + on time of 3 resolved
        "TDGQ2": (1, 1, 6.0),  # the late one has its apology
        "CLGQ2": (2, 4, 3.0),  # 2 of 4 filed online, the procedure is offered online
        "TTTT2": (1, 3, 2.0),  # 1 of 3 with a fee paid online
        "MDSH1": (2, 4, 4.0),  # d3 has a paper not scanned, d4 no document at all
        "MDSH2": (2, 3, 5.33),  # result file (d1), result sent online (d4)
        "MDSH3": (1, 4, 1.5),  # d2 reused a stored document
        "MDHL1": (1, 2, 5.0),  # one very satisfied, one not satisfied
        "MDHL2": (3, 6, 4.0),  # 2 + 1 + 0 points of 3 criteria answered (max 2 each)
        "CKMB1": (1, 1, 10.0),  # the one procedure is published
        "CLGQ1": (0, 1, 0.0),  # partially online only
        "TTTT1": (1, 1, 4.0),  # has a fee and is offered online
    }
    for code, (numerator, denominator, points) in expected.items():
        row = rows[code]
        assert (row["numerator"], row["denominator"], row["score"]) == (
            numerator,
            denominator,
            points,
        ), code
    assert rows["CKMB2"]["has_data"] is False  # not recorded on the platform
    assert card["attainable"] == 92  # 100 less CKMB2's 8 points
    assert card["total"] == pytest.approx(sum(p for _n, _d, p in expected.values()), abs=0.02)
    assert card["index"] == pytest.approx(100 * card["total"] / 92, abs=0.01)


def test_a_month_counts_only_its_own_days(tree, first_quarter):
    rows = _by_code(scorecard.compute(parse_period("2025-02"), scorecard.make_scope(tree["stp"])))
    assert (rows["TDGQ1"]["numerator"], rows["TDGQ1"]["denominator"]) == (0, 1)
    assert (rows["CLGQ2"]["numerator"], rows["CLGQ2"]["denominator"]) == (1, 1)


def test_a_period_without_dossiers_shows_no_data_rather_than_zero(tree, first_quarter):
    card = scorecard.compute(parse_period("2024-Q1"), scorecard.make_scope(tree["stp"]))
    rows = _by_code(card)
    for code in ("TDGQ1", "TDGQ2", "CLGQ2", "TTTT2", "MDSH1", "MDSH2", "MDSH3", "MDHL1", "MDHL2"):
        assert rows[code]["has_data"] is False, code
        assert rows[code]["score"] is None and rows[code]["percent"] is None
    groups = {g["code"]: g for g in card["groups"]}
    assert groups["MDHL"]["score"] is None  # not 0, not 18


def test_an_agency_without_anything_has_no_index(tree, first_quarter):
    card = scorecard.compute(parse_period("2025"), scorecard.make_scope(tree["cujut"]))
    assert card["total"] is None and card["index"] is None and card["attainable"] == 0


def test_other_agencies_dossiers_stay_out_and_the_province_adds_everyone(
    tree, first_quarter, make_dossier
):
    make_dossier(tree["stttt"], "20/01/2025", finished="22/01/2025", timeliness="late")
    refresh_summaries()
    q1 = parse_period("2025-Q1")
    stp = _by_code(scorecard.compute(q1, scorecard.make_scope(tree["stp"])))
    province = _by_code(scorecard.compute(q1, scorecard.make_scope()))
    level = _by_code(scorecard.compute(q1, scorecard.make_scope(level=Level.PROVINCE)))
    districts = _by_code(scorecard.compute(q1, scorecard.make_scope(level=Level.DISTRICT)))
    assert stp["TDGQ1"]["denominator"] == 3
    assert province["TDGQ1"]["denominator"] == 4
    assert level["TDGQ1"]["denominator"] == 4
    assert districts["TDGQ1"]["denominator"] == 0


def test_an_agency_merged_into_another_counts_in_its_successors_scorecard(
    tree, make_dossier, first_quarter
):
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
    core.merge_agencies(None, [old], tree["stp"], dt.date(2025, 3, 1), "Quyết định 01/QĐ-UBND")
    refresh_summaries()
    q1 = parse_period("2025-Q1")
    rows = _by_code(scorecard.compute(q1, scorecard.make_scope(tree["stp"])))
    assert (rows["TDGQ1"]["numerator"], rows["TDGQ1"]["denominator"]) == (2, 4)
    # The merged agency's own scorecard still shows its history alone.
    old.refresh_from_db()
    alone = _by_code(scorecard.compute(q1, scorecard.make_scope(old)))
    assert alone["TDGQ1"]["denominator"] == 1
    # Its dossiers appear in the successor's drill-down.
    page, _next = scorecard.drill_dossiers(
        "TDGQ1", "denominator", q1, scorecard.make_scope(tree["stp"])
    )
    assert {d.competent_agency_id for d in page} == {tree["stp"].pk, old.pk}


def test_the_drill_down_lists_the_dossiers_counted(tree, first_quarter):
    q1, scope = parse_period("2025-Q1"), scorecard.make_scope(tree["stp"])
    page, more = scorecard.drill_dossiers("TDGQ1", "numerator", q1, scope)
    assert {d.pk for d in page} == {first_quarter["d1"].pk, first_quarter["d4"].pk}
    assert more is None
    page, _ = scorecard.drill_dossiers("MDHL2", "denominator", q1, scope)
    assert {d.pk for d in page} == {first_quarter["d1"].pk, first_quarter["d2"].pk}


def test_the_drill_down_pages_by_keyset(tree, make_dossier, monkeypatch):
    for day in range(1, 6):
        make_dossier(tree["stp"], f"0{day}/01/2025")
    monkeypatch.setattr(scorecard, "PAGE", 2)
    q1, scope = parse_period("2025-Q1"), scorecard.make_scope(tree["stp"])
    seen, before = [], None
    while True:
        page, before = scorecard.drill_dossiers("MDSH1", "denominator", q1, scope, before)
        seen += [d.pk for d in page]
        if before is None:
            break
    assert len(seen) == 5 == len(set(seen)) and seen == sorted(seen, reverse=True)

"""The indicators of the service-quality index (Decision 766/QĐ-TTg, 2022), as data.

Groups and their maximum points are those of the decision; how the points of a group are
split between its indicators, and the exact formulas, are the province's reading of the
decision (marked "verify" in the domain notes): change them here, not in the code. Each
indicator scores ``weight × numerator / denominator``; with a zero denominator it has no
data, and the index is reported over the points that could be measured.

Sources:
- ``summary``: counters of the daily summaries (see ``facts``), added up over the period;
- ``catalog``: the procedure catalogue in force at the end of the period (live, small);
- ``untracked``: no record on the platform yet — always "no data".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    points: int


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str
    name: str
    formula: str
    weight: float
    source: str  # summary, catalog, untracked
    numerator: tuple[str, ...] = ()  # summary counters added up, or a catalog figure
    denominator: tuple[str, ...] = ()


GROUPS = [
    Group("CKMB", _("Transparency (công khai, minh bạch)"), 18),
    Group("TDGQ", _("Progress and results (tiến độ, kết quả giải quyết)"), 20),
    Group("CLGQ", _("Online services (cung cấp dịch vụ trực tuyến)"), 12),
    Group("TTTT", _("Online payment (thanh toán trực tuyến)"), 10),
    Group("MDSH", _("Digitisation (số hóa hồ sơ)"), 22),
    Group("MDHL", _("Satisfaction (mức độ hài lòng)"), 18),
]

INDICATORS = [
    Indicator(
        "CKMB1",
        "CKMB",
        _("Procedures published"),
        _("procedures whose version in force is published ÷ procedures in the catalogue"),
        10,
        "catalog",
        ("published",),
        ("procedures",),
    ),
    Indicator(
        "CKMB2",
        "CKMB",
        _("Dossiers synchronised to the national public service portal"),
        _("dossiers synchronised ÷ dossiers received (not recorded on this platform yet)"),
        8,
        "untracked",
    ),
    Indicator(
        "TDGQ1",
        "TDGQ",
        _("Dossiers resolved early or on time"),
        _("(early + on time) ÷ dossiers resolved in the period"),
        14,
        "summary",
        ("early", "on_time"),
        ("resolved",),
    ),
    Indicator(
        "TDGQ2",
        "TDGQ",
        _("Late dossiers with an apology letter"),
        _("late dossiers with an apology (form 04) ÷ late dossiers resolved in the period"),
        6,
        "summary",
        ("late_apologised",),
        ("late",),
    ),
    Indicator(
        "CLGQ1",
        "CLGQ",
        _("Full-process online services"),
        _("procedures offered full-process online ÷ procedures in force"),
        6,
        "catalog",
        ("full_process",),
        ("in_force",),
    ),
    Indicator(
        "CLGQ2",
        "CLGQ",
        _("Dossiers filed online"),
        _("dossiers filed online ÷ dossiers received, for procedures offered online"),
        6,
        "summary",
        ("offered_online_filed",),
        ("offered_online",),
    ),
    Indicator(
        "TTTT1",
        "TTTT",
        _("Procedures with online payment"),
        _("procedures with a fee that can be paid online ÷ procedures with a fee"),
        4,
        "catalog",
        ("payable_online",),
        ("with_fee",),
    ),
    Indicator(
        "TTTT2",
        "TTTT",
        _("Dossiers paid online"),
        _("dossiers whose fee was paid online ÷ dossiers received with a fee"),
        6,
        "summary",
        ("paid_online",),
        ("with_fee",),
    ),
    Indicator(
        "MDSH1",
        "MDSH",
        _("Dossiers digitised"),
        _("dossiers received whose every document was digitised ÷ dossiers received"),
        8,
        "summary",
        ("digitised",),
        ("received",),
    ),
    Indicator(
        "MDSH2",
        "MDSH",
        _("Results issued electronically"),
        _("results issued as an electronic document or sent online ÷ dossiers resolved"),
        8,
        "summary",
        ("results_electronic",),
        ("resolved",),
    ),
    Indicator(
        "MDSH3",
        "MDSH",
        _("Reuse of digitised data"),
        _("dossiers reusing a document from the applicant's data store ÷ dossiers received"),
        6,
        "summary",
        ("reused",),
        ("received",),
    ),
    Indicator(
        "MDHL1",
        "MDHL",
        _("Applicants satisfied"),
        _("(very satisfied + satisfied) ÷ evaluations in the period"),
        10,
        "summary",
        ("very_satisfied", "satisfied"),
        ("evaluations",),
    ),
    Indicator(
        "MDHL2",
        "MDHL",
        _("Points on the nine criteria of Circular 01/2018"),
        _("points given ÷ (2 × criteria answered), over the evaluations in the period"),
        8,
        "summary",
        ("criteria_points",),
        ("criteria_max",),
    ),
]

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def check_weights() -> None:
    """The weights of each group add up to its points (and the groups to 100)."""
    assert sum(g.points for g in GROUPS) == 100
    for group in GROUPS:
        total = sum(i.weight for i in INDICATORS if i.group == group.code)
        assert total == group.points, (group.code, total)

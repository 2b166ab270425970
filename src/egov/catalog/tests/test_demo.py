"""The demo catalogue: every procedure in force says where it is received, and the real
procedures whose fee depends on the case carry it as a table."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.catalog.demo import loader
from egov.catalog.models import Fee, Procedure, ProcedureVersion, VersionStatus
from egov.catalog.services import fill_receiving_places, import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.core.demo.loader import load as load_province
from egov.core.models import AgencyKind, Level

pytestmark = pytest.mark.django_db


def _in_force(**filters):
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED, **filters)


def test_the_demo_catalogue_says_where_each_procedure_is_received_and_what_it_costs(db):
    """One load (it takes a while): receiving places by level, fee tables, and a second
    load that adds nothing."""
    load_province(stdout=io.StringIO())
    counts = loader.load(stdout=io.StringIO())

    # Every procedure in force, real or synthetic, names its receiving places.
    real = _in_force(procedure__is_synthetic=False)
    assert real.count() == len(json.loads(loader.DATA.read_text(encoding="utf-8")))
    assert _in_force().count() == loader.TOTAL
    assert not _in_force().filter(receiving_places__isnull=True).exists()

    def places(code):
        return list(_in_force().get(procedure__code=code).receiving_places.order_by("code"))

    # Provincial: the Public Administration Service Centre of the province.
    (centre,) = places("2.001199")
    assert centre.kind == AgencyKind.SERVICE_CENTER and centre.code == "000.00.21.H16"
    # District: the one-stop desk (Bộ phận Một cửa) of each of the 8 districts.
    desks = places("1.013225")
    assert len(desks) == 8
    assert {d.kind for d in desks} == {AgencyKind.INTERNAL_UNIT}
    assert all(d.name.startswith("Bộ phận Một cửa") for d in desks)
    assert "004.00.33.H16" in {d.code for d in desks}  # where tiepnhan.cujut works
    # Commune: the People's Committee of each of the 71 communes.
    communes = places("1.001193")
    assert len(communes) == 71
    assert {(c.kind, c.level) for c in communes} == {(AgencyKind.PEOPLES_COMMITTEE, Level.COMMUNE)}
    assert counts["receiving_places"] == sum(
        _in_force(level=level).count() * n
        for level, n in ((Level.PROVINCE, 1), (Level.DISTRICT, 8), (Level.COMMUNE, 71))
    )

    # The real procedures whose fee depends on the case carry it as a table.
    tables = (
        Fee.objects.filter(version__in=real).exclude(rows=[]).select_related("version__procedure")
    )
    by_code = {fee.version.procedure.code: fee for fee in tables}
    assert {"1.013225", "2.000815", "2.000942", "2.001199", "2.001263"} <= set(by_code)
    permit = by_code["1.013225"]
    assert permit.kind == "charge" and permit.amount is None
    assert [(r["condition"], r["amount"], r["unit"]) for r in permit.rows] == [
        ("Nhà ở riêng lẻ", 75000, "đồng/giấy phép"),
        ("Công trình khác", 150000, "đồng/giấy phép"),
    ]
    assert "(verify)" in permit.note  # not checked against Đắk Nông's own resolution
    copies = by_code["2.000815"]
    assert copies.kind == "fee" and [r["amount"] for r in copies.rows] == [2000, 1000]
    for fee in tables:
        assert len(fee.rows) >= 2 and all(r["unit"] for r in fee.rows)
    # Every real procedure in force that lists fees says for each whether it is phí or lệ phí,
    # unless its published name says both ("Phí, lệ phí").
    for fee in Fee.objects.filter(version__in=real, kind=""):
        assert fee.name == "Phí, lệ phí", fee.name

    # Loading again finds nothing to fill, in a couple of queries.
    with CaptureQueriesContext(connection) as queries:
        assert fill_receiving_places(None, _in_force()) == 0
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 2
    again = loader.load(stdout=io.StringIO())
    assert (again["created"], again["updated"], again["receiving_places"]) == (0, 0, 0)


def test_a_new_version_keeps_the_receiving_places_of_the_one_it_replaces(client, officials, tree):
    provincial = provincial_agencies()
    row = procedure_row("2.000020", "Đăng ký khai sinh", agency="UBND", level="district")
    import_row(None, row, {}, provincial)
    # No one-stop desk unit in this small tree: the district People's Committee receives.
    assert fill_receiving_places(None) == 1
    first = Procedure.objects.get(code="2.000020").current
    assert list(first.receiving_places.all()) == [tree["cujut"]]
    import_row(None, {**row, "time": 3}, {}, provincial)
    second = Procedure.objects.get(code="2.000020").current
    assert second.number == 2 and list(second.receiving_places.all()) == [tree["cujut"]]
    client.force_login(officials["specialist"])
    page = client.get(reverse("catalog:detail", args=["2.000020"]))
    assert "Ủy ban nhân dân huyện Cư Jút" in page.content.decode()

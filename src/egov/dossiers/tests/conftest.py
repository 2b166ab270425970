"""Fixtures for dossier scenarios: a small province with a one-stop desk and procedures."""

import datetime as dt
from decimal import Decimal

import pytest

from egov.catalog.services import import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.core import services as core
from egov.core.models import AgencyKind, Level, Role

MONDAY_0930 = dt.datetime(2025, 3, 10, 9, 30)


@pytest.fixture
def desk(tree, make_official):
    """The Public Administration Service Center with two reception officers."""
    center = core.create_agency(
        None,
        code="000.00.21.H16",
        name="Trung tâm Hành chính công",
        short_name="TTHCC",
        kind=AgencyKind.SERVICE_CENTER,
        level=Level.PROVINCE,
        parent=tree["ubnd"],
    )
    return {
        "center": center,
        "officer": make_official("tiepnhan", center, Role.RECEPTION),
        "officer2": make_official("tiepnhan2", center, Role.RECEPTION),
    }


@pytest.fixture
def stp_staff(tree, make_official):
    """Sở Tư pháp: a unit with a leader and a specialist, and the director."""
    unit = core.create_agency(
        None,
        code="001.00.06.H16",
        name="Phòng Hành chính tư pháp",
        short_name="HCTP",
        kind=AgencyKind.INTERNAL_UNIT,
        level=Level.PROVINCE,
        parent=tree["stp"],
    )
    return {
        "unit": unit,
        "head": make_official("truongphong.stp", tree["stp"], Role.UNIT_LEADER, unit),
        "specialist": make_official("chuyenvien.stp", tree["stp"], Role.SPECIALIST, unit),
        "director": make_official("giamdoc.stp", tree["stp"], Role.AGENCY_LEADER),
    }


_row = procedure_row


@pytest.fixture
def procedures(tree, db):
    """A simple 5-day procedure and an inter-agency one needing Sở TTTT's opinion."""
    provincial = provincial_agencies()
    fields = {}
    import_row(None, _row("1.000001", "Cấp phiếu lý lịch tư pháp"), fields, provincial)
    import_row(
        None,
        _row("1.000002", "Cấp giấy phép liên thông", time=6, coordinating=["STTTT"]),
        fields,
        provincial,
    )
    from egov.catalog.models import Procedure

    return {p.code: p.current for p in Procedure.objects.all()}


APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_id_type": "cccd",
    "applicant_id_number": "067085000123",
    "applicant_address": "Gia Nghĩa, Đắk Nông",
    "applicant_phone": "0912345678",
    "applicant_email": "an@example.vn",
}


def all_documents(version):
    return [{"requirement": d} for d in version.documents.all()]


@pytest.fixture
def at():
    """Freeze "now" for the services: at(datetime) sets the clock the services read."""
    from egov.dossiers import services

    original = services._now
    holder = {}

    def set_now(moment):
        from django.utils import timezone

        holder["now"] = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        services._now = lambda: holder["now"]

    yield set_now
    services._now = original


DAYS = Decimal

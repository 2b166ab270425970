"""Hand-built dossiers for the report scenarios.

Dossiers are written as rows with exactly the facts a scenario needs (received when, on
which channel, resolved when and how, paid, digitised, evaluated): the reports read what the
one-stop services leave behind, and building each case through the whole intake would hide
the figures the formulas are checked against.
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from egov.catalog.services import import_row, provincial_agencies
from egov.catalog.testing import procedure_row
from egov.core.models import Role
from egov.dossiers.models import Apology, Dossier, DossierDocument, DossierParty, Evaluation
from egov.payments.models import Payment, PaymentStatus
from egov.portal.models import DocumentReuse, StoredDocument

_serial = itertools.count(1)


def at(day: str, hour: int = 9) -> dt.datetime:
    """Vietnam time on ``day`` (dd/mm/yyyy) at ``hour``."""
    return timezone.make_aware(dt.datetime.strptime(day, "%d/%m/%Y").replace(hour=hour))


@pytest.fixture
def procedure(tree, db):
    """Sở Tư pháp's procedure, partially online, with a 50.000 đ charge."""
    import_row(
        None, procedure_row("1.000001", "Cấp phiếu lý lịch tư pháp"), {}, provincial_agencies()
    )
    from egov.catalog.models import Procedure

    return Procedure.objects.get(code="1.000001").current


@pytest.fixture
def applicant(db):
    from egov.core.models import User

    return User.objects.create_user("citizen1", password="x", kind=User.Kind.CITIZEN)


@pytest.fixture
def leaders(tree, make_official):
    return {
        "stp": make_official("giamdoc.stp", tree["stp"], Role.AGENCY_LEADER),
        "stttt": make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER),
        "province": make_official("chutich", tree["ubnd"], Role.AGENCY_LEADER),
        "specialist": make_official("chuyenvien.stp", tree["stp"], Role.SPECIALIST),
    }


@pytest.fixture
def make_dossier(procedure, applicant):
    """make_dossier(agency, received="10/01/2025", channel=..., finished=..., timeliness=...,
    fee=..., documents=[True, False] (scanned or not), result_file=..., paid=..., reused=...,
    apology=..., rating=..., scores=..., evaluated=...) → a dossier with those facts."""

    def make(
        agency,
        received,
        channel="counter",
        finished=None,
        timeliness="",
        fee=None,
        documents=(),
        result_file=False,
        return_mode="",
        paid=False,
        reused=False,
        apology_by=None,
        rating=None,
        scores=None,
        evaluated=None,
    ):
        n = next(_serial)
        state = "evaluated" if rating else ("returned" if finished else "processing")
        dossier = Dossier.objects.create(
            code=f"H16-250101-{n:04d}",
            procedure_version=procedure,
            state=state,
            channel=channel,
            receiving_agency=agency,
            competent_agency=agency,
            current_agency=agency,
            applicant_user=applicant,
            applicant_name="Nguyễn Văn An",
            applicant_id_number=f"0670850{n:05d}",
            received_at=at(received),
            submitted_at=at(received),
            due_at=at(received) + dt.timedelta(days=7),
            finished_at=at(finished) if finished else None,
            returned_at=at(finished, 15) if finished else None,
            return_mode=return_mode,
            timeliness=timeliness,
            fee_amount=fee,
        )
        DossierParty.objects.create(dossier=dossier, agency=agency, agency_path=agency.path)
        docs = [
            DossierDocument.objects.create(
                dossier=dossier,
                name=f"Giấy tờ {i}",
                file=f"dossiers/x{n}-{i}.pdf" if scanned else "",
            )
            for i, scanned in enumerate(documents)
        ]
        if result_file:
            DossierDocument.objects.create(
                dossier=dossier, name="Kết quả", file=f"dossiers/kq{n}.pdf", is_result=True
            )
        if paid:
            Payment.objects.create(
                dossier=dossier,
                payer_name="Nguyễn Văn An",
                txn_ref=f"T{n:08d}",
                amount=fee or 0,
                description="Lệ phí",
                status=PaymentStatus.PAID,
                created_at=at(received),
                expires_at=at(received) + dt.timedelta(minutes=15),
                paid_at=at(received),
            )
        if reused:
            stored = StoredDocument.objects.create(
                owner=applicant, kind="result", name="CCCD", file="kho/a.pdf", sha256=f"{n:064d}"
            )
            DocumentReuse.objects.create(stored=stored, dossier=dossier, document=docs[0])
        if apology_by:
            Apology.objects.create(
                dossier=dossier,
                issued_at=at(finished),
                original_due_at=dossier.due_at,
                new_appointment_at=dossier.due_at + dt.timedelta(days=3),
                reason="Chậm do phối hợp",
                issued_by=apology_by,
            )
        if rating:
            Evaluation.objects.create(
                dossier=dossier,
                rating=rating,
                scores=scores or {},
                at=at(evaluated or finished, 16),
            )
        return dossier

    return make

"""Dossier journeys as the one-stop desk and the departments live them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from egov.core.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.models import Handover
from egov.dossiers.services import TransitionRefused
from egov.dossiers.workflow import State

from .conftest import APPLICANT, all_documents

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


def open_at_counter(desk, version, documents=None):
    return services.create_dossier(
        desk["officer"],
        version,
        desk["center"],
        APPLICANT,
        documents=all_documents(version) if documents is None else documents,
    )


def test_a_simple_procedure_from_counter_to_evaluation(desk, stp_staff, procedures, at, tree):
    version = procedures["1.000001"]
    at(dt.datetime(2025, 3, 10, 9, 30))  # Monday
    dossier = open_at_counter(desk, version)
    dossier = services.receive(desk["officer"], dossier)
    assert dossier.state == State.RECEIVED
    assert dossier.code == "000.00.21.H16-250310-0001"
    # 5 working days after Monday 10/03 → Monday 17/03, at the close of office.
    assert local(dossier.due_at) == dt.datetime(2025, 3, 17, 17, 0)
    assert dossier.tracking_number == 1

    at(dt.datetime(2025, 3, 10, 10, 0))
    dossier = services.handover(desk["officer"], dossier)
    assert dossier.state == State.ASSIGNED and dossier.current_agency == tree["stp"]
    dossier = services.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    assert dossier.state == State.PROCESSING
    assert dossier.current_holder == stp_staff["specialist"]
    at(dt.datetime(2025, 3, 12, 14, 0))
    dossier = services.forward(stp_staff["specialist"], dossier)  # → review
    dossier = services.forward(stp_staff["head"], dossier)  # → approval
    at(dt.datetime(2025, 3, 13, 9, 0))
    dossier = services.approve(stp_staff["director"], dossier, "Đã cấp phiếu")
    assert dossier.state == State.RESULT_READY
    assert dossier.timeliness == "early"
    dossier = services.return_result(desk["officer"], dossier, "counter")
    dossier = services.evaluate(desk["officer"], dossier, "very_satisfied")
    assert dossier.state == State.EVALUATED

    actions = list(
        AuditEvent.objects.filter(
            object_type="dossiers.dossier", object_id=str(dossier.pk)
        ).values_list("action", flat=True)
    )
    assert actions == [
        "dossier.create",
        "dossier.receive",
        "dossier.handover",
        "dossier.assign",
        "dossier.forward",
        "dossier.forward",
        "dossier.approve",
        "dossier.return_result",
        "dossier.evaluate",
    ]
    assert Handover.objects.filter(dossier=dossier).count() == 7


def test_an_incomplete_dossier_gets_one_supplement_request_and_the_clock_waits(
    desk, procedures, at
):
    version = procedures["1.000001"]
    at(dt.datetime(2025, 3, 10, 9, 30))
    first_doc = version.documents.first()
    dossier = open_at_counter(desk, version, documents=[{"requirement": first_doc}])
    with pytest.raises(TransitionRefused, match="Bản sao giấy tờ tùy thân"):
        services.receive(desk["officer"], dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT and dossier.received_at is None

    dossier = services.request_supplement(
        desk["officer"],
        dossier,
        [{"name": "Bản sao giấy tờ tùy thân", "kind": "copy"}],
        "Thiếu bản sao CCCD",
    )
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    assert dossier.due_at is None  # the clock has not started
    assert dossier.supplements.get().number == f"{dossier.code}/HDHS"


def test_a_refusal_needs_a_reason_and_a_refused_dossier_cannot_be_received(desk, procedures):
    dossier = open_at_counter(desk, procedures["1.000001"])
    with pytest.raises(ValidationError):
        services.refuse(desk["officer"], dossier, "  ")
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT
    services.refuse(desk["officer"], dossier, "Không thuộc thẩm quyền giải quyết")
    with pytest.raises(TransitionRefused):
        services.receive(desk["officer"], dossier)


def test_a_specialist_cannot_receive_at_the_counter(desk, stp_staff, procedures):
    dossier = open_at_counter(desk, procedures["1.000001"])
    with pytest.raises(PermissionDenied):
        services.receive(stp_staff["specialist"], dossier)
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT

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


def _to_processing(desk, stp_staff, version, at, when):
    at(when)
    dossier = services.receive(desk["officer"], open_at_counter(desk, version))
    dossier = services.handover(desk["officer"], dossier)
    return services.assign(stp_staff["head"], dossier, stp_staff["specialist"])


def test_an_inter_agency_dossier_late_at_the_coordinating_agency_gets_an_apology(
    desk, stp_staff, procedures, at, tree, make_official
):
    """Sở Tư pháp asks Sở TTTT's opinion; TTTT answers late; the director apologises with a new
    date; the dossier is returned late and stays counted as late."""
    from egov.core.models import Role
    from egov.dossiers.deadlines import check_deadlines
    from egov.notifications.models import Notice

    tttt = make_official("chuyenvien.tttt", tree["stttt"], Role.SPECIALIST)
    version = procedures["1.000002"]  # 6 working days, TTTT coordinates
    dossier = _to_processing(desk, stp_staff, version, at, dt.datetime(2025, 3, 10, 9, 30))
    assert local(dossier.due_at) == dt.datetime(2025, 3, 18, 17, 0)
    at(dt.datetime(2025, 3, 11, 9, 0))
    dossier = services.request_interagency(stp_staff["specialist"], dossier, "Xin ý kiến")
    assert dossier.state == State.INTERAGENCY
    task = dossier.tasks.get()
    assert task.agency == tree["stttt"] and task.due_at < dossier.due_at
    # Only the coordinating agency may answer.
    with pytest.raises(PermissionDenied):
        services.complete_interagency(stp_staff["specialist"], dossier, "Đồng ý")

    morning = timezone.make_aware(dt.datetime(2025, 3, 18, 10, 0))  # the day it is due: warn
    assert check_deadlines(morning)["warned"] == 1
    assert check_deadlines(morning)["warned"] == 0  # idempotent
    assert Notice.objects.filter(user=stp_staff["director"], topic__startswith="deadline").exists()
    apology_date = dt.datetime(2025, 3, 21, 17, 0)
    dossier = services.apologize(
        stp_staff["director"], dossier, timezone.make_aware(apology_date), "Chờ ý kiến Sở TTTT"
    )
    assert check_deadlines(timezone.make_aware(dt.datetime(2025, 3, 19, 9, 0)))["overdue"] == 1
    dossier.refresh_from_db()
    assert dossier.is_overdue

    at(dt.datetime(2025, 3, 19, 10, 0))
    dossier = services.complete_interagency(tttt, dossier, "Đồng ý cấp phép")
    assert dossier.state == State.PROCESSING
    assert dossier.tasks.get().timeliness == "late"
    dossier = services.forward(stp_staff["head"], dossier)  # review → approval
    at(dt.datetime(2025, 3, 20, 15, 0))
    dossier = services.approve(stp_staff["director"], dossier)
    assert dossier.timeliness == "late"  # the apology does not make it on time
    assert local(dossier.new_appointment_at) == apology_date
    assert dossier.apologies.count() == 1


def test_a_supplement_during_processing_pauses_the_clock(desk, stp_staff, procedures, at):
    version = procedures["1.000001"]
    dossier = _to_processing(desk, stp_staff, version, at, dt.datetime(2025, 3, 10, 9, 30))
    due = dossier.due_at
    at(dt.datetime(2025, 3, 11, 8, 0))
    dossier = services.pause_for_supplement(
        stp_staff["specialist"],
        dossier,
        [{"name": "Bản sao hộ khẩu", "kind": "copy"}],
        "Cần bổ sung hộ khẩu",
    )
    assert dossier.state == State.PAUSED
    at(dt.datetime(2025, 3, 13, 8, 0))  # two full working days later
    dossier = services.resume(desk["officer"], dossier, "Đã bổ sung")
    assert dossier.state == State.PROCESSING
    assert dossier.paused_hours == pytest.approx(15.0)  # 2 days × 7.5 office hours
    assert local(dossier.due_at) == dt.datetime(2025, 3, 19, 17, 0)
    assert dossier.due_at > due
    pause = dossier.pauses.get()
    assert pause.ended_at and pause.reason == "Cần bổ sung hộ khẩu"


def test_the_audit_trail_names_the_files_a_supplement_brings(desk, stp_staff, procedures, at):
    """Whoever reads the timeline later can tell which scan arrived with the supplement, and
    that it is the same file as the one in storage (its SHA-256)."""
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    version = procedures["1.000001"]
    dossier = _to_processing(desk, stp_staff, version, at, dt.datetime(2025, 3, 10, 9, 30))
    at(dt.datetime(2025, 3, 11, 8, 0))
    dossier = services.pause_for_supplement(
        stp_staff["specialist"], dossier, [{"name": "Bản sao hộ khẩu"}], "Cần bổ sung hộ khẩu"
    )
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    scan = SimpleUploadedFile("ho-khau.pdf", content, content_type="application/pdf")
    at(dt.datetime(2025, 3, 12, 8, 0))
    services.resume(
        desk["officer"],
        dossier,
        "Đã bổ sung",
        documents=[{"name": "Bản sao hộ khẩu", "file": scan}],
    )
    event = AuditEvent.objects.get(action="dossier.resume", object_id=str(dossier.pk))
    assert event.changes["files"] == [
        {
            "name": "Bản sao hộ khẩu",
            "kind": "original",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    ]
    opened = AuditEvent.objects.get(action="dossier.create", object_id=str(dossier.pk))
    assert [f["name"] for f in opened.changes["files"]] == [d.name for d in version.documents.all()]


def test_after_15h_counts_from_the_next_working_day(desk, procedures, at):
    from egov.catalog.services import import_row, provincial_agencies

    import_row(
        None,
        {
            "code": "1.000003",
            "name": "Chứng thực bản sao",
            "field": "Chứng thực",
            "level": "province",
            "agency": "STP",
            "time": 0,
            "after_15h_next_day": True,
            "documents": [],
            "fees": [],
        },
        {},
        provincial_agencies(),
    )
    from egov.catalog.models import Procedure

    version = Procedure.objects.get(code="1.000003").current
    at(dt.datetime(2025, 3, 14, 15, 30))  # Friday after 15:00
    late = services.receive(desk["officer"], open_at_counter(desk, version, documents=[]))
    assert local(late.due_at) == dt.datetime(2025, 3, 17, 17, 0)  # Monday
    at(dt.datetime(2025, 3, 14, 10, 0))
    early = services.receive(desk["officer"], open_at_counter(desk, version, documents=[]))
    assert local(early.due_at) == dt.datetime(2025, 3, 14, 17, 0)  # same day


def test_dossier_codes_are_continuous_per_agency_per_day(desk, procedures, at):
    version = procedures["1.000001"]
    at(dt.datetime(2025, 3, 10, 9, 0))
    codes = [
        services.receive(desk["officer"], open_at_counter(desk, version)).code for _ in range(3)
    ]
    at(dt.datetime(2025, 3, 11, 9, 0))
    codes.append(services.receive(desk["officer"], open_at_counter(desk, version)).code)
    assert codes == [
        "000.00.21.H16-250310-0001",
        "000.00.21.H16-250310-0002",
        "000.00.21.H16-250310-0003",
        "000.00.21.H16-250311-0001",
    ]


def test_a_dossier_in_flight_follows_its_agency_into_a_merger(
    desk, stp_staff, procedures, at, tree, officials
):
    dossier = _to_processing(
        desk, stp_staff, procedures["1.000001"], at, dt.datetime(2025, 3, 10, 9, 30)
    )
    from egov.core import services as core

    core.merge_agencies(
        officials["sysadmin"],
        [tree["stp"]],
        tree["stttt"],
        dt.date(2025, 7, 1),
        "Nghị quyết sắp xếp",
    )
    dossier.refresh_from_db()
    assert dossier.competent_agency == tree["stttt"]
    assert dossier.current_agency == tree["stttt"]
    assert AuditEvent.objects.filter(
        action="dossier.agency_succeeded", object_id=str(dossier.pk)
    ).exists()

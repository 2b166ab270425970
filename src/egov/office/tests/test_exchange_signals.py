"""The office's side of the exchange contract: a received package becomes an incoming document
to register, statuses from the peer show on the outgoing document, the office reports its own
status changes."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from egov.exchange.signals import package_received, status_received
from egov.office import services, signals
from egov.office.models import IncomingDocument

from .conftest import released

pytestmark = pytest.mark.django_db


@dataclass
class Package:
    """Shaped as the exchange's ReceivedPackage: header dict, attachments, validation."""

    header: dict
    attachments: list = field(default_factory=list)
    validation: dict = field(default_factory=dict)


def header(to_code, document_id="000.00.00.G14,2025/03/10,12/QĐ-BNV", business="0"):
    return {
        "From": {"OrganId": "000.00.00.G14", "OrganName": "Bộ Nội vụ"},
        "To": [{"OrganId": to_code, "OrganName": "Sở Tư pháp"}],
        "DocumentId": document_id,
        "Code": {"CodeNumber": "12", "CodeNotation": "QĐ-BNV"},
        "PromulgationInfo": {"Place": "Hà Nội", "PromulgationDate": "2025-03-10"},
        "DocumentType": {"Type": "1", "TypeName": "Quyết định"},
        "Subject": "Về việc hướng dẫn công tác văn thư",
        "SignerInfo": {"Competence": "KT. BỘ TRƯỞNG", "Position": "Thứ trưởng", "FullName": "A"},
        "OtherInfo": {"Priority": "1"},
        "TraceHeaderList": {"Business": {"BusinessDocType": business, "Paper": "0"}},
    }


def test_a_received_package_is_registered_as_arrived_with_its_report(
    people, certificates, django_capture_on_commit_callbacks
):
    signed = released(people).main_file.read()  # a PDF signed and sealed on our PKI
    package = Package(
        header(people["stp"].code),
        attachments=[("12-QD-BNV.pdf", "application/pdf", signed)],
        validation={"indication": "TOTAL-PASSED"},
    )
    package_received.send(sender=object, package=package)

    document = IncomingDocument.objects.get(source="exchange")
    assert document.agency == people["stp"] and document.state == "arrived"
    assert document.number_symbol == "12/QĐ-BNV" and document.sender_code == "000.00.00.G14"
    assert document.urgency == "khan" and document.issued_on == dt.date(2025, 3, 10)
    assert document.validation["indication"] == "TOTAL-PASSED"
    assert document.files.get(kind="main").read() == signed

    reported = []

    def listener(sender, document_id, status_code, description, **kwargs):
        reported.append((document_id, status_code))

    signals.incoming_status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.register(people["stp_clerk"], document)
            services.assign(people["stp_director"], document, assignee=people["stp_specialist"])
    finally:
        signals.incoming_status_changed.disconnect(listener)
    assert reported == [(document.pk, "03"), (document.pk, "04")]


def test_a_package_for_nobody_here_or_twice_is_refused(people):
    with pytest.raises(ValidationError):
        package_received.send(sender=object, package=Package(header("000.00.99.H99")))
    package_received.send(sender=object, package=Package(header(people["stp"].code)))
    with pytest.raises(ValidationError):
        package_received.send(sender=object, package=Package(header(people["stp"].code)))
    assert IncomingDocument.objects.count() == 1


def test_a_revoke_package_marks_the_document_recalled(people):
    package_received.send(sender=object, package=Package(header(people["stp"].code)))
    package_received.send(sender=object, package=Package(header(people["stp"].code, business="1")))
    assert IncomingDocument.objects.get().state == "recalled"


def test_a_status_from_the_peer_shows_on_the_outgoing_page(people, certificates, client):
    document = released(people, recipients=[("000.00.00.G14", "Bộ Nội vụ")])
    status_received.send(
        sender=object,
        document_id=document.edxml_document_id,
        from_code="000.00.00.G14",
        status_code="03",
        description="Đã tiếp nhận",
        at=timezone.now(),
        staff={"Staff": "Nguyễn Văn B"},
    )
    recipient = document.recipients.get(code="000.00.00.G14")
    assert recipient.last_status.code == "03"

    client.force_login(people["clerk"])
    page = client.get(f"/van-phong/van-ban-di/{document.pk}/")
    assert page.status_code == 200
    assert "Đã tiếp nhận" in page.content.decode()

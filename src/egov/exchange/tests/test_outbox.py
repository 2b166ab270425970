"""The outbox: one signed package per external recipient, retried with exponential back-off
while the peer does not answer."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from lxml import etree

from egov.exchange import edxml
from egov.exchange.models import OutboxMessage
from egov.exchange.outgoing import OutgoingInfo
from egov.exchange.services import deliver, queue_document, send_due
from egov.pki.tests.signing_fixtures import AGENCY_CODE
from egov.pki.xmldsig import verify_xml

from .conftest import HERE


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def document(**fields):
    return OutgoingInfo(
        from_code=HERE,
        from_name="Ủy ban nhân dân tỉnh Thử Nghiệm",
        code_number="07",
        code_notation="UBND-VP",
        subject="Về việc triển khai trao đổi văn bản điện tử",
        promulgation_date=dt.date(2026, 11, 20),
        recipient_names={AGENCY_CODE: "Sở Thông tin và Truyền thông"},
        attachments=[("cong-van-07.pdf", "application/pdf", b"%PDF-1.7 cong van")],
        **fields,
    )


def test_a_released_document_is_signed_and_queued_once_per_external_recipient(here, sender_peer):
    rows = queue_document(document(), [AGENCY_CODE, HERE, AGENCY_CODE])
    queue_document(document(), [AGENCY_CODE])  # released twice by mistake: nothing new

    assert [r.recipient_code for r in rows] == [AGENCY_CODE]  # HERE is ours: no package
    message = OutboxMessage.objects.get()
    assert message.document_id == f"{HERE},2026/11/20,07/UBND-VP"
    assert message.peer == sender_peer and message.peer_url == sender_peer.endpoint_url
    # Signed by parts with our seal (our root): the header, and the manifest that gives the
    # attachment's digest.
    root = edxml.parse_xml(bytes(message.package))
    assert edxml.signed_by_parts(root)
    attachments = edxml.detach_attachments(root)
    report = verify_xml(etree.tostring(root), references=edxml.SIGNED_PARTS)
    assert report.indication == "TOTAL-PASSED" and report.signer.agency_code.endswith(HERE)
    package = edxml.read_signed_package(
        report.signed_parts[edxml.HEADER_ID], report.signed_parts[edxml.MANIFEST_ID], attachments
    )
    assert package == edxml.parse(bytes(message.package))
    assert package.to_codes == [AGENCY_CODE] and package.business_doc_type == 0
    assert package.attachments[0].as_tuple() == (
        "cong-van-07.pdf",
        "application/pdf",
        b"%PDF-1.7 cong van",
    )


def test_while_the_peer_is_down_the_message_waits_1_2_4_seconds_between_attempts(
    here, sender_peer, settings
):
    settings.EGOV_EXCHANGE_RETRY_BASE_SECONDS = 1
    settings.EGOV_EXCHANGE_RETRY_MAX_SECONDS = 4
    # The peer's address answers nothing (port 9, discard: closed here).
    (message,) = queue_document(document(), [AGENCY_CODE])
    delays = []
    for _attempt in range(4):
        deliver(message.pk)
        message.refresh_from_db()
        delays.append(round((message.next_attempt_at - timezone.now()).total_seconds()))
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.next_attempt_at)

    message.refresh_from_db()
    assert delays == [1, 2, 4, 4]  # doubling, up to the configured maximum
    assert message.status == "queued" and message.attempts == 4
    assert "ConnectionError" in message.last_error
    # Not due yet: the periodic job leaves it alone.
    assert send_due() == {"sent": 0, "queued": 0, "failed": 0, "skipped": 0}


def test_a_recipient_no_peer_serves_gets_a_failed_message_that_says_so(here):
    (message,) = queue_document(document(), ["000.00.00.H99"])

    assert message.status == "failed"
    assert "No peer of this installation serves the agency 000.00.00.H99" in message.last_error

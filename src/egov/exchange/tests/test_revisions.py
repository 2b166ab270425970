"""Updates (BusinessDocType 2) and replacements (3) of a document already received: applied
to the incoming document held for the earlier one (named by ResponseFor), which keeps its
history and answers 15; an update of a document never received is refused (02, with the
reason); an update of a document returned to its sender answers 16."""

import pytest
from django.utils import translation

from egov.exchange import edxml
from egov.exchange.edxml import Attachment
from egov.exchange.models import OutboxMessage
from egov.office import services
from egov.office.models import IncomingDocument
from egov.pki.tests.signing_fixtures import AGENCY_CODE
from egov.pki.xmldsig import sign_xml

from .conftest import HERE
from .test_receive import answer_of, post

pytestmark = pytest.mark.django_db

ORIGINAL = f"{AGENCY_CODE},2026/11/20,15/QĐ-STTTT"
UPDATE = f"{AGENCY_CODE},2026/11/24,16/QĐ-STTTT"
PDF_V1 = b"%PDF-1.7\n" + b"Quyet dinh so 15" * 100
PDF_V2 = b"%PDF-1.7\n" + b"Quyet dinh so 16 thay the" * 100


@pytest.fixture(autouse=True)
def _english_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with translation.override("en"):
        yield


def package(document_id, number, business="0", response_for=None, pdf=PDF_V1, reason=""):
    header = {
        "From": {"OrganId": AGENCY_CODE, "OrganName": "Sở Thông tin và Truyền thông"},
        "To": [{"OrganId": HERE}],
        "DocumentId": document_id,
        "Code": {"CodeNumber": number, "CodeNotation": "QĐ-STTTT"},
        "PromulgationInfo": {"PromulgationDate": "20/11/2026"},
        "Subject": f"Quyết định số {number} về chuyển đổi số",
    }
    if response_for:
        header["ResponseFor"] = [
            {"OrganId": AGENCY_CODE, "Code": "15/QĐ-STTTT", "DocumentId": response_for}
        ]
    return edxml.build_package(
        header,
        {"Business": {"BusinessDocType": business, "BusinessDocReason": reason}},
        [Attachment(f"quyet-dinh-{number}.pdf", "application/pdf", pdf)],
    )


def send(client, spki, body):
    return answer_of(post(client, sign_xml(body, spki.identity(spki.seal))))


def statuses_queued():
    return [
        (m.document_id, m.status_code)
        for m in OutboxMessage.objects.filter(kind="status").order_by("pk")
    ]


def test_a_replacement_is_applied_to_the_document_received_and_answers_15(
    client, here, sender_peer, spki, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, spki, package(ORIGINAL, "15")).status_code == "01"
        answer = send(
            client,
            spki,
            package(
                UPDATE, "16", business="3", response_for=ORIGINAL, pdf=PDF_V2, reason="Sai số liệu"
            ),
        )
    assert answer.status_code == "01"

    (document,) = IncomingDocument.objects.all()  # the same document, a new version
    assert (document.version, document.number_symbol) == (2, "16/QĐ-STTTT")
    assert document.edxml_document_id == UPDATE
    files = [(f.name, f.version, f.superseded) for f in document.files.order_by("pk")]
    assert files == [("quyet-dinh-15.pdf", 1, True), ("quyet-dinh-16.pdf", 2, False)]
    assert document.files.get(superseded=False).read() == PDF_V2
    (replaced,) = document.handlings.filter(action="replaced")
    assert "15/QĐ-STTTT" in replaced.note and "Sai số liệu" in replaced.note
    # The sender hears 15 about the replacement.
    assert (UPDATE, "15") in statuses_queued()


def test_an_update_of_a_document_never_received_is_refused_with_the_reason(
    client, here, sender_peer, spki
):
    answer = send(client, spki, package(UPDATE, "16", business="2", response_for=ORIGINAL))
    assert answer.status_code == "02"
    assert ORIGINAL in answer.description and "never received" in answer.description
    assert not IncomingDocument.objects.exists()


def test_an_update_of_a_returned_document_answers_16(
    client, here, sender_peer, spki, make_official, django_capture_on_commit_callbacks
):
    from egov.core.models import Role

    clerk = make_official("vanthu.h17", here, Role.CLERK)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, spki, package(ORIGINAL, "15"))
        original = IncomingDocument.objects.get()
        services.return_to_sender(clerk, original, "Gửi nhầm cơ quan")
        answer = send(client, spki, package(UPDATE, "16", business="2", response_for=ORIGINAL))
    assert answer.status_code == "01"
    original.refresh_from_db()
    assert original.version == 1 and original.state == "returned"
    assert (UPDATE, "16") in statuses_queued()

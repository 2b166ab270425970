"""Receiving at POST /exchange/v1/edxml: a signed package from a peer we trust is stored once
and answered 01; anything else is answered 02 or 400 and nothing is stored."""

import pytest
from django.utils import translation

from egov.exchange import edxml
from egov.exchange.edxml import Attachment
from egov.exchange.models import ReceivedPackage, ReceivedStatus
from egov.exchange.signals import package_received, status_received
from egov.pki.tests.signing_fixtures import AGENCY_CODE
from egov.pki.xmldsig import sign_xml, verify_xml

from .conftest import HERE

URL = "/exchange/v1/edxml"
PDF = b"%PDF-1.7\n" + b"Quyet dinh so 15" * 500
DOC_ID = f"{AGENCY_CODE},2026/11/20,15/QĐ-STTTT"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def package(to=HERE, subject="Quyết định về việc ứng dụng chữ ký số", business="0"):
    return edxml.build_package(
        {
            "From": {"OrganId": AGENCY_CODE, "OrganName": "Sở Thông tin và Truyền thông"},
            "To": [{"OrganId": to}],
            "DocumentId": DOC_ID,
            "Code": {"CodeNumber": "15", "CodeNotation": "QĐ-STTTT"},
            "PromulgationInfo": {"PromulgationDate": "20/11/2026"},
            "Subject": subject,
        },
        {"Business": {"BusinessDocType": business}},
        [Attachment("quyet-dinh-15.pdf", "application/pdf", PDF)],
    )


def post(client, body):
    return client.post(URL, data=body, content_type="application/xml", HTTP_ACCEPT_LANGUAGE="en")


def answer_of(response):
    assert response.status_code == 200, response.content[:500]
    return edxml.parse(response.content)


class Listener:
    def __init__(self, signal):
        self.calls = []
        self.signal = signal

    def __call__(self, sender, **kwargs):
        self.calls.append(kwargs)

    def __enter__(self):
        self.signal.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        self.signal.disconnect(self)


def test_a_signed_package_from_a_trusted_peer_is_stored_once_and_acknowledged(
    client, here, sender_peer, spki
):
    signed = sign_xml(package(), spki.identity(spki.seal))

    with Listener(package_received) as office:
        response = post(client, signed)
        again = post(client, signed)  # the peer did not see our answer and sends it again

    status = answer_of(response)
    assert status.status_code == "01" and status.document_id == DOC_ID
    assert status.from_code == HERE and status.to_code == AGENCY_CODE
    # Our answer is signed with our agency's seal.
    report = verify_xml(response.content)
    assert report.indication == "TOTAL-PASSED" and report.signer.agency_code.endswith(HERE)
    # The duplicate gets the same answer; one package is stored, the office heard once.
    assert again.content == response.content and again["X-Edxml-Duplicate"] == "1"
    assert ReceivedPackage.objects.count() == 1 and len(office.calls) == 1
    stored = office.calls[0]["package"]
    assert stored.header["Subject"] == "Quyết định về việc ứng dụng chữ ký số"
    assert stored.attachments == [("quyet-dinh-15.pdf", "application/pdf", PDF)]
    assert stored.validation["indication"] == "TOTAL-PASSED"
    assert bytes(ReceivedPackage.objects.get().raw) == signed
    assert ReceivedPackage.objects.get().attachments[0][2] == PDF  # read back from the raw bytes


def test_a_revoke_of_a_received_document_is_a_package_of_its_own(client, here, sender_peer, spki):
    post(client, sign_xml(package(), spki.identity(spki.seal)))
    response = post(client, sign_xml(package(business="1"), spki.identity(spki.seal)))

    assert answer_of(response).status_code == "01"
    assert sorted(ReceivedPackage.objects.values_list("business_doc_type", flat=True)) == [0, 1]


@pytest.mark.parametrize(
    "case, reason",
    [
        ("tampered", "changed after signing"),
        ("untrusted", "not valid"),
        ("personal", "does not give the right to send"),
        ("elsewhere", "not an agency of this installation"),
        ("unknown sender", "No peer"),
    ],
)
def test_a_package_that_cannot_be_believed_is_refused_and_not_stored(
    client, here, sender_peer, spki, case, reason
):
    if case == "tampered":
        body = sign_xml(package(), spki.identity(spki.seal)).replace(
            "chữ ký số".encode(), "hủy bỏ".encode()
        )
    elif case == "untrusted":  # a look-alike CA the peer never gave us
        body = sign_xml(package(), spki.identity(spki.untrusted))
    elif case == "personal":  # an official's certificate: it does not name the agency
        body = sign_xml(package(), spki.identity(spki.official))
    elif case == "elsewhere":
        body = sign_xml(package(to="000.00.00.H99"), spki.identity(spki.seal))
    else:
        sender_peer.delete()
        body = sign_xml(package(), spki.identity(spki.seal))

    with Listener(package_received) as office:
        status = answer_of(post(client, body))

    assert status.status_code == "02"
    assert reason in status.description
    assert ReceivedPackage.objects.count() == 0 and office.calls == []


def test_when_the_office_cannot_register_the_package_it_is_refused_and_not_kept(
    client, here, sender_peer, spki
):
    def office_refuses(sender, package, **kwargs):
        raise ValueError("Sổ văn bản đến của năm chưa được mở")

    package_received.connect(office_refuses)
    try:
        status = answer_of(post(client, sign_xml(package(), spki.identity(spki.seal))))
    finally:
        package_received.disconnect(office_refuses)

    assert status.status_code == "02" and "Sổ văn bản đến" in status.description
    assert ReceivedPackage.objects.count() == 0


@pytest.mark.parametrize("body", [b"", b"hello", b"<edXML:edXMLEnvelope", b"<html></html>"])
def test_what_is_not_a_package_is_a_400_with_the_platform_error_shape(client, here, body):
    response = post(client, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_package" and error["message"]
    assert ReceivedPackage.objects.count() == 0


def test_only_post_is_allowed(client):
    assert client.get(URL).status_code == 405


def test_a_status_from_the_recipient_of_our_document_reaches_the_office(
    client, here, sender_peer, spki
):
    ours = f"{HERE},2026/11/20,7/UBND-VP"
    body = sign_xml(
        edxml.build_status(
            {
                "ResponseFor": {"OrganId": HERE, "DocumentId": ours},
                "From": {"OrganId": AGENCY_CODE},
                "StatusCode": "04",
                "Description": "Đã phân công Phòng Bưu chính xử lý",
                "Timestamp": "20/11/2026 10:00:00",
                "StaffInfo": {"Staff": "Trần Văn Thư"},
            }
        ),
        spki.identity(spki.seal),
    )

    with Listener(status_received) as office:
        first = answer_of(post(client, body))
        answer_of(post(client, body))

    assert first.status_code == "01"
    assert ReceivedStatus.objects.count() == 1 and len(office.calls) == 1
    call = office.calls[0]
    assert (call["document_id"], call["from_code"], call["status_code"]) == (
        ours,
        AGENCY_CODE,
        "04",
    )
    assert call["staff"] == {"Staff": "Trần Văn Thư"}


# --- packages signed by parts (what we send): header + manifest with attachment digests ----
HEADER = {
    "From": {"OrganId": AGENCY_CODE, "OrganName": "Sở Thông tin và Truyền thông"},
    "To": [{"OrganId": HERE}],
    "DocumentId": DOC_ID,
    "Code": {"CodeNumber": "15", "CodeNotation": "QĐ-STTTT"},
    "PromulgationInfo": {"PromulgationDate": "20/11/2026"},
    "Subject": "Quyết định về việc ứng dụng chữ ký số",
}
APPENDIX = b"%PDF-1.7\n" + b"Phu luc kem theo" * 300


def signed_by_parts(identity, files, sent=None):
    """A package signed by parts; ``sent``: the attachments that actually travel (default
    the signed ones)."""
    envelope = edxml.build_envelope(HEADER, {"Business": {"BusinessDocType": "0"}}, files)
    signed = sign_xml(envelope, identity, references=edxml.SIGNED_PARTS)
    return edxml.add_attachments(signed, files if sent is None else sent)


def files():
    return [
        Attachment("quyet-dinh-15.pdf", "application/pdf", PDF),
        Attachment("phu-luc.pdf", "application/pdf", APPENDIX),
    ]


def test_a_package_signed_by_header_and_manifest_is_stored_with_intact_attachments(
    client, here, sender_peer, spki
):
    body = signed_by_parts(spki.identity(spki.seal), files())

    with Listener(package_received) as office:
        status = answer_of(post(client, body))

    assert status.status_code == "01"
    stored = office.calls[0]["package"]
    assert stored.attachments == [
        ("quyet-dinh-15.pdf", "application/pdf", PDF),
        ("phu-luc.pdf", "application/pdf", APPENDIX),
    ]
    assert stored.validation["indication"] == "TOTAL-PASSED"
    assert bytes(ReceivedPackage.objects.get().raw) == body


def _one_byte_changed(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize(
    "case, reason",
    [
        ("attachment byte", "phu-luc.pdf was changed after signing"),
        ("first attachment byte", "quyet-dinh-15.pdf was changed after signing"),
        ("attachment dropped", "the manifest lists is missing"),
        ("attachment added", "is not in the manifest"),
        ("subject", "changed after signing"),
        ("manifest", "changed after signing"),
    ],
)
def test_any_change_to_a_package_signed_by_parts_is_refused_with_the_reason(
    client, here, sender_peer, spki, case, reason
):
    identity = spki.identity(spki.seal)
    signed = files()
    if case == "attachment byte":  # one bit of one byte in the middle of the appendix
        sent = [signed[0], Attachment("phu-luc.pdf", "application/pdf", b"")]
        sent[1].data = _one_byte_changed(APPENDIX, len(APPENDIX) // 2)
        sent[1].content_id = "attachment2"
        body = signed_by_parts(identity, signed, sent)
    elif case == "first attachment byte":
        sent = [Attachment("quyet-dinh-15.pdf", "application/pdf", _one_byte_changed(PDF, 0))]
        body = signed_by_parts(identity, signed, [*sent, signed[1]])
    elif case == "attachment dropped":
        body = signed_by_parts(identity, signed, signed[:1])
    elif case == "attachment added":
        extra = Attachment("them.pdf", "application/pdf", b"%PDF-1.7 them", content_id="x")
        body = signed_by_parts(identity, signed, [*signed, extra])
    elif case == "subject":
        body = signed_by_parts(identity, signed).replace("chữ ký số".encode(), "hủy bỏ".encode())
    else:  # the manifest names the appendix differently
        body = signed_by_parts(identity, signed).replace(b"phu-luc.pdf", b"phu-luc-2.pdf")

    with Listener(package_received) as office:
        status = answer_of(post(client, body))

    assert status.status_code == "02"
    assert reason in status.description
    assert ReceivedPackage.objects.count() == 0 and office.calls == []

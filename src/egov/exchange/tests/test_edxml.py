"""edXML packages: what is built is read back the same, and garbage gets a clear error."""

import datetime as dt

import pytest
from django.utils import translation
from lxml import etree

from egov.exchange import edxml
from egov.exchange.edxml import Attachment, EdxmlError

HEADER = {
    "From": {"OrganId": "000.00.05.H16", "OrganName": "Sở Thông tin và Truyền thông"},
    "To": [{"OrganId": "000.00.00.H17", "OrganName": "UBND tỉnh"}],
    "DocumentId": "000.00.05.H16,2026/11/20,15/QĐ-STTTT",
    "Code": {"CodeNumber": "15", "CodeNotation": "QĐ-STTTT"},
    "PromulgationInfo": {"Place": "Gia Nghĩa", "PromulgationDate": "20/11/2026"},
    "DocumentType": {"Type": "QĐ", "TypeName": "Quyết định"},
    "Subject": "Quyết định về việc ứng dụng chữ ký số",
    "SignerInfo": {"Competence": "KT.", "Position": "Phó Giám đốc", "FullName": "Nguyễn Thị Hoa"},
    "ToPlaces": {"Place": ["Như Điều 3", "Lưu: VT, CNTT"]},
    "OtherInfo": {"Priority": "1", "Appendixes": {"Appendix": ["Phụ lục I"]}},
    "ResponseFor": [{"OrganId": "000.00.00.H17", "DocumentId": "x,2026/11/01,1/UBND"}],
}
TRACE = {
    "TraceHeader": [{"OrganId": "000.00.05.H16", "Timestamp": "20/11/2026 09:15:00"}],
    "Business": {"BusinessDocType": "0", "StaffInfo": {"Staff": "Văn thư", "Mobile": "0912"}},
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_package_is_read_back_with_its_header_and_files():
    pdf = b"%PDF-1.7 " + bytes(range(256)) * 10
    xml = edxml.build_package(
        HEADER, TRACE, [Attachment("quyet-dinh.pdf", "application/pdf", pdf, "Bản chính")]
    )

    package = edxml.parse(xml)

    assert package.document_id == HEADER["DocumentId"]
    assert package.from_code == "000.00.05.H16" and package.to_codes == ["000.00.00.H17"]
    assert package.header["Code"] == {"CodeNumber": "15", "CodeNotation": "QĐ-STTTT"}
    assert package.header["SignerInfo"]["FullName"] == "Nguyễn Thị Hoa"
    assert package.header["ToPlaces"]["Place"] == ["Như Điều 3", "Lưu: VT, CNTT"]
    assert package.header["OtherInfo"]["Appendixes"]["Appendix"] == ["Phụ lục I"]
    assert package.header["TraceHeaderList"]["Business"]["StaffInfo"]["Staff"] == "Văn thư"
    assert package.business_doc_type == 0
    assert [a.as_tuple() for a in package.attachments] == [
        ("quyet-dinh.pdf", "application/pdf", pdf)
    ]
    root = etree.fromstring(xml)
    assert root.tag == f"{{{edxml.NS}}}edXMLEnvelope"
    assert root.find(f".//{{{edxml.NS}}}edXMLManifest/{{{edxml.NS}}}Reference") is not None


def test_a_status_package_is_recognised_by_its_root():
    xml = edxml.build_status(
        {
            "ResponseFor": {"OrganId": "000.00.05.H16", "DocumentId": HEADER["DocumentId"]},
            "From": {"OrganId": "000.00.00.H17"},
            "StatusCode": "03",
            "Description": "Đã tiếp nhận",
            "Timestamp": edxml.format_timestamp(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)),
        }
    )

    status = edxml.parse(xml)

    assert isinstance(status, edxml.StatusPackage)
    assert (status.document_id, status.from_code, status.status_code) == (
        HEADER["DocumentId"],
        "000.00.00.H17",
        "03",
    )
    assert status.fields["Timestamp"] == "20/11/2026 09:00:00"  # Vietnam time
    assert status.timestamp == dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "no edXML package"),
        (b"not xml at all", "not well-formed"),
        (b"<a><b></a>", "not well-formed"),
        (b"<html/>", "neither an edXML envelope nor a status"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<x xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&e;</x>',
            "document type declaration",
        ),
    ],
)
def test_garbage_gets_a_clear_error(raw, message):
    with pytest.raises(EdxmlError, match=message):
        edxml.parse(raw)


def test_a_package_without_subject_or_with_an_unknown_business_type_is_refused():
    with pytest.raises(EdxmlError, match="no Subject"):
        edxml.parse(edxml.build_package({**HEADER, "Subject": ""}, TRACE, []))
    trace = {**TRACE, "Business": {"BusinessDocType": "7"}}
    with pytest.raises(EdxmlError, match="BusinessDocType"):
        edxml.parse(edxml.build_package(HEADER, trace, []))


def test_a_package_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(EdxmlError, match="larger than 1 MB") as error:
        edxml.parse(b"<x>" + b"a" * (1024 * 1024) + b"</x>", max_bytes=1024 * 1024)
    assert error.value.code == "package_too_large"

"""XML signatures of edXML packages: signed with an identity, trusted only through our root."""

import pytest
from django.utils import translation
from lxml import etree

from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import AGENCY, AGENCY_CODE
from egov.pki.xmldsig import XmlSignatureError, sign_xml, verify_xml

EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PACKAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="{EDXML}">
  <edXML:edXMLHeader>
    <edXML:MessageHeader>
      <edXML:From><edXML:OrganId>{AGENCY_CODE}</edXML:OrganId>
        <edXML:OrganName>{AGENCY}</edXML:OrganName></edXML:From>
      <edXML:Code><edXML:CodeNumber>15</edXML:CodeNumber>
        <edXML:CodeNotation>QĐ-STTTT</edXML:CodeNotation></edXML:Code>
      <edXML:Subject>Quyết định về việc thử nghiệm chữ ký số</edXML:Subject>
    </edXML:MessageHeader>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>
  </edXML:edXMLHeader>
  <edXML:edXMLBody><edXML:edXMLManifest/></edXML:edXMLBody>
</edXML:edXMLEnvelope>""".encode()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def verify(xml, spki):
    return verify_xml(xml, validation_context=spki.validation_context)


def test_a_package_signed_by_the_agency_verifies_against_our_root(spki):
    signed = sign_xml(PACKAGE, spki.identity(spki.seal))

    report = verify(signed, spki)

    assert report.indication == "TOTAL-PASSED", report.reasons
    assert report.signer.agency_code == AGENCY_CODE
    assert report.chain == ["Test Root CA Đắk Nông", "Test Issuing CA Đắk Nông", report.signer.name]
    assert report.revocation.status == "good"
    # The signature sits in the header, where the package had its placeholder.
    root = etree.fromstring(signed)
    signature = root.find(f"{{{EDXML}}}edXMLHeader/{{http://www.w3.org/2000/09/xmldsig#}}Signature")
    assert signature is not None
    assert b"rsa-sha256" in signed and signed.count(b"<ds:X509Certificate>") == 3
    # What the caller may trust is what was signed.
    subject = report.signed_root.find(f".//{{{EDXML}}}Subject")
    assert subject.text == "Quyết định về việc thử nghiệm chữ ký số"


def test_changing_the_signed_content_is_detected(spki):
    signed = sign_xml(PACKAGE, spki.identity(spki.seal))
    tampered = signed.replace("thử nghiệm".encode(), "hủy bỏ".encode())

    report = verify(tampered, spki)

    assert report.indication == "TOTAL-FAILED"
    assert report.sub_indication == "HASH_FAILURE"
    assert report.signed_root is None


def test_a_signature_made_with_another_key_than_the_certificate_fails(spki):
    forged = sign_xml(PACKAGE, spki.identity(spki.seal, key_of=spki.official))

    report = verify(forged, spki)

    assert report.indication == "TOTAL-FAILED"
    assert report.sub_indication == "SIG_CRYPTO_FAILURE"


def test_a_certificate_outside_our_hierarchy_is_not_trusted(spki):
    # A valid signature with a self-consistent chain, but not ending at our root.
    report = verify(sign_xml(PACKAGE, spki.identity(spki.untrusted)), spki)

    assert report.indication == "INDETERMINATE"
    assert report.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert report.intact is True and report.trusted is False
    assert "trusted certification authority" in report.reasons[0]


def test_a_revoked_certificate_is_reported(spki):
    report = verify(sign_xml(PACKAGE, spki.identity(spki.revoked)), spki)

    assert report.indication == "INDETERMINATE"
    assert report.sub_indication == "REVOKED_NO_POE"
    assert report.revocation.status == "revoked" and report.revocation.revoked_at


def test_xml_without_a_signature_or_broken_xml_is_refused(spki):
    with pytest.raises(XmlSignatureError, match="no signature"):
        verify(
            PACKAGE.replace(
                b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="placeholder"/>',
                b"",
            ),
            spki,
        )
    with pytest.raises(XmlSignatureError, match="not well-formed"):
        verify(b"<edXML:edXMLEnvelope", spki)


def test_entities_are_not_expanded(spki):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(XmlSignatureError):
        verify(bomb, spki)

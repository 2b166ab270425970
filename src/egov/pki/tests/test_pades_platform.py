"""The whole chain on the platform's own PKI: certificates from our CA, timestamps from our TSA,
CRLs and OCSP answered in-process — a leader signs, the clerk seals, anyone validates.

Unlike the other signing tests (their own throw-away PKI), nothing here is configured: the
signing and validation code find the TSA and the validation context through their default
settings, as in a deployment.
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from egov.core.models import Role
from egov.core.tests.helpers import current_code, enrol_totp
from egov.pki import services
from egov.pki.appearance import SignatureBlock
from egov.pki.demo_images import demo_seal_png, demo_signature_png
from egov.pki.models import RevocationReason
from egov.pki.signing import SigningRefused, sign_document
from egov.pki.testing import issue_personal, issue_seal
from egov.pki.validation import validate_pdf
from egov.pki.xmldsig import sign_xml, verify_xml

pytestmark = pytest.mark.django_db

BLOCK = SignatureBlock.from_top_left_mm(page=-1, left_mm=120, top_mm=40)


@pytest.fixture
def office(tree, make_official):
    return {
        "leader": make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER),
        "clerk": make_official("vanthu.stttt", tree["stttt"], Role.CLERK),
        "agency": tree["stttt"],
    }


def decision_pdf() -> bytes:
    from egov.pki.tests.signing_fixtures import two_page_pdf

    return two_page_pdf()


@pytest.fixture
def sealed(pki, office):
    leader, clerk = office["leader"], office["clerk"]
    personal = issue_personal(leader)
    seal = issue_seal(office["agency"])
    signed = sign_document(
        leader,
        decision_pdf(),
        personal,
        otp_or_pin=current_code(enrol_totp(leader)),
        block=BLOCK,
        signature_image=demo_signature_png(leader.get_full_name()),
        level="B-LT",
        reason="Ký ban hành",
        agency=office["agency"],
    )
    sealed = sign_document(
        clerk,
        signed,
        seal,
        otp_or_pin=current_code(enrol_totp(clerk)),
        kind="seal",
        block=BLOCK,
        seal_image=demo_seal_png(office["agency"].name),
        level="B-LTA",
        agency=office["agency"],
    )
    return {"pdf": sealed, "personal": personal, "seal": seal}


def test_a_decision_signed_and_sealed_on_our_pki_is_valid_for_anyone(pki, office, sealed, client):
    with translation.override("en"):
        report = validate_pdf(sealed["pdf"])

    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    official, seal, archive = report.signatures
    assert int(official.signer.serial, 16) == sealed["personal"].serial_int
    assert official.level == "B-LTA" and official.timestamp.valid
    assert seal.signer.agency_code and seal.kind == "approval"
    assert archive.kind == "document_timestamp"
    assert official.trust_anchor == pki.root.asn1.subject.native["common_name"]

    response = client.post(
        "/api/v1/signatures/validate/",
        {"file": SimpleUploadedFile("qd.pdf", sealed["pdf"], "application/pdf")},
    )
    assert response.status_code == 200 and response.json()["indication"] == "TOTAL-PASSED"


def test_revoking_the_certificate_later_does_not_undo_the_signature(pki, office, sealed):
    time.sleep(1.1)  # CRLs count revocation times in whole seconds
    services.revoke_certificate(None, sealed["personal"], RevocationReason.AFFILIATION_CHANGED)

    with translation.override("en"):
        official = validate_pdf(sealed["pdf"]).signatures[0]

    assert official.indication == "TOTAL-PASSED", official.reasons
    assert official.revocation.status == "revoked_after_signing"


def test_an_edxml_package_signed_with_the_agency_seal_verifies(pki, office):
    seal = issue_seal(office["agency"])
    package = '<?xml version="1.0"?><edXMLEnvelope><Subject>Thử</Subject></edXMLEnvelope>'.encode()

    report = verify_xml(sign_xml(package, services.identity_for(seal)))

    assert report.indication == "TOTAL-PASSED", report.reasons
    assert int(report.signer.serial, 16) == seal.serial_int


def test_only_the_holder_signs_with_her_certificate_and_only_leaders_and_clerks_seal(
    pki, office, make_official
):
    specialist = make_official("chuyenvien.stttt", office["agency"], Role.SPECIALIST)
    personal = issue_personal(office["leader"])
    seal = issue_seal(office["agency"])
    code = current_code(enrol_totp(specialist))

    for certificate, kind in ((personal, "official"), (seal, "seal")):
        with translation.override("en"), pytest.raises(SigningRefused) as refused:
            sign_document(
                specialist,
                decision_pdf(),
                certificate,
                otp_or_pin=code,
                kind=kind,
                block=BLOCK,
                signature_image=demo_signature_png("x"),
                seal_image=demo_seal_png("x"),
            )
        assert refused.value.code == "not_your_certificate"
        assert str(refused.value) == "You may not sign with this certificate."


def test_a_revoked_certificate_cannot_sign_any_more(pki, office):
    leader = office["leader"]
    personal = issue_personal(leader)
    services.revoke_certificate(None, personal, RevocationReason.KEY_COMPROMISE)

    with pytest.raises(SigningRefused) as refused:
        sign_document(
            leader,
            decision_pdf(),
            personal,
            otp_or_pin=current_code(enrol_totp(leader)),
            block=BLOCK,
            signature_image=demo_signature_png(leader.get_full_name()),
        )
    assert refused.value.code == "certificate_not_active"

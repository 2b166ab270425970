"""Validation reports: what a person checking a signed document is told, and why.

Each scenario signs a document the way the platform (or a forger) would, then reads the
report of :func:`egov.pki.validation.validate_pdf` against the test PKI's trust anchor and
CRLs. Indications follow ETSI EN 319 102-1.
"""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import translation
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

from egov.pki import pades
from egov.pki.sync import outside_event_loop
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import (
    AGENCY,
    AGENCY_CODE,
    EXPIRED_AT,
    OFFICIAL_NAME,
    REVOKED_AT,
    two_page_pdf,
)
from egov.pki.validation import UnreadableDocument, validate_pdf

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    # Reasons are checked in English (the msgids); the Vietnamese wording is the catalogue's.
    with translation.override("en"):
        yield


def check(pdf: bytes, spki):
    return validate_pdf(pdf, file_name="quyet-dinh.pdf", validation_context=spki.validation_context)


def signed_by(spki, holder, *, at=None, level="B-T", pdf=None, **options) -> bytes:
    return pades.sign_pdf(
        pdf or two_page_pdf(),
        spki.identity(holder),
        level=level,
        timestamper=spki.timestamper(at) if level != "B-B" else None,
        **options,
    )


def test_a_document_signed_by_an_official_of_the_province_is_valid(spki):
    report = check(signed_by(spki, spki.official, reason="Ký ban hành"), spki)

    assert report.indication == "TOTAL-PASSED"
    assert report.summary == "All 1 signatures are valid."
    (signature,) = report.signatures
    assert signature.indication == "TOTAL-PASSED" and signature.sub_indication is None
    assert signature.signer.name == OFFICIAL_NAME
    assert signature.signer.agency == AGENCY
    assert signature.signer.title == "Phó Giám đốc"
    assert signature.signer.serial == format(spki.official.cert.serial_number, "X")
    assert signature.chain == [
        "Test Root CA Đắk Nông",
        "Test Issuing CA Đắk Nông",
        OFFICIAL_NAME,
    ]
    assert signature.trusted and signature.trust_anchor == "Test Root CA Đắk Nông"
    assert signature.revocation.status == "good"
    assert signature.timestamp.valid and signature.timestamp.authority == "Test TSA Đắk Nông"
    assert signature.timestamp.time.endswith("+07:00")
    assert signature.coverage == "ENTIRE_FILE" and signature.modification == "NONE"
    assert signature.level == "B-T"


def test_trust_roots_alone_are_enough_to_check_a_b_lt_document(spki):
    # B-LT carries its chain and CRLs: a reader with only our root certificate can check it.
    signed = signed_by(
        spki, spki.official, level="B-LT", validation_context=spki.validation_context()
    )

    report = validate_pdf(signed, trust_roots=[spki.root.asn1])

    assert report.indication == "TOTAL-PASSED", report.signatures[0].reasons
    assert report.signatures[0].revocation.status == "good"
    # B-T carries no revocation data: with the root alone nothing can be concluded.
    bare = validate_pdf(signed_by(spki, spki.official), trust_roots=[spki.root.asn1])
    assert bare.indication == "INDETERMINATE"


def test_an_agency_seal_shows_the_agency_code(spki):
    report = check(signed_by(spki, spki.seal), spki)

    assert report.signatures[0].signer.agency_code == AGENCY_CODE


def test_changing_a_byte_inside_the_signed_range_breaks_the_signature(spki):
    signed = signed_by(spki, spki.official)
    assert signed.count(b"WeasyPrint") >= 1
    tampered = signed.replace(b"WeasyPrint", b"WeasyPrjnt", 1)  # same length, same offsets

    report = check(tampered, spki)

    assert report.indication == "TOTAL-FAILED"
    (signature,) = report.signatures
    assert signature.sub_indication == "HASH_FAILURE"
    assert signature.intact is False
    assert "changed after signing" in signature.reasons[0]


def test_a_signature_made_with_another_key_than_the_certificate_fails(spki):
    forged = pades.sign_pdf(
        two_page_pdf(),
        spki.identity(spki.official, key_of=spki.seal),
        level="B-B",
    )

    (signature,) = check(forged, spki).signatures

    assert signature.indication == "TOTAL-FAILED"
    assert signature.sub_indication == "SIG_CRYPTO_FAILURE"


def test_a_certificate_revoked_before_signing_cannot_be_relied_on(spki):
    # EN 319 102-1 §5.5.4: revoked, and the timestamp shows signing came after the revocation.
    (signature,) = check(signed_by(spki, spki.revoked), spki).signatures

    assert signature.indication == "INDETERMINATE"
    assert signature.sub_indication == "REVOKED_NO_POE"
    assert signature.trusted  # the chain is ours; the certificate is what is wrong
    assert signature.revocation.status == "revoked"
    assert signature.revocation.reason == "key_compromise"
    assert signature.revocation.revoked_at.startswith(
        REVOKED_AT.astimezone(dt.timezone(dt.timedelta(hours=7))).date().isoformat()
    )
    assert "signed afterwards" in signature.reasons[0]


def test_a_signature_timestamped_before_the_revocation_stays_valid(spki):
    signed = signed_by(spki, spki.revoked, at=REVOKED_AT - 10 * DAY)

    (signature,) = check(signed, spki).signatures

    assert signature.indication == "TOTAL-PASSED"
    assert signature.revocation.status == "revoked_after_signing"
    assert "the signature stays valid" in signature.reasons[0]


def test_without_a_timestamp_nothing_proves_a_revoked_certificate_signed_in_time(spki):
    (signature,) = check(signed_by(spki, spki.revoked, level="B-B"), spki).signatures

    assert signature.indication == "INDETERMINATE"
    assert signature.sub_indication == "REVOKED_NO_POE"
    assert "no timestamp" in signature.reasons[0]


def test_a_document_signed_after_the_certificate_expired_is_not_confirmed(spki):
    (signature,) = check(signed_by(spki, spki.expired), spki).signatures

    assert signature.indication == "INDETERMINATE"
    assert signature.sub_indication == "EXPIRED"
    assert "expired on" in signature.reasons[0]


def test_a_timestamp_from_while_the_certificate_was_valid_keeps_the_signature_valid(spki):
    signed = signed_by(spki, spki.expired, at=EXPIRED_AT - 100 * DAY)

    (signature,) = check(signed, spki).signatures

    assert signature.indication == "TOTAL-PASSED", signature.reasons
    assert "signed while it was valid" in signature.reasons[0]


def test_an_expired_certificate_without_timestamp_is_out_of_bounds(spki):
    (signature,) = check(signed_by(spki, spki.expired, level="B-B"), spki).signatures

    assert signature.indication == "INDETERMINATE"
    assert signature.sub_indication == "OUT_OF_BOUNDS_NO_POE"


def test_a_certificate_from_an_untrusted_authority_is_indeterminate(spki):
    (signature,) = check(signed_by(spki, spki.untrusted, level="B-B"), spki).signatures

    assert signature.indication == "INDETERMINATE"
    assert signature.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert signature.trusted is False and signature.trust_anchor is None
    assert signature.signer.name == OFFICIAL_NAME  # the look-alike claims the same name
    assert "trusted certification authority" in signature.reasons[0]


class _CarelessSigner(signers.PdfSigner):
    """A tool that ignores the certification's DocMDP lock (pyHanko itself refuses)."""

    def _enforce_certification_constraints(self, reader):
        return None


def test_a_signature_added_after_a_no_changes_certification_is_reported(spki):
    certified = signed_by(spki, spki.seal, certify=MDPPerm.NO_CHANGES)
    with pytest.raises(pades.SignatureRefused):
        signed_by(spki, spki.official, pdf=certified)  # we never do this ourselves
    meta = signers.PdfSignatureMetadata(field_name="Later", subfilter=SigSeedSubFilter.PADES)
    careless = _CarelessSigner(meta, signer=spki.identity(spki.official).signer)
    later = outside_event_loop(
        careless.sign_pdf, IncrementalPdfFileWriter(BytesIO(certified))
    ).getvalue()

    report = check(later, spki)

    certification, approval = report.signatures
    assert certification.kind == "certification" and certification.docmdp == "NO_CHANGES"
    assert certification.indication == "TOTAL-FAILED"
    assert certification.sub_indication == "FORMAT_FAILURE"
    assert certification.modifications_permitted is False
    assert "no changes allowed" in certification.reasons[-1]
    assert approval.indication == "TOTAL-PASSED"
    assert report.indication == "TOTAL-FAILED"
    assert report.summary == "1 of 2 signatures are not valid."


def test_a_pdf_without_signatures_says_so(spki):
    report = check(two_page_pdf(), spki)

    assert report.indication is None
    assert report.signatures == []
    assert report.summary == "This PDF has no digital signature."


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"PK\x03\x04 a zip file, not a PDF", "not_pdf"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "damaged"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_gets_a_clear_message(spki, content, code):
    with pytest.raises(UnreadableDocument) as refused:
        check(content, spki)

    assert refused.value.code == code

"""Outgoing documents: drafting, the approval chain, signing and sealing, release with the
register's number, delivery inside the installation and recall."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from egov.core.models import AuditEvent
from egov.office import numbering, services, signals
from egov.office.models import IncomingDocument, OutgoingDocument
from egov.pki.validation import validate_pdf

from .conftest import approved, doc_type, draft, otp, released, sealed, signed

pytestmark = pytest.mark.django_db


def test_numbers_are_zero_padded_below_ten():
    assert numbering.padded(5) == "05"
    assert numbering.padded(10) == "10"
    assert numbering.padded(125) == "125"


def test_symbols_follow_decree_30(people):
    stttt, it = people["stttt"], people["it"]
    assert numbering.symbol(15, doc_type("quyet-dinh"), stttt) == "15/QĐ-STTTT"
    assert numbering.symbol(3, doc_type("to-trinh"), stttt) == "03/TTr-STTTT"
    assert numbering.symbol(7, doc_type("quy-dinh"), stttt) == "07/QyĐ-STTTT"
    # công văn: agency then drafting unit
    assert numbering.symbol(125, doc_type("cong-van"), stttt, it) == "125/STTTT-CNTT"


def test_every_decree_30_type_is_loaded_and_cong_van_has_no_abbreviation():
    from egov.office.models import DocumentType

    assert DocumentType.objects.count() >= 31
    assert doc_type("cong-van").abbreviation == "" and doc_type("cong-van").is_letter
    assert doc_type("ban-trich-sao").abbreviation == "TrS"


def test_the_recipients_list_ends_with_the_archive_line(people):
    document = draft(people, recipients=[people["stp"], ("000.00.00.G14", "Bộ Nội vụ")])
    assert document.places.splitlines() == [
        "- Sở Tư pháp;",
        "- Bộ Nội vụ;",
        "- Lưu: VT, CNTT.",
    ]
    kinds = {r.code: r.kind for r in document.recipients.all()}
    assert kinds == {"000.00.06.H16": "agency", "000.00.00.G14": "external"}


def test_the_chain_with_a_return_keeps_each_version(people, chain):
    document = services.submit(people["specialist"], draft(people))
    assert document.state == "in_review" and document.step == 1

    # The deputy is not the first reviewer.
    with pytest.raises(PermissionDenied):
        services.approve(people["deputy"], document)
    document = services.approve(people["head"], document, "Đồng ý")
    assert document.step == 2
    with pytest.raises(ValidationError):
        services.return_draft(people["deputy"], document, "  ")
    document = services.return_draft(people["deputy"], document, "Sửa Điều 2")
    assert document.state == "returned"

    services.replace_body(people["specialist"], document, services.Upload("v2.pdf", _pdf2()))
    document = services.submit(people["specialist"], document)
    document = services.approve(people["head"], document)
    document = services.approve(people["deputy"], document)
    assert document.state == "approved"

    actions = list(document.reviews.values_list("action", "comment"))
    assert ("returned", "Sửa Điều 2") in actions
    assert [a for a, _c in actions] == [
        "drafted",
        "submitted",
        "approved",
        "returned",
        "revised",
        "submitted",
        "approved",
        "approved",
    ]
    assert document.versions.count() == 8
    assert document.versions.values("sha256").distinct().count() == 2  # first and second body


def _pdf2():
    from egov.pki.tests.signing_fixtures import two_page_pdf

    return two_page_pdf()


def test_sign_and_seal_give_a_pdf_that_validates(people, certificates):
    document = sealed(people)
    assert document.state == "sealed"
    with translation.override("en"):
        report = validate_pdf(document.main_file.read())
    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    official, seal = report.signatures[:2]
    assert int(official.signer.serial, 16) == certificates["director"].serial_int
    assert int(seal.signer.serial, 16) == certificates["seal"].serial_int
    from django.utils.translation import gettext

    # (labels are stored in the language of the person acting: Vietnamese by default)
    assert [v.label for v in document.versions.all()][-2:] == [gettext("Signed"), gettext("Sealed")]


def test_only_the_chosen_signer_signs_and_only_with_her_code(people, certificates):
    document = approved(people)
    with pytest.raises(PermissionDenied):
        services.sign(people["deputy"], document, otp(people["deputy"]))
    with pytest.raises(PermissionDenied):
        services.sign(people["director"], document, "000000")
    document.refresh_from_db()
    assert document.state == "approved"
    signed = services.sign(people["director"], document, otp(people["director"]))
    with pytest.raises(PermissionDenied):  # a specialist does not seal
        services.seal(people["specialist"], signed, otp(people["specialist"]))


def test_release_numbers_delivers_inside_and_hands_external_to_the_exchange(
    people, certificates, django_capture_on_commit_callbacks
):
    sent = []

    def listener(sender, document_id, recipient_codes, **kwargs):
        sent.append((document_id, recipient_codes))

    signals.document_released.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = released(
                people,
                at=timezone.make_aware(dt.datetime(2025, 3, 10, 9, 30)),
                recipients=[people["stp"], ("000.00.00.G14", "Bộ Nội vụ"), people["vp"]],
            )
    finally:
        signals.document_released.disconnect(listener)

    assert document.number_symbol == "01/QĐ-STTTT"
    assert document.edxml_document_id == "000.00.05.H16,2025/03/10,01/QĐ-STTTT"
    assert sent == [(document.pk, ["000.00.00.G14"])]
    incoming = IncomingDocument.objects.get(agency=people["stp"])
    assert incoming.state == "arrived" and incoming.source == "internal"
    assert incoming.number_symbol == "01/QĐ-STTTT"
    assert incoming.validation["indication"] == "TOTAL-PASSED"
    statuses = {r.code: r.last_status.code for r in document.recipients.all() if r.last_status}
    assert statuses == {"000.00.06.H16": "01", "001.00.05.H16": "01"}
    assert AuditEvent.objects.filter(action="office.document_released").count() == 1


def test_numbering_is_continuous_per_year_and_restarts_in_january(people, certificates):
    dec = timezone.make_aware(dt.datetime(2025, 12, 31, 16, 0))
    jan = timezone.make_aware(dt.datetime(2026, 1, 2, 8, 0))
    first = released(people, at=dec)
    letter = released(people, at=dec, code="cong-van")
    next_year = released(people, at=jan)
    assert first.number_symbol == "01/QĐ-STTTT"
    assert letter.number_symbol == "02/STTTT-CNTT"
    assert next_year.number_symbol == "01/QĐ-STTTT" and next_year.year == 2026


def test_only_the_clerk_releases_and_a_draft_is_not_released(people, certificates):
    document = signed(people)
    with pytest.raises(PermissionDenied):
        services.issue_number(people["director"], document)
    with pytest.raises(ValidationError):
        services.issue_number(people["clerk"], draft(people))
    assert OutgoingDocument.objects.filter(number__isnull=False).count() == 0
    document = services.seal(people["clerk"], document, otp(people["clerk"]))
    with pytest.raises(PermissionDenied):
        services.release(people["director"], document)
    with pytest.raises(ValidationError):
        services.release(people["clerk"], draft(people))
    assert OutgoingDocument.objects.filter(state="released").count() == 0


def test_a_recall_marks_the_recipients_incoming_document(
    people, certificates, django_capture_on_commit_callbacks
):
    recalls = []

    def listener(sender, document_id, business, reason, **kwargs):
        recalls.append((document_id, business, reason))

    signals.document_recalled.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            document = released(people, recipients=[people["stp"], ("000.00.00.G14", "Bộ Nội vụ")])
            with pytest.raises(ValidationError):
                services.recall(people["clerk"], document, "")
            services.recall(people["clerk"], document, "Sai thể thức")
    finally:
        signals.document_recalled.disconnect(listener)
    incoming = IncomingDocument.objects.get(agency=people["stp"])
    assert incoming.state == "recalled" and incoming.recall_reason == "Sai thể thức"
    assert recalls == [(document.pk, "1", "Sai thể thức")]

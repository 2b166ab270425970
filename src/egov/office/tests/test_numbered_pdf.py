"""The number and date are printed on the released document: the signer signs a draft with
empty number/date fields, the clerk fills them and seals, and both signatures stay valid."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from egov.office import pdf_fields, services
from egov.pki.validation import validate_pdf

from .conftest import otp, released, signed

pytestmark = pytest.mark.django_db

MARCH = dt.datetime(2025, 3, 5, 9, 30)


def test_dates_follow_decree_30():
    assert pdf_fields.date_line("Đắk Nông", dt.date(2025, 3, 5)) == (
        "Đắk Nông, ngày 05 tháng 3 năm 2025"
    )
    assert pdf_fields.date_line("Đắk Nông", dt.date(2025, 2, 14)) == (
        "Đắk Nông, ngày 14 tháng 02 năm 2025"
    )
    assert pdf_fields.date_line("Gia Nghĩa", dt.date(2025, 12, 31)) == (
        "Gia Nghĩa, ngày 31 tháng 12 năm 2025"
    )


def test_the_signer_signs_empty_number_fields(people, certificates):
    document = signed(people)
    content = document.main_file.read()
    assert pdf_fields.field_values(content) == {"SoKyHieu": "", "NgayBanHanh": ""}
    assert document.number is None


def test_the_released_pdf_shows_the_number_and_date_and_both_signatures_hold(
    people, certificates, settings
):
    settings.EGOV_OFFICE_PLACE = "Gia Nghĩa"
    document = released(people, at=timezone.make_aware(MARCH))
    content = document.main_file.read()
    assert document.number_symbol == "01/QĐ-STTTT"
    assert pdf_fields.field_values(content) == {
        "SoKyHieu": "Số: 01/QĐ-STTTT",
        "NgayBanHanh": "Gia Nghĩa, ngày 05 tháng 3 năm 2025",
    }
    with translation.override("en"):
        report = validate_pdf(content)
    assert report.indication == "TOTAL-PASSED", [s.reasons for s in report.signatures]
    official, seal = report.signatures[:2]
    assert int(official.signer.serial, 16) == certificates["director"].serial_int
    assert int(seal.signer.serial, 16) == certificates["seal"].serial_int
    # The official's signature saw the fields filled after her (permitted form filling);
    # the seal covers the filled number.
    assert official.modification == "FORM_FILLING" and official.modifications_permitted
    assert seal.modifications_permitted
    assert document.edxml_document_id == "000.00.05.H16,2025/03/05,01/QĐ-STTTT"


def test_changing_the_number_after_the_seal_shows_in_the_report(people, certificates):
    """The seal covers the number: a file whose fields were filled again after the seal is
    reported as changed after it (form filling), where the released file shows no change."""
    document = released(people, at=timezone.make_aware(MARCH))
    with translation.override("en"):
        clean = validate_pdf(document.main_file.read()).signatures[1]
        tampered = pdf_fields.fill_number_fields(
            document.main_file.read(), "Số: 99/QĐ-STTTT", "ngày 01 tháng 01 năm 2020"
        )
        after = validate_pdf(tampered).signatures[1]
    assert clean.modification == "LTA_UPDATES"  # only the validation data (B-LT)
    assert after.modification == "FORM_FILLING"
    assert pdf_fields.field_values(tampered)["SoKyHieu"] == "Số: 99/QĐ-STTTT"


def test_a_failed_seal_keeps_the_number_for_the_retry(people, certificates):
    document = signed(people)
    with pytest.raises(Exception):  # noqa: B017,PT011 - a wrong code
        services.seal(people["clerk"], document, "000000")
    document.refresh_from_db()
    assert (document.state, document.number_symbol) == ("signed", "01/QĐ-STTTT")
    document = services.seal(people["clerk"], document, otp(people["clerk"]))
    again = signed(people)
    again = services.seal(people["clerk"], again, otp(people["clerk"]))
    assert (document.number, again.number) == (1, 2)


def test_the_fields_are_added_once_and_to_a_pdf_that_has_a_form_already():
    from egov.pki.testing import blank_pdf
    from egov.pki.tests.signing_fixtures import two_page_pdf

    once = pdf_fields.add_number_fields(blank_pdf())
    assert pdf_fields.add_number_fields(once) == once
    filled = pdf_fields.fill_number_fields(
        pdf_fields.add_number_fields(two_page_pdf()), "Số: 07/KH-STTTT", "ngày 07 tháng 01"
    )
    assert pdf_fields.field_values(filled) == {
        "SoKyHieu": "Số: 07/KH-STTTT",
        "NgayBanHanh": "ngày 07 tháng 01",
    }

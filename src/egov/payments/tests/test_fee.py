"""What the applicant is asked to pay: the fee the officer asked for, from the catalogue."""

import pytest

from egov.dossiers import services as dossiers
from egov.payments import services
from egov.payments.models import Payment

from .conftest import APPLICANT, all_documents

pytestmark = pytest.mark.django_db


def test_the_payment_is_the_catalogue_fee_unless_the_officer_stated_another(
    desk, stp_staff, procedures, citizen
):
    version = procedures["1.000001"]
    dossier = dossiers.create_dossier(
        citizen,
        version,
        desk["center"],
        APPLICANT,
        channel="online",
        applicant_user=citizen,
        documents=all_documents(version),
    )
    dossier = dossiers.submit(citizen, dossier)
    dossier = dossiers.receive(desk["officer"], dossier)
    dossier = dossiers.handover(desk["officer"], dossier)
    dossier = dossiers.assign(stp_staff["head"], dossier, stp_staff["specialist"])
    with pytest.raises(services.PaymentRefused):  # no fee asked yet
        services.start_payment(citizen, dossier)
    assert not Payment.objects.exists()

    dossier = dossiers.request_fee(stp_staff["specialist"], dossier, amount=75_000)
    payment, url = services.start_payment(citizen, dossier)
    assert payment.amount == 75_000 and "vnp_Amount=7500000" in url
    assert payment.lines == [{"name": "Lệ phí", "kind": "", "amount": 75_000}]
    assert payment.payer == citizen and payment.payer_name == "Nguyễn Văn An"

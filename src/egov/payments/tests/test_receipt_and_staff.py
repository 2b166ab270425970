"""The receipt (biên lai) the citizen downloads, and the staff's list of payments.

The receipt is read back as a person reads it: its text, through ``pdftotext`` (Debian's
poppler-utils; without it the receipt test is skipped, except under CI, where it fails).
"""

import os
import shutil
import subprocess
import unicodedata

import pytest
from django.utils import timezone

from egov.core.models import Role
from egov.payments import services
from egov.payments.models import Payment, PaymentStatus

from .conftest import choose_at_gateway

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def text_of(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(unicodedata.normalize("NFC", out.stdout.decode()).split())


def paid(client, citizen, dossier) -> Payment:
    client.force_login(citizen)
    url = client.post(f"/thanh-toan/ho-so/{dossier.code}/")["Location"]
    choose_at_gateway(url, "success")
    payment = Payment.objects.get(status=PaymentStatus.PAID)
    client.logout()
    return payment


def test_the_receipt_states_the_payment_in_figures_and_words(
    client, gateway, citizen, other_citizen, awaiting_fee, tmp_path
):
    payment = paid(client, citizen, awaiting_fee)
    client.force_login(citizen)
    response = client.get(f"/thanh-toan/bien-lai/{payment.txn_ref}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content, tmp_path)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert "SỞ TƯ PHÁP" in text  # the collecting (competent) agency
    assert "Người nộp: Nguyễn Văn An" in text
    assert f"Mã hồ sơ: {awaiting_fee.code}" in text
    assert "Cấp phiếu lý lịch tư pháp" in text
    # The fee line from the catalogue, then the total.
    assert "Lệ phí 50.000 Tổng cộng 50.000" in text
    assert "Số tiền bằng chữ: Năm mươi nghìn đồng." in text
    assert f"Mã giao dịch: {payment.transaction_no}" in text
    paid_on = timezone.localtime(payment.paid_at).strftime("%d/%m/%Y")
    assert f"Ngày thanh toán: {paid_on}" in text

    client.force_login(other_citizen)
    assert client.get(f"/thanh-toan/bien-lai/{payment.txn_ref}.pdf").status_code == 404


def test_there_is_no_receipt_before_the_fee_is_paid(client, gateway, citizen, awaiting_fee):
    client.force_login(citizen)
    client.post(f"/thanh-toan/ho-so/{awaiting_fee.code}/")
    payment = Payment.objects.get()
    response = client.get(f"/thanh-toan/bien-lai/{payment.txn_ref}.pdf")
    assert response.status_code == 403
    assert "A receipt exists only for a paid fee." in response.content.decode()


def test_staff_of_the_dossiers_agencies_see_its_payments_and_refund_them(
    client, gateway, citizen, awaiting_fee, desk, make_official, tree
):
    payment = paid(client, citizen, awaiting_fee)
    client.force_login(desk["officer"])
    page = client.get("/thanh-toan/quan-ly/").content.decode()
    assert payment.txn_ref in page and awaiting_fee.code in page
    assert "Confirmed by the gateway's notice (IPN)." in page

    detail = client.get(f"/thanh-toan/quan-ly/{payment.txn_ref}/")
    assert detail.status_code == 200 and "Refund" in detail.content.decode()
    refused = client.post(
        f"/thanh-toan/quan-ly/{payment.txn_ref}/", {"amount": "50000", "reason": ""}
    )
    assert refused.status_code == 400 and "A reason is required." in refused.content.decode()
    done = client.post(
        f"/thanh-toan/quan-ly/{payment.txn_ref}/",
        {"amount": "50000", "reason": "Hồ sơ dừng giải quyết"},
        follow=True,
    )
    assert "The refund was made." in done.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED

    # An official of an agency with no part in the dossier sees nothing of it.
    outsider = make_official("tiepnhan.stttt", tree["stttt"], Role.RECEPTION)
    client.force_login(outsider)
    assert payment.txn_ref not in client.get("/thanh-toan/quan-ly/").content.decode()
    assert client.get(f"/thanh-toan/quan-ly/{payment.txn_ref}/").status_code == 404
    # …and a citizen is not staff.
    client.force_login(citizen)
    assert client.get("/thanh-toan/quan-ly/").status_code == 403


def test_the_list_flags_a_payment_that_came_after_the_dossier_moved_on(
    client, gateway, citizen, awaiting_fee, desk
):
    # Two tabs: two attempts started while the fee was asked, both paid at the gateway.
    client.force_login(citizen)
    first = client.post(f"/thanh-toan/ho-so/{awaiting_fee.code}/")["Location"]
    second = client.post(f"/thanh-toan/ho-so/{awaiting_fee.code}/")["Location"]
    choose_at_gateway(first, "success")
    choose_at_gateway(second, "success")
    surplus = Payment.objects.get(confirmed_dossier=False)
    assert surplus.status == PaymentStatus.PAID and surplus.needs_attention

    client.force_login(desk["officer"])
    page = client.get("/thanh-toan/quan-ly/?status=attention").content.decode()
    assert surplus.txn_ref in page
    assert "Paid but the dossier no longer waited for it: refund." in page
    services.refund(desk["officer"], surplus, surplus.amount, "Nộp trùng")
    surplus.refresh_from_db()
    assert not surplus.needs_attention

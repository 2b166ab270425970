"""Paying a dossier's fee online, end to end, against the sandbox gateway over HTTP.

The citizen's browser is Django's test client on the platform's pages and plain HTTP at the
gateway; the gateway calls the platform's IPN endpoint at the live server, as VNPay would.
"""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from egov.core.models import AuditEvent
from egov.dossiers.workflow import State
from egov.payments import services
from egov.payments.models import GatewayMessage, Payment, PaymentStatus

from .conftest import (
    choose_at_gateway,
    gateway_page,
    local_path,
    query_of,
    sandbox_state,
    signed,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _english(client):
    """Pages read in English here: the Vietnamese wording is the translators' (see
    scripts/translations/payments.py)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def start(client, citizen, dossier) -> str:
    """The citizen opens the pay page and presses "Pay online": the gateway's address."""
    client.force_login(citizen)
    page = client.get(f"/thanh-toan/ho-so/{dossier.code}/")
    assert page.status_code == 200
    assert "50.000" in page.content.decode()
    response = client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    assert response.status_code == 302
    return response["Location"]


def payment_events(payment):
    return list(
        AuditEvent.objects.filter(object_type="payments.payment", object_id=str(payment.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_citizen_pays_and_the_dossier_goes_back_to_processing(
    client, gateway, citizen, awaiting_fee
):
    url = start(client, citizen, awaiting_fee)
    assert url.startswith(gateway.pay_url)
    sent = query_of(url)
    assert sent["vnp_Amount"] == "5000000"  # 50.000 đ × 100
    assert sent["vnp_Version"] == "2.1.0" and sent["vnp_Command"] == "pay"
    assert sent["vnp_CurrCode"] == "VND" and len(sent["vnp_CreateDate"]) == 14

    back = choose_at_gateway(url, "success")
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PAID  # the IPN came before the browser
    assert sandbox_state(gateway, payment.txn_ref)["ipn_answers"] == [
        {"RspCode": "00", "Message": "Confirm Success"}
    ]
    page = client.get(local_path(back))
    assert "The fee is paid." in page.content.decode()
    assert f"/thanh-toan/bien-lai/{payment.txn_ref}.pdf" in page.content.decode()

    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.PROCESSING
    assert payment.transaction_no and payment.bank_code == "NCB" and payment.paid_at
    assert payment.settled_by == "ipn" and payment.confirmed_dossier
    assert payment_events(payment) == ["payment.start", "payment.paid"]
    confirm = AuditEvent.objects.get(action="dossier.confirm_payment")
    assert confirm.actor is None and confirm.actor_label == "system"
    assert confirm.changes["reference"] == payment.txn_ref


def test_a_failed_payment_changes_nothing_on_the_dossier_and_can_be_tried_again(
    client, gateway, citizen, awaiting_fee
):
    back = choose_at_gateway(start(client, citizen, awaiting_fee), "failure")
    page = client.get(local_path(back)).content.decode()
    assert "The payment did not go through: Tài khoản không đủ số dư." in page
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED and payment.response_code == "51"
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.AWAITING_PAYMENT

    # A second attempt is a new transaction, and this one succeeds.
    choose_at_gateway(start(client, citizen, awaiting_fee), "success")
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.PROCESSING


def test_a_cancelled_payment_is_recorded_as_cancelled(client, gateway, citizen, awaiting_fee):
    back = choose_at_gateway(start(client, citizen, awaiting_fee), "cancel")
    page = client.get(local_path(back)).content.decode()
    assert "You cancelled the payment." in page
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.CANCELLED and payment.response_code == "24"
    assert payment_events(payment) == ["payment.start", "payment.cancelled"]
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.AWAITING_PAYMENT


def test_the_return_page_alone_never_marks_a_payment_paid_and_a_late_ipn_does(
    client, gateway, citizen, awaiting_fee
):
    back = choose_at_gateway(start(client, citizen, awaiting_fee), "success", ipn="delayed")
    page = client.get(local_path(back)).content.decode()
    assert "we are waiting for its confirmation" in page
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.AWAITING_PAYMENT

    assert wait_until(lambda: Payment.objects.get().status == PaymentStatus.PAID)
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.PROCESSING


def test_a_payment_whose_ipn_never_comes_is_settled_by_reconciliation(
    client, gateway, citizen, awaiting_fee
):
    choose_at_gateway(start(client, citizen, awaiting_fee), "success", ipn="never")
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING

    # Not yet due for reconciliation: nothing is asked.
    assert services.reconcile_pending().checked == 0
    report = services.reconcile_pending(older_than_minutes=0)
    assert (report.checked, report.paid) == (1, 1)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.settled_by == "querydr"
    assert payment.transaction_no == sandbox_state(gateway, payment.txn_ref)["transaction_no"]
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.PROCESSING

    # Idempotent: the scheduler's next run finds nothing to do and changes nothing.
    events, out = AuditEvent.objects.count(), io.StringIO()
    call_command("reconcile_payments", "--older-than", "0", stdout=out)
    assert "0 checked" in out.getvalue()
    assert AuditEvent.objects.count() == events


def test_reconciliation_abandons_a_payment_that_never_reached_the_gateway(
    client, gateway, citizen, awaiting_fee
):
    start(client, citizen, awaiting_fee)  # the citizen closed the tab before the gateway
    payment = Payment.objects.get()
    report = services.reconcile_pending(older_than_minutes=0)
    assert report.still_pending == 1  # unknown to the gateway, but still within its time
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.reconciled_at

    report = services.reconcile_pending(older_than_minutes=0, now=payment.expires_at)
    assert report.cancelled == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED


def test_a_repeated_ipn_answers_02_and_changes_nothing(client, gateway, citizen, awaiting_fee):
    back = choose_at_gateway(start(client, citizen, awaiting_fee), "success")
    payment = Payment.objects.get()
    events = AuditEvent.objects.count()
    # The gateway's retry (the same signed parameters) comes again.
    answer = client.get(f"/thanh-toan/ipn/?{back.split('?', 1)[1]}").json()
    assert answer == {"RspCode": "02", "Message": "Order already confirmed"}
    assert AuditEvent.objects.count() == events
    assert Payment.objects.get().updated_at == payment.updated_at


def test_an_ipn_with_another_amount_answers_04_and_changes_nothing(
    client, gateway, citizen, awaiting_fee
):
    url = start(client, citizen, awaiting_fee)
    payment = Payment.objects.get()
    gateway_page(url)  # the gateway knows the transaction
    params = {
        "vnp_TmnCode": query_of(url)["vnp_TmnCode"],
        "vnp_Amount": "500000",  # 5.000 đ instead of 50.000 đ
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": query_of(url)["vnp_OrderInfo"],
        "vnp_PayDate": "20250310093000",
        "vnp_ResponseCode": "00",
        "vnp_TransactionNo": "14999999",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.txn_ref,
    }
    answer = client.get("/thanh-toan/ipn/", signed(params)).json()
    assert answer == {"RspCode": "04", "Message": "invalid amount"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.transaction_no
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.AWAITING_PAYMENT

    unknown = client.get("/thanh-toan/ipn/", signed({**params, "vnp_TxnRef": "999"})).json()
    assert unknown["RspCode"] == "01"


def test_a_forged_ipn_answers_97_and_changes_nothing(client, gateway, citizen, awaiting_fee):
    url = start(client, citizen, awaiting_fee)
    payment = Payment.objects.get()
    events = AuditEvent.objects.count()
    params = signed(
        {
            "vnp_TmnCode": query_of(url)["vnp_TmnCode"],
            "vnp_Amount": "5000000",
            "vnp_ResponseCode": "24",
            "vnp_TransactionNo": "0",
            "vnp_TransactionStatus": "02",
            "vnp_TxnRef": payment.txn_ref,
        }
    )
    params["vnp_ResponseCode"] = "00"  # flipped after signing
    params["vnp_TransactionStatus"] = "00"
    answer = client.get("/thanh-toan/ipn/", params).json()
    assert answer == {"RspCode": "97", "Message": "Invalid signature"}
    # The forged return page is refused the same way.
    page = client.get("/thanh-toan/ket-qua/", params)
    assert page.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    awaiting_fee.refresh_from_db()
    assert awaiting_fee.state == State.AWAITING_PAYMENT
    assert AuditEvent.objects.count() == events
    # …but the attempt is kept for the record.
    assert GatewayMessage.objects.filter(kind="ipn", signature_ok=False).count() == 1


def test_a_refund_is_recorded_at_the_gateway_and_on_the_payment(
    client, gateway, citizen, awaiting_fee, desk, stp_staff
):
    choose_at_gateway(start(client, citizen, awaiting_fee), "success")
    payment = Payment.objects.get()
    with pytest.raises(PermissionDenied):
        services.refund(stp_staff["specialist"], payment, 10_000, "Thu thừa")

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.refund(desk["officer"], payment, 60_000, "Thu thừa")
    with pytest.raises(ValidationError):
        services.refund(desk["officer"], payment, 10_000, "  ")
    assert not payment.refunds.exists()

    first = services.refund(desk["officer"], payment, 20_000, "Thu thừa phí")
    assert first.status == "done" and first.transaction_no
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.refunded_amount == 20_000
    rest = services.refund(desk["officer"], payment, 30_000, "Dừng giải quyết hồ sơ")
    assert rest.status == "done"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refundable == 0
    assert sandbox_state(gateway, payment.txn_ref)["refunded"] == 50_000
    assert payment_events(payment)[-2:] == ["payment.refund", "payment.refund"]
    event = AuditEvent.objects.filter(action="payment.refund").last()
    assert event.reason == "Dừng giải quyết hồ sơ" and event.actor == desk["officer"]


def test_only_the_applicant_pays_and_only_while_the_fee_is_asked(
    client, gateway, citizen, other_citizen, awaiting_fee
):
    client.force_login(other_citizen)
    assert client.get(f"/thanh-toan/ho-so/{awaiting_fee.code}/").status_code == 404
    assert client.post(f"/thanh-toan/ho-so/{awaiting_fee.code}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.start_payment(other_citizen, awaiting_fee)

    choose_at_gateway(start(client, citizen, awaiting_fee), "success")
    response = client.post(f"/thanh-toan/ho-so/{awaiting_fee.code}/", follow=True)
    assert "This dossier does not wait for a fee payment" in response.content.decode()
    assert Payment.objects.count() == 1


def test_the_gateway_refuses_a_tampered_or_replayed_payment_request(
    client, gateway, citizen, awaiting_fee
):
    url = start(client, citizen, awaiting_fee)
    status, page = gateway_page(url.replace("vnp_Amount=5000000", "vnp_Amount=100"))
    assert status == 400 and "Sai chữ ký" in page
    assert gateway_page(url)[0] == 200
    status, page = gateway_page(url)  # the same reference twice
    assert status == 400 and "Giao dịch đã tồn tại" in page

"""Payment gateways: what the platform asks of one, and VNPay's protocol behind it.

A gateway creates the address the applicant is sent to, checks the calls it makes back (the
return page and the IPN), answers "what happened to this transaction" and performs refunds.
``services.py`` talks only to :class:`Gateway`; :func:`get_gateway` gives the configured one.

Settings (read with defaults until the settings module declares them):

- ``EGOV_PAYMENT_GATEWAY_URL`` — the payment page (VNPay: ``…/paymentv2/vpcpay.html``);
- ``EGOV_PAYMENT_API_URL`` — querydr and refund (VNPay: ``…/merchant_webapi/api/transaction``);
- ``EGOV_PAYMENT_TMN_CODE``, ``EGOV_PAYMENT_HASH_SECRET`` — the merchant's code and secret;
- ``EGOV_PAYMENT_TIMEOUT_SECONDS`` — how long a server-to-server call may take.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import protocol


class GatewayError(Exception):
    """The gateway could not be reached or answered something unreadable."""


@dataclass
class Callback:
    """A call from the gateway (return page or IPN), checked."""

    params: dict
    signature_ok: bool
    txn_ref: str
    amount: int | None  # đồng, None when malformed
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    bank_tran_no: str
    card_type: str
    pay_date: dt.datetime | None

    @property
    def succeeded(self) -> bool:
        return (
            self.response_code == protocol.SUCCESS
            and self.transaction_status == protocol.TXN_SUCCESS
        )

    @property
    def cancelled(self) -> bool:
        return self.response_code == protocol.CANCELLED_BY_CUSTOMER

    @property
    def message(self) -> str:
        return protocol.RESPONSE_MESSAGES.get(self.response_code, "")


@dataclass
class Lookup:
    """The gateway's answer to "what happened to transaction ``txn_ref``" (querydr)."""

    ok: bool  # the query itself succeeded and its answer is signed correctly
    found: bool
    response_code: str
    transaction_status: str = ""
    amount: int | None = None
    transaction_no: str = ""
    bank_code: str = ""
    pay_date: dt.datetime | None = None
    message: str = ""
    raw: dict = field(default_factory=dict)
    request: dict = field(default_factory=dict)


@dataclass
class RefundResult:
    ok: bool
    response_code: str
    message: str = ""
    transaction_no: str = ""
    raw: dict = field(default_factory=dict)
    request: dict = field(default_factory=dict)


class Gateway:
    """What the platform needs from a payment gateway."""

    name = ""

    def payment_url(
        self,
        *,
        txn_ref: str,
        amount: int,
        description: str,
        return_url: str,
        ip: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> tuple[str, dict]:
        """The address to send the applicant to, and the parameters it carries."""
        raise NotImplementedError

    def check_callback(self, params: dict) -> Callback:
        """Read and check the signature of a return or IPN call."""
        raise NotImplementedError

    def query(self, *, txn_ref: str, created_at: dt.datetime, ip: str) -> Lookup:
        """Ask the gateway what happened to a transaction (raises ``GatewayError``)."""
        raise NotImplementedError

    def refund(
        self,
        *,
        txn_ref: str,
        amount: int,
        full: bool,
        transaction_no: str,
        created_at: dt.datetime,
        by: str,
        reason: str,
        ip: str,
    ) -> RefundResult:
        """Return ``amount`` đồng of a paid transaction (raises ``GatewayError``)."""
        raise NotImplementedError


def _setting(name: str, default):
    return getattr(settings, name, default)


class VNPayGateway(Gateway):
    """VNPay, protocol version 2.1.0 (see ``protocol.py``)."""

    name = "vnpay"

    def __init__(self, *, url=None, api_url=None, tmn_code=None, secret=None, timeout=None):
        self.url = url or _setting(
            "EGOV_PAYMENT_GATEWAY_URL", "http://127.0.0.1:8060/paymentv2/vpcpay.html"
        )
        self.api_url = api_url or _setting(
            "EGOV_PAYMENT_API_URL", "http://127.0.0.1:8060/merchant_webapi/api/transaction"
        )
        self.tmn_code = tmn_code or _setting("EGOV_PAYMENT_TMN_CODE", protocol.SANDBOX_TMN_CODE)
        self.secret = secret or _setting("EGOV_PAYMENT_HASH_SECRET", protocol.SANDBOX_HASH_SECRET)
        self.timeout = timeout or _setting("EGOV_PAYMENT_TIMEOUT_SECONDS", 10)
        for address in (self.url, self.api_url):
            if not address.startswith(("https://", "http://")):
                raise ImproperlyConfigured(f"A payment gateway address must be http(s): {address}")

    # --- the payment ----------------------------------------------------------------------
    def payment_url(
        self, *, txn_ref, amount, description, return_url, ip, created_at, expires_at
    ) -> tuple[str, dict]:
        params = {
            "vnp_Version": protocol.VERSION,
            "vnp_Command": protocol.PAY,
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": protocol.to_gateway_amount(amount),
            "vnp_CurrCode": protocol.CURRENCY,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": protocol.order_info(description),
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": ip or "127.0.0.1",
            "vnp_CreateDate": protocol.format_date(created_at),
            "vnp_ExpireDate": protocol.format_date(expires_at),
        }
        return f"{self.url}?{protocol.signed_query(params, self.secret)}", params

    def check_callback(self, params: dict) -> Callback:
        params = {k: v for k, v in params.items() if k.startswith("vnp_")}
        return Callback(
            params=params,
            signature_ok=protocol.verify_query(params, self.secret)
            and params.get("vnp_TmnCode") == self.tmn_code,
            txn_ref=str(params.get("vnp_TxnRef", "")),
            amount=protocol.from_gateway_amount(params.get("vnp_Amount")),
            response_code=str(params.get("vnp_ResponseCode", "")),
            transaction_status=str(params.get("vnp_TransactionStatus", "")),
            transaction_no=str(params.get("vnp_TransactionNo", "")),
            bank_code=str(params.get("vnp_BankCode", "")),
            bank_tran_no=str(params.get("vnp_BankTranNo", "")),
            card_type=str(params.get("vnp_CardType", "")),
            pay_date=protocol.parse_date(params.get("vnp_PayDate", "")),
        )

    # --- querydr and refund -------------------------------------------------------------------
    def _post(self, body: dict) -> dict:
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked in __init__
            self.api_url,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise GatewayError(f"{self.api_url}: {error}") from error
        if not isinstance(answer, dict):
            raise GatewayError(f"{self.api_url}: the answer is not a JSON object")
        return answer

    def query(self, *, txn_ref, created_at, ip) -> Lookup:
        from django.utils import timezone

        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": protocol.VERSION,
            "vnp_Command": protocol.QUERY,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": protocol.order_info(f"Truy van giao dich {txn_ref}"),
            "vnp_TransactionDate": protocol.format_date(created_at),
            "vnp_CreateDate": protocol.format_date(timezone.now()),
            "vnp_IpAddr": ip or "127.0.0.1",
        }
        body[protocol.HASH_FIELD] = protocol.sign_api(
            body, protocol.QUERY_REQUEST_FIELDS, self.secret
        )
        answer = self._post(body)
        signed = protocol.verify_api(answer, protocol.QUERY_RESPONSE_FIELDS, self.secret)
        code = str(answer.get("vnp_ResponseCode", ""))
        return Lookup(
            ok=signed and code == protocol.API_OK,
            found=signed and code == protocol.API_OK,
            response_code=code if signed else protocol.API_BAD_CHECKSUM,
            transaction_status=str(answer.get("vnp_TransactionStatus", "")),
            amount=protocol.from_gateway_amount(answer.get("vnp_Amount")),
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
            bank_code=str(answer.get("vnp_BankCode", "")),
            pay_date=protocol.parse_date(answer.get("vnp_PayDate", "")),
            message=str(answer.get("vnp_Message", "")),
            raw=answer,
            request=body,
        )

    def refund(
        self, *, txn_ref, amount, full, transaction_no, created_at, by, reason, ip
    ) -> RefundResult:
        from django.utils import timezone

        body = {
            "vnp_RequestId": secrets.token_hex(16),
            "vnp_Version": protocol.VERSION,
            "vnp_Command": protocol.REFUND,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionType": protocol.REFUND_FULL if full else protocol.REFUND_PARTIAL,
            "vnp_TxnRef": txn_ref,
            "vnp_Amount": protocol.to_gateway_amount(amount),
            "vnp_TransactionNo": transaction_no or "0",
            "vnp_TransactionDate": protocol.format_date(created_at),
            "vnp_CreateBy": by[:250],
            "vnp_CreateDate": protocol.format_date(timezone.now()),
            "vnp_IpAddr": ip or "127.0.0.1",
            "vnp_OrderInfo": protocol.order_info(f"Hoan tien {txn_ref}: {reason}"),
        }
        body[protocol.HASH_FIELD] = protocol.sign_api(
            body, protocol.REFUND_REQUEST_FIELDS, self.secret
        )
        answer = self._post(body)
        signed = protocol.verify_api(answer, protocol.REFUND_RESPONSE_FIELDS, self.secret)
        code = str(answer.get("vnp_ResponseCode", ""))
        return RefundResult(
            ok=signed and code == protocol.API_OK,
            response_code=code if signed else protocol.API_BAD_CHECKSUM,
            message=str(answer.get("vnp_Message", "")),
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
            raw=answer,
            request=body,
        )


GATEWAYS = {"vnpay": VNPayGateway}


def get_gateway(name: str | None = None) -> Gateway:
    """The configured gateway (``EGOV_PAYMENT_GATEWAY``, VNPay by default)."""
    name = name or _setting("EGOV_PAYMENT_GATEWAY", "vnpay")
    return GATEWAYS[name]()

"""The VNPay payment protocol, version 2.1.0, in plain Python (no Django).

The platform (``gateways.py``) and the sandbox gateway (``sandbox.py``) both speak it through
this module, so the two sides sign and check the same bytes.

What VNPay's integration guide (sandbox.vnpayment.vn/apis/docs) specifies:

- The payment request is a GET to the gateway's ``vpcpay.html`` with ``vnp_*`` parameters.
  ``vnp_SecureHash`` is HMAC-SHA512, keyed with the merchant's hash secret, over the query
  string of every other ``vnp_*`` parameter sorted by name, each value URL-encoded as a form
  value (space → ``+``). Version 2.1.0 sends no ``vnp_SecureHashType``.
- ``vnp_Amount`` is the amount in đồng times 100; dates are ``yyyyMMddHHmmss`` in GMT+7.
- The gateway redirects the browser to ``vnp_ReturnUrl`` and calls the merchant's IPN URL
  (server to server, GET) with the same signed result parameters; the merchant answers the
  IPN with JSON ``{"RspCode": ..., "Message": ...}``.
- ``querydr`` (look up a transaction) and ``refund`` are JSON POSTs to
  ``merchant_webapi/api/transaction``; their ``vnp_SecureHash`` is HMAC-SHA512 over the listed
  fields joined by ``|`` in a fixed order (``*_REQUEST_FIELDS`` / ``*_RESPONSE_FIELDS``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from urllib.parse import quote_plus

VERSION = "2.1.0"
CURRENCY = "VND"
PAY, QUERY, REFUND = "pay", "querydr", "refund"
HASH_FIELD = "vnp_SecureHash"
HASH_TYPE_FIELD = "vnp_SecureHashType"  # sent by versions 2.0.x only; never signed

VIETNAM = dt.timezone(dt.timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"

# Defaults shared by ``make run`` and the sandbox: a development merchant, never production.
SANDBOX_TMN_CODE = "EGOVTEST"
SANDBOX_HASH_SECRET = "EGOVSANDBOXSECRETNOTFORPRODUCTION"  # noqa: S105 - public, on purpose

# vnp_ResponseCode of a payment (return URL and IPN).
SUCCESS = "00"
CANCELLED_BY_CUSTOMER = "24"
INSUFFICIENT_BALANCE = "51"
RESPONSE_MESSAGES = {
    "00": "Giao dịch thành công",
    "07": "Trừ tiền thành công, giao dịch bị nghi ngờ",
    "09": "Thẻ/Tài khoản chưa đăng ký dịch vụ InternetBanking",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần",
    "11": "Đã hết hạn chờ thanh toán",
    "12": "Thẻ/Tài khoản bị khóa",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP)",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày",
    "75": "Ngân hàng thanh toán đang bảo trì",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định",
    "99": "Lỗi khác",
}

# vnp_TransactionStatus (return, IPN, querydr).
TXN_SUCCESS, TXN_PENDING, TXN_ERROR = "00", "01", "02"

# The merchant's IPN answers.
IPN_OK = {"RspCode": "00", "Message": "Confirm Success"}
IPN_NOT_FOUND = {"RspCode": "01", "Message": "Order not found"}
IPN_ALREADY_CONFIRMED = {"RspCode": "02", "Message": "Order already confirmed"}
IPN_INVALID_AMOUNT = {"RspCode": "04", "Message": "invalid amount"}
IPN_INVALID_SIGNATURE = {"RspCode": "97", "Message": "Invalid signature"}
IPN_UNKNOWN_ERROR = {"RspCode": "99", "Message": "Unknown error"}

# querydr / refund answers (vnp_ResponseCode of the API).
API_OK, API_NOT_FOUND, API_DUPLICATE, API_REFUSED = "00", "91", "94", "95"
API_BAD_FORMAT, API_BAD_CHECKSUM, API_OTHER = "03", "97", "99"
REFUND_FULL, REFUND_PARTIAL = "02", "03"

QUERY_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
)


# --- signatures ---------------------------------------------------------------------------------
def hmac_sha512(secret: str, data: str) -> str:
    """Lower-case hex HMAC-SHA512 of ``data`` (UTF-8) keyed with ``secret``."""
    return hmac.new(secret.encode("utf-8"), data.encode("utf-8"), hashlib.sha512).hexdigest()


def _signed_items(params: dict) -> list[tuple[str, str]]:
    """The ``vnp_*`` parameters that are signed: all but the hash fields, none empty (VNPay's
    own samples skip empty values, and the gateway omits them), sorted by name."""
    return sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_")
        and key not in (HASH_FIELD, HASH_TYPE_FIELD)
        and value is not None
        and str(value) != ""
    )


def canonical_query(params: dict) -> str:
    """``k1=v1&k2=v2…``: the string the payment signature covers (and the URL's query)."""
    return "&".join(f"{key}={quote_plus(value, safe='')}" for key, value in _signed_items(params))


def sign_query(params: dict, secret: str) -> str:
    """The ``vnp_SecureHash`` of payment parameters."""
    return hmac_sha512(secret, canonical_query(params))


def signed_query(params: dict, secret: str) -> str:
    """The full query string: the sorted parameters and their ``vnp_SecureHash`` last."""
    return f"{canonical_query(params)}&{HASH_FIELD}={sign_query(params, secret)}"


def verify_query(params: dict, secret: str) -> bool:
    """True when ``params`` (a return or IPN call) carry a valid ``vnp_SecureHash``."""
    given = str(params.get(HASH_FIELD) or "").lower()
    return bool(given) and hmac.compare_digest(given, sign_query(params, secret))


def api_checksum_data(params: dict, fields: tuple[str, ...]) -> str:
    """``v1|v2|…`` of ``fields`` in order (a missing field is empty)."""
    return "|".join("" if params.get(f) is None else str(params.get(f)) for f in fields)


def sign_api(params: dict, fields: tuple[str, ...], secret: str) -> str:
    return hmac_sha512(secret, api_checksum_data(params, fields))


def verify_api(params: dict, fields: tuple[str, ...], secret: str) -> bool:
    given = str(params.get(HASH_FIELD) or "").lower()
    return bool(given) and hmac.compare_digest(given, sign_api(params, fields, secret))


# --- values -----------------------------------------------------------------------------------
def format_date(moment: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in GMT+7 (an aware datetime in any zone)."""
    return moment.astimezone(VIETNAM).strftime(DATE_FORMAT)


def parse_date(value: str) -> dt.datetime | None:
    """A ``yyyyMMddHHmmss`` GMT+7 value as an aware datetime (None when malformed)."""
    try:
        return dt.datetime.strptime(str(value), DATE_FORMAT).replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return None


def to_gateway_amount(vnd: int) -> int:
    """Đồng → ``vnp_Amount`` (×100: VNPay drops the decimal separator)."""
    return int(vnd) * 100


def from_gateway_amount(value) -> int | None:
    """``vnp_Amount`` → đồng; None unless it is a whole number of đồng."""
    text = str(value or "")
    if not text.isdigit() or int(text) % 100:
        return None
    return int(text) // 100


_ORDER_INFO_UNSAFE = re.compile(r"[^A-Za-z0-9 .,:/-]+")


def order_info(text: str) -> str:
    """``vnp_OrderInfo``: Vietnamese without accents and without special characters, as the
    gateway requires (at most 255 characters)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return " ".join(_ORDER_INFO_UNSAFE.sub(" ", text).split())[:255]

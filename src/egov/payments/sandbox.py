"""A sandbox payment gateway that speaks VNPay's protocol (version 2.1.0) over HTTP.

Run it beside the platform (``make run`` does)::

    python -m egov.payments.sandbox --port 8060 --ipn-url http://127.0.0.1:8000/thanh-toan/ipn/

It is a separate program on the standard library only (no Django): it shares nothing with the
platform but ``protocol.py``, so what passes against it is what the real gateway sees.

- ``GET /paymentv2/vpcpay.html?…`` checks the signed payment request and shows a payment page
  where one chooses success, failure (insufficient balance) or cancel, and when the IPN
  arrives: at once, after ``--ipn-delay`` seconds, or never (left to reconciliation).
- ``POST /paymentv2/complete`` (that page's form) settles the transaction, calls the
  merchant's IPN URL with the signed result (GET, like VNPay) and redirects the browser to
  ``vnp_ReturnUrl`` with the same signed parameters.
- ``POST /merchant_webapi/api/transaction`` answers ``querydr`` and ``refund`` with signed JSON.
- ``GET /sandbox/transactions/<vnp_TxnRef>`` shows what the sandbox knows of a transaction,
  including the IPN answers it received (a sandbox aid, not part of VNPay's protocol).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import itertools
import json
import os
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from egov.payments import protocol

PAY_PATH = "/paymentv2/vpcpay.html"
COMPLETE_PATH = "/paymentv2/complete"
API_PATH = "/merchant_webapi/api/transaction"
STATE_PATH = "/sandbox/transactions/"
OUTCOMES = {
    "success": (protocol.SUCCESS, protocol.TXN_SUCCESS),
    "failure": (protocol.INSUFFICIENT_BALANCE, protocol.TXN_ERROR),
    "cancel": (protocol.CANCELLED_BY_CUSTOMER, protocol.TXN_ERROR),
}
IPN_MODES = ("immediate", "delayed", "never")
BANK = "NCB"


@dataclass
class Transaction:
    request: dict
    status: str = "pending"  # pending → success / failure / cancel
    response_code: str = ""
    transaction_status: str = protocol.TXN_PENDING
    transaction_no: str = ""
    pay_date: str = ""
    refunded: int = 0  # đồng
    ipn_answers: list = field(default_factory=list)

    @property
    def amount(self) -> int:
        return int(self.request["vnp_Amount"]) // 100


class Sandbox:
    """The gateway's state: merchants' transactions, kept in memory."""

    def __init__(self, tmn_code: str, secret: str, ipn_url: str, ipn_delay: float = 5.0):
        self.tmn_code, self.secret = tmn_code, secret
        self.ipn_url, self.ipn_delay = ipn_url, ipn_delay
        self.transactions: dict[str, Transaction] = {}
        self.lock = threading.Lock()
        self._numbers = itertools.count(14000001)

    # --- payment ------------------------------------------------------------------------------
    def open(self, params: dict) -> tuple[str, str]:
        """Check a payment request; ('', txn_ref) when accepted, else (code, message)."""
        required = (
            "vnp_Version",
            "vnp_Command",
            "vnp_TmnCode",
            "vnp_Amount",
            "vnp_CurrCode",
            "vnp_TxnRef",
            "vnp_OrderInfo",
            "vnp_ReturnUrl",
            "vnp_IpAddr",
            "vnp_CreateDate",
        )
        if not protocol.verify_query(params, self.secret):
            return "97", "Sai chữ ký (vnp_SecureHash)"
        if any(not params.get(name) for name in required):
            return "03", "Dữ liệu gửi sang không đúng định dạng"
        if params["vnp_TmnCode"] != self.tmn_code:
            return "02", "Merchant không hợp lệ (kiểm tra lại vnp_TmnCode)"
        if (
            params["vnp_Version"] != protocol.VERSION
            or params["vnp_Command"] != protocol.PAY
            or params["vnp_CurrCode"] != protocol.CURRENCY
            or protocol.from_gateway_amount(params["vnp_Amount"]) in (None, 0)
            or protocol.parse_date(params["vnp_CreateDate"]) is None
        ):
            return "03", "Dữ liệu gửi sang không đúng định dạng"
        with self.lock:
            if params["vnp_TxnRef"] in self.transactions:
                return "01", "Giao dịch đã tồn tại"
            clean = {k: v for k, v in params.items() if k != protocol.HASH_FIELD}
            self.transactions[params["vnp_TxnRef"]] = Transaction(request=clean)
        return "", params["vnp_TxnRef"]

    def complete(self, txn_ref: str, outcome: str) -> dict | None:
        """Settle a pending transaction; the signed result parameters (None if not pending)."""
        response_code, transaction_status = OUTCOMES[outcome]
        now = protocol.format_date(dt.datetime.now(dt.UTC))
        with self.lock:
            txn = self.transactions.get(txn_ref)
            if txn is None or txn.status != "pending":
                return None
            txn.status, txn.response_code = outcome, response_code
            txn.transaction_status, txn.pay_date = transaction_status, now
            # VNPay numbers every transaction that reached a bank; a cancelled one gets 0.
            txn.transaction_no = "0" if outcome == "cancel" else str(next(self._numbers))
        return self.result_params(txn)

    def result_params(self, txn: Transaction) -> dict:
        params = {
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": txn.request["vnp_Amount"],
            "vnp_BankCode": BANK,
            "vnp_OrderInfo": txn.request["vnp_OrderInfo"],
            "vnp_PayDate": txn.pay_date,
            "vnp_ResponseCode": txn.response_code,
            "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionStatus": txn.transaction_status,
            "vnp_TxnRef": txn.request["vnp_TxnRef"],
        }
        if txn.status == "success":
            params["vnp_BankTranNo"] = f"VNP{txn.transaction_no}"
            params["vnp_CardType"] = "ATM"
        params[protocol.HASH_FIELD] = protocol.sign_query(params, self.secret)
        return params

    def send_ipn(self, txn_ref: str, query: str) -> None:
        """Call the merchant's IPN URL (GET) and keep its answer."""
        url = f"{self.ipn_url}{'&' if '?' in self.ipn_url else '?'}{query}"
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as error:
            answer = {"error": str(error)}
        with self.lock:
            self.transactions[txn_ref].ipn_answers.append(answer)

    # --- querydr and refund -------------------------------------------------------------------
    def api(self, body: dict) -> dict:
        command = body.get("vnp_Command")
        if command == protocol.QUERY:
            return self._querydr(body)
        if command == protocol.REFUND:
            return self._refund(body)
        return self._answer(body, protocol.API_BAD_FORMAT, "Invalid command", (), None)

    def _answer(self, body, code, message, fields, txn, **extra) -> dict:
        answer = {
            "vnp_ResponseId": os.urandom(16).hex(),
            "vnp_Command": body.get("vnp_Command", ""),
            "vnp_ResponseCode": code,
            "vnp_Message": message,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": body.get("vnp_TxnRef", ""),
        }
        if txn is not None:
            answer.update(
                vnp_Amount=txn.request["vnp_Amount"],
                vnp_BankCode=BANK,
                vnp_PayDate=txn.pay_date,
                vnp_TransactionNo=txn.transaction_no or "0",
                vnp_TransactionType="01",
                vnp_TransactionStatus=txn.transaction_status,
                vnp_OrderInfo=txn.request["vnp_OrderInfo"],
            )
        answer.update(extra)
        if fields:
            answer[protocol.HASH_FIELD] = protocol.sign_api(answer, fields, self.secret)
        return answer

    def _check_api(self, body, request_fields) -> tuple[str, str] | None:
        if not protocol.verify_api(body, request_fields, self.secret):
            return protocol.API_BAD_CHECKSUM, "Checksum không hợp lệ"
        if body.get("vnp_TmnCode") != self.tmn_code:
            return "02", "Mã định danh kết nối không hợp lệ"
        if body.get("vnp_Version") != protocol.VERSION or not body.get("vnp_RequestId"):
            return protocol.API_BAD_FORMAT, "Dữ liệu gửi sang không đúng định dạng"
        return None

    def _querydr(self, body: dict) -> dict:
        fields = protocol.QUERY_RESPONSE_FIELDS
        problem = self._check_api(body, protocol.QUERY_REQUEST_FIELDS)
        if problem:
            return self._answer(body, *problem, fields, None)
        with self.lock:
            txn = self.transactions.get(str(body.get("vnp_TxnRef")))
        if txn is None:
            return self._answer(
                body, protocol.API_NOT_FOUND, "Không tìm thấy giao dịch", fields, None
            )
        return self._answer(body, protocol.API_OK, "QueryDR Success", fields, txn)

    def _refund(self, body: dict) -> dict:
        fields = protocol.REFUND_RESPONSE_FIELDS
        problem = self._check_api(body, protocol.REFUND_REQUEST_FIELDS)
        if problem:
            return self._answer(body, *problem, fields, None)
        amount = protocol.from_gateway_amount(body.get("vnp_Amount"))
        with self.lock:
            txn = self.transactions.get(str(body.get("vnp_TxnRef")))
            if txn is None:
                return self._answer(
                    body, protocol.API_NOT_FOUND, "Không tìm thấy giao dịch", fields, None
                )
            if txn.status != "success":
                return self._answer(
                    body, protocol.API_REFUSED, "Giao dịch không thành công", fields, txn
                )
            if not amount or amount > txn.amount - txn.refunded:
                return self._answer(
                    body, protocol.API_BAD_FORMAT, "Số tiền không hợp lệ", fields, txn
                )
            txn.refunded += amount
            number = str(next(self._numbers))
        return self._answer(
            body,
            protocol.API_OK,
            "Refund success",
            fields,
            txn,
            vnp_Amount=body["vnp_Amount"],
            vnp_TransactionNo=number,
            vnp_TransactionType=body.get("vnp_TransactionType", protocol.REFUND_FULL),
            vnp_TransactionStatus="05",
        )

    def describe(self, txn_ref: str) -> dict | None:
        with self.lock:
            txn = self.transactions.get(txn_ref)
            if txn is None:
                return None
            return {
                "vnp_TxnRef": txn_ref,
                "status": txn.status,
                "amount": txn.amount,
                "refunded": txn.refunded,
                "transaction_no": txn.transaction_no,
                "ipn_answers": list(txn.ipn_answers),
            }


# --- pages -------------------------------------------------------------------------------------
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #eef3f8; margin: 0; }}
main {{ max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem;
        border-radius: .5rem; box-shadow: 0 1px 4px #0002; }}
.banner {{ background: #b3261e; color: #fff; padding: .4rem 1rem; text-align: center;
           font-size: .9rem; }}
dt {{ color: #555; font-size: .9rem; }} dd {{ margin: 0 0 .6rem; font-weight: 600; }}
button {{ font-size: 1rem; padding: .6rem 1rem; margin: .3rem .3rem 0 0; border: 0;
          border-radius: .3rem; cursor: pointer; }}
.ok {{ background: #0b6e4f; color: #fff; }} .ko {{ background: #b3261e; color: #fff; }}
.cancel {{ background: #ddd; }}
fieldset {{ border: 1px solid #ccc; margin: 1rem 0; }}
</style></head>
<body><div class="banner">CỔNG THANH TOÁN THỬ NGHIỆM (sandbox) — không có tiền thật</div>
<main>{body}</main></body></html>"""


def payment_page(txn_ref: str, params: dict, delay: float) -> str:
    amount = protocol.from_gateway_amount(params["vnp_Amount"]) or 0
    e = html.escape
    body = f"""
<h1>Thanh toán trực tuyến</h1>
<dl>
  <dt>Mã giao dịch (vnp_TxnRef)</dt><dd>{e(txn_ref)}</dd>
  <dt>Nội dung</dt><dd>{e(params["vnp_OrderInfo"])}</dd>
  <dt>Số tiền</dt><dd>{f"{amount:,}".replace(",", ".")} VND</dd>
</dl>
<form method="post" action="{COMPLETE_PATH}">
  <input type="hidden" name="txn_ref" value="{e(txn_ref)}">
  <fieldset><legend>Thông báo IPN cho đơn vị</legend>
    <label><input type="radio" name="ipn" value="immediate" checked> Gửi ngay</label><br>
    <label><input type="radio" name="ipn" value="delayed"> Gửi chậm ({delay:g} giây)</label><br>
    <label><input type="radio" name="ipn" value="never"> Không gửi (chờ đối soát)</label>
  </fieldset>
  <button class="ok" name="outcome" value="success">Thanh toán thành công</button>
  <button class="ko" name="outcome" value="failure">Thất bại (không đủ số dư)</button>
  <button class="cancel" name="outcome" value="cancel">Hủy giao dịch</button>
</form>"""
    return PAGE.format(title="Thanh toán – sandbox", body=body)


def error_page(code: str, message: str) -> str:
    body = (
        f"<h1>Giao dịch không hợp lệ</h1><p>Mã lỗi: <strong>{html.escape(code)}</strong></p>"
        f"<p>{html.escape(message)}</p>"
    )
    return PAGE.format(title="Lỗi – sandbox", body=body)


class Handler(BaseHTTPRequestHandler):
    sandbox: Sandbox  # set on the subclass made by make_server()
    server_version = "egov-payment-sandbox/1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        if os.environ.get("EGOV_SANDBOX_QUIET") != "1":
            super().log_message(format, *args)

    def _send(self, status: int, body: str | bytes, content_type: str, headers=None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False), "application/json")

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 1_000_000))

    def do_GET(self):  # noqa: N802 - http.server's naming
        url = urlsplit(self.path)
        if url.path == PAY_PATH:
            params = dict(parse_qsl(url.query, keep_blank_values=True))
            code, result = self.sandbox.open(params)
            if code:
                self._send(400, error_page(code, result), "text/html; charset=utf-8")
            else:
                page = payment_page(result, params, self.sandbox.ipn_delay)
                self._send(200, page, "text/html; charset=utf-8")
        elif url.path.startswith(STATE_PATH):
            found = self.sandbox.describe(url.path[len(STATE_PATH) :])
            self._json(200 if found else 404, found or {"error": "not found"})
        elif url.path == "/":
            self._json(200, {"status": "ok", "protocol": f"vnpay {protocol.VERSION}"})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self):  # noqa: N802
        url = urlsplit(self.path)
        if url.path == COMPLETE_PATH:
            form = dict(parse_qsl(self._body().decode("utf-8")))
            outcome, ipn = form.get("outcome"), form.get("ipn", "immediate")
            if outcome not in OUTCOMES or ipn not in IPN_MODES:
                self._send(400, error_page("03", "Lựa chọn không hợp lệ"), "text/html")
                return
            txn_ref = form.get("txn_ref", "")
            params = self.sandbox.complete(txn_ref, outcome)
            if params is None:
                page = error_page("01", "Giao dịch không tồn tại hoặc đã hoàn tất")
                self._send(409, page, "text/html; charset=utf-8")
                return
            query = protocol.signed_query(params, self.sandbox.secret)
            if ipn == "immediate":
                self.sandbox.send_ipn(txn_ref, query)
            elif ipn == "delayed":
                timer = threading.Timer(
                    self.sandbox.ipn_delay, self.sandbox.send_ipn, (txn_ref, query)
                )
                timer.daemon = True
                timer.start()
            return_url = self.sandbox.transactions[txn_ref].request["vnp_ReturnUrl"]
            target = f"{return_url}{'&' if '?' in return_url else '?'}{query}"
            self._send(302, "", "text/plain", {"Location": target})
        elif url.path == API_PATH:
            try:
                body = json.loads(self._body().decode("utf-8"))
            except ValueError:
                body = None
            if not isinstance(body, dict):
                self._json(400, {"vnp_ResponseCode": "03", "vnp_Message": "Invalid JSON"})
                return
            self._json(200, self.sandbox.api(body))
        else:
            self._json(404, {"error": "not found"})


def make_server(host: str, port: int, sandbox: Sandbox) -> ThreadingHTTPServer:
    handler = type("SandboxHandler", (Handler,), {"sandbox": sandbox})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def main(argv=None) -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(description="Sandbox payment gateway (VNPay 2.1.0).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8060)
    parser.add_argument(
        "--ipn-url",
        default=env("EGOV_PAYMENT_IPN_URL", "http://127.0.0.1:8000/thanh-toan/ipn/"),
        help="the merchant's IPN address (configured at the gateway, as at VNPay)",
    )
    parser.add_argument(
        "--tmn-code", default=env("EGOV_PAYMENT_TMN_CODE") or protocol.SANDBOX_TMN_CODE
    )
    parser.add_argument(
        "--hash-secret", default=env("EGOV_PAYMENT_HASH_SECRET") or protocol.SANDBOX_HASH_SECRET
    )
    parser.add_argument("--ipn-delay", type=float, default=5.0, help="seconds, for a delayed IPN")
    args = parser.parse_args(argv)
    sandbox = Sandbox(args.tmn_code, args.hash_secret, args.ipn_url, args.ipn_delay)
    server = make_server(args.host, args.port, sandbox)
    host, port = server.server_address[:2]
    print(f"payment sandbox listening on http://{host}:{port}/ (IPN → {args.ipn_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()

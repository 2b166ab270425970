"""SMS: Vietnamese folded to plain ASCII (billed per 160 characters, not 70), a log backend
for development and tests, and the operator's HTTP gateway with clear errors."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from egov.notifications.sms import LogBackend, SmsError, send_sms, strip_diacritics


def test_vietnamese_is_sent_without_diacritics_keeping_case_and_lines():
    text = "Hồ sơ ĐK-01 đã được tiếp nhận.\nHẹn trả: 17/03/2025 17:00 – Ủy ban"
    assert strip_diacritics(text) == (
        "Ho so DK-01 da duoc tiep nhan.\nHen tra: 17/03/2025 17:00 ? Uy ban"
    )


def test_the_log_backend_keeps_an_outbox_and_folds_by_default():
    message_id = send_sms("091 234.5678", "Đã có kết quả")
    assert message_id.startswith("log-")
    assert LogBackend.outbox == [("0912345678", "Da co ket qua")]


@override_settings(EGOV_SMS_ASCII=False)
def test_unicode_sms_when_the_province_pays_for_it():
    send_sms("0912345678", "Đã có kết quả")
    assert LogBackend.outbox == [("0912345678", "Đã có kết quả")]


def test_no_phone_number_is_an_error():
    with pytest.raises(SmsError):
        send_sms(" ", "Xin chào")


def test_the_gateway_receives_the_json_api_call(gateway):
    message_id = send_sms("0912345678", "Hồ sơ đã tiếp nhận")
    assert message_id == "VT-00001"
    [payload] = gateway.received
    assert payload["phone"] == "0912345678"
    assert payload["message"] == "Ho so da tiep nhan"
    assert payload["brandname"] == "UBND-DAKNONG"
    assert len(payload["request_id"]) == 32


def test_a_wrong_api_key_is_a_clear_error(gateway):
    with override_settings(EGOV_SMS_API_KEY="wrong"), pytest.raises(SmsError, match="HTTP 401"):
        send_sms("0912345678", "Xin chào")
    assert gateway.received == []


def test_a_gateway_error_is_a_clear_error(gateway):
    gateway.failing = 1
    with pytest.raises(SmsError, match="HTTP 500.*operator unavailable"):
        send_sms("0912345678", "Xin chào")


def test_a_gateway_that_does_not_answer_in_time_is_a_clear_error():
    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook
            time.sleep(2)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with (
            override_settings(
                EGOV_SMS_BACKEND="egov.notifications.sms.HttpBackend",
                EGOV_SMS_URL=f"http://127.0.0.1:{server.server_address[1]}/send",
                EGOV_SMS_TIMEOUT=0.5,
            ),
            pytest.raises(SmsError, match="timed out"),
        ):
            send_sms("0912345678", "Xin chào")
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_gateway_is_a_clear_error():
    from .conftest import free_port

    with (
        override_settings(
            EGOV_SMS_BACKEND="egov.notifications.sms.HttpBackend",
            EGOV_SMS_URL=f"http://127.0.0.1:{free_port()}/send",
        ),
        pytest.raises(SmsError, match="unreachable"),
    ):
        send_sms("0912345678", "Xin chào")

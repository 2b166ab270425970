"""Fixtures for the notification scenarios: the one-stop desk of the dossier tests, a real SMTP
server (aiosmtpd) and a fake SMS-brandname gateway speaking its JSON API over HTTP."""

import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from egov.dossiers.tests.conftest import at, desk, procedures, stp_staff  # noqa: F401
from egov.notifications.sms import LogBackend


@pytest.fixture(autouse=True)
def _default_templates(db):
    """The shipped templates come from a data migration, which a test run in a real
    transaction (live server, threads) empties with the rest of the tables: load them again."""
    from egov.notifications.defaults import load_default_templates

    load_default_templates()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """What the SMTP server received: parsed messages (``email.message.EmailMessage``)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


class SmtpServer:
    """A real SMTP server on a free port; ``start()`` / ``stop()`` it during a scenario."""

    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller = None

    @property
    def messages(self):
        return self.mailbox.messages

    def start(self):
        self.controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.port, ready_timeout=5
        )
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self):
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
            DEFAULT_FROM_EMAIL="UBND tỉnh <no-reply@dichvucong.example.vn>",
        )


@pytest.fixture
def smtp_down():
    """The mail server's address, with nothing listening yet (``start()`` brings it up)."""
    server = SmtpServer()
    with server.settings():
        yield server
    server.stop()


@pytest.fixture
def smtp(smtp_down):
    """A running SMTP server, the platform's EMAIL_* settings pointing at it."""
    smtp_down.start()
    return smtp_down


class Gateway:
    """An SMS-brandname gateway: POST JSON {phone, message, brandname, request_id} with an
    X-API-Key header; answers {"message_id": ...}, or HTTP 500 while ``failing`` > 0."""

    API_KEY = "test-key-123"

    def __init__(self):
        self.received = []
        self.failing = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("X-API-Key") != gateway.API_KEY:
                    return self._answer(401, {"error": "bad api key"})
                if gateway.failing > 0:
                    gateway.failing -= 1
                    return self._answer(500, {"error": "operator unavailable"})
                payload = json.loads(body.decode("utf-8"))
                gateway.received.append(payload)
                return self._answer(200, {"message_id": f"VT-{len(gateway.received):05d}"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    """The fake SMS gateway, with EGOV_SMS_* settings pointing at it."""
    fake = Gateway()
    with override_settings(
        EGOV_SMS_BACKEND="egov.notifications.sms.HttpBackend",
        EGOV_SMS_URL=fake.url,
        EGOV_SMS_API_KEY=fake.API_KEY,
        EGOV_SMS_BRANDNAME="UBND-DAKNONG",
        EGOV_SMS_TIMEOUT=5,
    ):
        yield fake
    fake.close()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    LogBackend.outbox.clear()
    yield
    LogBackend.outbox.clear()

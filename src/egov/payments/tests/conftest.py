"""Fixtures for payment journeys: a citizen's dossier awaiting its fee, the sandbox gateway
running as its own process, and a browser that clicks through the gateway's page.

The sandbox is the separate program ``python -m egov.payments.sandbox``, started once per test
session on a free port; it calls the platform back (IPN) at Django's live server.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from egov.core.models import User
from egov.dossiers import services as dossiers
from egov.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    APPLICANT,
    all_documents,
    desk,
    procedures,
    stp_staff,
)
from egov.payments import protocol

TMN_CODE = "EGOVTEST"
SECRET = "TESTSECRET-0123456789ABCDEFGHIJ"
IPN_DELAY = 1.5  # seconds, for the delayed-IPN choice


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SandboxProcess:
    url: str

    @property
    def pay_url(self) -> str:
        return f"{self.url}/paymentv2/vpcpay.html"

    @property
    def api_url(self) -> str:
        return f"{self.url}/merchant_webapi/api/transaction"


@pytest.fixture(scope="session")
def sandbox(live_server):
    """The sandbox gateway, a separate process speaking VNPay's protocol over HTTP."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "egov.payments.sandbox",
            "--port",
            str(port),
            "--ipn-url",
            f"{live_server.url}/thanh-toan/ipn/",
            "--tmn-code",
            TMN_CODE,
            "--hash-secret",
            SECRET,
            "--ipn-delay",
            str(IPN_DELAY),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**__import__("os").environ, "EGOV_SANDBOX_QUIET": "1"},
    )
    line = process.stdout.readline()
    assert "listening" in line, f"the sandbox did not start: {line!r}"
    yield SandboxProcess(f"http://127.0.0.1:{port}")
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def gateway(settings, sandbox, live_server):
    """The platform configured for the sandbox; its public address is the live server."""
    settings.EGOV_PAYMENT_GATEWAY_URL = sandbox.pay_url
    settings.EGOV_PAYMENT_API_URL = sandbox.api_url
    settings.EGOV_PAYMENT_TMN_CODE = TMN_CODE
    settings.EGOV_PAYMENT_HASH_SECRET = SECRET
    settings.EGOV_PUBLIC_URL = live_server.url
    return sandbox


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        "nguyenvanan", password="x", kind=User.Kind.CITIZEN, full_name="Nguyễn Văn An"
    )


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(
        "tranthibinh", password="x", kind=User.Kind.CITIZEN, full_name="Trần Thị Bình"
    )


@pytest.fixture
def awaiting_fee(desk, stp_staff, procedures, citizen):  # noqa: F811
    """A citizen's online dossier, received and asked for its 50.000 đ fee."""
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
    return dossiers.request_fee(stp_staff["specialist"], dossier)


# --- the browser at the gateway ---------------------------------------------------------------
def _request(method: str, url: str, body: dict | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    data = urlencode(body) if body is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, response.getheader("Location"), text


def gateway_page(url: str) -> tuple[int, str]:
    status, _location, page = _request("GET", url)
    return status, unescape(page)


def choose_at_gateway(payment_url: str, outcome: str, ipn: str = "immediate") -> str:
    """Open the gateway's page and click ``outcome``; the address the browser is sent back to."""
    status, page = gateway_page(payment_url)
    assert status == 200, page
    txn_ref = re.search(r'name="txn_ref" value="([^"]+)"', page).group(1)
    complete = f"{payment_url.split('/paymentv2/')[0]}/paymentv2/complete"
    status, location, _page = _request(
        "POST", complete, {"txn_ref": txn_ref, "outcome": outcome, "ipn": ipn}
    )
    assert status == 302, _page
    return location


def sandbox_state(sandbox: SandboxProcess, txn_ref: str) -> dict:
    import json

    _status, _location, text = _request("GET", f"{sandbox.url}/sandbox/transactions/{txn_ref}")
    return json.loads(text)


def local_path(url: str) -> str:
    """``/path?query`` of an absolute address (for Django's test client)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query_of(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def wait_until(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def signed(params: dict) -> dict:
    """``params`` signed with the merchant's secret (as the gateway signs)."""
    clean = {k: v for k, v in params.items() if k != protocol.HASH_FIELD}
    return {**clean, protocol.HASH_FIELD: protocol.sign_query(clean, SECRET)}

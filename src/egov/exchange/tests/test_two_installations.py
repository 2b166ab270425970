"""Two real installations on two ports with separate databases exchange documents both ways:
delivery with the attachment intact and the signature valid, statuses back, a recall, a peer
outage and a duplicate delivery. Slow (they start processes): marked ``exchange_peers``."""

import hashlib
import json
import os
import time

import pytest
import requests

from egov.exchange import edxml
from egov.exchange.installations import a_db, connect, drop_postgres_database, pair

pytestmark = pytest.mark.exchange_peers

A_CODE = "000.00.00.H16"
B_CODE = "000.00.00.H17"


@pytest.fixture(scope="module")
def peers(tmp_path_factory):
    work = tmp_path_factory.mktemp("peers")
    database_url = os.environ.get("DATABASE_URL", "")
    a, b = pair(
        work,
        database_url,
        EGOV_EXCHANGE_RETRY_BASE_SECONDS="1",
        EGOV_EXCHANGE_RETRY_MAX_SECONDS="2",
    )
    try:
        a.manage(
            "exchange_agency", "--code", A_CODE, "--name", "UBND tỉnh A", "--short-name", "UBND"
        )
        b.manage(
            "exchange_agency", "--code", B_CODE, "--name", "UBND tỉnh B", "--short-name", "UBND"
        )
        a.start(workers=1)
        b.start(workers=1)
        connect(a, A_CODE, b, B_CODE)
        yield a, b
    finally:
        a.stop()
        b.stop()
        if database_url.startswith("postgres"):
            for one in (a, b):
                drop_postgres_database(database_url, a_db(one))


def show(installation, *args):
    return json.loads(installation.manage("exchange_show", *args))


def send(installation, sender, recipient, number, *args):
    out = installation.manage(
        "exchange_send",
        "--from",
        sender,
        "--to",
        recipient,
        "--number",
        number,
        "--date",
        "2026-11-20",
        *args,
    )
    return out.splitlines()[0]


def test_documents_travel_both_ways_and_their_statuses_come_back(peers, tmp_path):
    a, b = peers
    scan = tmp_path / "quyet-dinh-15.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + os.urandom(300_000))

    doc = send(a, A_CODE, B_CODE, "15", "--notation", "QĐ-UBND", "--attach", str(scan))

    assert doc == f"{A_CODE},2026/11/20,15/QĐ-UBND"
    (arrived,) = show(b, "--files")["received"]
    assert (arrived["document_id"], arrived["from"], arrived["to"]) == (doc, A_CODE, B_CODE)
    assert arrived["indication"] == "TOTAL-PASSED" and arrived["signer"] == "UBND tỉnh A"
    assert arrived["files"] == [
        {
            "name": "quyet-dinh-15.pdf",
            "type": "application/pdf",
            "size": scan.stat().st_size,
            "sha256": hashlib.sha256(scan.read_bytes()).hexdigest(),
        }
    ]
    sent = show(a)
    assert [(m["status"], m["answer"]) for m in sent["outbox"]] == [("sent", "01")]
    assert [(s["document_id"], s["status"]) for s in sent["statuses"]] == [(doc, "01")]

    # B's clerk accepts it: the status goes back to A.
    b.manage("exchange_status", doc, "03", "--description", "Đã tiếp nhận, vào sổ đến số 120")
    statuses = show(a)["statuses"]
    assert [(s["status"], s["description"]) for s in statuses][-1] == (
        "03",
        "Đã tiếp nhận, vào sổ đến số 120",
    )

    # And the other way round.
    reply = send(b, B_CODE, A_CODE, "8", "--notation", "UBND-VP")
    assert [r["document_id"] for r in show(a)["received"]] == [reply]


def test_a_recall_reaches_the_recipient_and_its_answer_comes_back(peers):
    a, b = peers
    doc = send(a, A_CODE, B_CODE, "16", "--notation", "QĐ-UBND")
    send(
        a,
        A_CODE,
        B_CODE,
        "16",
        "--notation",
        "QĐ-UBND",
        "--business",
        "1",
        "--reason",
        "Ban hành nhầm đối tượng",
    )

    received = [r for r in show(b)["received"] if r["document_id"] == doc]
    assert sorted(r["business"] for r in received) == [0, 1]
    b.manage("exchange_status", doc, "15", "--business", "1", "--description", "Đồng ý thu hồi")
    assert ("15", "Đồng ý thu hồi") in [
        (s["status"], s["description"]) for s in show(a)["statuses"] if s["document_id"] == doc
    ]


def test_the_same_package_delivered_twice_is_one_document(peers, tmp_path):
    a, b = peers
    doc = send(a, A_CODE, B_CODE, "17", "--notation", "QĐ-UBND")
    message = [m for m in show(a)["outbox"] if m["document_id"] == doc][0]
    a.manage("exchange_show", "--export", str(message["id"]), str(tmp_path / "package.xml"))
    body = (tmp_path / "package.xml").read_bytes()

    again = requests.post(
        b.endpoint, data=body, headers={"Content-Type": "application/xml"}, timeout=30
    )

    assert again.status_code == 200 and again.headers["X-Edxml-Duplicate"] == "1"
    assert edxml.parse(again.content).status_code == "01"
    assert [r["document_id"] for r in show(b)["received"]].count(doc) == 1


def test_while_the_peer_is_down_the_outbox_retries_then_delivers_once(peers):
    a, b = peers
    b.stop()
    try:
        doc = send(a, A_CODE, B_CODE, "18", "--notation", "QĐ-UBND")
        time.sleep(1.1)
        a.manage("send_outbox")  # second attempt, B still down
        (message,) = [m for m in show(a)["outbox"] if m["document_id"] == doc]
        assert message["status"] == "queued" and message["attempts"] == 2
        assert "Connection" in message["error"]
    finally:
        b.start(workers=1)
    time.sleep(2.1)  # the back-off: at most 2 s in this test
    a.manage("send_outbox")
    a.manage("send_outbox")  # nothing left to send: nothing is sent twice

    (message,) = [m for m in show(a)["outbox"] if m["document_id"] == doc]
    assert (message["status"], message["attempts"]) == ("sent", 3)
    assert [r["document_id"] for r in show(b)["received"]].count(doc) == 1


def _wait_for_status(installation, document_id, code, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        statuses = show(installation)["statuses"]
        found = [s for s in statuses if (s["document_id"], s["status"]) == (document_id, code)]
        if found:
            return found[0]
        time.sleep(0.5)
        installation.manage("send_outbox")
    raise AssertionError(f"no status {code} for {document_id}")


def test_an_update_is_applied_by_the_receiver_which_answers_15(peers, tmp_path):
    a, b = peers
    first, second = tmp_path / "quyet-dinh-19.pdf", tmp_path / "quyet-dinh-20.pdf"
    first.write_bytes(b"%PDF-1.7\n" + os.urandom(2_000))
    second.write_bytes(b"%PDF-1.7\n" + os.urandom(2_000))
    doc = send(a, A_CODE, B_CODE, "19", "--notation", "QĐ-UBND", "--attach", str(first))

    update = send(
        a,
        A_CODE,
        B_CODE,
        "20",
        "--notation",
        "QĐ-UBND",
        "--attach",
        str(second),
        "--business",
        "2",
        "--response-for",
        doc,
        "--reason",
        "Bổ sung phụ lục",
    )

    (incoming,) = [d for d in show(b, "--incoming") if d["document_id"] == update]
    assert (incoming["version"], incoming["number_symbol"]) == (2, "20/QĐ-UBND")
    assert incoming["files"] == [
        {"name": "quyet-dinh-19.pdf", "version": 1, "superseded": True},
        {"name": "quyet-dinh-20.pdf", "version": 2, "superseded": False},
    ]
    assert incoming["history"] == ["arrived", "updated"]
    # B checked A's seal certificate at the CRL / OCSP service A's certificate names.
    assert incoming["revocation"] == "good"
    assert _wait_for_status(a, update, "15")["from"] == B_CODE

    # An update of a document B never received is refused, with the reason.
    unknown = send(
        a,
        A_CODE,
        B_CODE,
        "21",
        "--notation",
        "QĐ-UBND",
        "--business",
        "2",
        "--response-for",
        f"{A_CODE},2026/01/05,99/QĐ-UBND",
    )
    (message,) = [m for m in show(a)["outbox"] if m["document_id"] == unknown]
    assert (message["status"], message["answer"]) == ("failed", "02")
    assert "99/QĐ-UBND" in message["error"]
    assert not [d for d in show(b, "--incoming") if d["document_id"] == unknown]

"""Two installations on this machine exchange documents with 1 MB attachments (issue 6).

    .venv/bin/python bench/exchange.py [--documents 1000] [--size 1048576] [--senders 6]
        [--producers 1]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Installation A and B are real gunicorn servers with their own databases (SQLite files in a
temporary directory by default; two PostgreSQL databases with --database-url) and their own
CAs, made peers of each other through their public CA URLs. The documents are synthetic (the
exchange layer's ``exchange_send`` command: the same OutgoingInfo → signed edXML → outbox path
as a document the office releases): A queues them (signing each with its seal) while A's
``send_outbox`` workers deliver them to B, which verifies, stores and answers with a signed
status 01 that A verifies and records. B is restarted once half the documents arrived; A's
outbox retries with back-off meanwhile.

End to end = from the first document queued to the last one stored at B with its answer
recorded at A. It then checks that B holds each document exactly once, that every attachment
arrived intact (SHA-256), and that A's outbox has every message sent once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from egov.exchange.installations import (  # noqa: E402
    a_db,
    connect,
    drop_postgres_database,
    pair,
)

A_CODE = "000.00.00.H16"
B_CODE = "000.00.00.H17"


def count_received(b) -> int:
    if b.database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(b.database_url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute("select count(*) from exchange_receivedpackage").fetchone()[0]
    import psycopg

    with psycopg.connect(b.database_url) as conn:
        return conn.execute("select count(*) from exchange_receivedpackage").fetchone()[0]


def cpu_seconds(pgid: int) -> float:
    """CPU time of a process group: live members plus the children they waited for."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / tick


def main() -> int:
    parser = argparse.ArgumentParser(description="edXML exchange benchmark")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--size", type=int, default=1024 * 1024, help="attachment bytes")
    parser.add_argument("--senders", type=int, default=6, help="A's parallel deliveries")
    parser.add_argument(
        "--producers", type=int, default=1, help="desks at A releasing documents at once"
    )
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-restart", action="store_true")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="seconds a database connection is kept"
    )
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="egov-bench-exchange-"))
    env = {
        "EGOV_EXCHANGE_RETRY_BASE_SECONDS": "1",
        "EGOV_EXCHANGE_RETRY_MAX_SECONDS": "2",
        # A queues without delivering at once: its send_outbox workers deliver.
        "EGOV_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        # Kept database connections, as docs/operations.md sets them for production (without,
        # each request to a PostgreSQL installation paid a new connection and server process).
        "DATABASE_CONN_MAX_AGE": str(options.conn_max_age),
    }
    print(f"work directory {work}")
    a, b = pair(work, options.database_url, **env)
    attachment = work / "attachment.pdf"
    attachment.write_bytes(b"%PDF-1.7\n" + os.urandom(options.size - 9))
    digest = hashlib.sha256(attachment.read_bytes()).hexdigest()
    sender = None
    producers = []
    try:
        a.manage(
            "exchange_agency", "--code", A_CODE, "--name", "UBND tỉnh A", "--short-name", "UBND"
        )
        b.manage(
            "exchange_agency", "--code", B_CODE, "--name", "UBND tỉnh B", "--short-name", "UBND"
        )
        web = {"workers": options.web_workers, "threads": options.web_threads}
        a.start(**web)
        b.start(**web)
        connect(a, A_CODE, b, B_CODE)
        manage = [sys.executable, str(ROOT / "manage.py")]
        sender = subprocess.Popen(  # noqa: S603
            [*manage, "send_outbox", "--workers", str(options.senders), "--loop", "0.05"],
            env=a.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        started = time.monotonic()
        # Each producer is a clerk's desk releasing its share of the documents, numbered apart.
        shares = [
            options.documents // options.producers
            + (1 if i < options.documents % options.producers else 0)
            for i in range(options.producers)
        ]
        producers = [
            subprocess.Popen(  # noqa: S603
                [
                    *manage,
                    "exchange_send",
                    "--from",
                    A_CODE,
                    "--to",
                    B_CODE,
                    "--number",
                    str(1 + sum(shares[:i])),
                    "--count",
                    str(share),
                    "--notation",
                    "QĐ-UBND",
                    "--date",
                    "2026-11-20",
                    "--attach",
                    str(attachment),
                ],
                env=a.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            for i, share in enumerate(shares)
            if share
        ]
        restarted_at = None
        received = 0
        cpu = {"A web": 0.0, "B web": 0.0, "A sender": 0.0, "A producer": 0.0}
        while received < options.documents:
            time.sleep(0.5)
            received = count_received(b)
            if (
                not options.no_restart
                and restarted_at is None
                and received >= options.documents // 2
            ):
                restarted_at = time.monotonic() - started
                print(f"{received} received after {restarted_at:.1f} s: restarting B")
                cpu["B web"] += cpu_seconds(b.process.pid)
                b.stop()
                b.start(**web)
                print(f"B back after {time.monotonic() - started - restarted_at:.1f} s")
            if time.monotonic() - started > 3600:
                print("giving up after an hour")
                return 1
        queued_for = None
        for producer in producers:
            _pid, status, usage = os.wait4(producer.pid, 0)
            producer.returncode = os.waitstatus_to_exitcode(status)
            cpu["A producer"] += usage.ru_utime + usage.ru_stime
        if all(p.returncode == 0 for p in producers):
            queued_for = time.monotonic() - started
        while True:
            counts = json.loads(a.manage("exchange_show", "--counts"))
            if counts["outbox"]["queued"] == 0:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        cpu["A sender"] = cpu_seconds(sender.pid)
        cpu["A web"] = cpu_seconds(a.process.pid)
        cpu["B web"] += cpu_seconds(b.process.pid)
        sender.terminate()
        sender.wait()
        sender = None
        arrived = json.loads(b.manage("exchange_show", "--files"))["received"]
        ids = [r["document_id"] for r in arrived]
        intact = sum(1 for r in arrived if [f["sha256"] for f in r["files"]] == [digest])
        valid = sum(1 for r in arrived if r["indication"] == "TOTAL-PASSED")
        outbox = json.loads(a.manage("exchange_show"))["outbox"]
        statuses = counts["statuses"]
        print()
        print(f"documents           {options.documents} × {options.size / 1048576:.1f} MB")
        print(f"database            {'PostgreSQL' if options.database_url else 'SQLite'}")
        print(f"queued (signed) in  {queued_for:.1f} s" if queued_for else "producer failed")
        print(
            f"end to end          {elapsed:.1f} s  →  {options.documents / elapsed:.1f} documents/s"
        )
        print(f"B restarted at      {restarted_at:.1f} s" if restarted_at else "no restart")
        print(f"received at B       {len(ids)} rows, {len(set(ids))} distinct documents")
        print(f"attachments intact  {intact}, signatures valid {valid}")
        print(
            "A's outbox          "
            f"{sum(m['status'] == 'sent' for m in outbox)} sent, "
            f"{sum(m['status'] == 'failed' for m in outbox)} failed, "
            f"{sum(m['attempts'] for m in outbox)} attempts in all, status answers {statuses}"
        )
        per_doc = ", ".join(f"{k} {v / options.documents * 1000:.0f}" for k, v in cpu.items())
        print(f"CPU ms per document {per_doc} (total {sum(cpu.values()):.0f} s)")
        lost = options.documents - len(set(ids))
        duplicated = len(ids) - len(set(ids))
        print(f"lost {lost}, duplicated {duplicated}")
        print("command: .venv/bin/python bench/exchange.py " + " ".join(sys.argv[1:]))
        return 0 if lost == duplicated == 0 and intact == options.documents else 1
    finally:
        for proc in (sender, *producers):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait()
        a.stop()
        b.stop()
        if options.database_url.startswith("postgres"):
            for one in (a, b):
                drop_postgres_database(options.database_url, a_db(one))


if __name__ == "__main__":
    sys.exit(main())

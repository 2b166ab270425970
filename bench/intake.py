"""Counter intake over the API: dossiers per second with 16 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/intake.py --clients 16 --dossiers 2000 --workers 4 [--wrk]

Each request is a complete counter intake (POST /api/v1/dossiers/ with action "receive"):
validation, dossier, documents, workflow steps, appointment, code and tracking number from
the locked registers, audit event. Run against a database seeded with bench/seed_dossiers.py to
see how the figure changes with the table size.

The clients are Python threads by default; with ``--wrk`` they are wrk's 16 connections
(Debian package wrk), which leaves more of this 2-core machine to the server: the counters
at a real desk are other computers. Either way the figure is the number of dossiers found in
the database afterwards, divided by the time.
"""

import argparse
import json
import subprocess
import tempfile
import time
from collections import Counter

from _http import CpuMeter, run_clients, start_server, summary, token_for

import _django  # noqa: F401
from egov.catalog.models import Procedure
from egov.dossiers.models import Dossier

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [==[%(body)s]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token %(token)s"
"""


def intake_body(version, documents, i: int) -> dict:
    return {
        "procedure": version.procedure.code,
        "action": "receive",
        "applicant_name": "Nguyễn Văn Bench",
        "applicant_id_type": "cccd",
        "applicant_id_number": f"067090{i % 1000000:06d}",
        "applicant_phone": "0912345678",
        "documents": documents,
    }


def with_threads(args, base, token, version, documents, server):
    from _http import request

    def intake(i):
        return request(
            "POST", f"{base}/api/v1/dossiers/", intake_body(version, documents, i), token
        )

    run_clients(args.clients, min(100, args.dossiers), intake)  # warm-up
    before = Dossier.objects.count()
    with CpuMeter(server) as cpu:
        latencies, statuses, elapsed = run_clients(args.clients, args.dossiers, intake)
    created = Dossier.objects.count() - before
    print(json.dumps({"status_codes": Counter(statuses)}))
    print(
        f"intake (threads): {created} dossiers, {args.clients} clients, {args.workers} "
        f"workers: {created / elapsed:,.0f} dossiers/s; {summary(latencies)}"
    )
    print(f"CPU per dossier: {cpu.per_request(created)}")


def with_wrk(args, base, token, version, documents, server):
    body = json.dumps(intake_body(version, documents, 1), ensure_ascii=False)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"body": body, "token": token})
    command = [
        "wrk",
        f"-t{min(2, args.clients)}",
        f"-c{args.clients}",
        "--latency",
        "-s",
        script.name,
        f"{base}/api/v1/dossiers/",
    ]
    subprocess.run([*command, "-d3s"], check=True, capture_output=True)  # warm-up
    before = Dossier.objects.count()
    with CpuMeter(server) as cpu:
        started = time.perf_counter()
        output = subprocess.run(
            [*command, f"-d{args.seconds}s"], check=True, capture_output=True, text=True
        ).stdout
        elapsed = time.perf_counter() - started
    created = Dossier.objects.count() - before
    latency = {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.strip().startswith(("50%", "90%", "99%"))
    }
    errors = [line.strip() for line in output.splitlines() if "Non-2xx" in line or "errors" in line]
    print(
        f"intake (wrk): {created} dossiers in {elapsed:.1f} s, {args.clients} connections, "
        f"{args.workers} workers: {created / elapsed:,.0f} dossiers/s; latency {latency}"
        + (f"; {errors}" if errors else "")
    )
    print(f"CPU per dossier: {cpu.per_request(created)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=15, help="with --wrk")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--wrk", action="store_true")
    args = parser.parse_args()
    version = Procedure.objects.get(code="2.001098").current
    documents = [{"requirement": d.pk} for d in version.documents.all()]
    server = start_server(args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        token = token_for(base, "tiepnhan.hcc", "egov-demo-2018")
        (with_wrk if args.wrk else with_threads)(args, base, token, version, documents, server)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

"""Counter intake over the API: dossiers per second with 16 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/intake.py --clients 16 --dossiers 2000 --workers 4

Each request is a complete counter intake (POST /api/v1/dossiers/ with action "receive"):
validation, dossier, documents, workflow steps, appointment, code and tracking number from
the locked registers, audit event. Run against a database seeded with bench/seed_dossiers.py to
see how the figure changes with the table size.
"""

import argparse
import json
from collections import Counter

from _http import CpuMeter, run_clients, start_server, summary, token_for

import _django  # noqa: F401
from egov.catalog.models import Procedure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    version = Procedure.objects.get(code="2.001098").current
    documents = [{"requirement": d.pk} for d in version.documents.all()]
    server = start_server(args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        token = token_for(base, "tiepnhan.hcc", "egov-demo-2018")

        def intake(i):
            from _http import request

            return request("POST", f"{base}/api/v1/dossiers/", {
                "procedure": version.procedure.code, "action": "receive",
                "applicant_name": "Nguyễn Văn Bench", "applicant_id_type": "cccd",
                "applicant_id_number": f"067090{i % 1000000:06d}",
                "applicant_phone": "0912345678", "documents": documents}, token)

        run_clients(args.clients, min(100, args.dossiers), intake)  # warm-up
        with CpuMeter(server) as cpu:
            latencies, statuses, elapsed = run_clients(args.clients, args.dossiers, intake)
    finally:
        server.terminate()
        server.wait()
    print(json.dumps({"status_codes": Counter(statuses)}))
    print(f"intake: {args.dossiers} dossiers, {args.clients} clients, {args.workers} workers: "
          f"{args.dossiers / elapsed:,.0f} dossiers/s; {summary(latencies)}")
    print(f"CPU per dossier: {cpu.per_request(args.dossiers)}")


if __name__ == "__main__":
    main()

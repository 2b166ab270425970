"""Where one counter intake spends its time, in-process: SQL statements and a cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/profile_intake.py --requests 200 [--profile]

Runs the real API view through Django's test client (no HTTP server, no client threads), so
the figure is the server's own cost per intake: milliseconds of wall time and statements.
"""

import argparse
import cProfile
import gc
import pstats
import time

import _django  # noqa: F401
from _http import _process_cpu
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from intake import intake_body

from egov.catalog.models import Procedure


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--show-sql", action="store_true")
    parser.add_argument("--no-freeze", action="store_true", help="leave the collector as is")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--wall", action="store_true", help="profile wall time (default: this process's CPU time)"
    )
    args = parser.parse_args()
    version = Procedure.objects.get(code="2.001098").current
    documents = [{"requirement": d.pk} for d in version.documents.all()]
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "tiepnhan.hcc", "password": "egov-demo-2018"},
        content_type="application/json",
    )
    token = response.json()["token"]

    def intake(i):
        response = client.post(
            "/api/v1/dossiers/",
            intake_body(version, documents, i),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
        assert response.status_code == 201, response.content[:300]

    for i in range(20):
        intake(i)
    if not args.no_freeze:
        import egov.wsgi  # noqa: F401 - as in a server's worker: what is loaded is frozen
    with CaptureQueriesContext(connection) as queries:
        intake(20)
    print(f"statements per intake: {len(queries)}")
    if args.show_sql:
        for q in queries.captured_queries:
            print(f"  {q['time']}  {q['sql'][:220]}")
    # CPU time by default: on a busy machine, wall time charges other processes' work to
    # whichever function happened to be waiting.
    timer = time.perf_counter if args.wall else time.process_time
    profiler = cProfile.Profile(timer) if args.profile else None
    with connection.cursor() as cursor:  # this process's own server process, nobody else's
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def postgres_cpu():
        return _process_cpu(backend)

    collecting = {"seconds": 0.0, "runs": 0}

    def gc_timer(phase, info):
        # How much of the CPU the cyclic garbage collector takes (gunicorn workers freeze
        # what the application loaded; see egov.wsgi).
        if phase == "start":
            collecting["started"] = time.process_time()
        else:
            collecting["seconds"] += time.process_time() - collecting["started"]
            collecting["runs"] += 1

    gc.callbacks.append(gc_timer)
    started, cpu_started, pg_started = time.perf_counter(), time.process_time(), postgres_cpu()
    if profiler:
        profiler.enable()
    for i in range(args.requests):
        intake(100 + i)
    if profiler:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    pg = postgres_cpu() - pg_started
    print(
        f"{args.requests} intakes in {elapsed:.2f} s: {1000 * elapsed / args.requests:.1f} ms "
        f"each; CPU: {1000 * cpu / args.requests:.1f} ms in this process, "
        f"{1000 * pg / args.requests:.1f} ms in PostgreSQL; garbage collector "
        f"{1000 * collecting['seconds'] / args.requests:.2f} ms ({collecting['runs']} runs)"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
        profiler.dump_stats("var/intake.prof")


if __name__ == "__main__":
    main()

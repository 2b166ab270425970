"""Statements and CPU of one page or API read, in-process (no HTTP server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \\
        .venv/bin/python bench/profile_page.py /dossiers/ --user chuyenvien.stttt [--profile]

``{code}`` in the path is replaced by a dossier the user may see (newest first).
"""

import argparse
import cProfile
import pstats
import time

import _django  # noqa: F401
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from egov.core.models import User
from egov.dossiers.access import visible_dossiers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="chuyenvien.stttt")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    user = User.objects.get(username=args.user)
    code = visible_dossiers(user).exclude(code=None).values_list("code", flat=True).first()
    path = args.path.replace("{code}", code or "")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"{path}: {len(queries)} statements")
    if args.show_sql:
        for q in queries.captured_queries:
            print(f"  {q['time']}  {q['sql'][:240]}")
    profiler = cProfile.Profile() if args.profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(args.requests):
        client.get(path)
    if profiler:
        profiler.disable()
        profiler.dump_stats("var/page.prof")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"{1000 * elapsed / args.requests:.1f} ms each, {1000 * cpu / args.requests:.1f} ms CPU")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()

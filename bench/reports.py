"""Reports: refreshing the summaries, the full-province yearly scorecard, and the dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/reports.py --runs 30 --requests 200

Seeds nothing: run it on a database filled by `load_demo` and `bench/seed_dossiers.py`.
It times a full rebuild of the daily summaries and an incremental run (the periodic job),
then the full-province scorecard of one year computed in-process (N runs, median and p95),
then the dashboard, the scorecard page and the scorecard API over HTTP (gunicorn, two
workers, two clients) as the chairman of the provincial People's Committee.
"""

import argparse
import statistics
import sys
import time

import _django  # noqa: F401
from _http import percentile, request, run_clients, start_server, summary
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.core.models import User
from egov.dossiers.models import Dossier
from egov.reports import scorecard
from egov.reports.models import DailySummary
from egov.reports.periods import parse_period
from egov.reports.services import refresh_summaries

LEADER = "chutich.tinh"


def verified_session(username: str) -> str:
    """A session as the log-in and second-factor pages would leave it."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        sys.exit(f"{username} has no authenticator: run load_demo first")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    return session.session_key


def _ms(values):
    return (
        f"median {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {percentile(values, 95) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--period", default=str(timezone.localdate().year - 1))
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--no-refresh", action="store_true", help="Use the summaries as they are.")
    args = parser.parse_args()
    print("command:", " ".join(sys.argv), f"(database: {connection.vendor})")
    print(f"database: {Dossier.objects.count():,} dossiers")

    if not args.no_refresh:
        started = time.perf_counter()
        run = refresh_summaries(full=True)
        print(f"refresh (full): {time.perf_counter() - started:.2f} s, {run.rows:,} summary rows")
        started = time.perf_counter()
        run = refresh_summaries()
        print(
            f"refresh (incremental, nothing new): {time.perf_counter() - started:.2f} s, "
            f"{run.days} days recomputed"
        )
    print(f"summary rows: {DailySummary.objects.count():,}")

    period = parse_period(args.period)
    card = scorecard.compute(period, scorecard.make_scope())
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        scorecard.compute(period, scorecard.make_scope())
        timings.append(time.perf_counter() - started)
    received = card["totals"]["received"]
    print(
        f"full-province scorecard {period.code} ({received:,} dossiers received, index "
        f"{card['index']}): {_ms(timings)} over {args.runs} runs"
    )

    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={verified_session(LEADER)}"}
    server = start_server(args.port, 2)
    base = f"http://127.0.0.1:{args.port}"
    try:
        cases = {
            "dashboard page (province, year)": f"{base}/bao-cao/?period={period.code}",
            "scorecard page (province, year)": f"{base}/bao-cao/chi-so/?period={period.code}",
            "scorecard API (province, year)": f"{base}/api/v1/reports/scorecard/"
            f"?period={period.code}",
        }
        for name, url in cases.items():
            headers = dict(cookie)
            if "/api/" in url:
                headers["Accept"] = "application/json"
            run_clients(
                2, 10, lambda i, url=url, headers=headers: request("GET", url, headers=headers)
            )
            latencies, statuses, _ = run_clients(
                2,
                args.requests,
                lambda i, url=url, headers=headers: request("GET", url, headers=headers),
            )
            bad = sum(1 for s in statuses if s != 200)
            print(f"{name}: {summary(latencies)}" + (f" ({bad} non-200)" if bad else ""))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

"""Inbox and dossier page latency (p95) on a large table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench \
        .venv/bin/python bench/reads.py --requests 400 [--clients 4]

Measures, for a specialist with dossiers in processing: the API list (first page, keyset),
a filtered list, one dossier (detail with allowed actions), its timeline, and the web inbox
and dossier pages. Requests run ``--clients`` at a time (4 by default; the clients are threads
of this process, on the same two cores as the server) against gunicorn with 4 workers.
"""

import argparse
import random

from _http import request, run_clients, start_server, summary, token_for

import _django  # noqa: F401
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from egov.core.models import User
from egov.dossiers.models import Dossier


def session_for(username: str) -> str:
    """A logged-in session for ``username``, as the log-in page would leave it (a specialist
    needs no second factor)."""
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--clients", type=int, default=4, help="requests in flight at once (client threads)"
    )
    args = parser.parse_args()
    rng = random.Random(7)
    codes = list(
        Dossier.objects.filter(competent_agency__code="000.00.11.H16")
        .order_by("-id")
        .values_list("code", flat=True)[:2000]
    )
    total = Dossier.objects.count()
    server = start_server(args.port, 4)
    base = f"http://127.0.0.1:{args.port}"
    try:
        token = token_for(base, "chuyenvien.stttt", "egov-demo-2018")
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_for('chuyenvien.stttt')}"}
        cases = {
            "API list, first page": lambda i: request(
                "GET", f"{base}/api/v1/dossiers/?page_size=50", token=token
            ),
            "API list, state+overdue filter": lambda i: request(
                "GET", f"{base}/api/v1/dossiers/?state=processing&overdue=true", token=token
            ),
            "API dossier detail": lambda i: request(
                "GET", f"{base}/api/v1/dossiers/{rng.choice(codes)}/", token=token
            ),
            "API dossier timeline": lambda i: request(
                "GET", f"{base}/api/v1/dossiers/{rng.choice(codes)}/events/", token=token
            ),
            "web inbox (my tasks)": lambda i: request("GET", f"{base}/dossiers/", headers=cookie),
            "web dossier page": lambda i: request(
                "GET", f"{base}/dossiers/{rng.choice(codes)}/", headers=cookie
            ),
        }
        print(f"database: {total:,} dossiers; {args.clients} requests in flight")
        for name, job in cases.items():
            run_clients(args.clients, 20, job)  # warm-up
            latencies, statuses, _ = run_clients(args.clients, args.requests, job)
            bad = sum(1 for s in statuses if s != 200)
            print(f"{name}: {summary(latencies)}" + (f" ({bad} non-200)" if bad else ""))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

"""Where one online submission spends its time, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_b10k \
        .venv/bin/python bench/profile_portal.py --requests 200 [--api] [--show-sql]

Pages (default): the same two requests as bench/portal.py ("apply", then the draft with two
PDF scans and "submit") through Django's test client. ``--api``: the one multipart request of
``POST /api/v1/applications/`` with a token and a fresh Idempotency-Key. Prints the statements
per submission and the CPU of this process and of its PostgreSQL backend.
"""

import argparse
import time
import uuid

import _django  # noqa: F401
from _http import _process_cpu
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from portal import DESK, PDF, PROCEDURE, citizens
from rest_framework.authtoken.models import Token

from egov.catalog.models import Procedure
from egov.core.models import Agency


def api_urlconf() -> str | None:
    """The URL map to use: the platform's once it mounts the portal API, else the portal's
    test map that adds it."""
    try:
        reverse("portal-applications")
        return None
    except NoReverseMatch:
        return "egov.portal.tests.urls"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--api", action="store_true", help="POST /api/v1/applications/")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    version = Procedure.objects.get(code=PROCEDURE).current
    desk = Agency.objects.get(code=DESK)
    requirements = [d.pk for d in version.documents.filter(mandatory=True)]
    citizen = citizens(1)[0]
    client = Client(HTTP_HOST="127.0.0.1")

    def files():
        return {f"file-{pk}": SimpleUploadedFile(f"scan-{pk}.pdf", PDF) for pk in requirements}

    if args.api:
        token = Token.objects.get_or_create(user=citizen)[0].key
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}

        def submit():
            response = client.post(
                "/api/v1/applications/",
                {"procedure": PROCEDURE, "receiving_agency": DESK, **files()},
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
                **headers,
            )
            assert response.status_code == 201, response.content[:300]

    else:
        client.force_login(citizen)

        def submit():
            response = client.post(
                f"/dich-vu-cong/thu-tuc/{PROCEDURE}/nop/",
                {"receiving": desk.pk, "key": uuid.uuid4()},
            )
            assert response.status_code == 302, response.content[:300]
            response = client.post(response["Location"], {"action": "submit", **files()})
            assert response.status_code == 302 and "/ho-so/" in response["Location"], response

    with override_settings(ROOT_URLCONF=api_urlconf() or "egov.urls"):
        for _ in range(10):
            submit()
        with CaptureQueriesContext(connection) as queries:
            submit()
        print(f"{'API' if args.api else 'pages'}: statements per submission: {len(queries)}")
        if args.show_sql:
            for q in queries.captured_queries:
                print(f"  {q['time']}  {q['sql'][:200]}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        started, cpu, pg = time.perf_counter(), time.process_time(), _process_cpu(backend)
        for _ in range(args.requests):
            submit()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        pg = _process_cpu(backend) - pg
    n = args.requests
    print(
        f"{n} submissions in {elapsed:.2f} s: {1000 * elapsed / n:.1f} ms each; CPU: "
        f"{1000 * cpu / n:.1f} ms in this process, {1000 * pg / n:.1f} ms in PostgreSQL"
    )


if __name__ == "__main__":
    main()

"""The public service portal: online submissions per second, and the public look-up next to a
bare Django view, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_b10k \
        .venv/bin/python bench/portal.py --clients 16 --seconds 15 --workers 4

Submission: what a citizen's browser sends through the portal pages, with her session and CSRF
token — POST "apply" (a new draft under a fresh key), then the draft page with two small PDF
scans and "submit". One submission counts when the dossier is found "submitted online" in the
database afterwards. The clients are Python threads on keep-alive connections (their CPU is
reported). Look-up: GET /api/v1/lookup/ with a real code and secret, then with a wrong secret
(the answer must take the same time), and GET /livez (a plain Django view, no database), each
driven by wrk with 16 connections. The rate limits of the look-up are lifted for the run.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import threading
import time
import uuid

from _http import CpuMeter, start_server

import _django  # noqa: F401
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from egov.catalog.models import Procedure
from egov.core.models import Agency, User
from egov.dossiers.models import Dossier
from egov.portal.accounts import get_profile

PROCEDURE = "1.000028"  # two mandatory documents, filed at the provincial service centre
DESK = "000.00.21.H16"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def citizens(count: int) -> list[User]:
    """Bench citizens with verified profiles (made once)."""
    people = []
    for i in range(count):
        user, _created = User.objects.get_or_create(
            username=f"bench.citizen.{i}",
            defaults={"kind": User.Kind.CITIZEN, "full_name": f"Người dân {i}"},
        )
        profile = get_profile(user)
        if not profile.verified_at:
            profile.citizen_id, profile.verified_at = f"0670900{i:05d}", timezone.now()
            profile.save()
        people.append(user)
    return people


def session_for(user: User) -> tuple[str, str]:
    """(session cookie, CSRF secret) of a logged-in browser, made directly in the session
    store: logging 16 people in through the form would trip the log-in rate limit."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key, secrets.token_hex(16)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One citizen's browser on one keep-alive connection."""

    def __init__(self, port: int, user: User, version, desk):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        session, self.csrf = session_for(user)
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"
        self.version, self.desk = version, desk
        self.requirements = [d.pk for d in version.documents.filter(mandatory=True)]

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        headers = {"Cookie": self.cookie, "Content-Type": content_type, "Host": "127.0.0.1"}
        self.connection.request("POST", path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")

    def submit(self) -> bool:
        fields = {
            "csrfmiddlewaretoken": self.csrf,
            "receiving": self.desk.pk,
            "key": uuid.uuid4(),
        }
        body, kind = multipart(fields, {})
        status, draft = self.post(f"/dich-vu-cong/thu-tuc/{PROCEDURE}/nop/", body, kind)
        if status != 302 or "/nhap/" not in draft:
            return False
        files = {f"file-{pk}": (f"scan-{pk}.pdf", PDF) for pk in self.requirements}
        body, kind = multipart({"csrfmiddlewaretoken": self.csrf, "action": "submit"}, files)
        status, where = self.post(draft, body, kind)
        return status == 302 and re.search(r"/ho-so/[^/]+-\d{6}-\d+/$", where) is not None


def submissions(args, server) -> None:
    version = Procedure.objects.get(code=PROCEDURE).current
    desk = Agency.objects.get(code=DESK)
    browsers = [Browser(args.port, u, version, desk) for u in citizens(args.clients)]
    for browser in browsers:  # warm-up: every worker and connection once
        browser.submit()
    before = Dossier.objects.filter(channel="online", state="submitted").count()
    deadline, failures = time.perf_counter() + args.seconds, []

    def run(browser):
        while time.perf_counter() < deadline:
            if not browser.submit():
                failures.append(1)

    with CpuMeter(server) as cpu:
        started = time.perf_counter()
        threads = [threading.Thread(target=run, args=(b,)) for b in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    made = Dossier.objects.filter(channel="online", state="submitted").count() - before
    print(
        f"online submission (2 PDF scans each, {args.clients} clients, {args.workers} workers): "
        f"{made} dossiers in {elapsed:.1f} s = {made / elapsed:,.1f} submissions/s; "
        f"{len(failures)} refused"
    )
    print(f"CPU per submission: {cpu.per_request(made)}")


def wrk(url: str, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", "--latency", f"-d{seconds}s", url]
    subprocess.run([*command[:-2], "-d2s", url], check=True, capture_output=True)  # warm-up
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.strip().startswith(("50%", "99%"))
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "per_s": round(rate),
        "latency": latency,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def lookups(args) -> None:
    dossier = Dossier.objects.exclude(code=None).order_by("-pk").first()
    base = f"http://127.0.0.1:{args.port}"
    right = f"{base}/api/v1/lookup/?code={dossier.code}&secret={dossier.lookup_secret}"
    wrong = f"{base}/api/v1/lookup/?code={dossier.code}&secret=WRONG234"
    results = {
        "look-up, right secret": wrk(right, args.seconds, args.clients),
        "look-up, wrong secret": wrk(wrong, args.seconds, args.clients),
        "bare Django view /livez": wrk(f"{base}/livez", args.seconds, args.clients),
    }
    for name, result in results.items():
        print(f"{name}: {json.dumps(result, ensure_ascii=False)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    # The look-up's per-address limits would stop a benchmark from one address at once.
    os.environ["EGOV_LOOKUP_RATE_PER_MINUTE"] = str(10**9)
    os.environ["EGOV_LOOKUP_RATE"] = f"{10**9}/min"
    server = start_server(args.port, args.workers)
    try:
        submissions(args, server)
        lookups(args)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

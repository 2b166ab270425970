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

With ``--api``, first the one-request path: POST /api/v1/applications/ (multipart: procedure,
receiving place, two small PDFs) with a citizen's token and a fresh Idempotency-Key per request,
driven by wrk and a Lua script (so the load driver costs little CPU). Afterwards the database
must hold a "submitted online" dossier for every 201 answer, each once; requests cut off
in flight when wrk stops may add a few more, reported as such.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import _django  # noqa: F401
from _http import CpuMeter, start_server
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from egov.catalog.models import Procedure
from egov.core.models import Agency, User
from egov.dossiers.models import Dossier
from egov.portal.accounts import get_profile
from egov.portal.models import Application

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

    with DatabaseCpuMeter(server, connection.settings_dict["NAME"]) as cpu:
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


# --- the portal API: one request per submission, driven by wrk -------------------------------
WRK_SCRIPT = r"""
local tokens = {%(tokens)s}
local run = "%(run)s"
local body_file = "%(body)s"
local out_dir = "%(out)s"
local boundary = "%(boundary)s"
-- Globals, not locals: setup() gives each thread its "id", done() reads "other" and "sent".
threads, counter, id, codes, other, sent, count = {}, 0, 0, nil, 0, 0, 0

function setup(thread)
  thread:set("id", count)
  table.insert(threads, thread)
  count = count + 1
end

function init(args)
  local f = io.open(body_file, "rb")
  body = f:read("*all")
  f:close()
  codes = io.open(out_dir .. "/codes-" .. id .. ".txt", "w")
end

function request()
  counter = counter + 1
  sent = sent + 1
  local key = string.format("%%s-%%04x-4000-8000-%%012x", run, id, counter)
  local headers = {
    ["Authorization"] = "Token " .. tokens[(counter + id) %% #tokens + 1],
    ["Idempotency-Key"] = key,
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
  }
  return wrk.format("POST", "/api/v1/applications/", headers, body)
end

function response(status, headers, response_body)
  if status == 201 then
    codes:write(string.match(response_body, '"code":"([^"]+)"') .. "\n")
    codes:flush()
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_other, total_sent = 0, 0
  for _, thread in ipairs(threads) do
    total_other = total_other + thread:get("other")
    total_sent = total_sent + thread:get("sent")
  end
  io.write(string.format("LUA other=%%d sent=%%d\n", total_other, total_sent))
end
"""


class DatabaseCpuMeter(CpuMeter):
    """CpuMeter counting only the PostgreSQL backends of the bench database: other engineers'
    databases on the same server are not this run's cost."""

    def __init__(self, server, database: str):
        super().__init__(server)
        self.database = database

    def _backends(self) -> list[int]:
        from _http import _pids_named

        found = []
        for pid in _pids_named("postgres"):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if f" {self.database} " in title:
                found.append(pid)
        return found

    def _sample(self) -> dict[str, float]:
        from _http import _process_cpu

        sample = super()._sample()
        self.pids = set(getattr(self, "pids", set())) | set(self._backends())
        sample["postgres"] = sum(_process_cpu(p) for p in self.pids)
        return sample


def api_submissions(args, server) -> None:
    """wrk posts multipart applications, a fresh key each; then the database is checked."""
    from rest_framework.authtoken.models import Token

    version = Procedure.objects.get(code=PROCEDURE).current
    requirements = [d.pk for d in version.documents.filter(mandatory=True)]
    people = citizens(args.clients)
    tokens = [Token.objects.get_or_create(user=u)[0].key for u in people]
    files = {f"file-{pk}": (f"scan-{pk}.pdf", PDF) for pk in requirements}
    body, kind = multipart({"procedure": PROCEDURE, "receiving_agency": DESK}, files)
    work = Path(tempfile.mkdtemp(prefix="bench-portal-api-"))
    (work / "body").write_bytes(body)

    def script(run: str) -> Path:
        path = work / f"{run}.lua"
        path.write_text(
            WRK_SCRIPT
            % {
                "tokens": ", ".join(f'"{t}"' for t in tokens),
                "run": run,
                "body": work / "body",
                "out": work / run,
                "boundary": kind.split("boundary=", 1)[1],
            }
        )
        (work / run).mkdir()
        return path

    url = f"http://127.0.0.1:{args.port}"
    threads = 2
    warm = ["wrk", f"-t{threads}", f"-c{args.clients}", "-d2s", "-s", str(script("0000aaaa")), url]
    warmed = subprocess.run(warm, capture_output=True, text=True)  # every worker, connection once
    if warmed.returncode:
        raise RuntimeError(f"wrk failed: {warmed.stderr or warmed.stdout}")
    run = secrets.token_hex(4)
    command = [
        "wrk", f"-t{threads}", f"-c{args.clients}", f"-d{args.seconds}s", "--latency",
        "-s", str(script(run)), url,
    ]  # fmt: skip
    print("$ " + " ".join(command))
    started = timezone.now()
    database = connection.settings_dict["NAME"]
    with DatabaseCpuMeter(server, database) as cpu:
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        time.sleep(1)  # requests cut off when wrk stopped finish on the server
    elapsed = args.seconds
    codes = [c for f in (work / run).glob("codes-*.txt") for c in f.read_text().split()]
    other, sent = map(int, re.search(r"LUA other=(\d+) sent=(\d+)", output).groups())
    latency = {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.strip().startswith(("50%", "99%"))
    }
    made = Application.objects.filter(
        dossier__submitted_at__gte=started,
        dossier__state="submitted",
        dossier__channel="online",
        applicant__in=people,
    )
    in_db = set(made.values_list("dossier__code", flat=True))
    keys = [str(k) for k in made.values_list("key", flat=True)]
    ours = [k for k in keys if k.startswith(run)]
    lost = [c for c in codes if c not in in_db]
    print(
        f"API online submission (POST /api/v1/applications/, 2 PDFs each, {args.clients} "
        f"connections, {args.workers} workers): {len(codes)} answered 201 in {elapsed} s = "
        f"{len(codes) / elapsed:,.1f} submissions/s; other answers {other}; latency {latency}"
    )
    print(
        f"  database: {len(ours)} submitted online dossiers with this run's keys; "
        f"201 answers without a dossier: {len(lost)}; answered twice: "
        f"{len(codes) - len(set(codes))}; finished after wrk stopped (no answer read): "
        f"{len(ours) - len(set(codes) & in_db)} (at most {args.clients})"
    )
    print(
        f"  CPU per submission (postgres: the backends of {database} only): "
        f"{cpu.per_request(max(1, len(ours)))}"
    )
    assert not lost and len(codes) == len(set(codes)), "a 201 answer without its dossier"
    assert len(ours) - len(codes) <= args.clients and len(ours) <= sent, "duplicated dossiers"


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
    parser.add_argument(
        "--api", action="store_true", help="also POST /api/v1/applications/ (one request each)"
    )
    parser.add_argument("--no-pages", action="store_true", help="skip the page path")
    parser.add_argument("--no-lookup", action="store_true", help="skip the look-up")
    args = parser.parse_args()
    # The look-up's per-address limits would stop a benchmark from one address at once.
    os.environ["EGOV_LOOKUP_RATE_PER_MINUTE"] = str(10**9)
    os.environ["EGOV_LOOKUP_RATE"] = f"{10**9}/min"
    server = (
        start_server(args.port, args.workers) if args.api else start_server(args.port, args.workers)
    )
    try:
        if args.api:
            api_submissions(args, server)
        if not args.no_pages:
            submissions(args, server)
        if not args.no_lookup:
            lookups(args)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()

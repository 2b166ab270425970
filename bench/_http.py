"""A small HTTP load driver for the benchmarks: a server in a subprocess, clients in threads."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(port: int, workers: int) -> subprocess.Popen:
    """gunicorn with ``workers`` processes on 127.0.0.1:port, same DATABASE_URL as the caller."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "egov.settings.dev",
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "egov.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def request(
    method: str,
    url: str,
    body: dict | None = None,
    token: str | None = None,
    headers: dict | None = None,
) -> tuple[int, bytes, float]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Token {token}")
    for key, value in (headers or {}).items():
        req.add_header(key, value)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    return status, payload, time.perf_counter() - started


def token_for(base: str, username: str, password: str) -> str:
    status, payload, _ = request(
        "POST", f"{base}/api/v1/auth/token/", {"username": username, "password": password}
    )
    if status != 200:
        raise RuntimeError(f"log-in failed: {status} {payload[:200]!r}")
    return json.loads(payload)["token"]


def run_clients(clients: int, total: int, job) -> tuple[list[float], list[int], float]:
    """Run ``job(i)`` ``total`` times spread over ``clients`` threads; return the latencies,
    the status codes and the elapsed time."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            status, _, seconds = job(i)
            with lock:
                latencies.append(seconds)
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def summary(latencies: list[float]) -> str:
    return (
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms"
    )


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pids_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """Where the CPU went during a run: this client process, the server (gunicorn master and
    workers) and PostgreSQL (all its processes), in seconds."""

    def __init__(self, server: subprocess.Popen):
        self.server = server

    def _sample(self) -> dict[str, float]:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        server_pids = [self.server.pid, *_children(self.server.pid)]
        return {
            "client": usage.ru_utime + usage.ru_stime,
            "server": sum(_process_cpu(p) for p in server_pids),
            "postgres": sum(_process_cpu(p) for p in _pids_named("postgres")),
        }

    def __enter__(self):
        self.start = self._sample()
        return self

    def __exit__(self, *exc):
        end = self._sample()
        self.used = {k: end[k] - self.start[k] for k in end}

    def per_request(self, count: int) -> str:
        return ", ".join(f"{k} {1000 * v / count:.1f} ms" for k, v in self.used.items())

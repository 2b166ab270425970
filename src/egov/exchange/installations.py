"""Independent installations of the platform on this machine, each with its own database,
key directory and port: for the two-installation tests, the benchmark and ``make peer``.

Each is a real web server (gunicorn, or ``runserver``) started as a subprocess; management
commands run against its database with the same environment.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[3]  # the checkout (manage.py)
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Installation:
    """One installation: ``name`` (a directory under ``workdir``), ``port``, a database URL."""

    name: str
    workdir: Path
    port: int = 0
    database_url: str = ""
    env_extra: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def __post_init__(self):
        self.port = self.port or free_port()
        self.dir = Path(self.workdir) / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        if not self.database_url:
            self.database_url = f"sqlite:///{self.dir / 'egov.sqlite3'}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/exchange/v1/edxml"

    @property
    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "EGOV_", "PYTEST", "DATABASE_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "egov.settings.dev",
                "DEBUG": "false",
                "DATABASE_URL": self.database_url,
                "EGOV_VAR_DIR": str(self.dir / "var"),
                "EGOV_PKI_KEY_DIR": str(self.dir / "keys"),
                "EGOV_PKI_KEY_SECRET": f"peer-{self.name}-key-secret",
                "EGOV_PUBLIC_URL": self.base_url,
                "EGOV_PKI_CA_KEY_SIZE": "2048",
                "EGOV_PROVINCE_NAME": f"Thử nghiệm {self.name}",
                "EGOV_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "WARNING",
                "PYTHONPATH": str(ROOT / "src"),
            }
        )
        env.update(self.env_extra)
        return env

    def manage(self, *args: str, check: bool = True, timeout: float = 300) -> str:
        """Run a management command against this installation; its standard output."""
        result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"[{self.name}] manage.py {' '.join(args)} failed:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def migrate(self, template: Installation | None = None) -> None:
        """Create the schema (or copy it from ``template``'s freshly migrated database)."""
        if template is not None and self.database_url.startswith("sqlite"):
            shutil.copy(template.dir / "egov.sqlite3", self.dir / "egov.sqlite3")
            return
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")

    def start(self, server: str = "gunicorn", workers: int = 2, threads: int = 4) -> None:
        """Start the web server and wait until it answers /healthz."""
        (self.dir / "var").mkdir(exist_ok=True)
        if server == "gunicorn":
            command = [
                str(BIN / "gunicorn"),
                "egov.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ]
        else:
            command = [
                sys.executable,
                str(ROOT / "manage.py"),
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
            ]
        self.log = open(self.dir / "server.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own server command
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"[{self.name}] server exited: see {self.dir / 'server.log'}")
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"[{self.name}] server did not start: see {self.dir / 'server.log'}")

    def stop(self) -> None:
        """Stop the web server (the whole process group it started)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        self.log.close()


# --- PostgreSQL: one database per installation ----------------------------------------------
def postgres_url(base_url: str, dbname: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


def create_postgres_database(base_url: str, dbname: str, template: str | None = None) -> str:
    """Create (afresh) the database ``dbname`` on the server of ``base_url``; its URL."""
    import psycopg

    with psycopg.connect(postgres_url(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{dbname}"{suffix}')
    return postgres_url(base_url, dbname)


def drop_postgres_database(base_url: str, dbname: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url(base_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def pair(workdir: Path, database_url: str = "", **env) -> tuple[Installation, Installation]:
    """Two migrated installations "a" and "b" (SQLite files in ``workdir``, or two
    PostgreSQL databases on the server of ``database_url`` when it is a PostgreSQL URL)."""
    tag = f"{os.getpid()}"
    if database_url.startswith("postgres"):
        url_a = create_postgres_database(database_url, f"egov_peer_a_{tag}")
        a = Installation("a", workdir, database_url=url_a, env_extra=env)
        a.migrate()
        url_b = create_postgres_database(database_url, f"egov_peer_b_{tag}", template=a_db(a))
        b = Installation("b", workdir, database_url=url_b, env_extra=env)
        return a, b
    a = Installation("a", workdir, env_extra=env)
    a.migrate()
    b = Installation("b", workdir, env_extra=env)
    b.migrate(template=a)
    return a, b


def a_db(installation: Installation) -> str:
    return urlsplit(installation.database_url).path.lstrip("/")


def connect(a: Installation, a_code: str, b: Installation, b_code: str) -> None:
    """Make ``a`` and ``b`` peers of each other (both must be running)."""
    a.manage("exchange_setup_peer", b.base_url, "--code-prefix", b_code, "--name", b.name)
    b.manage("exchange_setup_peer", a.base_url, "--code-prefix", a_code, "--name", a.name)

"""A second demo installation on port 8001, a peer of the first (``make peer``).

    .venv/bin/python -m egov.exchange.peer_demo [--port 8001] [--main http://127.0.0.1:8000]

It keeps its own SQLite file and keys under ``var/peer/``, holds one agency (Ủy ban nhân dân
tỉnh Láng Giềng, ``000.00.00.H42``) with a seal from its own CA, trusts the main installation
for the province's agencies (``*.H16``), makes the main installation trust it (through the main
installation's ``exchange_setup_peer``, with the main's usual environment), sends the province
one document so the exchange shows at once, and serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import requests

from .installations import ROOT, Installation

PEER_CODE = "000.00.00.H42"
PEER_NAME = "Ủy ban nhân dân tỉnh Láng Giềng (máy thứ hai)"
PROVINCE_PATTERN = "*.H16"
PROVINCE_UBND = "000.00.00.H16"


def _main_manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, check=True)  # noqa: S603


def _wait(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


# A one-page PDF written out here: this program runs outside Django (it drives two
# installations through their commands), so it cannot use the apps' PDF helpers.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _sample_pdf(path: Path) -> Path:
    path.write_bytes(SAMPLE_PDF)
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--main", default="http://127.0.0.1:8000")
    parser.add_argument("--dir", default=str(ROOT / "var"))
    options = parser.parse_args(argv)

    peer = Installation("peer", Path(options.dir), port=options.port, env_extra={"DEBUG": "true"})
    print(f"Peer installation: {peer.base_url} (database {peer.database_url})")
    peer.migrate()
    print(
        peer.manage(
            "exchange_agency", "--code", PEER_CODE, "--name", PEER_NAME, "--short-name", "UBND"
        ).strip()
    )
    peer.start(server="runserver")
    try:
        print(f"Waiting for the main installation at {options.main} (make run) …")
        if not _wait(options.main, 120):
            print(
                "The main installation does not answer: start it with `make run`, then again "
                "`make peer`."
            )
            return 1
        print(
            peer.manage(
                "exchange_setup_peer",
                options.main,
                "--code-prefix",
                PROVINCE_PATTERN,
                "--name",
                "Tỉnh (cài đặt chính)",
            ).strip()
        )
        _main_manage(
            "exchange_setup_peer", peer.base_url, "--code-prefix", PEER_CODE, "--name", PEER_NAME
        )
        sample = _sample_pdf(peer.dir / "cong-van-mau.pdf")
        print(
            peer.manage(
                "exchange_send",
                "--from",
                PEER_CODE,
                "--to",
                PROVINCE_UBND,
                "--number",
                "1",
                "--notation",
                "UBND-VP",
                "--subject",
                "Về việc phối hợp trao đổi văn bản điện tử liên tỉnh",
                "--attach",
                str(sample),
            ).strip()
        )
        print(f"Ready: the peer serves {PEER_CODE} at {peer.endpoint}. Ctrl-C stops it.")
        peer.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        peer.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Digital signatures (issue 4): PAdES signing, validation and OCSP, next to raw RSA.

    createdb -h 127.0.0.1 -U postgres egov_pki_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_pki_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py load_demo
    .venv/bin/python bench/pki.py --documents 300 --validations 300 --ocsp 3000 \
        --clients 16 --workers 4 --seconds 15

On a database where ``manage.py load_demo`` has run (the director ``giamdoc.stttt`` and her
PKCS#12 certificate are used); on another database the script runs ``setup_pki`` and issues a
seal certificate (PKCS#12 key) for the first agency it finds. One run measures, in order:

1. raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures/s with ``cryptography`` (the yardstick: every
   other figure is also given as a ratio to it);
2. PAdES B-T signing of a two-page decision (WeasyPrint, Tinos) with the visible Decree 30
   appearance (signature image and signing information) by a software key, our TSA
   in-process: documents/s in this one process, pinned to one CPU (``--no-pin`` not to), with
   the CPU time per document. Each document is a full ``identity_for`` + ``sign_as_official``;
3. validation (``validate_pdf``, the platform's validation context: chain, CRLs, OCSP
   answered in-process, timestamp, changes after signing) of the signed document, and of the
   same document after the agency seal (two signatures), documents/s;
4. OCSP: ``ocsp.respond()`` in-process, responses/s; then through HTTP, with gunicorn started
   as ``bench/_http.py`` starts it (``--workers`` sync workers) and wrk's ``--clients``
   connections POSTing a DER request (Debian package wrk; Python threads with ``--threads``),
   responses/s, p50/p95 latency and the CPU per response of server and PostgreSQL.

"Documents/s by CPU" is 1 / (CPU seconds per document): what one core gives when nothing else
runs on it. The machine's load average is printed with each figure: on a shared machine the
wall-clock rates move with it, the CPU-time rates and the ratios to RSA much less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections import Counter

import _django  # noqa: F401
from _http import CpuMeter, percentile, start_server
from asn1crypto import core, ocsp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = "%(body)s"
wrk.headers["Content-Type"] = "application/ocsp-request"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%.0f %%.0f %%.0f\\n", summary.requests,
    summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50),
    latency:percentile(95), latency.max))
end
"""


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


class Timer:
    """Wall-clock and CPU (user + system of this process) seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def verdict(target: float | None, *rates: float) -> str:
    if target is None:
        return ""
    met = "met" if min(rates) >= target else "NOT met"
    return f"; target {target:g}/s: {met}"


def rate(
    label: str,
    count: int,
    timer: Timer,
    rsa_rate: float | None,
    unit: str,
    target: float | None = None,
) -> float:
    by_cpu, by_wall = count / timer.cpu, count / timer.wall
    ratio = f"; ×{rsa_rate / by_cpu:,.0f} the cost of one RSA signature" if rsa_rate else ""
    print(
        f"{label}: {by_wall:,.1f} {unit}/s wall, {by_cpu:,.1f} {unit}/s by CPU "
        f"({1000 * timer.cpu / count:.2f} ms CPU each){ratio}{verdict(target, by_cpu, by_wall)} "
        f"[{load()}]"
    )
    return by_cpu


# --- what is signed, and by whom ---------------------------------------------------------------
def signing_certificates():
    """(personal certificate, seal certificate, signer's name): the demo director's and her
    agency's, else a seal certificate (PKCS#12 key) made now for the first agency, twice."""
    from egov.core.models import Agency, User
    from egov.pki import services
    from egov.pki.authority import setup_pki
    from egov.pki.models import KeyStorage
    from egov.pki.testing import issue_seal

    setup_pki()  # creates nothing when the PKI exists
    user = User.objects.filter(username="giamdoc.stttt").first()
    if user is not None:
        cert = services.active_certificate(user=user)
        position = user.positions.valid_on().select_related("agency").first()
        seal = services.active_certificate(agency=position.agency.organisation())
        if cert is not None and cert.key_storage == KeyStorage.PKCS12:
            return cert, seal or cert, user.get_full_name()
    agency = next((a for a in Agency.objects.order_by("pk") if not a.is_internal_unit), None)
    if agency is None:
        raise SystemExit("No agency in this database: run manage.py load_demo first.")
    cert = services.active_certificate(agency=agency)
    if cert is None or cert.key_storage != KeyStorage.PKCS12:
        cert = issue_seal(agency, key_storage=KeyStorage.PKCS12)
    return cert, cert, agency.name


def two_page_decision(signer_name: str) -> bytes:
    """The demo decision (WeasyPrint, Tinos) with enough articles to fill two A4 pages."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from egov.dossiers.documents.forms import render_pdf

    article = (
        "Điều {n}. Các cơ quan, đơn vị thực hiện ký số văn bản điện tử theo Nghị định số "
        "30/2020/NĐ-CP về công tác văn thư; chữ ký số chuyên dùng được kiểm tra hiệu lực "
        "trước khi văn bản được phát hành và lưu trữ theo quy định."
    )
    pdf = render_pdf(
        "pki/demo/decision.html",
        {
            "superior": "Ủy ban nhân dân tỉnh Đắk Nông",
            "agency": "Sở Thông tin và Truyền thông",
            "unit": "VP",
            "number_symbol": "15/QĐ-STTTT",
            "place_date": "Đắk Nông, ngày 10 tháng 3 năm 2025",
            "subject": "Về việc ban hành Quy chế sử dụng chữ ký số chuyên dùng",
            "paragraphs": [article.format(n=n) for n in range(1, 15)],
            "title": "Giám đốc",
            "signer": signer_name,
            "recipients_top_mm": 175,
            "block_top_mm": 175,
            "block_left_mm": 100,
            "block_width_mm": 80,
            "space_mm": 38,
        },
    )
    pages = int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
    if pages != 2:
        raise SystemExit(f"the sample decision has {pages} pages, not 2: adjust the articles")
    return pdf


# --- the measurements --------------------------------------------------------------------------
def raw_rsa(seconds: float) -> float:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    message = hashlib.sha256(b"egov").digest()
    for _ in range(50):  # warm-up
        key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    count = 0
    with Timer() as timer:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for _ in range(100):
                key.sign(message, padding.PKCS1v15(), hashes.SHA256())
            count += 100
    return rate(
        "raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures (cryptography)",
        count,
        timer,
        None,
        "signatures",
    )


def signing(args, cert, seal, pdf: bytes, images: dict, rsa_rate: float) -> list[bytes]:
    from egov.pki import pades, services
    from egov.pki.appearance import MM, SignatureBlock

    # under "GIÁM ĐỐC" in the signature block of the second page
    block = SignatureBlock.from_top_left_mm(page=-1, left_mm=145, top_mm=205, info_gap=22 * MM)

    def sign_one():
        identity = services.identity_for(cert)
        return pades.sign_as_official(
            pdf,
            identity,
            block,
            signature_image=images["signature"],
            level=args.level,
            reason="Ký ban hành",
            location="Đắk Nông",
        )

    for _ in range(5):  # warm-up: first use of the key, the font, the TSA, the image
        signed = sign_one()
    with Timer() as timer:
        for _ in range(args.documents):
            signed = sign_one()
    rate(
        f"PAdES {args.level} signing, visible appearance, two-page PDF, PKCS#12 key, 1 process",
        args.documents,
        timer,
        rsa_rate,
        "documents",
        target=50,
    )
    print(f"  {len(pdf):,} bytes before, {len(signed):,} after")
    sealed = pades.apply_agency_seal(
        signed, services.identity_for(seal), block, seal_image=images["seal"], level=args.level
    )
    return [signed, sealed]


def validating(args, documents: list[bytes], rsa_rate: float) -> None:
    from egov.pki.validation import validate_pdf

    for label, pdf in zip(
        ("one signature", "two signatures (official + seal)"), documents, strict=True
    ):
        report = validate_pdf(pdf)
        assert report.indication == "TOTAL-PASSED", (report.indication, report.summary)
        for _ in range(5):
            validate_pdf(pdf)
        with Timer() as timer:
            for _ in range(args.validations):
                validate_pdf(pdf)
        rate(
            f"validation, {label}, TOTAL-PASSED",
            args.validations,
            timer,
            rsa_rate,
            "documents",
            target=30,
        )


def ocsp_request(cert) -> bytes:
    issuer = cert.issuer.asn1
    cert_id = {
        "hash_algorithm": {"algorithm": "sha1"},
        "issuer_name_hash": hashlib.sha1(issuer.subject.dump(), usedforsecurity=False).digest(),
        "issuer_key_hash": hashlib.sha1(
            bytes(issuer.public_key["public_key"]), usedforsecurity=False
        ).digest(),
        "serial_number": cert.asn1.serial_number,
    }
    return ocsp.OCSPRequest(
        {
            "tbs_request": {
                "request_list": [{"req_cert": cert_id}],
                "request_extensions": [
                    {
                        "extn_id": "nonce",
                        "critical": False,
                        "extn_value": core.OctetString(os.urandom(16)),
                    }
                ],
            }
        }
    ).dump()


def check_good(der: bytes) -> None:
    response = ocsp.OCSPResponse.load(der)
    assert response["response_status"].native == "successful", response["response_status"].native
    single = response.basic_ocsp_response["tbs_response_data"]["responses"][0]
    assert single["cert_status"].name == "good", single["cert_status"].name


def ocsp_in_process(args, request_der: bytes, rsa_rate: float) -> None:
    from egov.pki import ocsp as responder

    check_good(responder.respond(request_der))
    for _ in range(50):
        responder.respond(request_der)
    with Timer() as timer:
        for _ in range(args.ocsp):
            responder.respond(request_der)
    rate(
        "OCSP ocsp.respond() in-process (status from the database)",
        args.ocsp,
        timer,
        rsa_rate,
        "responses",
        target=500,
    )


def post(url: str, body: bytes) -> tuple[int, bytes, float]:
    req = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
    req.add_header("Content-Type", "application/ocsp-request")
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310
        return response.status, response.read(), time.perf_counter() - started


def ocsp_http(args, request_der: bytes, rsa_rate: float) -> None:
    server = start_server(args.port, args.workers)
    url = f"http://127.0.0.1:{args.port}/pki/ocsp"
    try:
        status, body, _ = post(url, request_der)
        assert status == 200, status
        check_good(body)
        if args.threads:
            ocsp_with_threads(args, url, request_der, server, rsa_rate)
        else:
            ocsp_with_wrk(args, url, request_der, server, rsa_rate)
    finally:
        server.terminate()
        server.wait()


def ocsp_with_wrk(args, url, request_der, server, rsa_rate) -> None:
    body = "".join(f"\\{b:03d}" for b in request_der)  # a Lua string with any byte
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"body": body})
    command = ["wrk", "-t2", f"-c{args.clients}", "-s", script.name, url]
    subprocess.run([*command, "-d3s"], check=True, capture_output=True)  # noqa: S603 - warm-up
    with CpuMeter(server) as cpu:
        output = subprocess.run(  # noqa: S603
            [*command, f"-d{args.seconds}s"], check=True, capture_output=True, text=True
        ).stdout
    result = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, duration_us, non_2xx, errors, p50, p95, worst = map(float, result.split()[1:])
    per_second = requests / (duration_us / 1e6)
    ratio = rsa_rate / per_second
    print(
        f"OCSP over HTTP (gunicorn {args.workers} workers, wrk {args.clients} connections): "
        f"{per_second:,.0f} responses/s; p50 {p50 / 1000:.1f} ms, p95 {p95 / 1000:.1f} ms, "
        f"max {worst / 1000:.1f} ms; non-2xx {non_2xx:.0f}, socket errors {errors:.0f}; "
        f"×{ratio:,.1f} the cost of one RSA signature{verdict(500, per_second)} [{load()}]"
    )
    print(f"  CPU per response: {cpu.per_request(int(requests))}")


def ocsp_with_threads(args, url, request_der, server, rsa_rate) -> None:
    latencies, statuses, lock = [], Counter(), threading.Lock()
    counter = iter(range(args.ocsp))

    def client():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            status, _body, seconds = post(url, request_der)
            with lock:
                latencies.append(seconds)
                statuses[status] += 1

    for _ in range(100):
        post(url, request_der)
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    with CpuMeter(server) as cpu:
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    count = len(latencies)
    print(
        f"OCSP over HTTP (gunicorn {args.workers} workers, {args.clients} Python threads): "
        f"{count / elapsed:,.0f} responses/s; p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.1f} ms; statuses {dict(statuses)}; "
        f"×{rsa_rate / (count / elapsed):,.1f} the cost of one RSA signature"
        f"{verdict(500, count / elapsed)} [{load()}]"
    )
    print(f"  CPU per response: {cpu.per_request(count)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300, help="documents to sign")
    parser.add_argument("--validations", type=int, default=300, help="validations of each")
    parser.add_argument("--ocsp", type=int, default=3000, help="in-process (and --threads)")
    parser.add_argument("--level", default="B-T", choices=["B-B", "B-T", "B-LT", "B-LTA"])
    parser.add_argument("--rsa-seconds", type=float, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--threads", action="store_true", help="Python clients instead of wrk")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()

    from egov.pki.demo_images import demo_seal_png, demo_signature_png

    print(f"{dt.datetime.now().isoformat(timespec='seconds')}, {os.cpu_count()} CPUs, {load()}")
    cert, seal, name = signing_certificates()
    print(
        f"signer: {cert.common_name} (certificate {cert.serial[:12]}…, {cert.key_storage}); "
        f"seal: {seal.common_name}"
    )
    pdf = two_page_decision(name)
    images = {
        "signature": demo_signature_png(name),
        "seal": demo_seal_png("Sở Thông tin và Truyền thông", province="Tỉnh Đắk Nông"),
    }
    everything = os.sched_getaffinity(0)
    if not args.no_pin:
        os.sched_setaffinity(0, {max(everything)})  # one core for the in-process figures
    try:
        rsa_rate = raw_rsa(args.rsa_seconds)
        documents = signing(args, cert, seal, pdf, images, rsa_rate)
        validating(args, documents, rsa_rate)
        request_der = ocsp_request(cert)
        ocsp_in_process(args, request_der, rsa_rate)
    finally:
        os.sched_setaffinity(0, everything)
    if not args.skip_http:
        ocsp_http(args, request_der, rsa_rate)


if __name__ == "__main__":
    main()

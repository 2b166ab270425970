"""Our signed PDFs verify with another implementation: poppler's ``pdfsig`` on NSS.

The reader's trust store is an NSS database holding only our root (``certutil``). Tools:
poppler-utils (pdfsig), libnss3-tools (certutil, vfychain), openssl; without them the test is
skipped, except under CI, where it fails.

pdfsig 22.12 (Debian 12) reads NSS's last error after ``CERT_PKIXVerifyCert`` without looking
at the call's result, so a stale error from an earlier NSS call can turn a good chain into
"Unknown issue with Certificate or corrupted data" (later poppler checks the result). The test
therefore asks NSS's PKIX verification itself (``vfychain -pp``, the call pdfsig makes) about
each signer's chain as pdfsig extracted it, and checks that pdfsig's own verdict changes with
the trust store: without our root the issuer is not trusted.
"""

import os
import re
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from egov.pki import pades
from egov.pki.appearance import SignatureBlock
from egov.pki.demo_images import demo_seal_png, demo_signature_png
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - pytest fixtures
from egov.pki.tests.signing_fixtures import AGENCY, OFFICIAL_NAME, two_page_pdf

TOOLS = ("pdfsig", "certutil", "vfychain", "openssl")
GOOD_OR_POPPLER_22_QUIRK = {
    "Certificate is Trusted.",
    "Unknown issue with Certificate or corrupted data.",
}


@pytest.fixture(autouse=True)
def _tools():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"needs {', '.join(missing)} (Debian: poppler-utils, libnss3-tools, openssl)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def sh(*command, cwd=None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    return result.stdout + result.stderr


def nss_store(directory, *roots: bytes) -> str:
    directory.mkdir()
    sh("certutil", "-d", f"sql:{directory}", "-N", "--empty-password")
    for number, pem in enumerate(roots):
        path = directory / f"root{number}.pem"
        path.write_bytes(pem)
        sh(
            "certutil",
            "-d",
            f"sql:{directory}",
            "-A",
            "-n",
            f"root{number}",
            "-t",
            "CT,C,C",
            "-i",
            str(path),
        )
    return f"sql:{directory}"


def signatures_of(pdfsig_output: str) -> list[dict]:
    blocks = re.split(r"^Signature #\d+:$", pdfsig_output, flags=re.M)[1:]
    return [dict(re.findall(r"^[ \t]+- ([^:\n]+): (.*)$", block, flags=re.M)) for block in blocks]


@pytest.fixture(scope="module")
def sealed_decision(spki):
    block = SignatureBlock.from_top_left_mm(page=-1, left_mm=120, top_mm=40)
    signed = pades.sign_as_official(
        two_page_pdf(),
        spki.identity(spki.official),
        block,
        signature_image=demo_signature_png(OFFICIAL_NAME),
        timestamper=spki.timestamper(),
    )
    return pades.apply_agency_seal(
        signed,
        spki.identity(spki.seal),
        block,
        seal_image=demo_seal_png(AGENCY),
        level="B-LT",
        timestamper=spki.timestamper(),
        validation_context=spki.validation_context(),
    )


def test_pdfsig_verifies_our_signatures_given_our_root(spki, sealed_decision, tmp_path):
    pdf = tmp_path / "quyet-dinh.pdf"
    pdf.write_bytes(sealed_decision)
    ours = nss_store(tmp_path / "ours", spki.root.pem)
    nobody = nss_store(tmp_path / "empty")

    trusted = signatures_of(sh("pdfsig", "-nssdir", ours, "-no-ocsp", str(pdf)))
    untrusted = signatures_of(sh("pdfsig", "-nssdir", nobody, "-no-ocsp", str(pdf)))

    assert [s["Signer Certificate Common Name"] for s in trusted] == [
        OFFICIAL_NAME,
        f"{AGENCY} tỉnh Đắk Nông",
    ]
    assert all(s["Signature Validation"] == "Signature is Valid." for s in trusted)
    assert all(s["Signature Type"] == "ETSI.CAdES.detached" for s in trusted)
    assert all(s["Certificate Validation"] in GOOD_OR_POPPLER_22_QUIRK for s in trusted)
    assert all(
        s["Certificate Validation"] == "Certificate issuer isn't Trusted." for s in untrusted
    )

    # NSS's PKIX verdict on each signer's chain, as pdfsig extracted it from the signature.
    sh("pdfsig", "-nssdir", ours, "-nocert", "-dump", pdf.name, cwd=tmp_path)
    for number, signature in enumerate(trusted):
        pems = sh(
            "openssl",
            "pkcs7",
            "-inform",
            "DER",
            "-print_certs",
            "-in",
            str(tmp_path / f"{pdf.name}.sig{number}"),
        )
        certs = x509.load_pem_x509_certificates(pems.encode())
        signer_name = signature["Signer Certificate Common Name"]
        leaf = next(
            c
            for c in certs
            if c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == signer_name
        )
        arguments = []
        for index, cert in enumerate([leaf, *[c for c in certs if c is not leaf]]):
            path = tmp_path / f"chain{number}-{index}.pem"
            path.write_bytes(cert.public_bytes(Encoding.PEM))
            arguments += ["-a", str(path)]  # the leaf first, then what the signature carries
        verdict = sh("vfychain", "-d", ours, "-pp", "-u", "4", *arguments)  # 4: e-mail signer
        assert "Chain is good!" in verdict, verdict

"""Fixtures for the PKI tests (shared by every test module of egov.pki).

- key files go to a temporary directory, never to the checkout's var/;
- ``pki``: the province's CA set up (root, issuing, OCSP responder, TSA);
- ``hsm``: a fresh SoftHSM2 token for the test session; keys go to it while the fixture is used.
"""

import os
import shutil
import subprocess

import pytest

from egov.pki import keys
from egov.pki.testing import setup_test_pki

HSM_PIN = "246810"
HSM_LABEL = "egov-test"


@pytest.fixture(autouse=True)
def _pki_in_temporary_directory(settings, tmp_path):
    settings.EGOV_PKI_KEY_DIR = str(tmp_path / "pki-keys")
    settings.EGOV_PKI_KEY_SECRET = "test-secret-for-pkcs12-passphrases"
    settings.EGOV_PUBLIC_URL = "http://testserver"
    # 2048-bit CA keys keep each test's CA set-up fast; the default (3072) is tested on its own.
    settings.EGOV_PKI_CA_KEY_SIZE = 2048


@pytest.fixture
def pki(db):
    """The province's PKI, set up through ``setup_pki``."""
    return setup_test_pki()


@pytest.fixture(scope="session")
def hsm_token(tmp_path_factory):
    """A SoftHSM2 token in a temporary directory, initialised once for the session.

    Skipped with a message when softhsm2-util is missing, unless EGOV_REQUIRE_HSM is set (CI),
    in which case the test fails instead.
    """
    tool = shutil.which("softhsm2-util")
    if tool is None:
        if os.environ.get("EGOV_REQUIRE_HSM"):
            pytest.fail("softhsm2-util is not installed but EGOV_REQUIRE_HSM is set")
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2): HSM tests skipped")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        [
            tool,
            "--init-token",
            "--free",
            "--label",
            HSM_LABEL,
            "--pin",
            HSM_PIN,
            "--so-pin",
            "13579111",
        ],
        check=True,
        capture_output=True,
    )
    keys.reset_pkcs11()  # a module loaded earlier must read the new configuration
    yield {"label": HSM_LABEL, "pin": HSM_PIN, "config": config}
    keys.reset_pkcs11()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture
def hsm(hsm_token, settings):
    """New keys (CA and holders) go to the test token."""
    settings.EGOV_PKI_KEY_STORAGE = "pkcs11"
    settings.EGOV_PKI_CA_KEY_STORAGE = "pkcs11"
    settings.EGOV_PKI_PKCS11_TOKEN = hsm_token["label"]
    settings.EGOV_PKI_PKCS11_PIN = hsm_token["pin"]
    return hsm_token

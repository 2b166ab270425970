"""Fixtures of the exchange tests.

- key files go to a temporary directory; CA keys are 2048-bit to keep set-up fast;
- ``here``: this installation's agency (UBND tỉnh, with a seal from our CA);
- ``sender``: an agency of another installation — the signing tests' throw-away PKI
  (``spki``: Sở Thông tin và Truyền thông, 000.00.05.H16) — listed as a peer we trust.

The tests that start two real installations are marked ``exchange_peers``.
"""

import pytest

from egov.exchange.services import save_peer
from egov.exchange.setup import ensure_local_agency
from egov.pki.tests.signing_fixtures import *  # noqa: F403 - spki
from egov.pki.tests.signing_fixtures import AGENCY_CODE

HERE = "000.00.00.H17"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "exchange_peers: starts two installations of the platform (subprocesses)"
    )


@pytest.fixture(autouse=True)
def _keys_in_temporary_directory(settings, tmp_path):
    settings.EGOV_PKI_KEY_DIR = str(tmp_path / "pki-keys")
    settings.EGOV_PKI_KEY_SECRET = "test-secret-for-pkcs12-passphrases"
    settings.EGOV_PUBLIC_URL = "http://testserver"
    settings.EGOV_PKI_CA_KEY_SIZE = 2048
    from egov.exchange import trust

    trust.forget_identities()
    yield
    trust.forget_identities()


@pytest.fixture
def here(db):
    agency, _created = ensure_local_agency(HERE, "Ủy ban nhân dân tỉnh Thử Nghiệm", "UBND")
    return agency


@pytest.fixture
def sender_peer(db, spki):
    """The other installation of the Sở TT&TT, trusted through its own root."""
    return save_peer(
        None,
        name="Sở Thông tin và Truyền thông (other installation)",
        code_prefix=AGENCY_CODE,
        endpoint_url="http://127.0.0.1:9/exchange/v1/edxml",
        ca_certificates=(spki.root.pem + spki.issuing.pem).decode(),
    )

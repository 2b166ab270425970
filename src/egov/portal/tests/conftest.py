"""Fixtures of the portal scenarios: the one-stop desk and procedures of the dossier tests."""

from egov.dossiers.tests.conftest import at, desk, procedures, stp_staff  # noqa: F401

"""The demo province's certificates: leaders and clerks hold one, agencies with a leader have a
seal, quantri.stttt has a request to decide; loading again changes nothing."""

import io
import time

import pytest

from egov.core.demo import loader as core_demo
from egov.core.models import AuditEvent, User
from egov.pki import demo, queries, services
from egov.pki.models import Certificate, CertificateRequest
from egov.pki.revocation import validation_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_province(db):
    core_demo.load()
    out = io.StringIO()
    started = time.perf_counter()
    demo.load(stdout=out)
    print(f"pki demo load: {time.perf_counter() - started:.1f} s")
    return out.getvalue()


def test_demo_leaders_hold_active_certificates_and_can_sign(demo_province):
    for username in ("giamdoc.stttt", "lanhdao.cujut", "chutich.tinh", "giamdoc.skhdt"):
        cert = services.active_certificate(user=User.objects.get(username=username))
        assert cert is not None, username
        identity = services.identity_for(cert)
        assert identity.signer.sign_raw(b"x", "sha256")
    assert "created" in demo_province


def test_agencies_with_a_leader_have_a_seal(demo_province):
    sealed = set(
        Certificate.objects.filter(holder_kind="agency", status="active").values_list(
            "agency__code", flat=True
        )
    )
    assert sealed == {"000.00.00.H16", "000.00.04.H16", "000.00.11.H16", "000.00.33.H16"}


def test_the_department_administrator_has_a_request_to_decide(demo_province):
    admin = User.objects.get(username="quantri.stttt")
    waiting = list(queries.requests_to_decide(admin))
    assert [r.holder.username for r in waiting] == ["chuyenvien.stttt"]
    counts = {
        c.agency.code: c for c in queries.certificate_counts(queries.administered_agencies(admin))
    }
    stttt = counts["000.00.11.H16"]
    assert stttt.revoked == 1 and stttt.pending_requests == 1
    assert stttt.active == stttt.issued - 1


def test_demo_certificates_validate_against_the_demo_root(demo_province):
    import asyncio

    from pyhanko_certvalidator import CertificateValidator

    cert = services.active_certificate(user=User.objects.get(username="lanhdao.cujut"))
    validator = CertificateValidator(cert.asn1, validation_context=validation_context())
    asyncio.run(validator.async_validate_usage({"non_repudiation"}))


def test_loading_the_demo_again_changes_nothing(demo_province):
    before = (
        Certificate.objects.count(),
        CertificateRequest.objects.count(),
        AuditEvent.objects.count(),
    )
    out = io.StringIO()
    demo.load(stdout=out)
    assert "nothing to change" in out.getvalue()
    assert before == (
        Certificate.objects.count(),
        CertificateRequest.objects.count(),
        AuditEvent.objects.count(),
    )

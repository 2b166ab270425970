"""Status in time, CRL refresh, and the in-process validation context and timestamper that the
signing code uses (no HTTP to ourselves)."""

import asyncio
import datetime as dt
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator.errors import RevokedError

from egov.core.models import AuditEvent, Role
from egov.pki import revocation, services, tsa
from egov.pki.models import Certificate, CertificateAuthority, RevocationReason
from egov.pki.testing import blank_pdf, issue_personal

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(tree, make_official):
    return make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER)


def validate(cert: Certificate, context):
    validator = CertificateValidator(cert.asn1, validation_context=context)
    return asyncio.run(validator.async_validate_usage({"digital_signature", "non_repudiation"}))


def test_status_at_follows_the_history(pki, leader, monkeypatch):
    cert = issue_personal(leader)
    start = timezone.now()

    def at(hours):
        moment = start + dt.timedelta(hours=hours)
        monkeypatch.setattr(services, "_now", lambda: moment)
        return moment

    at(1)
    services.suspend_certificate(None, cert, "token sent for repair")
    at(2)
    services.unsuspend_certificate(None, cert)
    at(3)
    services.revoke_certificate(None, cert, RevocationReason.KEY_COMPROMISE)

    assert revocation.status_at(cert, at(0.5)).status == "active"
    suspended = revocation.status_at(cert, at(1.5))
    assert suspended.status == "suspended"
    assert suspended.reason == RevocationReason.CERTIFICATE_HOLD
    assert revocation.status_at(cert, at(2.5)).status == "active"
    revoked = revocation.status_at(cert, at(3.5))
    assert (revoked.status, revoked.reason) == ("revoked", RevocationReason.KEY_COMPROMISE)
    assert revocation.status_at(cert, cert.not_after + dt.timedelta(days=1)).status == "revoked"
    assert revocation.status_at(cert, cert.not_before - dt.timedelta(days=1)).status == (
        "not_yet_valid"
    )


def test_a_good_certificate_validates_with_ocsp_answered_in_process(pki, leader):
    cert = issue_personal(leader)
    context = revocation.validation_context()
    path = validate(cert, context)
    assert path.trust_anchor.authority.name == pki.root.asn1.subject
    assert len(context.revinfo_manager.ocsps) == 1  # our responder answered, without any network


def test_a_revoked_certificate_fails_validation_now_but_was_good_before(pki, leader):
    cert = issue_personal(leader)
    signed_at = timezone.now() - dt.timedelta(seconds=2)
    services.revoke_certificate(None, cert, RevocationReason.KEY_COMPROMISE)
    with pytest.raises(RevokedError):
        validate(cert, revocation.validation_context())
    # Judged at the time it signed, before the revocation, the certificate was good.
    validate(cert, revocation.validation_context(at=signed_at))
    with pytest.raises(RevokedError):
        validate(cert, revocation.validation_context(at=timezone.now() + dt.timedelta(seconds=5)))


def test_a_foreign_url_is_never_fetched(pki, leader):
    from egov.pki.fetchers import Snapshot

    snapshot = Snapshot.take()
    import requests

    with pytest.raises(requests.RequestException):
        snapshot.get("http://example.com/some.crl")
    with pytest.raises(requests.RequestException):
        snapshot.post("http://example.com/ocsp", b"")


def test_refresh_crls_publishes_only_when_due_and_marks_expired_certificates(pki, leader):
    issuing = CertificateAuthority.objects.get(pk=pki.issuing.pk)
    number = issuing.crl_number
    call_command("refresh_crls")
    issuing.refresh_from_db()
    assert issuing.crl_number == number  # fresh: nothing to do

    # Half of the validity has passed: a new CRL with the next number.
    CertificateAuthority.objects.filter(pk=issuing.pk).update(
        crl_this_update=issuing.crl_this_update - dt.timedelta(hours=30),
        crl_next_update=issuing.crl_next_update - dt.timedelta(hours=30),
    )
    old = issue_personal(
        leader,
        not_before=timezone.now() - dt.timedelta(days=400),
        not_after=timezone.now() - dt.timedelta(days=1),
    )
    assert old.effective_status == "expired"
    call_command("refresh_crls")
    issuing.refresh_from_db()
    assert issuing.crl_number == number + 1
    old.refresh_from_db()
    assert old.status == "expired"
    assert (
        AuditEvent.objects.filter(action="pki.certificate.expire", object_id=str(old.pk)).count()
        == 1
    )
    call_command("refresh_crls")  # again: nothing changes
    issuing.refresh_from_db()
    assert issuing.crl_number == number + 1
    assert AuditEvent.objects.filter(action="pki.certificate.expire").count() == 1


def test_timestamper_stamps_in_process(pki):
    import hashlib

    stamper = tsa.timestamper()
    token = asyncio.run(stamper.async_timestamp(hashlib.sha256(b"x").digest(), "sha256"))
    info = token["content"]["encap_content_info"]["content"].parsed
    assert info["policy"].native == "1.3.6.1.4.1.32473.704.2"
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"x").digest()


@pytest.mark.parametrize("storage", ["pkcs12", "pkcs11"])
def test_a_pdf_signed_b_lt_with_our_tsa_validates_offline(request, storage, pki, leader):
    if storage == "pkcs11":
        request.getfixturevalue("hsm")
    cert = issue_personal(leader, key_storage=storage)
    identity = services.identity_for(cert)
    context = revocation.validation_context()
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=context,
    )
    out = signers.PdfSigner(meta, signer=identity.signer, timestamper=tsa.timestamper()).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(blank_pdf()))
    )
    reader = PdfFileReader(out)
    embedded = reader.embedded_signatures[0]
    status = validate_pdf_signature(
        embedded, signer_validation_context=revocation.validation_context()
    )
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    # B-LT: the revocation data used is in the document's DSS.
    assert "/DSS" in reader.root

"""The life of a certificate: request → approval by an agency administrator → issue → suspend /
reinstate / revoke → renew; who may do what; every step audited."""

import datetime as dt

import pytest
from cryptography import x509 as cx509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from egov.core.models import AuditEvent, Role
from egov.pki import queries, services
from egov.pki.authority import setup_pki
from egov.pki.models import Certificate, CertificateAuthority, CertificateRequest, KeyStorage
from egov.pki.testing import issue_personal, issue_seal, make_csr

pytestmark = pytest.mark.django_db
PERSONAL, SEAL = CertificateRequest.Kind.PERSONAL, CertificateRequest.Kind.SEAL


@pytest.fixture(autouse=True)
def _english():
    """Refusals are read in English here (the Vietnamese wording is in the translations)."""
    with translation.override("en"):
        yield


def parsed(cert: Certificate) -> cx509.Certificate:
    return cx509.load_der_x509_certificate(bytes(cert.der))


@pytest.fixture
def people(officials, tree, make_official):
    officials["stp_specialist"] = make_official("chuyenvien.stp", tree["stp"], Role.SPECIALIST)
    return officials


# --- set-up ---------------------------------------------------------------------------------------
def test_setup_pki_creates_the_province_cas_once(settings, db):
    settings.EGOV_PKI_CA_KEY_SIZE = 3072  # the real default
    first = setup_pki()
    assert first.created == ["root-ca", "issuing-ca", "ocsp certificate", "tsa certificate"]
    root = parsed(first.root)
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "egov Root CA – Tỉnh Đắk Nông"
    )
    assert root.public_key().key_size == 3072
    assert root.extensions.get_extension_for_class(cx509.BasicConstraints).value.ca
    issuing = parsed(first.issuing)
    assert issuing.extensions.get_extension_for_class(cx509.BasicConstraints).value.path_length == 0
    assert issuing.issuer == root.subject

    ocsp = parsed(first.ocsp)
    assert ocsp.extensions.get_extension_for_class(cx509.ExtendedKeyUsage).value == (
        cx509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING])
    )
    assert ocsp.extensions.get_extension_for_class(cx509.OCSPNoCheck)
    tsa = parsed(first.tsa)
    eku = tsa.extensions.get_extension_for_class(cx509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]

    events = AuditEvent.objects.count()
    out = __import__("io").StringIO()
    call_command("setup_pki", stdout=out)
    assert "nothing to change" in out.getvalue()
    assert CertificateAuthority.objects.count() == 2
    assert Certificate.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_an_official_certificate_has_the_extensions_relying_parties_need(pki, people):
    cert = issue_personal(people["leader"])
    x = parsed(cert)
    usage = x.extensions.get_extension_for_class(cx509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    ekus = set(x.extensions.get_extension_for_class(cx509.ExtendedKeyUsage).value)
    assert {
        ExtendedKeyUsageOID.EMAIL_PROTECTION,
        cx509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12"),
        cx509.ObjectIdentifier("1.3.6.1.5.5.7.3.36"),
    } <= ekus
    aia = {
        d.access_method._name: d.access_location.value
        for d in x.extensions.get_extension_for_class(cx509.AuthorityInformationAccess).value
    }
    assert aia == {
        "OCSP": "http://testserver/pki/ocsp",
        "caIssuers": "http://testserver/pki/ca/issuing-ca.crt",
    }
    (point,) = x.extensions.get_extension_for_class(cx509.CRLDistributionPoints).value
    assert point.full_name[0].value == "http://testserver/pki/crl/issuing-ca.crl"
    ski = x.extensions.get_extension_for_class(cx509.SubjectKeyIdentifier).value
    assert ski == cx509.SubjectKeyIdentifier.from_public_key(x.public_key())
    aki = x.extensions.get_extension_for_class(cx509.AuthorityKeyIdentifier).value
    issuing = parsed(pki.issuing)
    assert (
        aki.key_identifier
        == issuing.extensions.get_extension_for_class(cx509.SubjectKeyIdentifier).value.digest
    )
    name = {a.oid: a.value for a in x.subject}
    assert name[NameOID.COMMON_NAME] == "Leader"
    assert name[NameOID.ORGANIZATION_NAME] == "Sở Thông tin và Truyền thông"
    assert name[NameOID.ORGANIZATION_IDENTIFIER] == "GOVVN-000.00.05.H16"
    assert name[NameOID.STATE_OR_PROVINCE_NAME] == "Đắk Nông"
    assert name[NameOID.COUNTRY_NAME] == "VN"
    # UTF8String, so Vietnamese names survive any relying party.
    org = x.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0]
    assert org._type == cx509.name._ASN1Type.UTF8String


def test_a_specialist_certificate_names_her_unit(pki, people):
    cert = issue_personal(people["specialist"])
    assert "OU=Phòng Công nghệ thông tin" in parsed(cert).subject.rfc4514_string()
    assert cert.unit.name == "Phòng Công nghệ thông tin"


def test_a_seal_certificate_is_in_the_agency_name(pki, tree):
    cert = issue_seal(tree["stp"])
    name = {a.oid: a.value for a in parsed(cert).subject}
    assert name[NameOID.COMMON_NAME] == "Sở Tư pháp" == name[NameOID.ORGANIZATION_NAME]
    assert name[NameOID.ORGANIZATION_IDENTIFIER] == "GOVVN-000.00.06.H16"
    assert cert.holder_kind == "agency" and cert.user is None


# --- request and approval -------------------------------------------------------------------------
def test_an_official_asks_and_her_agency_administrator_approves(pki, people):
    request = services.request_certificate(
        people["specialist"], kind=PERSONAL, holder=people["specialist"], reason="Ký văn bản"
    )
    assert request.status == "requested" and request.agency.code == "000.00.05.H16"
    assert not Certificate.objects.filter(user=people["specialist"]).exists()
    decided = services.approve_request(people["admin"], request)
    assert decided.status == "issued" and decided.decided_by == people["admin"]
    cert = Certificate.objects.get(user=people["specialist"])
    assert cert.status == "active" and cert.key_storage == KeyStorage.PKCS12
    actions = list(
        AuditEvent.objects.filter(action__startswith="pki.").values_list("action", flat=True)
    )
    assert actions[-3:] == ["pki.request.create", "pki.request.approve", "pki.certificate.issue"]


def test_a_non_administrator_cannot_approve(pki, people):
    request = services.request_certificate(
        people["specialist"], kind=PERSONAL, holder=people["specialist"]
    )
    for who in ("leader", "specialist", "clerk", "unit_leader"):
        with pytest.raises(PermissionDenied):
            services.approve_request(people[who], request)
    request.refresh_from_db()
    assert request.status == "requested"
    assert not Certificate.objects.filter(user=people["specialist"]).exists()


def test_an_administrator_of_another_agency_cannot_approve(pki, people):
    request = services.request_certificate(
        people["specialist"], kind=PERSONAL, holder=people["specialist"]
    )
    with pytest.raises(PermissionDenied, match="Only an administrator of Sở Thông tin"):
        services.approve_request(people["other_admin"], request)
    with pytest.raises(PermissionDenied):
        services.reject_request(people["other_admin"], request, "không thuộc cơ quan")
    assert list(queries.requests_to_decide(people["other_admin"])) == []
    assert list(queries.requests_to_decide(people["admin"])) == [request]


def test_an_administrator_cannot_approve_her_own_certificate(pki, people):
    request = services.request_certificate(people["admin"], kind=PERSONAL, holder=people["admin"])
    with pytest.raises(PermissionDenied):
        services.approve_request(people["admin"], request)
    assert request not in queries.requests_to_decide(people["admin"])
    services.approve_request(people["sysadmin"], request)


def test_an_official_cannot_ask_for_someone_else(pki, people):
    with pytest.raises(PermissionDenied):
        services.request_certificate(people["specialist"], kind=PERSONAL, holder=people["leader"])
    with pytest.raises(PermissionDenied):
        services.request_certificate(
            people["leader"], kind=SEAL, agency=people["leader"].positions.first().agency
        )


def test_a_rejection_needs_a_reason_and_is_final(pki, people):
    request = services.request_certificate(
        people["specialist"], kind=PERSONAL, holder=people["specialist"]
    )
    with pytest.raises(ValidationError):
        services.reject_request(people["admin"], request, "  ")
    services.reject_request(people["admin"], request, "Chưa có quyết định phân công")
    request.refresh_from_db()
    assert request.status == "rejected" and request.decision_reason
    with pytest.raises(services.NotAllowedNow):
        services.approve_request(people["admin"], request)


def test_a_second_waiting_request_is_refused(pki, people):
    services.request_certificate(people["specialist"], kind=PERSONAL, holder=people["specialist"])
    with pytest.raises(services.NotAllowedNow):
        services.request_certificate(
            people["specialist"], kind=PERSONAL, holder=people["specialist"]
        )


def test_a_holder_csr_is_certified_with_our_names_not_hers(pki, people):
    csr, key = make_csr("Somebody Else")
    request = services.request_certificate(
        people["specialist"], kind=PERSONAL, holder=people["specialist"], csr_pem=csr
    )
    services.approve_request(people["admin"], request)
    cert = Certificate.objects.get(request=request)
    assert cert.key_storage == KeyStorage.EXTERNAL and cert.key_reference == ""
    x = parsed(cert)
    assert x.public_key().public_numbers() == key.public_key().public_numbers()
    assert x.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Specialist"
    with pytest.raises(services.NotAllowedNow, match="own token"):
        services.identity_for(cert)


def test_a_forged_csr_is_refused(pki, people):
    csr, _key = make_csr("Chuyên viên")
    from cryptography.hazmat.primitives import serialization

    # Swap the public key for another: the signature no longer matches (a forged request).
    original = cx509.load_pem_x509_csr(csr.encode())
    der = bytearray(original.public_bytes(serialization.Encoding.DER))
    signature = original.signature
    position = der.rfind(signature)
    der[position + 10] ^= 0xFF
    forged = (
        "-----BEGIN CERTIFICATE REQUEST-----\n"
        + __import__("base64").encodebytes(bytes(der)).decode()
        + "-----END CERTIFICATE REQUEST-----\n"
    )
    with pytest.raises(ValidationError, match="altered or forged"):
        services.request_certificate(
            people["specialist"], kind=PERSONAL, holder=people["specialist"], csr_pem=forged
        )
    with pytest.raises(ValidationError, match="not a PEM"):
        services.request_certificate(
            people["specialist"], kind=PERSONAL, holder=people["specialist"], csr_pem="hello"
        )
    assert not CertificateRequest.objects.exists()


# --- after issue ----------------------------------------------------------------------------------
def test_suspend_reinstate_revoke_each_publish_a_new_crl(pki, people):
    cert = issue_personal(people["leader"])
    numbers = [CertificateAuthority.objects.get(pk=pki.issuing.pk).crl_number]

    def crl_number():
        numbers.append(CertificateAuthority.objects.get(pk=pki.issuing.pk).crl_number)
        return numbers[-1]

    services.suspend_certificate(people["leader"], cert, "đi công tác, gửi thiết bị")
    assert cert.status == "suspended" and cert.revocation_reason == 6
    assert crl_number() == numbers[0] + 1
    with pytest.raises(PermissionDenied):
        services.unsuspend_certificate(people["leader"], cert)  # not her own reinstatement
    services.unsuspend_certificate(people["admin"], cert)
    assert cert.status == "active" and cert.revoked_at is None
    assert crl_number() == numbers[0] + 2
    services.revoke_certificate(people["admin"], cert, 3, "chuyển công tác")
    assert (cert.status, cert.revocation_reason) == ("revoked", 3)
    assert crl_number() == numbers[0] + 3
    with pytest.raises(services.NotAllowedNow):
        services.revoke_certificate(people["admin"], cert, 1)
    with pytest.raises(services.NotAllowedNow, match="revoked"):
        services.identity_for(cert)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "pki.certificate.suspend",
        "pki.certificate.unsuspend",
        "pki.certificate.revoke",
    } <= actions


def test_a_holder_may_revoke_her_own_certificate_but_others_may_not(pki, people):
    cert = issue_personal(people["specialist"])
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(people["clerk"], cert, 1)
    with pytest.raises(PermissionDenied):
        services.suspend_certificate(people["other_admin"], cert)
    with pytest.raises(ValidationError):
        services.revoke_certificate(people["specialist"], cert, 6)  # hold is not a revocation
    services.revoke_certificate(people["specialist"], cert, 1, "mất USB token")
    assert cert.status == "revoked"


def test_renewal_issues_a_new_key_and_supersedes_the_old_certificate(pki, people):
    old = issue_personal(people["leader"])
    request = services.renew_certificate(people["leader"], old)
    assert request.renews == old and request.status == "requested"
    old.refresh_from_db()
    assert old.status == "active"  # until the renewal is issued
    services.approve_request(people["admin"], request)
    new = Certificate.objects.get(request=request)
    old.refresh_from_db()
    assert (old.status, old.revocation_reason) == ("revoked", 4)  # superseded
    assert new.key_reference != old.key_reference
    assert parsed(new).public_key().public_numbers() != parsed(old).public_key().public_numbers()
    assert services.active_certificate(user=people["leader"]) == new


def test_an_expired_certificate_cannot_sign_or_change(pki, people):
    cert = issue_personal(
        people["leader"],
        not_before=timezone.now() - dt.timedelta(days=400),
        not_after=timezone.now() - dt.timedelta(days=1),
    )
    assert cert.effective_status == "expired"
    with pytest.raises(services.NotAllowedNow):
        services.identity_for(cert)
    with pytest.raises(services.NotAllowedNow):
        services.suspend_certificate(people["admin"], cert)
    identity = services.identity_for(cert, allow_inactive=True)
    assert identity.signer is not None


def test_counts_per_agency(pki, people, tree):
    now = timezone.now()
    issue_personal(people["leader"])
    issue_personal(
        people["clerk"],
        not_before=now - dt.timedelta(days=300),
        not_after=now + dt.timedelta(days=10),
    )
    revoked = issue_seal(tree["stttt"])
    services.revoke_certificate(None, revoked, 5)
    suspended = issue_personal(people["unit_leader"])
    services.suspend_certificate(None, suspended)
    issue_personal(people["stp_specialist"])
    services.request_certificate(people["specialist"], kind=PERSONAL, holder=people["specialist"])

    counts = {c.agency.code: c for c in queries.certificate_counts([tree["stttt"], tree["stp"]])}
    stttt = counts["000.00.05.H16"]
    assert (stttt.issued, stttt.active, stttt.suspended, stttt.revoked, stttt.expired) == (
        4,
        2,
        1,
        1,
        0,
    )
    assert stttt.expiring == 1 and stttt.pending_requests == 1
    assert (counts["000.00.06.H16"].issued, counts["000.00.06.H16"].active) == (1, 1)
    # The OCSP and TSA certificates of the CA are not counted anywhere.
    assert sum(c.issued for c in counts.values()) == Certificate.objects.count() - 2


def test_holders_see_their_own_administrators_their_agency(pki, people, tree):
    mine = issue_personal(people["specialist"])
    other = issue_personal(people["stp_specialist"])
    seal = issue_seal(tree["stttt"])
    assert set(queries.visible_certificates(people["specialist"])) == {mine}
    assert set(queries.visible_certificates(people["admin"])) == {mine, seal}
    assert set(queries.visible_certificates(people["other_admin"])) == {other}
    # Leaders and clerks see the seal of their agency: they use it.
    assert seal in queries.visible_certificates(people["clerk"])
    assert mine not in queries.visible_certificates(people["clerk"])
    assert set(queries.visible_certificates(people["sysadmin"])) >= {mine, other, seal}

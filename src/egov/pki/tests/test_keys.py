"""Private keys stay in their store: encrypted PKCS#12 files or an HSM (SoftHSM2 here)."""

import asyncio
import io
import stat

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_der_public_key, pkcs12
from django.core.management import call_command

from egov.core.models import Role
from egov.pki import keys, services
from egov.pki.models import CertificateAuthority, KeyStorage
from egov.pki.testing import issue_personal

pytestmark = pytest.mark.django_db


def verify(ref, data, signature):
    public = load_der_public_key(keys.public_key_info(ref).dump())
    public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())


def test_a_pkcs12_key_file_is_encrypted_and_readable_only_by_its_owner(settings):
    ref = keys.generate_key(KeyStorage.PKCS12, "Nguyễn Văn An")
    path = keys._Pkcs12Store.path(ref.reference)
    blob = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in blob
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(blob, None)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(blob, b"a guessed passphrase")

    signature = keys.sign(ref, b"Quyet dinh 15/QD-UBND")
    verify(ref, b"Quyet dinh 15/QD-UBND", signature)


def test_a_key_file_cannot_be_used_once_the_secret_changes(settings):
    ref = keys.generate_key(KeyStorage.PKCS12, "seal")
    keys._Pkcs12Store._cache.clear()  # a new process: nothing decrypted yet
    settings.EGOV_PKI_KEY_SECRET = "another-secret"
    with pytest.raises(keys.KeyStoreError, match="cannot be decrypted"):
        keys.sign(ref, b"data")


def test_key_references_print_no_key_material():
    ref = keys.generate_key(KeyStorage.PKCS12, "official")
    assert repr(ref).startswith("KeyRef(pkcs12:official-")
    assert "PRIVATE" not in repr(ref)


def test_signer_for_a_pkcs12_certificate_is_a_simple_signer(pki, tree, make_official):
    from pyhanko.sign.signers import SimpleSigner

    cert = issue_personal(make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER))
    identity = services.identity_for(cert)
    assert isinstance(identity.signer, SimpleSigner)
    assert identity.certificate.dump() == bytes(cert.der)
    assert [c.subject.native["common_name"] for c in identity.chain] == [
        pki.issuing.common_name,
        pki.root.common_name,
    ]
    signature = identity.signer.sign_raw(b"hello", "sha256")
    public = load_der_public_key(identity.certificate.public_key.dump())
    public.verify(signature, b"hello", padding.PKCS1v15(), hashes.SHA256())


# --- HSM -----------------------------------------------------------------------------------------
def test_a_key_generated_in_the_hsm_signs_and_cannot_be_read_out(hsm):
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    ref = keys.generate_key(KeyStorage.PKCS11, "giamdoc.stttt")
    assert ref.reference.startswith(f"{hsm['label']}/")
    signature = keys.sign(ref, b"Quyet dinh")
    verify(ref, b"Quyet dinh", signature)

    key = keys._Hsm._key(ref.reference, ObjectClass.PRIVATE_KEY)
    assert key[Attribute.SENSITIVE] is True
    assert key[Attribute.EXTRACTABLE] is False
    with pytest.raises(pkcs11.PKCS11Error):
        key[Attribute.PRIVATE_EXPONENT]


def test_the_whole_ca_can_live_in_the_hsm(hsm, tree, make_official, tmp_path):
    from pyhanko.sign.pkcs11 import PKCS11Signer

    call_command("setup_pki", storage="pkcs11", stdout=io.StringIO())
    issuing = CertificateAuthority.objects.get(kind="issuing")
    assert issuing.key_storage == KeyStorage.PKCS11
    cert = issue_personal(
        make_official("giamdoc.stttt", tree["stttt"], Role.AGENCY_LEADER), key_storage="pkcs11"
    )
    assert cert.key_storage == KeyStorage.PKCS11
    # The certificate was signed inside the HSM by the issuing CA's key.
    issuer_key = load_der_public_key(issuing.asn1.public_key.dump())
    issuer_key.verify(
        cert.asn1.signature,
        cert.asn1["tbs_certificate"].dump(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    identity = services.identity_for(cert)
    assert isinstance(identity.signer, PKCS11Signer)
    signature = asyncio.run(identity.signer.async_sign_raw(b"hello", "sha256"))
    load_der_public_key(cert.asn1.public_key.dump()).verify(
        signature, b"hello", padding.PKCS1v15(), hashes.SHA256()
    )
    # Suspension publishes a CRL signed in the HSM, too.
    services.suspend_certificate(None, cert)
    issuing.refresh_from_db()
    from asn1crypto import crl

    signed = crl.CertificateList.load(bytes(issuing.crl_der))
    issuer_key.verify(
        signed.signature, signed["tbs_cert_list"].dump(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert [
        e["user_certificate"].native for e in signed["tbs_cert_list"]["revoked_certificates"]
    ] == [cert.serial_int]


def test_a_wrong_hsm_pin_is_a_clear_error(hsm, settings):
    settings.EGOV_PKI_PKCS11_PIN = "000000"
    keys.reset_pkcs11()
    with pytest.raises(keys.KeyStoreError, match="cannot log in"):
        keys.generate_key(KeyStorage.PKCS11, "x")
    keys.reset_pkcs11()

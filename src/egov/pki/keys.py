"""Private keys that sign, wherever they are kept: an HSM (PKCS#11) or encrypted PKCS#12 files.

Everything else in the CA names a key by a :class:`KeyRef` (storage kind + reference, as stored
on the certificate or CA row) and asks this module to sign bytes with it. The key itself never
leaves its store:

- **PKCS#11** (``pkcs11``): the key pair is generated on the token, marked sensitive and not
  extractable; we keep the token label and the key label (``"<token>/<label>"``). Signing sends
  the data to the token (CKM_SHA256_RSA_PKCS). SoftHSM2 stands in for the HSM in tests and CI.
- **PKCS#12** (``pkcs12``): the key is generated in memory and written at once to
  ``EGOV_PKI_KEY_DIR/<reference>.p12``, encrypted with AES-256-CBC (PBES2, PBKDF2-SHA256). Each
  file's passphrase is derived from ``EGOV_PKI_KEY_SECRET`` and the file's reference, so the
  files alone are useless and no passphrase is stored anywhere. A decrypted key is kept in the
  process's memory after its first use (signing needs it there anyway), as a ``cryptography``
  key object: decrypting a file (PBKDF2) and loading an RSA key (``cryptography`` checks the
  key, ~25 ms for RSA-2048) are paid once per key and process, not per signature.

:func:`signer_for` gives pyHanko a signer that signs through this module. For a PKCS#12 key it
is a :class:`StoreSigner`, which holds no key material at all (pyHanko's own ``SimpleSigner``
keeps the key as DER and parses it again for every signature, which cost more than the rest of
a PAdES signature together); one is made per certificate and process and shared by threads,
since it keeps no state between signatures. A PKCS#11 signer is bound to the calling thread's
token session, so it is made per call (that costs no key operation).

No function here returns, logs or serialises a private key; ``KeyRef`` prints only its
reference.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from asn1crypto import algos, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.sign.attributes import SigningCertificateV2Provider
from pyhanko.sign.general import SigningError, as_signing_certificate_v2
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .models import KeyStorage

logger = logging.getLogger(__name__)

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
# PBKDF2 rounds of the PKCS#12 encryption: slow enough against guessing, and paid only once per
# key and process (decrypted keys are cached).
PKCS12_KDF_ROUNDS = 100_000
_CACHE_SIZE = 512


class KeyStoreError(Exception):
    """A key could not be created, found or used (missing file, token absent, wrong PIN…)."""


@dataclass(frozen=True)
class KeyRef:
    """Names a private key: which store, and where in it. Safe to print and to store."""

    storage: str
    reference: str

    def __repr__(self):
        return f"KeyRef({self.storage}:{self.reference})"

    @classmethod
    def of(cls, row) -> KeyRef:
        """The key of a ``Certificate`` or ``CertificateAuthority`` row."""
        if row.key_storage == KeyStorage.EXTERNAL or not row.key_reference:
            raise KeyStoreError(f"{row} has no key in our stores (the holder keeps it)")
        return cls(row.key_storage, row.key_reference)


# --- public interface -----------------------------------------------------------------------------
def generate_key(storage: str, label: str, bits: int | None = None) -> KeyRef:
    """Create an RSA key pair in ``storage`` and return its reference.

    ``label`` is a readable hint (``"issuing-ca"``, ``"official-12"``); a random suffix makes
    the reference unique, so a re-issued key never overwrites an old one.
    """
    bits = bits or settings.EGOV_PKI_KEY_SIZE
    reference = f"{_slug(label)}-{secrets.token_hex(6)}"
    if storage == KeyStorage.PKCS12:
        _Pkcs12Store.generate(reference, bits)
    elif storage == KeyStorage.PKCS11:
        reference = _Hsm.generate(reference, bits)
    else:
        raise KeyStoreError(f"unknown key storage {storage!r}")
    return KeyRef(storage, reference)


def public_key_info(ref: KeyRef) -> asn1_keys.PublicKeyInfo:
    """The public half of the key (SubjectPublicKeyInfo), to put in a certificate."""
    if ref.storage == KeyStorage.PKCS12:
        der = (
            _Pkcs12Store.load(ref.reference)
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return asn1_keys.PublicKeyInfo.load(der)
    return _Hsm.public_key_info(ref.reference)


def sign(ref: KeyRef, data: bytes, hash_algo: str = "sha256") -> bytes:
    """Sign ``data`` with RSASSA-PKCS1-v1_5 and ``hash_algo`` (the token hashes, too)."""
    if hash_algo not in HASHES:
        raise KeyStoreError(f"unsupported hash {hash_algo!r}")
    if ref.storage == KeyStorage.PKCS12:
        key = _Pkcs12Store.load(ref.reference)
        return key.sign(data, padding.PKCS1v15(), HASHES[hash_algo]())
    return _Hsm.sign(ref.reference, data, hash_algo)


def signature_algorithm(hash_algo: str = "sha256") -> algos.SignedDigestAlgorithm:
    """The AlgorithmIdentifier of what :func:`sign` produces."""
    return algos.SignedDigestAlgorithm({"algorithm": f"{hash_algo}_rsa"})


class StoreSigner(SimpleSigner):
    """A pyHanko ``SimpleSigner`` whose key stays in the PKCS#12 store: it holds only the
    key's :class:`KeyRef` and signs with :func:`sign` (RSASSA-PKCS1-v1_5, the mechanism
    ``SimpleSigner`` uses for an RSA certificate).

    ``signing_key`` is None, so the object carries no private key to leak or to parse again.
    It keeps no state between signatures, so one object serves every thread of the process.
    """

    def __init__(self, key: KeyRef, signing_cert: asn1_x509.Certificate, chain):
        super().__init__(
            signing_cert=signing_cert,
            signing_key=None,
            # The chain only: pyHanko adds the signer's certificate to the CMS itself (with it
            # here too, every signature carried that certificate twice).
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        self.key = key
        self.chain = tuple(chain)  # issuing CA, then root
        # asn1crypto parses lazily, writing into the objects as it goes: parse them all now,
        # before threads share them.
        for cert in (signing_cert, *chain):
            cert.native  # noqa: B018

    def __repr__(self):
        return f"StoreSigner({self.key!r})"

    def _signed_attr_providers(self, *args, **kwargs):
        # The ESS signing-certificate-v2 attribute is the same in every signature: encode it
        # once. Built afresh, asn1crypto encoded it again at every level of nesting (each
        # level reads its children's encoding twice): ~3 ms of a ~15 ms signature.
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if (
                type(provider) is SigningCertificateV2Provider
                and provider.signing_cert is self.signing_cert
            ):
                yield _EncodedSigningCertificateV2(self._signing_certificate_v2)
            else:
                yield provider

    @cached_property
    def _signing_certificate_v2(self) -> bytes:
        return as_signing_certificate_v2(self.signing_cert).dump()

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            raise SigningError(f"{self.key!r} signs with RSASSA-PKCS1-v1_5, not {mechanism}")
        return sign(self.key, data, digest_algorithm)


class _EncodedSigningCertificateV2(SigningCertificateV2Provider):
    """pyHanko's provider of the attribute, with the value decoded from its DER."""

    def __init__(self, der: bytes):
        self.der = der

    async def build_attr_value(self, dry_run=False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self.der)


# Signers for PKCS#12 keys, per certificate (DER digest) and key, most recently used last
# (~70 KB each: the parsed certificate and what pyHanko derives from it).
_SIGNER_CACHE_SIZE = 256
_signers: OrderedDict[tuple[bytes, KeyRef], StoreSigner] = OrderedDict()
_signers_lock = threading.Lock()


# CA certificates as the signers share them (a chain is the same for all holders), by DER.
_ca_certificates: OrderedDict[bytes, asn1_x509.Certificate] = OrderedDict()


def _shared_ca_certificate(cert: asn1_x509.Certificate) -> asn1_x509.Certificate:
    der = cert.dump()
    with _signers_lock:
        shared = _ca_certificates.setdefault(der, cert)
        _ca_certificates.move_to_end(der)
        while len(_ca_certificates) > 64:
            _ca_certificates.popitem(last=False)
    return shared


def signer_for(certificate, chain: list[asn1_x509.Certificate] | None = None) -> Signer:
    """A pyHanko signer for ``certificate`` (a ``Certificate`` or ``CertificateAuthority`` row):
    a :class:`StoreSigner` (a ``SimpleSigner``) for a PKCS#12 key, ``PKCS11Signer`` for a key on
    the HSM.

    ``chain`` (issuing CA, then root) is registered with the signer so that signatures embed it;
    by default it is read from the row's issuer. The PKCS#12 signer is made once per certificate
    and process: a certificate's DER, key and chain never change.
    """
    ref = KeyRef.of(certificate)
    if ref.storage == KeyStorage.PKCS12:
        # Decrypted now (or found in memory), so an unusable key fails here, before signing.
        _Pkcs12Store.load(ref.reference)
        cache_key = (hashlib.sha256(bytes(certificate.der)).digest(), ref)
        with _signers_lock:
            signer = _signers.get(cache_key)
            if signer is not None:
                _signers.move_to_end(cache_key)
                return signer
        cert = certificate.asn1
        if chain is None:
            chain = chain_of(certificate)
        signer = StoreSigner(ref, cert, [_shared_ca_certificate(c) for c in chain])
        with _signers_lock:
            signer = _signers.setdefault(cache_key, signer)
            _signers.move_to_end(cache_key)
            while len(_signers) > _SIGNER_CACHE_SIZE:
                _signers.popitem(last=False)
        return signer
    from pyhanko.sign.pkcs11 import PKCS11Signer

    cert = certificate.asn1
    if chain is None:
        chain = chain_of(certificate)
    token_label, key_label = _Hsm.split(ref.reference)
    return PKCS11Signer(
        pkcs11_session=_Hsm.session(token_label),
        signing_cert=cert,
        key_label=key_label,
        ca_chain=chain,
    )


def chain_of(row) -> list[asn1_x509.Certificate]:
    """CA certificates above ``row``, nearest first (issuing CA, then root)."""
    chain = []
    ca = getattr(row, "issuer", None) or getattr(row, "parent", None)
    while ca is not None:
        chain.append(ca.asn1)
        ca = ca.parent
    return chain


def destroy_key(ref: KeyRef) -> None:
    """Delete a key that never got a certificate (issuance failed after the key was made)."""
    try:
        if ref.storage == KeyStorage.PKCS12:
            _Pkcs12Store.destroy(ref.reference)
        elif ref.storage == KeyStorage.PKCS11:
            _Hsm.destroy(ref.reference)
    except Exception:  # noqa: BLE001 - clean-up must not hide the error that caused it
        logger.warning("could not remove unused key %s", ref.reference)


def reset_pkcs11() -> None:
    """Forget open PKCS#11 sessions and re-initialise the module (tests create tokens after
    the module was loaded; SoftHSM2 reads its token directory at initialisation)."""
    _Hsm.reset()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "key"


# --- encrypted PKCS#12 files ----------------------------------------------------------------------
class _Pkcs12Store:
    _cache: OrderedDict[str, rsa.RSAPrivateKey] = OrderedDict()
    _lock = threading.Lock()

    @staticmethod
    def directory() -> Path:
        path = Path(settings.EGOV_PKI_KEY_DIR)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    @staticmethod
    def passphrase(reference: str) -> bytes:
        secret = settings.EGOV_PKI_KEY_SECRET or settings.SECRET_KEY
        if not secret:
            raise ImproperlyConfigured("EGOV_PKI_KEY_SECRET (or SECRET_KEY) must be set")
        digest = hmac.new(
            secret.encode(), f"egov-pki-pkcs12:{reference}".encode(), hashlib.sha256
        ).digest()
        return base64.urlsafe_b64encode(digest)

    @classmethod
    def path(cls, reference: str) -> Path:
        if not re.fullmatch(r"[a-z0-9-]+", reference):
            raise KeyStoreError(f"bad key reference {reference!r}")
        return cls.directory() / f"{reference}.p12"

    @classmethod
    def generate(cls, reference: str, bits: int) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(PKCS12_KDF_ROUNDS)
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(cls.passphrase(reference))
        )
        blob = pkcs12.serialize_key_and_certificates(
            reference.encode(), key, None, None, encryption
        )
        # Created owner-only and exclusively: an existing file is never overwritten.
        fd = os.open(cls.path(reference), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
        cls._remember(reference, key)

    @classmethod
    def load(cls, reference: str) -> rsa.RSAPrivateKey:
        with cls._lock:
            key = cls._cache.get(reference)
            if key is not None:
                cls._cache.move_to_end(reference)
                return key
        try:
            blob = cls.path(reference).read_bytes()
        except FileNotFoundError as error:
            raise KeyStoreError(f"key file {reference}.p12 is missing") from error
        try:
            key, _cert, _extra = pkcs12.load_key_and_certificates(blob, cls.passphrase(reference))
        except ValueError as error:
            raise KeyStoreError(
                f"key file {reference}.p12 cannot be decrypted (EGOV_PKI_KEY_SECRET changed?)"
            ) from error
        cls._remember(reference, key)
        return key

    @classmethod
    def _remember(cls, reference: str, key) -> None:
        with cls._lock:
            cls._cache[reference] = key
            cls._cache.move_to_end(reference)
            while len(cls._cache) > _CACHE_SIZE:
                cls._cache.popitem(last=False)

    @classmethod
    def destroy(cls, reference: str) -> None:
        with cls._lock:
            cls._cache.pop(reference, None)
        with _signers_lock:
            for cache_key in [k for k in _signers if k[1].reference == reference]:
                del _signers[cache_key]
        cls.path(reference).unlink(missing_ok=True)


# --- PKCS#11 (HSM) ------------------------------------------------------------------------------
class _Hsm:
    """One PKCS#11 module per process: a logged-in session per token (PKCS#11 login state is
    shared by all sessions of an application), and one working session per thread and token."""

    _lock = threading.RLock()
    _lib = None
    _pid = None
    _login_sessions: dict = {}
    _local = threading.local()

    @staticmethod
    def split(reference: str) -> tuple[str, str]:
        token, _sep, label = reference.partition("/")
        if not label:
            raise KeyStoreError(f"bad PKCS#11 key reference {reference!r}")
        return token, label

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            for session in cls._login_sessions.values():
                with contextlib.suppress(Exception):  # the module is re-initialised next
                    session.close()
            cls._login_sessions = {}
            cls._local = threading.local()
            if cls._lib is not None:
                try:
                    cls._lib.reinitialize()
                except Exception:  # noqa: BLE001
                    cls._lib = None

    @classmethod
    def lib(cls):
        import pkcs11

        with cls._lock:
            if cls._lib is not None and cls._pid != os.getpid():
                # After fork() a PKCS#11 module must be initialised again in the child.
                cls._login_sessions, cls._local = {}, threading.local()
                cls._lib.reinitialize()
                cls._pid = os.getpid()
            if cls._lib is None:
                module = settings.EGOV_PKI_PKCS11_MODULE
                if not Path(module).exists():
                    raise KeyStoreError(f"PKCS#11 module {module} is not installed")
                cls._lib = pkcs11.lib(module)
                cls._pid = os.getpid()
            return cls._lib

    @classmethod
    def _token(cls, label: str):
        import pkcs11

        try:
            return cls.lib().get_token(token_label=label)
        except (pkcs11.NoSuchToken, pkcs11.MultipleTokensReturned):
            # A token initialised after the module was loaded is seen after a re-initialisation.
            cls.reset()
            try:
                return cls.lib().get_token(token_label=label)
            except pkcs11.NoSuchToken as error:
                raise KeyStoreError(f"no PKCS#11 token labelled {label!r}") from error

    @classmethod
    def session(cls, token_label: str):
        """A read-write session of this thread on the token, logged in."""
        import pkcs11

        sessions = getattr(cls._local, "sessions", None)
        if sessions is None:
            sessions = cls._local.sessions = {}
        if token_label in sessions:
            return sessions[token_label]
        with cls._lock:
            token = cls._token(token_label)
            if token_label not in cls._login_sessions:
                try:
                    cls._login_sessions[token_label] = token.open(
                        user_pin=settings.EGOV_PKI_PKCS11_PIN, rw=True
                    )
                except pkcs11.UserAlreadyLoggedIn:
                    cls._login_sessions[token_label] = token.open(rw=True)
                except pkcs11.PKCS11Error as error:
                    raise KeyStoreError(
                        f"cannot log in to PKCS#11 token {token_label!r}: {type(error).__name__}"
                    ) from error
            sessions[token_label] = token.open(rw=True)
        return sessions[token_label]

    @classmethod
    def generate(cls, label: str, bits: int) -> str:
        from pkcs11 import Attribute, KeyType

        token_label = settings.EGOV_PKI_PKCS11_TOKEN
        session = cls.session(token_label)
        key_id = hashlib.sha1(label.encode(), usedforsecurity=False).digest()
        session.generate_keypair(
            KeyType.RSA,
            bits,
            label=label,
            id=key_id,
            store=True,
            public_template={Attribute.VERIFY: True, Attribute.TOKEN: True},
            # The private key can sign and nothing else: it can never be read out or wrapped.
            private_template={
                Attribute.SIGN: True,
                Attribute.TOKEN: True,
                Attribute.PRIVATE: True,
                Attribute.SENSITIVE: True,
                Attribute.EXTRACTABLE: False,
                Attribute.DECRYPT: False,
                Attribute.UNWRAP: False,
            },
        )
        return f"{token_label}/{label}"

    @classmethod
    def _key(cls, reference: str, object_class):
        import pkcs11

        token_label, label = cls.split(reference)
        session = cls.session(token_label)
        try:
            return session.get_key(object_class=object_class, label=label)
        except pkcs11.NoSuchKey as error:
            raise KeyStoreError(f"no key {label!r} on token {token_label!r}") from error

    @classmethod
    def public_key_info(cls, reference: str) -> asn1_keys.PublicKeyInfo:
        from pkcs11 import ObjectClass
        from pkcs11.util.rsa import encode_rsa_public_key

        public = cls._key(reference, ObjectClass.PUBLIC_KEY)
        return asn1_keys.PublicKeyInfo(
            {
                "algorithm": {"algorithm": "rsa"},
                "public_key": asn1_keys.RSAPublicKey.load(encode_rsa_public_key(public)),
            }
        )

    @classmethod
    def sign(cls, reference: str, data: bytes, hash_algo: str) -> bytes:
        from pkcs11 import Mechanism, ObjectClass

        mechanism = {
            "sha256": Mechanism.SHA256_RSA_PKCS,
            "sha384": Mechanism.SHA384_RSA_PKCS,
            "sha512": Mechanism.SHA512_RSA_PKCS,
        }[hash_algo]
        key = cls._key(reference, ObjectClass.PRIVATE_KEY)
        return key.sign(data, mechanism=mechanism)

    @classmethod
    def destroy(cls, reference: str) -> None:
        from pkcs11 import ObjectClass

        for object_class in (ObjectClass.PRIVATE_KEY, ObjectClass.PUBLIC_KEY):
            cls._key(reference, object_class).destroy()

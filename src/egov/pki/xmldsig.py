"""XML signatures (XML-DSig, enveloped, RSA-SHA256) for edXML packages between agencies.

Signing: :func:`sign_xml` signs a whole document with a :class:`SigningIdentity` and puts the
certificate chain in ``KeyInfo/X509Data`` (signer first), so a peer can build the path to our
root. The key never leaves its store: signxml gets :class:`IdentityKey`, which hands the bytes
to sign to the identity's pyHanko signer — a software key (PKCS#12) or a PKCS#11 token alike.
For a token, the pyHanko ``PKCS11Signer`` must have an open session (the PIN entered) for the
duration of the call, and the key must be RSA with CKM_SHA256_RSA_PKCS allowed.

Verification: :func:`verify_xml` checks the signature value and the digests with signxml
against the certificate the signature carries, then — because anyone can put any certificate
in KeyInfo — builds the chain to one of *our* trust anchors with pyhanko-certvalidator and the
validation context (validity and revocation now: an edXML signature has no timestamp), and
answers with the ETSI EN 319 102-1 indication, like the PDF validation. Callers use
``report.signed_root`` — the part the signature really covers — never the parsed input, so a
wrapped or moved element cannot smuggle unsigned content in.
"""

from __future__ import annotations

import base64
import functools
import weakref
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.utils.translation import gettext as _
from lxml import etree
from pyhanko_certvalidator import CertificateValidator
from pyhanko_certvalidator import errors as cv_errors
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)
from signxml.exceptions import InvalidDigest, InvalidInput, InvalidSignature, SignXMLException
from signxml.verifier import SignatureConfiguration

from .appearance import vietnam_time
from .pades import validation_context_factory
from .reports import (
    INDICATION_LABELS,
    SUB_INDICATION_TEXTS,
    Indication,
    Revocation,
    Signer,
    describe_signer,
)
from .sync import run_coroutine

# signxml builds its XML schemas on first use under a lock it makes anew on every call, so
# nothing is excluded: the first verifications in a fresh multi-threaded worker raced inside
# lxml ("xmlSchemaPValAttrNodeValue" internal error, HTTP 500 for every package after a
# restart). Building them once, at import, leaves nothing to race.
XMLVerifier.schemas()

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N = CanonicalizationMethod.CANONICAL_XML_1_0  # the most widely implemented (peers vary)
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class XmlSignatureError(ValueError):
    """The XML cannot be signed or read (malformed, no signature where one is needed)."""


# --- signing -------------------------------------------------------------------------------
class IdentityKey:
    """What signxml needs of a private key — ``sign(data, padding, algorithm)`` — done by the
    identity's pyHanko signer, so the key material stays in its store."""

    def __init__(self, identity):
        self.signer = identity.signer
        mechanism = self.signer.get_signature_mechanism_for_digest("sha256")
        if mechanism.signature_algo not in ("rsassa_pkcs1v15", "sha256_rsa"):
            raise XmlSignatureError(
                f"XML signatures use RSA-SHA256 (PKCS#1 v1.5); this key signs with "
                f"{mechanism.signature_algo}."
            )

    def sign(self, data: bytes, padding=None, algorithm=None) -> bytes:
        if not isinstance(padding, PKCS1v15) or not isinstance(algorithm, hashes.SHA256):
            raise XmlSignatureError("Only RSA-SHA256 with PKCS#1 v1.5 padding is supported.")
        # signxml is synchronous; pyHanko signers are asynchronous (a token may be remote).
        return run_coroutine(self.signer.async_sign_raw, data, "sha256")


def _pem(cert: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(cert.dump())


def sign_xml(
    xml: bytes,
    identity,
    *,
    c14n: CanonicalizationMethod = C14N,
    references: Sequence[str] | None = None,
) -> bytes:
    """Sign the whole document (enveloped signature, reference URI ""), RSA-SHA256.

    The ``ds:Signature`` goes where the document has a placeholder
    ``<ds:Signature Id="placeholder"/>`` (edXML: in the header), else at the end of the root.
    With ``references`` (``Id`` values), only those elements are signed, one reference
    ``#<Id>`` each (with the enveloped-signature transform, so an element may hold the
    signature): the document must then carry its own proof for the rest (edXML: the manifest
    lists each attachment's digest).
    """
    try:
        root = etree.fromstring(xml, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise XmlSignatureError(_("The XML document is not well-formed.")) from error
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=c14n,
    )
    chain = [_pem(identity.certificate), *(_pem(c) for c in identity.chain)]
    uris = [f"#{one}" for one in references] if references else None
    signed = signer.sign(root, key=IdentityKey(identity), cert=chain, reference_uri=uris)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


# --- verification --------------------------------------------------------------------------
@dataclass
class XmlSignatureReport:
    indication: str
    indication_label: str
    sub_indication: str | None
    reasons: list[str]
    signer: Signer | None
    trusted: bool
    trust_anchor: str | None
    chain: list[str]
    revocation: Revocation
    intact: bool
    signed_root: etree._Element | None = field(default=None, repr=False)
    # With ``verify_xml(references=…)``: Id → the element as signed.
    signed_parts: dict[str, etree._Element] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("signed_root")
        data.pop("signed_parts")
        return data


def _report(indication: Indication, sub=None, reasons=(), **values) -> XmlSignatureReport:
    values.setdefault("revocation", Revocation(status="unknown"))
    defaults = {
        "signer": None,
        "trusted": False,
        "trust_anchor": None,
        "chain": [],
        "intact": False,
    }
    return XmlSignatureReport(
        indication=str(indication),
        indication_label=str(INDICATION_LABELS[indication]),
        sub_indication=sub,
        reasons=[str(r) for r in reasons],
        **(defaults | values),
    )


@functools.lru_cache(maxsize=256)
def _certificate(der: bytes) -> asn1_x509.Certificate:
    """The parsed certificate of ``der``. Peers send the same few certificates in every
    package; asn1crypto parses a certificate's fields lazily and keeps them in the object, so
    reusing it saves re-parsing the extensions on each package (~2 ms per package received)."""
    return asn1_x509.Certificate.load(der)


def _embedded_certificates(root) -> list[asn1_x509.Certificate]:
    certs = []
    for node in root.iterfind(f".//{{{DS}}}Signature/{{{DS}}}KeyInfo//{{{DS}}}X509Certificate"):
        certs.append(_certificate(base64.b64decode("".join(node.text.split()))))
    return certs


def _candidates(certs) -> list[asn1_x509.Certificate]:
    """End-entity certificates first: the signer is the one no other certificate names as
    issuer."""
    issuers = {c.issuer.sha256 for c in certs}
    leaves = [c for c in certs if not c.ca and c.subject.sha256 not in issuers]
    return leaves + [c for c in certs if c not in leaves]


# A validation context validates as of one moment with what it holds, so the same chain
# checked again with the same context gets the same answer: callers that keep a context (the
# exchange keeps one per peer and thread for a minute) get the answer without building the
# path again — it was a fifth of the CPU of receiving a package.
_checked_with: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _check_trust(leaf, others, context) -> tuple[Indication, str | None, list[str], dict]:
    """Path to our trust anchor, validity and revocation now (no timestamp: no past proof);
    remembered for as long as ``context`` lives."""
    checked = _checked_with.get(context)
    if checked is None:
        checked = _checked_with[context] = {}
    chain = (leaf.sha256, *(c.sha256 for c in others))
    if chain not in checked:
        checked[chain] = _build_and_check_path(leaf, others, context)
    indication, sub, reasons, values = checked[chain]
    return indication, sub, list(reasons), dict(values)


def _build_and_check_path(leaf, others, context) -> tuple[Indication, str | None, list, dict]:
    validator = CertificateValidator(leaf, intermediate_certs=others, validation_context=context)
    try:
        path = run_coroutine(validator.async_validate_usage, {"digital_signature"})
    except cv_errors.PathBuildingError:
        return Indication.INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND", [], {}
    except cv_errors.RevokedError as error:
        revocation = Revocation(
            status="revoked",
            revoked_at=vietnam_time(error.revocation_dt) if error.revocation_dt else None,
            reason=str(error.reason.native) if error.reason else None,
        )
        sub = "REVOKED_NO_POE" if error.is_ee_cert else "REVOKED_CA_NO_POE"
        return Indication.INDETERMINATE, sub, [], {"revocation": revocation}
    except cv_errors.ExpiredError:
        return Indication.INDETERMINATE, "OUT_OF_BOUNDS_NO_POE", [], {}
    except cv_errors.InvalidCertificateError:
        return Indication.INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE", [], {}
    except (cv_errors.PathValidationError, cv_errors.ValidationError):
        return Indication.INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE", [], {}
    names = [
        c.subject.native.get("common_name") or c.subject.human_friendly
        for c in path.iter_certs(include_root=True)
    ]
    return (
        Indication.TOTAL_PASSED,
        None,
        [],
        {
            "trusted": True,
            "trust_anchor": path.trust_anchor.authority.name.native.get("common_name"),
            "chain": names,
            "revocation": Revocation(status="good"),
        },
    )


def verify_xml(
    xml: bytes,
    *,
    validation_context: Callable | None = None,
    references: Sequence[str] | None = None,
) -> XmlSignatureReport:
    """Verify the enveloped XML signature of ``xml`` against our trust anchors.

    ``validation_context`` is a factory ``at → ValidationContext`` (default
    ``EGOV_PKI_VALIDATION_CONTEXT``). Raises :class:`XmlSignatureError` for XML that is not
    well-formed or carries no signature.

    By default the signature must cover the whole document (one reference, URI ""). With
    ``references`` (``Id`` values, as :func:`sign_xml` takes them) it must have exactly these
    references ``#<Id>``, in this order, and ``report.signed_parts`` gives each element as
    signed (``signed_root`` is the first): what else the document holds is the caller's to
    check against them.
    """
    context_for = validation_context or validation_context_factory()
    try:
        root = etree.fromstring(xml, parser=SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise XmlSignatureError(_("The XML document is not well-formed.")) from error
    if root.find(f".//{{{DS}}}Signature") is None:
        raise XmlSignatureError(_("The XML document has no signature."))
    certs = _embedded_certificates(root)
    if not certs:
        return _report(
            Indication.INDETERMINATE,
            "NO_SIGNING_CERTIFICATE_FOUND",
            [SUB_INDICATION_TEXTS["NO_SIGNING_CERTIFICATE_FOUND"]],
        )
    config = SignatureConfiguration(
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        expect_references=len(references) if references else 1,
    )
    result, leaf, failure = None, None, None
    for candidate in _candidates(certs):
        try:
            result = XMLVerifier().verify(
                xml, x509_cert=_pem(candidate), expect_config=config, parser=SAFE_PARSER
            )
            leaf = candidate
            break
        except InvalidDigest as error:  # the key matched; the signed content did not
            leaf, failure = candidate, ("HASH_FAILURE", error)
            break
        except InvalidSignature as error:
            failure = failure or ("SIG_CRYPTO_FAILURE", error)
        except (InvalidInput, SignXMLException, ValueError) as error:
            failure = failure or ("FORMAT_FAILURE", error)
    signer = describe_signer(leaf or _candidates(certs)[0])
    if result is None:
        sub, _error = failure
        reason = (
            _("The signed content was changed after signing.")
            if sub == "HASH_FAILURE"
            else SUB_INDICATION_TEXTS[sub]
        )
        return _report(Indication.TOTAL_FAILED, sub, [reason], signer=signer)
    results = result if isinstance(result, list) else [result]
    signed_info = results[0].signature_xml.find(f"{{{DS}}}SignedInfo")
    uris = [r.get("URI") for r in signed_info.iterfind(f"{{{DS}}}Reference")]
    expected = [f"#{one}" for one in references] if references else [""]
    if uris != expected:
        # Only a signature over the whole document (or the parts the caller names, which
        # vouch for the rest) protects an edXML package.
        return _report(
            Indication.TOTAL_FAILED,
            "FORMAT_FAILURE",
            [
                _("The signature does not cover the whole document.")
                if not references
                else _("The signature does not cover the parts of the document it must cover.")
            ],
            signer=signer,
        )
    others = [c for c in certs if c is not leaf]
    indication, sub, reasons, values = _check_trust(leaf, others, context_for(None))
    if sub:
        reasons = [SUB_INDICATION_TEXTS.get(sub, SUB_INDICATION_TEXTS["GENERIC"])]
    return _report(
        indication,
        sub,
        reasons,
        signer=signer,
        intact=True,
        signed_root=results[0].signed_xml,
        signed_parts=(
            {one: r.signed_xml for one, r in zip(references, results, strict=True)}
            if references
            else {}
        ),
        **values,
    )

"""What a signature check tells a person: the report's shape and its words.

The indications and sub-indications of ETSI EN 319 102-1 (§5.1.3) with what they mean to a
reader, and the dataclasses that :mod:`egov.pki.validation` (PDF) and :mod:`egov.pki.xmldsig`
(XML) fill in and the page and the API show. Times are ISO 8601 in Vietnam time.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy
from pyhanko.sign.fields import MDPPerm

from .appearance import vietnam_time


class Indication(enum.StrEnum):
    """The three main indications of ETSI EN 319 102-1 §5.1.3."""

    TOTAL_PASSED = "TOTAL-PASSED"
    TOTAL_FAILED = "TOTAL-FAILED"
    INDETERMINATE = "INDETERMINATE"


INDICATION_LABELS = {
    Indication.TOTAL_PASSED: gettext_lazy("Signature is valid"),
    Indication.TOTAL_FAILED: gettext_lazy("Signature is not valid"),
    Indication.INDETERMINATE: gettext_lazy("Signature cannot be confirmed"),
}

# What each sub-indication of EN 319 102-1 (Table 5.1.3) means to the reader.
SUB_INDICATION_TEXTS = {
    "FORMAT_FAILURE": gettext_lazy(
        "The signature is not built as the standard requires, or the document was changed in "
        "a way its signatures do not allow."
    ),
    "HASH_FAILURE": gettext_lazy("The signed content was changed after signing."),
    "SIG_CRYPTO_FAILURE": gettext_lazy(
        "The signature value does not match the signer's certificate."
    ),
    "REVOKED": gettext_lazy("The signer's certificate was revoked before the document was signed."),
    "NOT_YET_VALID": gettext_lazy(
        "The document was signed before the signer's certificate became valid."
    ),
    "NO_CERTIFICATE_CHAIN_FOUND": gettext_lazy(
        "The signer's certificate does not lead to a trusted certification authority."
    ),
    "NO_SIGNING_CERTIFICATE_FOUND": gettext_lazy(
        "The signer's certificate is missing from the signature."
    ),
    "REVOKED_NO_POE": gettext_lazy(
        "The signer's certificate has been revoked, and nothing proves the document was "
        "signed before that."
    ),
    "REVOKED_CA_NO_POE": gettext_lazy(
        "A certification authority in the chain has been revoked, and nothing proves the "
        "document was signed before that."
    ),
    "OUT_OF_BOUNDS_NO_POE": gettext_lazy(
        "The signer's certificate is outside its validity period, and nothing proves the "
        "document was signed while it was valid."
    ),
    "OUT_OF_BOUNDS_NOT_REVOKED": gettext_lazy(
        "The signer's certificate has expired; it was not revoked before."
    ),
    "EXPIRED": gettext_lazy("The document was signed after the signer's certificate expired."),
    "TRY_LATER": gettext_lazy(
        "Revocation information for the certificate is not available yet; try again later."
    ),
    "CHAIN_CONSTRAINTS_FAILURE": gettext_lazy(
        "A certificate in the chain may not be used for this signature."
    ),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": gettext_lazy(
        "The certificate chain could not be checked."
    ),
    "CRYPTO_CONSTRAINTS_FAILURE": gettext_lazy(
        "The signature uses an algorithm or key size that is no longer considered secure."
    ),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": gettext_lazy(
        "The signature uses an algorithm or key size that is no longer considered secure."
    ),
    "SIG_CONSTRAINTS_FAILURE": gettext_lazy("The signature does not meet the validation rules."),
    "TIMESTAMP_ORDER_FAILURE": gettext_lazy("The timestamps of the signature are out of order."),
    "NO_POE": gettext_lazy("Nothing proves when the document was signed."),
    "GENERIC": gettext_lazy("The signature could not be checked."),
}

MODIFICATION_TEXTS = {
    "NONE": gettext_lazy("Nothing was changed after signing: the signature covers the whole file."),
    "LTA_UPDATES": gettext_lazy(
        "After signing, only validation data and timestamps were added (allowed)."
    ),
    "FORM_FILLING": gettext_lazy(
        "After signing, only signatures and form fields were added (allowed)."
    ),
    "ANNOTATIONS": gettext_lazy("After signing, comments were added (allowed)."),
    "OTHER": gettext_lazy("The document was changed after signing in a way that is not allowed."),
}

REVOCATION_TEXTS = {
    "good": gettext_lazy("Not revoked."),
    "revoked": gettext_lazy("Revoked."),
    "revoked_after_signing": gettext_lazy("Revoked after the document was signed."),
    "unknown": gettext_lazy("Not known."),
}

KIND_TEXTS = {
    "approval": gettext_lazy("Digital signature"),
    "certification": gettext_lazy("Certifying signature"),
    "document_timestamp": gettext_lazy("Document timestamp"),
}

DOCMDP_TEXTS = {
    MDPPerm.NO_CHANGES: gettext_lazy("no changes allowed"),
    MDPPerm.FILL_FORMS: gettext_lazy("form filling and signing allowed"),
    MDPPerm.ANNOTATE: gettext_lazy("form filling, signing and comments allowed"),
}


# --- the report ----------------------------------------------------------------------------
@dataclass
class Signer:
    name: str
    agency: str
    agency_code: str
    title: str
    serial: str  # hex, as certificate viewers show it
    issuer: str
    valid_from: str
    valid_to: str
    sha256: str


@dataclass
class Timestamp:
    time: str
    authority: str
    valid: bool


@dataclass
class Revocation:
    status: str  # good | revoked | revoked_after_signing | unknown
    revoked_at: str | None = None
    reason: str | None = None  # RFC 5280 reason code, e.g. key_compromise
    text: str = ""

    def __post_init__(self):
        self.text = self.text or str(REVOCATION_TEXTS.get(self.status, ""))


@dataclass
class SignatureReport:
    field: str
    kind: str  # approval | certification | document_timestamp
    kind_text: str
    indication: str
    indication_label: str
    sub_indication: str | None
    reasons: list[str]
    signer: Signer | None
    claimed_signing_time: str | None
    timestamp: Timestamp | None
    trusted: bool
    trust_anchor: str | None
    chain: list[str]
    revocation: Revocation
    intact: bool
    coverage: str | None
    modification: str | None
    modification_text: str
    modifications_permitted: bool
    docmdp: str | None
    level: str


@dataclass
class ValidationReport:
    file_name: str
    sha256: str
    size: int
    validated_at: str
    indication: str | None
    indication_label: str
    summary: str
    signatures: list[SignatureReport] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _subject(cert, attribute: str) -> str:
    value = cert.subject.native.get(attribute, "")
    return " ".join(value) if isinstance(value, list) else str(value or "")


def describe_signer(cert) -> Signer:
    """Who a certificate names: person or agency, agency code, serial, issuer, validity."""
    return Signer(
        name=_subject(cert, "common_name"),
        agency=_subject(cert, "organization_name"),
        agency_code=_subject(cert, "organization_identifier"),
        title=_subject(cert, "title"),
        serial=format(cert.serial_number, "X"),
        issuer=cert.issuer.native.get("common_name", cert.issuer.human_friendly),
        valid_from=vietnam_time(cert.not_valid_before),
        valid_to=vietnam_time(cert.not_valid_after),
        sha256=cert.sha256.hex(),
    )


def common_name(cert) -> str:
    """A certificate's common name (its whole subject when it has none)."""
    return cert.subject.native.get("common_name") or cert.subject.human_friendly

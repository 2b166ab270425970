"""Checking every signature of a PDF and saying, in plain words, whether it can be relied on.

For each signature (and document timestamp) the report gives who signed (name, agency, serial),
the chain to one of our trust anchors, the revocation status at signing time, the signature
timestamp (time, TSA, valid?), how much of the file it covers and what changed after it, and
the indication of ETSI EN 319 102-1 — TOTAL-PASSED, TOTAL-FAILED or INDETERMINATE — with its
sub-indication and the reasons in the reader's language (Vietnamese first).

pyHanko does the cryptography, path building, revocation checks and difference analysis
(``validate_pdf_signature``); this module turns its findings into the standard's indications,
following the validation of signatures with time of EN 319 102-1 §5.5 (as pyHanko's
``ades_with_time_validation`` does): a certificate revoked or expired *now* does not spoil a
signature whose timestamp proves it was made before, and validating again at that time
settles whether the certificate was good then.

The trust anchors, CRLs and OCSP answers come from a validation context factory
``at → ValidationContext`` (``EGOV_PKI_VALIDATION_CONTEXT``, by default
``egov.pki.revocation.validation_context``), passed in or taken from the settings. One context
per moment serves all the signatures of a document and their timestamps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.misc import PdfReadError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESSubIndic
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import CMSExtractionError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel

from .appearance import vietnam_time
from .pades import validation_context_factory
from .pdfhex import install as _install_hex_reader
from .reports import (
    DOCMDP_TEXTS,
    INDICATION_LABELS,
    KIND_TEXTS,
    MODIFICATION_TEXTS,
    REVOCATION_TEXTS,
    SUB_INDICATION_TEXTS,
    Indication,
    Revocation,
    SignatureReport,
    Timestamp,
    ValidationReport,
    common_name,
    describe_signer,
)
from .sync import outside_event_loop

logger = logging.getLogger(__name__)
_install_hex_reader()  # a signature's /Contents is read ~10x faster (see pdfhex)
PDF_MAGIC = b"%PDF-"


class UnreadableDocument(ValidationError):
    """The upload is not a PDF we can read: a clear message for the person, nothing else."""


# --- reading the file ----------------------------------------------------------------------
def open_pdf(pdf_bytes: bytes) -> PdfFileReader:
    """The PDF's reader, or :class:`UnreadableDocument` with a message a person understands."""
    # A PDF starts with %PDF- within its first kilobyte (ISO 32000-1 §7.5.2, Annex H).
    if PDF_MAGIC not in pdf_bytes[:1024]:
        raise UnreadableDocument(_("The file is not a PDF document."), code="not_pdf")
    for strict in (True, False):
        try:
            reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=strict)
            reader.root  # noqa: B018 - reading the catalogue proves the file is usable
            break
        except PdfStrictReadError:
            continue  # common in the wild (e.g. scanners); read it leniently
        except (PdfReadError, ValueError, KeyError, IndexError, TypeError) as error:
            raise UnreadableDocument(
                _("The PDF is damaged or incomplete and cannot be read."), code="damaged"
            ) from error
    else:
        raise UnreadableDocument(
            _("The PDF is damaged or incomplete and cannot be read."), code="damaged"
        )
    if reader.encrypted:
        raise UnreadableDocument(
            _("The PDF is protected by a password; upload it without the password."),
            code="encrypted",
        )
    return reader


def _timestamp(ts_status) -> Timestamp | None:
    if ts_status is None:
        return None
    return Timestamp(
        time=vietnam_time(ts_status.timestamp),
        authority=common_name(ts_status.signing_cert),
        valid=bool(ts_status.intact and ts_status.valid and ts_status.trusted),
    )


def _proof_of_existence(status) -> dt.datetime | None:
    """The time a valid, trusted signature timestamp proves the signature existed at."""
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and ts.intact and ts.valid and ts.trusted:
        return ts.timestamp
    return None


def _chain(status) -> tuple[list[str], str | None]:
    path = status.validation_path
    if path is None:
        return [], None
    names = [common_name(c) for c in path.iter_certs(include_root=True)]
    anchor = path.trust_anchor.authority.name.native.get("common_name")
    return names, anchor


# --- the indication ------------------------------------------------------------------------
@dataclass
class _Verdict:
    indication: Indication
    sub: str | None = None
    reasons: list[str] = field(default_factory=list)
    revocation: Revocation = field(default_factory=lambda: Revocation(status="unknown"))


def _modification_verdict(status, embedded) -> tuple[str | None, str, bool, list[str]]:
    """(level name, text, permitted?, reasons) of what happened to the file after signing."""
    coverage = status.coverage
    level = status.modification_level
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return (
            "OTHER",
            str(MODIFICATION_TEXTS["OTHER"]),
            False,
            [_("The signature does not cover a whole revision of the document.")],
        )
    level_name = level.name if level is not None else "OTHER"
    text = str(MODIFICATION_TEXTS.get(level_name, MODIFICATION_TEXTS["OTHER"]))
    reasons = []
    permitted = level is not None and level != ModificationLevel.OTHER
    if not permitted:
        reasons.append(text)
    if status.docmdp_ok is False:
        permitted = False
        reasons.append(
            _(
                "The document was certified with “%(permission)s”, but it was changed "
                "afterwards: %(change)s"
            )
            % {
                "permission": DOCMDP_TEXTS.get(embedded.docmdp_level, "?"),
                "change": text,
            }
        )
    return level_name, text, permitted, reasons


def _trust_verdict(embedded, status, context_for, *, again: bool = True) -> _Verdict:
    """Chain, validity period and revocation, judged at the time the signature is proven to
    have existed (EN 319 102-1 §5.5.4)."""
    problem: AdESSubIndic | None = status.trust_problem_indic
    poe = _proof_of_existence(status)
    if problem is None and status.trusted:
        return _Verdict(Indication.TOTAL_PASSED, revocation=Revocation(status="good"))

    if problem == AdESIndeterminate.REVOKED_NO_POE:
        details = status.revocation_details
        revocation = Revocation(
            status="revoked",
            revoked_at=vietnam_time(details.revocation_date),
            reason=str(details.revocation_reason.native) if details.revocation_reason else None,
        )
        if poe is not None and poe < details.revocation_date:
            revocation.status = "revoked_after_signing"
            revocation.text = str(REVOCATION_TEXTS["revoked_after_signing"])
            return _Verdict(
                Indication.TOTAL_PASSED,
                reasons=[
                    _(
                        "The certificate was revoked on %(revoked)s, after the timestamp "
                        "proves the document was signed (%(signed)s): the signature stays valid."
                    )
                    % {"revoked": revocation.revoked_at, "signed": vietnam_time(poe)}
                ],
                revocation=revocation,
            )
        reason = (
            _(
                "The certificate was revoked on %(revoked)s; the timestamp shows the document "
                "was signed afterwards (%(signed)s)."
            )
            % {"revoked": revocation.revoked_at, "signed": vietnam_time(poe)}
            if poe is not None
            else _(
                "The certificate was revoked on %(revoked)s and the signature has no timestamp "
                "proving it was made before."
            )
            % {"revoked": revocation.revoked_at}
        )
        return _Verdict(Indication.INDETERMINATE, "REVOKED_NO_POE", [reason], revocation=revocation)

    if problem == AdESIndeterminate.OUT_OF_BOUNDS_NO_POE:
        cert = status.signing_cert
        not_before, not_after = cert.not_valid_before, cert.not_valid_after
        period = {"from": vietnam_time(not_before), "to": vietnam_time(not_after)}
        if poe is None:
            return _Verdict(
                Indication.INDETERMINATE,
                "OUT_OF_BOUNDS_NO_POE",
                [
                    _(
                        "The certificate is valid from %(from)s to %(to)s and the signature "
                        "has no timestamp proving it was made within that period."
                    )
                    % period
                ],
            )
        if poe < not_before:
            return _Verdict(
                Indication.INDETERMINATE,
                "NOT_YET_VALID",
                [
                    _("The timestamp (%(signed)s) is before the certificate became valid.")
                    % {"signed": vietnam_time(poe)}
                ],
            )
        if poe > not_after:
            return _Verdict(
                Indication.INDETERMINATE,
                "EXPIRED",
                [
                    _(
                        "The certificate expired on %(to)s; the timestamp shows the document "
                        "was signed afterwards (%(signed)s)."
                    )
                    % {**period, "signed": vietnam_time(poe)}
                ],
            )
        if again:
            # Signed while the certificate was valid: check the chain and revocation then.
            past = outside_event_loop(
                validate_pdf_signature,
                embedded,
                signer_validation_context=context_for(poe),
                ts_validation_context=context_for(None),
                skip_diff=True,
            )
            verdict = _trust_verdict(embedded, past, context_for, again=False)
            if verdict.indication == Indication.TOTAL_PASSED:
                verdict.reasons.insert(
                    0,
                    _(
                        "The certificate expired on %(to)s, but the timestamp proves the "
                        "document was signed while it was valid (%(signed)s)."
                    )
                    % {**period, "signed": vietnam_time(poe)},
                )
            return verdict

    sub = problem.name if problem is not None else "GENERIC"
    return _Verdict(
        Indication.TOTAL_FAILED if isinstance(problem, AdESFailure) else Indication.INDETERMINATE,
        sub,
        [str(SUB_INDICATION_TEXTS.get(sub, SUB_INDICATION_TEXTS["GENERIC"]))],
    )


def _verdict(embedded, status, context_for) -> tuple[_Verdict, tuple]:
    """The indication, in the order of the standard's building blocks: format and
    integrity, then the signature value, then what changed after signing, then trust."""
    modification = _modification_verdict(status, embedded)
    if not status.intact:
        return _Verdict(
            Indication.TOTAL_FAILED,
            "HASH_FAILURE",
            [_("The bytes covered by the signature were changed after signing.")],
        ), modification
    if not status.valid:
        return _Verdict(
            Indication.TOTAL_FAILED,
            "SIG_CRYPTO_FAILURE",
            [str(SUB_INDICATION_TEXTS["SIG_CRYPTO_FAILURE"])],
        ), modification
    if not modification[2]:
        return _Verdict(Indication.TOTAL_FAILED, "FORMAT_FAILURE", modification[3]), modification
    ts = getattr(status, "timestamp_validity", None)
    if ts is not None and not (ts.intact and ts.valid and ts.trusted):
        return _Verdict(
            Indication.INDETERMINATE,
            (ts.trust_problem_indic.name if ts.trust_problem_indic else "SIG_CONSTRAINTS_FAILURE"),
            [_("The signature timestamp cannot be verified.")],
        ), modification
    return _trust_verdict(embedded, status, context_for), modification


# --- one signature, the whole file --------------------------------------------------------
def _pades_level(embedded, status, reader, later_doc_timestamp: bool) -> str:
    if getattr(status, "timestamp_validity", None) is None:
        return "B-B"
    if "/DSS" not in reader.root:
        return "B-T"
    return "B-LTA" if later_doc_timestamp else "B-LT"


def _kind(embedded) -> str:
    if embedded.sig_object_type == "/DocTimeStamp":
        return "document_timestamp"
    return "certification" if embedded.docmdp_level is not None else "approval"


def _failed_structure(embedded, error) -> SignatureReport:
    sub = getattr(error, "ades_subindication", None) or AdESFailure.FORMAT_FAILURE
    indication = (
        Indication.TOTAL_FAILED if isinstance(sub, AdESFailure) else Indication.INDETERMINATE
    )
    return SignatureReport(
        field=embedded.field_name,
        kind="approval",
        kind_text=str(KIND_TEXTS["approval"]),
        indication=str(indication),
        indication_label=str(INDICATION_LABELS[indication]),
        sub_indication=sub.name,
        reasons=[_("The signature data is damaged or not in a supported format.")],
        signer=None,
        claimed_signing_time=None,
        timestamp=None,
        trusted=False,
        trust_anchor=None,
        chain=[],
        revocation=Revocation(status="unknown"),
        intact=False,
        coverage=None,
        modification=None,
        modification_text="",
        modifications_permitted=False,
        docmdp=None,
        level="",
    )


def validate_signature(embedded, reader, context_for, *, later_doc_timestamp=False):
    """Report on one embedded signature or document timestamp."""
    kind = _kind(embedded)
    signer_context, ts_context = context_for(None), context_for(None)
    try:
        if kind == "document_timestamp":
            status = outside_event_loop(
                validate_pdf_timestamp, embedded, validation_context=ts_context
            )
        else:
            status = outside_event_loop(
                validate_pdf_signature,
                embedded,
                signer_validation_context=signer_context,
                ts_validation_context=ts_context,
            )
    except (SignatureValidationError, CMSExtractionError, ValueError, KeyError) as error:
        logger.info("Unusable signature %s: %s", embedded.field_name, error)
        return _failed_structure(embedded, error)
    verdict, (level_name, level_text, permitted, _reasons) = _verdict(embedded, status, context_for)
    chain, anchor = _chain(status)
    claimed = getattr(status, "signer_reported_dt", None)
    timestamp = (
        _timestamp(status)
        if kind == "document_timestamp"
        else _timestamp(getattr(status, "timestamp_validity", None))
    )
    return SignatureReport(
        field=embedded.field_name,
        kind=kind,
        kind_text=str(KIND_TEXTS[kind]),
        indication=str(verdict.indication),
        indication_label=str(INDICATION_LABELS[verdict.indication]),
        sub_indication=verdict.sub,
        reasons=verdict.reasons,
        signer=describe_signer(status.signing_cert) if kind != "document_timestamp" else None,
        claimed_signing_time=vietnam_time(claimed) if claimed else None,
        timestamp=timestamp,
        trusted=anchor is not None,  # the chain reaches one of our trust anchors
        trust_anchor=anchor,
        chain=chain,
        revocation=verdict.revocation,
        intact=bool(status.intact and status.valid),
        coverage=status.coverage.name if status.coverage is not None else None,
        modification=level_name,
        modification_text=level_text,
        modifications_permitted=permitted,
        docmdp=embedded.docmdp_level.name if embedded.docmdp_level is not None else None,
        level=(
            ""
            if kind == "document_timestamp"
            else _pades_level(embedded, status, reader, later_doc_timestamp)
        ),
    )


def _overall(signatures: list[SignatureReport]) -> tuple[str | None, str, str]:
    if not signatures:
        return None, "", _("This PDF has no digital signature.")
    indications = {s.indication for s in signatures}
    for indication in (Indication.TOTAL_FAILED, Indication.INDETERMINATE):
        if indication in indications:
            bad = sum(1 for s in signatures if s.indication == indication)
            summary = (
                _("%(count)s of %(total)s signatures are not valid.")
                if indication == Indication.TOTAL_FAILED
                else _("%(count)s of %(total)s signatures cannot be confirmed.")
            ) % {"count": bad, "total": len(signatures)}
            return str(indication), str(INDICATION_LABELS[indication]), summary
    return (
        str(Indication.TOTAL_PASSED),
        str(INDICATION_LABELS[Indication.TOTAL_PASSED]),
        _("All %(total)s signatures are valid.") % {"total": len(signatures)},
    )


def trust_roots_context(trust_roots: list, reader: PdfFileReader | None = None) -> Callable:
    """A validation context factory trusting only ``trust_roots`` (asn1crypto certificates),
    with the certificates, CRLs and OCSP answers the document carries (its DSS: PAdES B-LT and
    up) and nothing from the network. Revocation data is required: without it the answer is
    INDETERMINATE, as the standard says, not a guess."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.errors import NoDSSFoundError
    from pyhanko_certvalidator import ValidationContext

    dss = None
    if reader is not None:
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            dss = None

    def context_for(at=None):
        options = {
            "trust_roots": list(trust_roots),
            "allow_fetching": False,
            "revocation_mode": "require",
            "crls": [],  # empty, not absent: "nothing to check with" is a finding, not an error
            "ocsps": [],
            "moment": at,
            "retroactive_revinfo": at is not None,
        }
        return dss.as_validation_context(options) if dss else ValidationContext(**options)

    return context_for


def _one_context_per_moment(context_for: Callable) -> Callable:
    """``context_for`` made once per moment for one document: its signatures and their
    timestamps are checked in the same context (as pyHanko does by default for a signature
    and its timestamp), which keeps the revocation data and paths it has already found."""
    contexts: dict = {}

    def context(at=None):
        if at not in contexts:
            contexts[at] = context_for(at)
        return contexts[at]

    return context


def validate_pdf(
    pdf_bytes: bytes,
    *,
    file_name: str = "",
    validation_context: Callable | None = None,
    trust_roots: list | None = None,
) -> ValidationReport:
    """Validate every signature and document timestamp in ``pdf_bytes``.

    ``validation_context`` is a factory ``at → ValidationContext`` (``at`` None: now); or
    give ``trust_roots`` alone; by default the platform's (``EGOV_PKI_VALIDATION_CONTEXT``).
    Raises :class:`UnreadableDocument` when the file is not a readable PDF.
    """
    reader = open_pdf(pdf_bytes)
    if validation_context is None and trust_roots is not None:
        validation_context = trust_roots_context(trust_roots, reader)
    context_for = _one_context_per_moment(validation_context or validation_context_factory())
    embedded = list(reader.embedded_signatures)
    reports = []
    for index, signature in enumerate(embedded):
        later_ts = any(s.sig_object_type == "/DocTimeStamp" for s in embedded[index + 1 :])
        reports.append(
            validate_signature(signature, reader, context_for, later_doc_timestamp=later_ts)
        )
    indication, label, summary = _overall(reports)
    return ValidationReport(
        file_name=file_name,
        sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        size=len(pdf_bytes),
        validated_at=vietnam_time(dt.datetime.now(dt.UTC)),
        indication=indication,
        indication_label=label,
        summary=summary,
        signatures=reports,
    )


def validate_upload(upload, *, validation_context: Callable | None = None) -> ValidationReport:
    """Validate an uploaded file (web page, API): size-limited, read in memory, not kept."""
    limit = settings.EGOV_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise UnreadableDocument(
            _("The file is %(size)s MB; the largest file accepted is %(limit)s MB.")
            % {"size": round(upload.size / 2**20, 1), "limit": round(limit / 2**20)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    if not data:
        raise UnreadableDocument(_("The file is empty."), code="empty")
    return validate_pdf(data, file_name=upload.name, validation_context=validation_context)

"""PAdES signatures (ETSI EN 319 142) with pyHanko: B-B, B-T, B-LT, B-LTA.

Every signature is an incremental update, so an earlier signature stays valid when the next
one is added: the official signs, then the agency seal signs over her signature
(:func:`sign_as_official`, :func:`apply_agency_seal`); appendices get the agency's signature
without image at the number and symbol (:func:`sign_appendix`).

The functions take what they need as parameters — the signing identity
(``egov.pki.services.identity_for``), the timestamper (``egov.pki.tsa.timestamper``) and the
validation context (``egov.pki.revocation.validation_context``) — and fall back to the
platform's own through the settings ``EGOV_PKI_TIMESTAMPER`` and ``EGOV_PKI_VALIDATION_CONTEXT``
(dotted paths), so tests and other deployments can plug in theirs. Nothing here touches the
database: audit and second factor are the job of :mod:`egov.pki.signing`.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import SigningError

from .appearance import Decree30StampStyle, SignatureBlock, appendix_style

DEFAULT_TIMESTAMPER = "egov.pki.tsa.timestamper"
DEFAULT_VALIDATION_CONTEXT = "egov.pki.revocation.validation_context"


class Level(enum.StrEnum):
    """PAdES baseline levels (ETSI EN 319 142-1 §6)."""

    B_B = "B-B"  # signature only
    B_T = "B-T"  # + signature timestamp from our TSA: proves when it was signed
    B_LT = "B-LT"  # + certificates, CRLs/OCSP in the document (DSS): checkable offline
    B_LTA = "B-LTA"  # + document timestamp over all that: checkable for years


class SignatureRefused(ValidationError):
    """The document cannot be signed as asked (a person's mistake, not a platform fault)."""


def _setting(name: str, default: str) -> Callable[..., Any]:
    path = getattr(settings, name, default)
    try:
        return import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"{name} = {path!r} cannot be imported") from error


def default_timestamper():
    """The platform's TSA (``EGOV_PKI_TIMESTAMPER``, default ``egov.pki.tsa.timestamper``)."""
    return _setting("EGOV_PKI_TIMESTAMPER", DEFAULT_TIMESTAMPER)()


def validation_context_factory() -> Callable[..., Any]:
    """``at → ValidationContext`` (``EGOV_PKI_VALIDATION_CONTEXT``): our root as trust anchor,
    our CRLs and OCSP answers supplied in-process."""
    return _setting("EGOV_PKI_VALIDATION_CONTEXT", DEFAULT_VALIDATION_CONTEXT)


def certificate_names(certificate) -> dict[str, str]:
    """Signer and agency as written in the certificate (CN and O)."""
    subject = certificate.subject.native
    return {
        "signer": subject.get("common_name", ""),
        "agency": subject.get("organization_name", ""),
    }


def _open(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    except (PdfReadError, ValueError, IndexError, KeyError) as error:
        raise SignatureRefused(_("The file is not a readable PDF document.")) from error
    if writer.prev.encrypted:
        raise SignatureRefused(_("The PDF is encrypted; remove the password before signing."))
    return writer


def _free_field_name(pdf_bytes: bytes, prefix: str) -> str:
    """``prefix`` or ``prefix2``, ``prefix3``… — a field name not used in the document yet."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    if prefix not in taken:
        return prefix
    number = 2
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def sign_pdf(
    pdf_bytes: bytes,
    identity,
    *,
    field_name: str | None = None,
    page: int = 0,
    box: tuple[float, float, float, float] | None = None,
    appearance: Decree30StampStyle | None = None,
    appearance_params: dict | None = None,
    level: Level | str = Level.B_T,
    timestamper=None,
    validation_context=None,
    reason: str = "",
    location: str = "",
    certify: MDPPerm | None = None,
) -> bytes:
    """Sign ``pdf_bytes`` with ``identity`` as an incremental update; return the signed PDF.

    - ``box`` (points, ``x1, y1, x2, y2``) with ``appearance`` makes the signature visible on
      ``page`` (0-based, -1 for the last page); without ``box`` it is invisible.
    - ``level`` B-T and above ask ``timestamper`` (default: our TSA) for a signature
      timestamp; B-LT embeds the chain and revocation data found through
      ``validation_context`` (default: ours, now); B-LTA adds a document timestamp.
    - ``certify`` makes it a certification signature with those DocMDP permissions (the
      first signature of a document that must not change afterwards).

    Raises :class:`SignatureRefused` for a file that cannot be signed (unreadable,
    encrypted, certified against further signatures).
    """
    level = Level(level)
    if level != Level.B_B and timestamper is None:
        timestamper = default_timestamper()
    long_term = level in (Level.B_LT, Level.B_LTA)
    if long_term and validation_context is None:
        validation_context = validation_context_factory()()
    writer = _open(pdf_bytes)
    if page < 0:
        page = int(writer.root["/Pages"]["/Count"]) + page
    field_name = field_name or _free_field_name(pdf_bytes, "Signature")
    names = certificate_names(identity.certificate)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=names["signer"] or None,
        certify=certify is not None,
        docmdp_permissions=certify or MDPPerm.FILL_FORMS,
        embed_validation_info=long_term,
        use_pades_lta=level == Level.B_LTA,
        validation_context=validation_context if long_term else None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=identity.signer,
        timestamper=timestamper if level != Level.B_B else None,
        stamp_style=appearance,
        new_field_spec=SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            box=tuple(round(v, 2) for v in box) if box else None,
        ),
    )
    params = names | (appearance_params or {})
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    except SigningError as error:
        # e.g. the document is certified with "no changes allowed"
        raise SignatureRefused(
            _("The document cannot be signed: %(problem)s") % {"problem": error}
        ) from error
    return out.getvalue()


def sign_as_official(
    pdf_bytes: bytes,
    identity,
    block: SignatureBlock,
    *,
    signature_image,
    field_name: str | None = None,
    language: str | None = None,
    **options,
) -> bytes:
    """The official's signature: her handwritten-signature image in the signature block,
    with her name, agency and the signing time under it (Decree 30, App. I)."""
    return sign_pdf(
        pdf_bytes,
        identity,
        field_name=field_name or _free_field_name(pdf_bytes, "ChuKyNguoiKy"),
        page=block.page,
        box=block.official_box(),
        appearance=block.official_style(signature_image, language=language),
        **options,
    )


def apply_agency_seal(
    pdf_bytes: bytes,
    identity,
    block: SignatureBlock,
    *,
    seal_image,
    field_name: str | None = None,
    language: str | None = None,
    **options,
) -> bytes:
    """The agency's signature with its red seal at real size over the left third of the
    official's signature image (same ``block`` as :func:`sign_as_official`), added as an
    incremental update so the official's signature stays intact."""
    return sign_pdf(
        pdf_bytes,
        identity,
        field_name=field_name or _free_field_name(pdf_bytes, "ChuKyCoQuan"),
        page=block.page,
        box=block.seal_box(),
        appearance=block.seal_style(seal_image, language=language),
        **options,
    )


def sign_appendix(
    pdf_bytes: bytes,
    identity,
    *,
    number_symbol: str,
    page: int = 0,
    box: tuple[float, float, float, float] | None = None,
    field_name: str | None = None,
    language: str | None = None,
    **options,
) -> bytes:
    """The agency's signature on an appendix or attachment: no image; at the number and
    symbol position (``box``), the number and symbol, agency and time as text; invisible
    when no ``box`` is given."""
    return sign_pdf(
        pdf_bytes,
        identity,
        field_name=field_name or _free_field_name(pdf_bytes, "ChuKyPhuLuc"),
        page=page,
        box=box,
        appearance=appendix_style(language) if box else None,
        appearance_params={"number_symbol": number_symbol},
        **options,
    )

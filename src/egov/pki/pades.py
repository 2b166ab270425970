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

Room for the signature. The CMS signature goes into a space reserved in the file before the
file is hashed, so its size must be known in advance. Left to itself, pyHanko finds it by
making a whole trial signature first (one more RSA operation, one more timestamp token, a
second CMS encoding). :func:`reserved_size` computes a safe bound instead from what the CMS
holds: the certificates the signer embeds, its signature, the issuer's name, an allowance for
the rest (:data:`CMS_ALLOWANCE`, twice what it measures), and for B-T and up the timestamp
token, whose bound our TSA states (``token_size_bound``). For a timestamper that states none,
pyHanko's trial signature is still used; should a bound ever be short, the signature is made
again the same way, and the error logged. The unused room is zeros in the file: ~1.3 KB for
B-T, against ~5 KB with pyHanko's estimate (which adds 50 %) — bytes that every validation of
the file reads again.
"""

from __future__ import annotations

import enum
import io
import logging
import threading
import weakref
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
from .pdfhex import install as _install_hex_reader
from .sync import outside_event_loop

logger = logging.getLogger(__name__)
_install_hex_reader()  # signatures already in a document are read ~10x faster

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


# Bytes of a CMS signature besides the certificates, the signature value and the signer's
# issuer name (which it carries twice: in the SignerInfo and in the ESS signing-certificate-v2
# attribute): the other signed attributes, the algorithm identifiers and the structure.
# Measured: ~420 bytes.
CMS_ALLOWANCE = 1024
_cms_sizes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cms_sizes_lock = threading.Lock()


def _signer_cms_bound(signer) -> int:
    """Upper bound of the DER size of ``signer``'s CMS without timestamp (per signer object,
    which for our PKCS#12 keys lives as long as the process). Certificates are counted as
    pyHanko embeds them: the signer's, then every one of its registry (duplicates included)."""
    with _cms_sizes_lock:
        size = _cms_sizes.get(signer)
    if size is None:
        cert = signer.signing_cert
        certificates = len(cert.dump()) + sum(len(c.dump()) for c in signer.cert_registry or ())
        signature = (cert.public_key.bit_size + 7) // 8 + 16  # RSA; ECDSA is shorter
        names = 2 * len(cert.issuer.dump()) + 32  # and the serial number
        size = certificates + signature + names + CMS_ALLOWANCE
        with _cms_sizes_lock:
            _cms_sizes[signer] = size
    return size


def reserved_size(identity, level: Level | str, timestamper=None) -> int | None:
    """The room to reserve for the signature in the file, in hexadecimal digits (what pyHanko's
    ``bytes_reserved`` counts), or None to let pyHanko measure it with a trial signature."""
    if identity.signer is None or identity.signer.signing_cert is None:
        return None
    size = _signer_cms_bound(identity.signer)
    if Level(level) != Level.B_B:
        bound = getattr(timestamper, "token_size_bound", None)
        if bound is None:
            return None
        size += bound()
    return 2 * size


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


def _free_field_name(pdf, prefix: str) -> str:
    """``prefix`` or ``prefix2``, ``prefix3``… — a field name not used in the document yet
    (``pdf``: the bytes, or a reader already open on them)."""
    reader = PdfFileReader(io.BytesIO(pdf)) if isinstance(pdf, bytes | bytearray) else pdf
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
    field_prefix: str = "Signature",
) -> bytes:
    """Sign ``pdf_bytes`` with ``identity`` as an incremental update; return the signed PDF.

    - ``box`` (points, ``x1, y1, x2, y2``) with ``appearance`` makes the signature visible on
      ``page`` (0-based, -1 for the last page); without ``box`` it is invisible.
    - ``level`` B-T and above ask ``timestamper`` (default: our TSA) for a signature
      timestamp; B-LT embeds the chain and revocation data found through
      ``validation_context`` (default: ours, now); B-LTA adds a document timestamp.
    - ``certify`` makes it a certification signature with those DocMDP permissions (the
      first signature of a document that must not change afterwards).
    - without ``field_name``, the field is ``field_prefix`` (or ``field_prefix2``…).

    Raises :class:`SignatureRefused` for a file that cannot be signed (unreadable,
    encrypted, certified against further signatures).
    """
    level = Level(level)
    if level != Level.B_B and timestamper is None:
        timestamper = default_timestamper()
    long_term = level in (Level.B_LT, Level.B_LTA)
    if long_term and validation_context is None:
        validation_context = validation_context_factory()()
    names = certificate_names(identity.certificate)
    params = names | (appearance_params or {})

    def attempt(bytes_reserved: int | None) -> bytes:
        writer = _open(pdf_bytes)
        on_page = int(writer.root["/Pages"]["/Count"]) + page if page < 0 else page
        name = field_name or _free_field_name(writer.prev, field_prefix)
        metadata = signers.PdfSignatureMetadata(
            field_name=name,
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
                sig_field_name=name,
                on_page=on_page,
                box=tuple(round(v, 2) for v in box) if box else None,
            ),
        )
        out = outside_event_loop(
            pdf_signer.sign_pdf,
            writer,
            appearance_text_params=params,
            bytes_reserved=bytes_reserved,
        )
        return out.getvalue()

    reserved = reserved_size(identity, level, timestamper)
    try:
        try:
            return attempt(reserved)
        except SigningError as error:
            if reserved is None or "larger than expected" not in str(error):
                raise
            # The bound was wrong (it never was in our tests): say so, and let pyHanko measure.
            logger.error("PAdES: %s bytes reserved were not enough: %s", reserved, error)
            return attempt(None)
    except SigningError as error:
        # e.g. the document is certified with "no changes allowed"
        raise SignatureRefused(
            _("The document cannot be signed: %(problem)s") % {"problem": error}
        ) from error


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
        field_name=field_name,
        field_prefix="ChuKyNguoiKy",
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
        field_name=field_name,
        field_prefix="ChuKyCoQuan",
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
        field_name=field_name,
        field_prefix="ChuKyPhuLuc",
        page=page,
        box=box,
        appearance=appendix_style(language) if box else None,
        appearance_params={"number_symbol": number_symbol},
        **options,
    )

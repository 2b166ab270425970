"""The only way the electronic office changes state.

Each function checks the actor's right and the document's state, runs in
``transaction.atomic()``, writes an audit event in the same transaction, and sends the office's
signals after commit. Errors a person can cause raise ``ValidationError`` (or
``PermissionDenied``) with a readable message and change nothing.

Outgoing: :func:`create_draft` → :func:`submit` → :func:`approve` / :func:`return_draft` →
:func:`sign` → :func:`seal` → :func:`release` (→ :func:`recall`).
Incoming: :func:`receive_paper` / internal delivery / :func:`receive_package` →
:func:`register` → :func:`assign` → :func:`add_note` / :func:`forward` → :func:`complete`;
:func:`return_to_sender`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core.audit import record_event
from egov.core.models import Agency, AgencyKind

from . import access, numbering, pdf_fields, signals
from .models import (
    ApprovalChain,
    ApprovalStep,
    BodyVersion,
    Handling,
    IncomingDocument,
    IncomingFile,
    OutgoingDocument,
    OutgoingFile,
    Recipient,
    RecipientStatus,
    Review,
    Revision,
    SealImage,
    SignatureImage,
    is_secret,
)

logger = logging.getLogger(__name__)

Out = OutgoingDocument.State
In = IncomingDocument.State

# edXML status codes the office reports about incoming documents.
STATUS_ARRIVED, STATUS_REFUSED, STATUS_ACCEPTED = "01", "02", "03"
STATUS_ASSIGNED, STATUS_PROCESSING, STATUS_COMPLETED = "04", "05", "06"
STATUS_RECALLED = "13"
STATUS_UPDATE_AGREED, STATUS_UPDATE_REFUSED = "15", "16"
STATUS_LABELS = {
    "01": gettext_lazy("arrived"),
    "02": gettext_lazy("refused"),
    "03": gettext_lazy("accepted (registered)"),
    "04": gettext_lazy("assigned"),
    "05": gettext_lazy("processing"),
    "06": gettext_lazy("completed"),
    "13": gettext_lazy("recalled"),
    "15": gettext_lazy("recall or update agreed"),
    "16": gettext_lazy("recall or update refused"),
}


@dataclass
class Upload:
    """A file given to a service: its name and bytes (views read uploads into this)."""

    name: str
    content: bytes
    content_type: str = "application/pdf"


def _deny(message: str):
    raise PermissionDenied(message)


def _require_state(document, *states, message: str | None = None) -> None:
    if document.state not in states:
        raise ValidationError(
            message
            or _("This cannot be done now: the document is “%(state)s”.")
            % {"state": document.get_state_display()}
        )


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _require_pdf(upload: Upload) -> None:
    if not upload.content.startswith(b"%PDF-") and b"%PDF-" not in upload.content[:1024]:
        raise ValidationError(_("“%(name)s” is not a PDF document.") % {"name": upload.name})


def _lock(model, document):
    """The document's row, locked until the transaction ends (a raced action applies once)."""
    return model.objects.select_for_update().get(pk=document.pk)


# =============================================================================================
# Outgoing documents
# =============================================================================================
def places_text(recipient_names: list[str], unit_abbreviation: str, extra: str = "") -> str:
    """The "Nơi nhận" block: one line per recipient ("- Sở Tư pháp;"), then
    "- Lưu: VT, <unit>." (Decree 30/2020, Appendix I)."""
    lines = [f"- {name};" for name in recipient_names if name]
    lines += [line if line.startswith("-") else f"- {line}" for line in extra.splitlines() if line]
    archive = f"- Lưu: VT, {unit_abbreviation}." if unit_abbreviation else "- Lưu: VT."
    return "\n".join([*lines, archive])


def _recipient_rows(agency, recipients) -> list[dict]:
    """``recipients``: Agency rows (units of ``agency``, agencies of this installation) or
    ``(code, name)`` pairs; a code unknown here is an external agency."""
    rows, seen = [], set()
    for item in recipients or []:
        if isinstance(item, Agency):
            target, code, name = item, item.code, item.name
        else:
            code, name = item
            target = Agency.objects.filter(code=code).first()
            name = name or (target.name if target else code)
        if code in seen:
            continue
        seen.add(code)
        if target is not None and target.pk == agency.pk:
            raise ValidationError(_("An agency does not send a document to itself."))
        if target is None:
            kind = Recipient.Kind.EXTERNAL
        elif target.kind == AgencyKind.INTERNAL_UNIT and target.organisation().pk == agency.pk:
            kind = Recipient.Kind.UNIT
        else:
            kind = Recipient.Kind.AGENCY
            target = target.organisation()
            code, name = target.code, target.name
        rows.append({"kind": kind, "agency": target, "code": code, "name": name})
    return rows


def _check_secret_recipients(secrecy: str, external_codes: list[str]) -> None:
    """Refuse to send a secret document to agencies of other installations (see the setting
    ``EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS``)."""
    if not is_secret(secrecy) or not external_codes:
        return
    if settings.EGOV_OFFICE_SECRET_TO_OTHER_INSTALLATIONS:
        return
    raise ValidationError(
        _(
            "A secret document is not sent to agencies of other installations through the "
            "document exchange (%(codes)s): send it on paper under the rules on state secrets, "
            "or remove them from the recipients."
        )
        % {"codes": ", ".join(external_codes)}
    )


def _store_version(document, content: bytes, label: str, actor) -> BodyVersion:
    number = document.versions.count() + 1
    version = BodyVersion(
        document=document, number=number, label=label, sha256=_sha(content), actor=actor
    )
    version.file.save(f"v{number}-{document.pk}.pdf", ContentFile(content), save=False)
    version.save()
    return version


def _set_main(document, content: bytes, name: str) -> OutgoingFile:
    row = document.main_file
    if row is None:
        row = OutgoingFile(document=document, kind=OutgoingFile.Kind.MAIN, name=name)
    row.name, row.sha256, row.size = name, _sha(content), len(content)
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row


def default_chain(agency) -> ApprovalChain | None:
    return (
        ApprovalChain.objects.filter(agency=agency)
        .order_by("-is_default", "pk")
        .prefetch_related("steps")
        .first()
    )


def configure_chain(actor, agency, name: str, steps: list[dict], *, default=True):
    """Set up an approval chain of ``agency``: ``steps`` in order, each ``{"label", "role"}``
    or ``{"label", "user"}``. Agency leaders and administrators (``actor`` None: the platform)."""
    from egov.core.models import Role

    if actor is not None and not access.holds(
        actor, agency, (Role.AGENCY_LEADER, Role.AGENCY_ADMIN)
    ):
        _deny(_("Only the agency's leaders and administrators configure approval chains."))
    if not steps:
        raise ValidationError(_("An approval chain needs at least one step."))
    with transaction.atomic():
        if default:
            ApprovalChain.objects.filter(agency=agency, is_default=True).update(is_default=False)
        chain = ApprovalChain.objects.create(agency=agency, name=name, is_default=default)
        for order, step in enumerate(steps, start=1):
            if not step.get("role") and not step.get("user"):
                raise ValidationError(_("Each step names a role or a person."))
            ApprovalStep.objects.create(
                chain=chain,
                order=order,
                label=step.get("label") or str(order),
                role=step.get("role", ""),
                user=step.get("user"),
            )
        record_event(
            "office.chain_configured",
            chain,
            actor=actor,
            agency=agency,
            changes={"steps": [s.get("label") for s in steps]},
        )
    return chain


def create_draft(
    actor,
    agency,
    *,
    doc_type,
    subject: str,
    main: Upload,
    appendices: list[Upload] | None = None,
    drafting_unit=None,
    urgency: str = "",
    secrecy: str = "",
    recipients=None,
    places: str = "",
    signer=None,
    authority_prefix: str = "",
    signer_position: str = "",
    chain: ApprovalChain | None = None,
    revises: OutgoingDocument | None = None,
    revision: str = "",
) -> OutgoingDocument:
    """Dự thảo: a new outgoing draft of ``agency`` by ``actor`` (a specialist, unit leader,
    leader or clerk of the agency). ``recipients``: Agency rows or (code, name) pairs;
    ``places`` adds free lines to the "Nơi nhận" list, which always ends "Lưu: VT, <unit>".

    ``revises`` with ``revision`` "2" (update) or "3" (replace): the draft updates or replaces
    an earlier released document of the agency; released, it goes to that document's
    recipients as an edXML update / replacement naming the earlier one (ResponseFor), and
    recipients here see their incoming document updated (:func:`apply_revision`). Without
    ``recipients`` it goes to the earlier document's recipients."""
    if not access.may_draft(actor, agency):
        _deny(_("You may draft documents only for your own agency."))
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError(_("Enter the subject (trích yếu)."))
    if len(subject) > 500:
        raise ValidationError(_("The subject is at most 500 characters."))
    _require_pdf(main)
    if drafting_unit is not None and drafting_unit.parent_id != agency.pk:
        raise ValidationError(_("The drafting unit must be a unit of the agency."))
    if doc_type.is_letter and drafting_unit is None:
        raise ValidationError(_("A công văn needs the drafting unit: its symbol names the unit."))
    if revises is not None or revision:
        if revision not in (Revision.UPDATE, Revision.REPLACE) or revises is None:
            raise ValidationError(_("Say which released document this one updates or replaces."))
        if revises.agency_id != agency.pk or revises.state != Out.RELEASED:
            raise ValidationError(
                _("Only a released document of the agency can be updated or replaced.")
            )
        if not recipients:
            recipients = [
                r.agency if r.agency_id and r.kind != Recipient.Kind.EXTERNAL else (r.code, r.name)
                for r in revises.recipients.all()
            ]
    rows = _recipient_rows(agency, recipients)
    _check_secret_recipients(
        secrecy, [r["code"] for r in rows if r["kind"] == Recipient.Kind.EXTERNAL]
    )
    chain = chain or default_chain(agency)
    if chain is not None and chain.agency_id != agency.pk:
        raise ValidationError(_("The approval chain belongs to another agency."))
    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            agency=agency,
            drafting_unit=drafting_unit,
            drafter=actor,
            doc_type=doc_type,
            subject=subject,
            urgency=urgency,
            secrecy=secrecy,
            places=places_text(
                [r["name"] for r in rows if r["kind"] != Recipient.Kind.UNIT],
                drafting_unit.short_name if drafting_unit else "",
                places,
            ),
            signer=signer,
            authority_prefix=authority_prefix,
            signer_position=signer_position,
            chain=chain,
            revises=revises,
            revision=revision or "",
        )
        for row in rows:
            Recipient.objects.create(document=document, **row)
        _set_main(document, main.content, main.name)
        for appendix in appendices or []:
            row = OutgoingFile(
                document=document,
                kind=OutgoingFile.Kind.APPENDIX,
                name=appendix.name,
                sha256=_sha(appendix.content),
                size=len(appendix.content),
            )
            row.file.save(appendix.name, ContentFile(appendix.content), save=False)
            row.save()
        version = _store_version(document, main.content, _("Draft"), actor)
        Review.objects.create(document=document, action="drafted", actor=actor, version=version)
        record_event(
            "office.draft_created",
            document,
            actor=actor,
            agency=agency,
            changes={"type": doc_type.code, "subject": subject, "recipients": len(rows)},
        )
    return document


def replace_body(actor, document, main: Upload, comment: str = "") -> OutgoingDocument:
    """The drafter uploads a new main PDF (after a return, or before submitting)."""
    if document.drafter_id != actor.pk:
        _deny(_("Only the drafter changes the draft."))
    _require_pdf(main)
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.DRAFT, Out.RETURNED)
        _set_main(document, main.content, main.name)
        version = _store_version(document, main.content, _("Revised draft"), actor)
        Review.objects.create(
            document=document, action="revised", comment=comment, actor=actor, version=version
        )
        record_event("office.draft_revised", document, actor=actor, agency=document.agency)
    return document


def submit(actor, document) -> OutgoingDocument:
    """Trình: the drafter sends the draft to the first step of the approval chain (with no
    chain, the draft goes straight to the signer)."""
    if document.drafter_id != actor.pk:
        _deny(_("Only the drafter submits the draft."))
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.DRAFT, Out.RETURNED)
        if document.signer_id is None:
            raise ValidationError(_("Choose who signs the document before submitting it."))
        has_steps = document.chain_id and document.chain.steps.exists()
        document.step = 1 if has_steps else 0
        document.state = Out.IN_REVIEW if has_steps else Out.APPROVED
        document.save(update_fields=["step", "state"])
        version = _store_version(
            document, document.main_file.read(), _("Submitted for review"), actor
        )
        Review.objects.create(
            document=document, step=document.step, action="submitted", actor=actor, version=version
        )
        record_event("office.draft_submitted", document, actor=actor, agency=document.agency)
    return document


def approve(actor, document, comment: str = "") -> OutgoingDocument:
    """Duyệt: the reviewer of the current step approves; the draft moves to the next step, or
    after the last one to the signer."""
    if not access.reviewer_of_step(actor, document):
        _deny(_("This draft is not waiting for your review."))
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.IN_REVIEW)
        if not access.reviewer_of_step(actor, document):
            _deny(_("This draft is not waiting for your review."))
        step = document.step
        last = document.chain.steps.order_by("-order").values_list("order", flat=True).first()
        if step >= (last or 0):
            document.state, document.step = Out.APPROVED, 0
        else:
            document.step = step + 1
        document.save(update_fields=["state", "step"])
        version = _store_version(document, document.main_file.read(), _("Approved"), actor)
        Review.objects.create(
            document=document,
            step=step,
            action="approved",
            comment=comment,
            actor=actor,
            version=version,
        )
        record_event(
            "office.draft_approved",
            document,
            actor=actor,
            agency=document.agency,
            changes={"step": step},
        )
    return document


def return_draft(actor, document, comment: str) -> OutgoingDocument:
    """Trả lại: the reviewer (or the signer, before signing) returns the draft to the drafter
    with a comment saying what to change."""
    comment = (comment or "").strip()
    may = access.reviewer_of_step(actor, document) or (
        document.state == Out.APPROVED and document.signer_id == actor.pk
    )
    if not may:
        _deny(_("This draft is not waiting for your review."))
    if not comment:
        raise ValidationError(_("Say what should be changed."))
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.IN_REVIEW, Out.APPROVED)
        step = document.step
        document.state, document.step = Out.RETURNED, 0
        document.save(update_fields=["state", "step"])
        version = _store_version(document, document.main_file.read(), _("Returned"), actor)
        Review.objects.create(
            document=document,
            step=step,
            action="returned",
            comment=comment,
            actor=actor,
            version=version,
        )
        record_event(
            "office.draft_returned", document, actor=actor, agency=document.agency, reason=comment
        )
    return document


def signature_block(document):
    """Where the signature goes: the signature block of Decree 30/2020's layout on the last
    page, right half (templates that put it elsewhere set EGOV_OFFICE_SIGNATURE_BLOCK_MM)."""
    from django.conf import settings

    from egov.pki.appearance import SignatureBlock

    left, top = getattr(settings, "EGOV_OFFICE_SIGNATURE_BLOCK_MM", (120, 200))
    return SignatureBlock.from_top_left_mm(page=-1, left_mm=left, top_mm=top)


def _signature_level():
    from django.conf import settings

    return getattr(settings, "EGOV_OFFICE_SIGNATURE_LEVEL", "B-LT")


def sign(actor, document, otp: str) -> OutgoingDocument:
    """Ký: the chosen signer signs the main PDF with her personal certificate (PAdES, her
    signature image), confirming with her authenticator code."""
    from egov.pki import services as pki
    from egov.pki.demo_images import demo_signature_png
    from egov.pki.signing import sign_document

    if document.signer_id != actor.pk:
        _deny(_("Only the person chosen to sign signs this document."))
    _require_state(document, Out.APPROVED)
    certificate = pki.active_certificate(user=actor)
    if certificate is None:
        raise ValidationError(_("You have no active signing certificate."))
    main = document.main_file
    # Signing (key, TSA) happens outside the transaction; the state is then checked again.
    # The empty number and date fields go in first: her signature covers them, and the
    # clerk fills them before sealing (form filling, which her signature permits).
    signed = sign_document(
        actor,
        pdf_fields.add_number_fields(main.read()),
        certificate,
        otp_or_pin=otp,
        kind="official",
        block=signature_block(document),
        signature_image=signature_image_of(actor, demo_signature_png),
        level=_signature_level(),
        reason=_("Signed for release"),
        document=document,
        agency=document.agency,
    )
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.APPROVED)
        _set_main(document, signed, main.name)
        document.state = Out.SIGNED
        document.save(update_fields=["state"])
        version = _store_version(document, signed, _("Signed"), actor)
        Review.objects.create(document=document, action="signed", actor=actor, version=version)
        record_event("office.document_signed", document, actor=actor, agency=document.agency)
    return document


def _number_document(document, at) -> None:
    """Number, symbol, date and edXML id from the agency's outgoing register (locked row)."""
    year, number = numbering.next_outgoing_number(document.agency, at)
    document.year, document.number = year, number
    document.number_symbol = numbering.symbol(
        number, document.doc_type, document.agency, document.drafting_unit
    )
    document.numbered_at = at
    document.edxml_document_id = edxml_document_id(document.agency, at, document.number_symbol)


def issue_number(actor, document, at: dt.datetime | None = None) -> OutgoingDocument:
    """Cấp số: the clerk takes the next number of the agency's yearly outgoing register for a
    signed document (the date of issue is the date printed on it). Done once: the document
    keeps its number if sealing fails and is tried again, so the register has no gap.
    :func:`seal` calls it; concurrent clerks get consecutive numbers."""
    if not access.is_clerk(actor, document.agency):
        _deny(_("Only the agency's clerk issues numbers."))
    now = at or timezone.now()
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.SIGNED)
        if document.number is None:
            _number_document(document, now)
            document.save()
            Review.objects.create(
                document=document,
                action="numbered",
                comment=document.number_symbol,
                actor=actor,
                at=now,
            )
            record_event(
                "office.document_numbered",
                document,
                actor=actor,
                agency=document.agency,
                changes={"number_symbol": document.number_symbol},
            )
    return document


def place_name(agency) -> str:
    """The place written before the date (địa danh): ``EGOV_OFFICE_PLACE``, by default the
    province."""
    from django.conf import settings

    return getattr(settings, "EGOV_OFFICE_PLACE", "") or getattr(settings, "EGOV_PROVINCE_NAME", "")


def numbered_pdf(document, content: bytes) -> bytes:
    """The signed PDF with "Số: <number/symbol>" and the date of issue in its fields."""
    return pdf_fields.fill_number_fields(
        content,
        f"Số: {document.number_symbol}",
        pdf_fields.date_line(place_name(document.agency), timezone.localdate(document.numbered_at)),
    )


def seal(actor, document, otp: str, at: dt.datetime | None = None) -> OutgoingDocument:
    """Cấp số, đóng dấu: the clerk issues the number and date (:func:`issue_number`), writes
    them into the fields the signer's signature left for them (form filling, permitted by her
    approval signature), then applies the agency seal over the signer's signature — the seal
    covers the number — and signs the appendices with the agency's certificate (no image)."""
    from egov.pki import pades
    from egov.pki import services as pki
    from egov.pki.demo_images import demo_seal_png
    from egov.pki.signing import sign_document

    if not access.is_clerk(actor, document.agency):
        _deny(_("Only the agency's clerk applies the seal."))
    _require_state(document, Out.SIGNED)
    certificate = pki.active_certificate(agency=document.agency)
    if certificate is None:
        raise ValidationError(_("The agency has no active seal certificate."))
    document = issue_number(actor, document, at)
    main = document.main_file
    sealed = sign_document(
        actor,
        numbered_pdf(document, main.read()),
        certificate,
        otp_or_pin=otp,
        kind="seal",
        block=signature_block(document),
        seal_image=_seal_image(document.agency, demo_seal_png),
        level=_signature_level(),
        document=document,
        agency=document.agency,
    )
    # The second factor was checked once above; the appendices are sealed with the same key.
    identity = pki.identity_for(certificate)
    appendices = []
    for row in document.files.filter(kind=OutgoingFile.Kind.APPENDIX):
        content = row.read()
        if content[:1024].find(b"%PDF-") >= 0:
            content = pades.sign_appendix(content, identity, number_symbol="", page=0, box=None)
        appendices.append((row, content))
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.SIGNED)
        _set_main(document, sealed, main.name)
        for row, content in appendices:
            row.sha256, row.size = _sha(content), len(content)
            row.file.save(row.name, ContentFile(content), save=False)
            row.save()
        document.state = Out.SEALED
        document.save(update_fields=["state"])
        version = _store_version(document, sealed, _("Sealed"), actor)
        Review.objects.create(document=document, action="sealed", actor=actor, version=version)
        record_event(
            "office.document_sealed",
            document,
            actor=actor,
            agency=document.agency,
            changes={"appendices": len(appendices)},
        )
    return document


_seal_images: dict[int, bytes] = {}


def _seal_image(agency, draw) -> bytes:
    """The seal image the agency's clerk uploaded, or a drawn look-alike (demo, tests)."""
    from django.conf import settings

    uploaded = SealImage.objects.filter(agency=agency).first()
    if uploaded is not None:
        return uploaded.read()
    if agency.pk not in _seal_images:  # about a second to draw: kept per process
        province = f"Tỉnh {getattr(settings, 'EGOV_PROVINCE_NAME', '')}".strip()
        _seal_images[agency.pk] = draw(agency.name, province=province)
    return _seal_images[agency.pk]


def signature_image_of(user, draw) -> bytes:
    """The image of ``user``'s handwritten signature she uploaded, or a drawn look-alike."""
    uploaded = SignatureImage.objects.filter(user=user).first()
    if uploaded is not None:
        return uploaded.read()
    return draw(user.get_full_name())


# --- signature and seal images ----------------------------------------------------------------
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _image_limit() -> int:
    from django.conf import settings

    return getattr(settings, "EGOV_OFFICE_IMAGE_MAX_BYTES", 1024 * 1024)


def check_image(upload: Upload, kind: str) -> str:
    """The content type of an uploaded signature (``kind`` "signature") or seal ("seal")
    image, checked by its content: a PNG or JPEG Pillow reads, at most
    ``EGOV_OFFICE_IMAGE_MAX_BYTES`` (1 MB) and 4000 pixels a side, with some ink on it (what
    the signature appearance will draw). Raises ``ValidationError`` otherwise."""
    import io

    from PIL import Image, UnidentifiedImageError

    from egov.pki.appearance import load_image

    limit = _image_limit()
    if not upload.content:
        raise ValidationError(_("Choose an image file."))
    if len(upload.content) > limit:
        raise ValidationError(_("The image is larger than %(size)s KB.") % {"size": limit // 1024})
    try:
        with Image.open(io.BytesIO(upload.content)) as image:
            image_format, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not a PNG or JPEG image.")) from error
    if image_format not in IMAGE_TYPES:
        raise ValidationError(_("The file is not a PNG or JPEG image."))
    if width > 4000 or height > 4000:
        raise ValidationError(_("The image is larger than 4000 pixels a side."))
    load_image(upload.content, kind=kind)  # readable, not empty
    return IMAGE_TYPES[image_format]


def _store_image(row, upload: Upload, content_type: str, actor, name: str):
    row.content_type, row.sha256, row.size = content_type, _sha(upload.content), len(upload.content)
    row.uploaded_by, row.uploaded_at = actor, timezone.now()
    extension = "png" if content_type == "image/png" else "jpg"
    row.file.save(f"{name}.{extension}", ContentFile(upload.content), save=False)
    row.save()
    return row


def may_manage_seal_image(actor, agency) -> bool:
    from egov.core.models import Role

    return access.holds(actor, agency, (Role.CLERK, Role.AGENCY_ADMIN))


def upload_signature_image(actor, user, upload: Upload) -> SignatureImage:
    """An official uploads the image of her own handwritten signature (nobody else may): it
    appears in the signature block of what she signs from now on."""
    if actor is None or user is None or actor.pk != user.pk:
        _deny(_("Only the official herself uploads her signature image."))
    if not access.agency_ids(actor):
        _deny(_("Only officials of an agency upload a signature image."))
    content_type = check_image(upload, "signature")
    with transaction.atomic():
        row = SignatureImage.objects.select_for_update().filter(user=user).first()
        row = _store_image(
            row or SignatureImage(user=user), upload, content_type, actor, f"chu-ky-{user.pk}"
        )
        record_event(
            "office.signature_image_uploaded",
            row,
            actor=actor,
            changes={"sha256": row.sha256, "size": row.size},
        )
    return row


def upload_seal_image(actor, agency, upload: Upload) -> SealImage:
    """The agency's clerk (or administrator) uploads the image of its seal: it appears over
    the signer's signature on what the agency seals from now on."""
    if not may_manage_seal_image(actor, agency):
        _deny(_("Only the agency's clerk or administrator uploads its seal image."))
    content_type = check_image(upload, "seal")
    with transaction.atomic():
        row = SealImage.objects.select_for_update().filter(agency=agency).first()
        row = _store_image(
            row or SealImage(agency=agency), upload, content_type, actor, f"con-dau-{agency.pk}"
        )
        record_event(
            "office.seal_image_uploaded",
            row,
            actor=actor,
            agency=agency,
            changes={"sha256": row.sha256, "size": row.size},
        )
    return row


def edxml_document_id(agency, released_at: dt.datetime, number_symbol: str) -> str:
    """``<OrganId>,<yyyy/MM/dd>,<number/symbol>`` (QCVN 102:2016)."""
    day = timezone.localdate(released_at)
    return f"{agency.code},{day:%Y/%m/%d},{number_symbol}"


def release(actor, document, at: dt.datetime | None = None) -> OutgoingDocument:
    """Phát hành: the clerk releases the numbered and sealed document: delivers it to
    recipients inside this installation (their incoming documents) and hands the external
    recipients to the exchange (``document_released`` after commit). A document sealed
    before it had a number gets its number here."""
    if not access.is_clerk(actor, document.agency):
        _deny(_("Only the agency's clerk releases documents."))
    now = at or timezone.now()
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.SEALED)
        recipients = list(document.recipients.all())
        _check_secret_recipients(
            document.secrecy, [r.code for r in recipients if r.kind == Recipient.Kind.EXTERNAL]
        )
        if document.number is None:  # sealed before numbering moved to the seal
            _number_document(document, now)
        document.released_at, document.released_by = now, actor
        document.state = Out.RELEASED
        document.save()
        Review.objects.create(document=document, action="released", actor=actor, at=now)
        external = []
        for recipient in recipients:
            if recipient.kind == Recipient.Kind.EXTERNAL:
                external.append(recipient.code)
            elif recipient.kind == Recipient.Kind.AGENCY:
                if not (document.revises_id and _revise_internal(document, recipient, now)):
                    _deliver_internal(document, recipient, now)
            else:
                RecipientStatus.objects.create(
                    recipient=recipient,
                    code=STATUS_ARRIVED,
                    description=_("Delivered inside the agency"),
                    at=now,
                )
        record_event(
            "office.document_released",
            document,
            actor=actor,
            agency=document.agency,
            changes={"number_symbol": document.number_symbol, "external": external},
        )
        if document.revises_id:
            Review.objects.create(
                document=document.revises,
                action="updated" if document.revision == Revision.UPDATE else "replaced",
                comment=document.number_symbol,
                actor=actor,
                at=now,
            )
        if external:
            document_id, business = document.pk, int(document.revision or 0)
            transaction.on_commit(
                lambda: signals.document_released.send(
                    sender=OutgoingDocument,
                    document_id=document_id,
                    recipient_codes=external,
                    business=business,
                )
            )
    return document


def _revise_internal(document, recipient, at) -> bool:
    """A revision released to an agency here: applied to the incoming document it holds for
    the earlier document (False when it holds none: delivered as a new document)."""
    earlier = (
        Recipient.objects.filter(document_id=document.revises_id, agency=recipient.agency)
        .exclude(incoming=None)
        .select_related("incoming")
        .first()
    )
    if earlier is None:
        return False
    files = [(row.name, "application/pdf", row.read()) for row in document.files.order_by("pk")]
    fields = {
        "number_symbol": document.number_symbol,
        "subject": document.subject,
        "type_name": document.doc_type.name,
        "issued_on": timezone.localdate(document.numbered_at or at),
        "signer_name": document.signer.get_full_name() if document.signer_id else "",
        "urgency": document.urgency,
        "secrecy": document.secrecy,
    }
    incoming, applied, reason = apply_revision(
        earlier.incoming,
        business=document.revision,
        fields=fields,
        files=files,
        reason=document.subject,
        document_id=document.edxml_document_id,
    )
    recipient.incoming = incoming
    recipient.save(update_fields=["incoming"])
    if applied:  # later statuses (assigned, completed…) are about the revision
        incoming.outgoing = document
        incoming.save(update_fields=["outgoing"])
    RecipientStatus.objects.create(
        recipient=recipient,
        code=STATUS_UPDATE_AGREED if applied else STATUS_UPDATE_REFUSED,
        description=reason,
        at=at,
    )
    return True


def _deliver_internal(document, recipient, at) -> IncomingDocument:
    """The recipient agency's incoming document, electronic, with the signature report."""
    main = document.main_file
    content = main.read()
    incoming = IncomingDocument.objects.create(
        agency=recipient.agency,
        source=IncomingDocument.Source.INTERNAL,
        sender_code=document.agency.code,
        sender_name=document.agency.name,
        outgoing=document,
        edxml_document_id=document.edxml_document_id,
        number_symbol=document.number_symbol,
        type_name=document.doc_type.name,
        issued_on=timezone.localdate(document.numbered_at or at),
        subject=document.subject,
        signer_name=document.signer.get_full_name() if document.signer_id else "",
        urgency=document.urgency,
        secrecy=document.secrecy,
        arrived_at=at,
        validation=_validation_of(content, main.name),
    )
    _add_file(incoming, IncomingFile.Kind.MAIN, main.name, content)
    for row in document.files.filter(kind=OutgoingFile.Kind.APPENDIX):
        _add_file(incoming, IncomingFile.Kind.ATTACHMENT, row.name, row.read())
    Handling.objects.create(document=incoming, action="arrived", at=at)
    recipient.incoming = incoming
    recipient.save(update_fields=["incoming"])
    RecipientStatus.objects.create(
        recipient=recipient, code=STATUS_ARRIVED, description=str(STATUS_LABELS["01"]), at=at
    )
    return incoming


def recall(actor, document, reason: str) -> OutgoingDocument:
    """Thu hồi: the clerk or leader recalls a released document with a reason; recipients in
    this installation see their incoming document recalled, the exchange is told
    (``document_recalled``, business 1 revoke) for the others."""
    reason = (reason or "").strip()
    if not (access.is_clerk(actor, document.agency) or access.is_leader(actor, document.agency)):
        _deny(_("Only the agency's leader or clerk recalls a document."))
    if not reason:
        raise ValidationError(_("Give the reason for the recall."))
    with transaction.atomic():
        document = _lock(OutgoingDocument, document)
        _require_state(document, Out.RELEASED)
        document.state, document.recall_reason = Out.RECALLED, reason
        document.save(update_fields=["state", "recall_reason"])
        Review.objects.create(document=document, action="recalled", comment=reason, actor=actor)
        for recipient in document.recipients.filter(incoming__isnull=False):
            incoming = recipient.incoming
            if incoming.state != In.RECALLED:
                incoming.state, incoming.recall_reason = In.RECALLED, reason
                incoming.save(update_fields=["state", "recall_reason"])
                Handling.objects.create(document=incoming, action="recalled", note=reason)
            RecipientStatus.objects.create(
                recipient=recipient, code=STATUS_RECALLED, description=reason
            )
        record_event(
            "office.document_recalled",
            document,
            actor=actor,
            agency=document.agency,
            reason=reason,
        )
        if document.recipients.filter(kind=Recipient.Kind.EXTERNAL).exists():
            document_id = document.pk
            transaction.on_commit(
                lambda: signals.document_recalled.send(
                    sender=OutgoingDocument, document_id=document_id, business="1", reason=reason
                )
            )
    return document


def record_status(
    document_id: str,
    from_code: str,
    status_code: str,
    description: str = "",
    at: dt.datetime | None = None,
    staff: dict | None = None,
) -> RecipientStatus | None:
    """A status package about one of our documents arrived (from the exchange): append it to
    that recipient's history. Unknown documents or recipients are logged and ignored."""
    with transaction.atomic():
        document = OutgoingDocument.objects.filter(edxml_document_id=document_id).first()
        if document is None:
            logger.warning("Status %s for unknown document %s", status_code, document_id)
            return None
        recipient = document.recipients.filter(code=from_code).first()
        if recipient is None:
            recipient = Recipient.objects.create(
                document=document,
                kind=Recipient.Kind.EXTERNAL,
                code=from_code,
                name=from_code,
            )
        status = RecipientStatus.objects.create(
            recipient=recipient,
            code=status_code,
            description=(description or "")[:500],
            staff=staff or {},
            at=at or timezone.now(),
        )
        record_event(
            "office.status_received",
            document,
            agency=document.agency,
            changes={"from": from_code, "status": status_code},
        )
    return status


# =============================================================================================
# Incoming documents
# =============================================================================================
def _validation_of(content: bytes, name: str) -> dict:
    """The signature validation report of an electronic PDF, as stored (never raises: an
    unreadable file gets a report that says so)."""
    from egov.pki.validation import UnreadableDocument, validate_pdf

    try:
        return validate_pdf(content, file_name=name).as_dict()
    except UnreadableDocument as error:
        return {"indication": "TOTAL-FAILED", "summary": " ".join(error.messages), "signatures": []}
    except Exception:  # noqa: BLE001 - the document is still registered; the report says why
        logger.exception("Validation of %s failed", name)
        return {
            "indication": "INDETERMINATE",
            "summary": str(_("The signatures could not be checked.")),
            "signatures": [],
        }


def _add_file(document, kind, name: str, content: bytes, content_type="application/pdf"):
    row = IncomingFile(
        document=document,
        kind=kind,
        name=name[:255],
        content_type=content_type,
        sha256=_sha(content),
        size=len(content),
    )
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row


def _report_status(document, code: str, description: str = "", about: str = "") -> None:
    """Tell the sender: through the exchange for documents from another installation,
    directly on the outgoing document's recipient history for documents from here.
    ``about``: the edXML id of the package the status answers, when not the document's own
    (a refused update)."""
    description = description or str(STATUS_LABELS.get(code, ""))
    if document.source == IncomingDocument.Source.EXCHANGE:
        document_id = document.pk
        extra = {"edxml_document_id": about} if about else {}
        transaction.on_commit(
            lambda: signals.incoming_status_changed.send(
                sender=IncomingDocument,
                document_id=document_id,
                status_code=code,
                description=description,
                **extra,
            )
        )
    elif document.source == IncomingDocument.Source.INTERNAL and document.outgoing_id:
        recipient = Recipient.objects.filter(
            document_id=document.outgoing_id, incoming=document
        ).first()
        if recipient is not None:
            RecipientStatus.objects.create(recipient=recipient, code=code, description=description)


def _number(document, at) -> None:
    document.year, document.number = numbering.next_incoming_number(document.agency, at)
    document.registered_at = at


def receive_paper(
    actor,
    agency,
    *,
    sender_name: str,
    subject: str,
    scan: Upload,
    sender_code: str = "",
    number_symbol: str = "",
    type_name: str = "",
    issued_on: dt.date | None = None,
    signer_name: str = "",
    urgency: str = "",
    secrecy: str = "",
    response_due: dt.date | None = None,
    attachments: list[Upload] | None = None,
    at: dt.datetime | None = None,
) -> IncomingDocument:
    """Văn bản đến giấy: the clerk uploads the scan, types the header, and the document is
    registered at once with the next incoming number (shared with electronic documents)."""
    if not access.is_clerk(actor, agency):
        _deny(_("Only the agency's clerk registers incoming documents."))
    if not (sender_name or "").strip():
        raise ValidationError(_("Enter the sending agency."))
    if not (subject or "").strip():
        raise ValidationError(_("Enter the subject (trích yếu)."))
    if not scan or not scan.content:
        raise ValidationError(_("Upload the scanned document."))
    now = at or timezone.now()
    with transaction.atomic():
        document = IncomingDocument(
            agency=agency,
            source=IncomingDocument.Source.PAPER,
            paper_copy=True,
            state=In.REGISTERED,
            sender_code=sender_code,
            sender_name=sender_name,
            number_symbol=number_symbol,
            type_name=type_name,
            issued_on=issued_on,
            subject=subject,
            signer_name=signer_name,
            urgency=urgency,
            secrecy=secrecy,
            response_due=response_due,
            arrived_at=now,
            registered_by=actor,
        )
        _number(document, now)
        document.save()
        _add_file(document, IncomingFile.Kind.MAIN, scan.name, scan.content, scan.content_type)
        for upload in attachments or []:
            _add_file(
                document,
                IncomingFile.Kind.ATTACHMENT,
                upload.name,
                upload.content,
                upload.content_type,
            )
        Handling.objects.create(document=document, action="registered", actor=actor, at=now)
        record_event(
            "office.incoming_registered",
            document,
            actor=actor,
            agency=agency,
            changes={"number": document.number, "source": "paper"},
        )
    return document


def register(
    actor, document, *, paper_copy: bool = False, at: dt.datetime | None = None
) -> IncomingDocument:
    """Đăng ký: the clerk has checked the electronic document (the validation report on its
    page) and registers it with the next incoming number; the sender hears "03 accepted"."""
    if not access.is_clerk(actor, document.agency):
        _deny(_("Only the agency's clerk registers incoming documents."))
    now = at or timezone.now()
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        _require_state(document, In.ARRIVED)
        _number(document, now)
        document.registered_by = actor
        document.paper_copy = paper_copy
        document.state = In.REGISTERED
        document.save()
        Handling.objects.create(document=document, action="registered", actor=actor, at=now)
        _report_status(document, STATUS_ACCEPTED)
        record_event(
            "office.incoming_registered",
            document,
            actor=actor,
            agency=document.agency,
            changes={"number": document.number, "source": document.source},
        )
    return document


def return_to_sender(actor, document, reason: str) -> IncomingDocument:
    """Trả lại: the clerk returns a misaddressed or invalid document with the reason (status
    02 refused to the sender)."""
    reason = (reason or "").strip()
    if not access.is_clerk(actor, document.agency):
        _deny(_("Only the agency's clerk returns documents to the sender."))
    if not reason:
        raise ValidationError(_("Give the reason for returning the document."))
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        _require_state(document, In.ARRIVED, In.REGISTERED)
        if document.source == IncomingDocument.Source.PAPER:
            raise ValidationError(
                _("A paper document is returned on paper, not through the system.")
            )
        document.state, document.return_reason = In.RETURNED, reason
        document.save(update_fields=["state", "return_reason"])
        Handling.objects.create(document=document, action="returned", note=reason, actor=actor)
        _report_status(document, STATUS_REFUSED, reason)
        record_event(
            "office.incoming_returned", document, actor=actor, agency=document.agency, reason=reason
        )
    return document


def assign(
    actor,
    document,
    *,
    unit=None,
    assignee=None,
    due_date: dt.date | None = None,
    instructions: str = "",
) -> IncomingDocument:
    """Bút phê: the leader assigns the document to a unit and/or a person, with a deadline and
    instructions (the unit's leader may then pass it to one of her people)."""
    if unit is None and assignee is None:
        raise ValidationError(_("Choose the unit or the person who handles the document."))
    if unit is not None and unit.parent_id != document.agency_id:
        raise ValidationError(_("The unit must belong to the receiving agency."))
    if assignee is not None and not access.holds(assignee, document.agency):
        raise ValidationError(_("The person does not work at the receiving agency."))
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError(_("The deadline is in the past."))
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        if not access.may_assign(actor, document):
            _deny(_("Only the agency's leader assigns incoming documents."))
        _require_state(document, In.REGISTERED, In.ASSIGNED, In.PROCESSING)
        document.assigned_unit = unit or document.assigned_unit
        document.assignee = assignee
        document.due_date = due_date or document.due_date
        document.instructions = (instructions or "").strip() or document.instructions
        first = document.state == In.REGISTERED
        document.state = In.ASSIGNED if first else document.state
        document.save()
        Handling.objects.create(
            document=document, action="assigned", note=instructions, actor=actor, to_user=assignee
        )
        if first:
            _report_status(document, STATUS_ASSIGNED)
        record_event(
            "office.incoming_assigned",
            document,
            actor=actor,
            agency=document.agency,
            changes={
                "unit": unit.code if unit else None,
                "assignee": assignee.username if assignee else None,
                "due_date": due_date,
            },
        )
    return document


def add_note(actor, document, note: str, file: Upload | None = None) -> IncomingDocument:
    """Xử lý: the assignee records what she did (a note, a file); the first note moves the
    document to processing (status 05 to the sender)."""
    note = (note or "").strip()
    if not note and file is None:
        raise ValidationError(_("Write a note or attach a file."))
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        if not access.may_process(actor, document):
            _deny(_("This document is not assigned to you."))
        _require_state(document, In.ASSIGNED, In.PROCESSING)
        row = None
        if file is not None:
            row = _add_file(
                document, IncomingFile.Kind.WORK, file.name, file.content, file.content_type
            )
        Handling.objects.create(document=document, action="note", note=note, actor=actor, file=row)
        if document.state == In.ASSIGNED:
            document.state = In.PROCESSING
            document.save(update_fields=["state"])
            _report_status(document, STATUS_PROCESSING)
        record_event("office.incoming_note", document, actor=actor, agency=document.agency)
    return document


def forward(actor, document, to_user, note: str = "") -> IncomingDocument:
    """Chuyển: the assignee passes the document to another person of the agency."""
    if to_user is None or not access.holds(to_user, document.agency):
        raise ValidationError(_("The person does not work at the receiving agency."))
    if to_user.pk == actor.pk:
        raise ValidationError(_("Choose someone else."))
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        if not access.may_process(actor, document):
            _deny(_("This document is not assigned to you."))
        _require_state(document, In.ASSIGNED, In.PROCESSING)
        document.assignee = to_user
        document.save(update_fields=["assignee"])
        Handling.objects.create(
            document=document, action="forwarded", note=note, actor=actor, to_user=to_user
        )
        record_event(
            "office.incoming_forwarded",
            document,
            actor=actor,
            agency=document.agency,
            changes={"to": to_user.username},
        )
    return document


def complete(actor, document, note: str = "", at: dt.datetime | None = None) -> IncomingDocument:
    """Hoàn thành: the assignee closes the document (status 06 to the sender)."""
    now = at or timezone.now()
    with transaction.atomic():
        document = _lock(IncomingDocument, document)
        if not access.may_process(actor, document):
            _deny(_("This document is not assigned to you."))
        _require_state(document, In.ASSIGNED, In.PROCESSING)
        document.state, document.completed_at = In.COMPLETED, now
        document.completed_on = timezone.localdate(now)
        document.save(update_fields=["state", "completed_at", "completed_on"])
        Handling.objects.create(
            document=document, action="completed", note=note, actor=actor, at=now
        )
        _report_status(document, STATUS_COMPLETED)
        record_event("office.incoming_completed", document, actor=actor, agency=document.agency)
    return document


# --- from the exchange ----------------------------------------------------------------------
def _get(mapping, *keys, default=""):
    value = mapping
    for key in keys:
        if not isinstance(value, dict):
            return default
        value = value.get(key)
        if value is None:
            return default
    return value


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


PRIORITY_URGENCY = {"1": "khan", "2": "thuong_khan", "3": "hoa_toc", "4": "hoa_toc"}


def receive_package(package) -> list[IncomingDocument]:
    """An edXML package for agencies of this installation arrived (the exchange verified and
    stored it): one incoming document per addressee here, "arrived, to register", with the
    attachments and the signature reports. A revoke (BusinessDocType 1) marks the earlier
    document recalled instead. Raises ``ValidationError`` to refuse the package."""
    header = getattr(package, "header", None) or {}
    attachments = list(getattr(package, "attachments", None) or [])
    sender = _get(header, "From") or {}
    to = _get(header, "To") or []
    if isinstance(to, dict):
        to = [to]
    codes = [_get(t, "OrganId") for t in to if _get(t, "OrganId")]
    agencies = list(Agency.objects.filter(code__in=codes).exclude(kind=AgencyKind.INTERNAL_UNIT))
    if not agencies:
        raise ValidationError(_("No addressee of the package is an agency of this installation."))
    document_id = str(_get(header, "DocumentId"))
    business = str(_get(header, "TraceHeaderList", "Business", "BusinessDocType") or "0")
    if business == "1":
        return _recall_from_exchange(header, document_id, agencies)
    subject = str(_get(header, "Subject")).strip()
    if not subject:
        raise ValidationError(_("The package has no subject."))
    number = str(_get(header, "Code", "CodeNumber"))
    notation = str(_get(header, "Code", "CodeNotation"))
    number_symbol = f"{number}/{notation}" if number and notation else (number or notation)
    signer = _get(header, "SignerInfo") or {}
    signer_name = " ".join(
        p
        for p in (_get(signer, "Competence"), _get(signer, "Position"), _get(signer, "FullName"))
        if p
    )
    validation = getattr(package, "validation", None)
    if business in (Revision.UPDATE, Revision.REPLACE):
        fields = {
            "number_symbol": number_symbol[:80],
            "subject": subject[:500],
            "type_name": str(_get(header, "DocumentType", "TypeName"))[:120],
            "issued_on": _parse_date(_get(header, "PromulgationInfo", "PromulgationDate")),
            "signer_name": signer_name[:200],
            "urgency": PRIORITY_URGENCY.get(str(_get(header, "OtherInfo", "Priority")), ""),
            "response_due": _parse_date(_get(header, "DueDate")),
        }
        return _revision_from_exchange(
            header, business, document_id, agencies, fields, attachments, validation
        )
    created = []
    with transaction.atomic():
        for agency in agencies:
            duplicate = IncomingDocument.objects.filter(
                agency=agency,
                edxml_document_id=document_id,
                source=IncomingDocument.Source.EXCHANGE,
            ).exclude(state=In.RECALLED)
            if document_id and duplicate.exists():
                raise ValidationError(_("This document has already been received."))
            document = IncomingDocument.objects.create(
                agency=agency,
                source=IncomingDocument.Source.EXCHANGE,
                paper_copy=str(_get(header, "TraceHeaderList", "Business", "Paper")) == "1",
                sender_code=str(_get(sender, "OrganId"))[:13],
                sender_name=str(_get(sender, "OrganName") or _get(sender, "OrganId"))[:255],
                edxml_document_id=document_id[:160],
                number_symbol=number_symbol[:80],
                type_name=str(_get(header, "DocumentType", "TypeName"))[:120],
                issued_on=_parse_date(_get(header, "PromulgationInfo", "PromulgationDate")),
                subject=subject[:500],
                signer_name=signer_name[:200],
                urgency=PRIORITY_URGENCY.get(str(_get(header, "OtherInfo", "Priority")), ""),
                response_due=_parse_date(_get(header, "DueDate")),
                validation={},
            )
            reports = {}
            for index, (name, content_type, content) in enumerate(attachments):
                is_pdf = content[:1024].find(b"%PDF-") >= 0
                kind = IncomingFile.Kind.MAIN if index == 0 else IncomingFile.Kind.ATTACHMENT
                _add_file(document, kind, name or f"tep-{index + 1}", content, content_type)
                if is_pdf:
                    reports[name] = _validation_of(content, name)
            main_report = next(iter(reports.values()), {})
            document.validation = {
                **main_report,
                "files": reports,
                "package": _as_json(validation),
            }
            document.save(update_fields=["validation"])
            Handling.objects.create(document=document, action="arrived")
            _note_revocation_unknown(document)
            record_event(
                "office.incoming_arrived",
                document,
                agency=agency,
                changes={"from": document.sender_code, "document_id": document_id},
            )
            created.append(document)
    return created


def _as_json(value):
    if value is None:
        return {}
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dict):
        return value
    from dataclasses import asdict, is_dataclass

    return asdict(value) if is_dataclass(value) else {"text": str(value)}


def _note_revocation_unknown(document) -> None:
    """The exchange could not check the sender certificate's revocation (soft-fail): say so
    in the document's history, where the clerk registering it sees it."""
    revocation = (document.validation.get("package") or {}).get("revocation") or {}
    if revocation.get("status") == "unknown":
        Handling.objects.create(
            document=document,
            action="revocation_unknown",
            note=revocation.get("text") or revocation.get("detail", ""),
        )


def _earlier_document_id(header, document_id: str) -> str:
    """The DocumentId an update or replacement names (ResponseFor), or its own when it names
    none (an update sent under the same number)."""
    response_for = _get(header, "ResponseFor") or []
    if isinstance(response_for, dict):
        response_for = [response_for]
    for item in response_for:
        earlier = str(_get(item, "DocumentId")).strip()
        if earlier:
            return earlier
    return document_id


def _revision_from_exchange(
    header, business: str, document_id: str, agencies, fields: dict, attachments, validation
) -> list[IncomingDocument]:
    """An update (2) or replacement (3) from another installation: applied to the incoming
    document each addressee holds for the earlier document (:func:`apply_revision`), which
    answers 15 (applied) or 16 (not applicable, with the reason) to the sender. An addressee
    that never received the earlier document refuses the package (02, with the reason)."""
    earlier_id = _earlier_document_id(header, document_id)
    reason = str(_get(header, "TraceHeaderList", "Business", "BusinessDocReason"))
    revised = []
    with transaction.atomic():
        for agency in agencies:
            earlier = (
                IncomingDocument.objects.select_for_update()
                .filter(
                    agency=agency,
                    edxml_document_id=earlier_id,
                    source=IncomingDocument.Source.EXCHANGE,
                )
                .order_by("-pk")
                .first()
            )
            if earlier is None:
                raise ValidationError(
                    _(
                        "The document to update or replace (%(id)s) was never received by "
                        "%(agency)s."
                    )
                    % {"id": earlier_id, "agency": agency.code}
                )
            document, _applied, _reason = apply_revision(
                earlier,
                business=business,
                fields=fields,
                files=attachments,
                reason=reason,
                document_id=document_id[:160],
                package=_as_json(validation),
            )
            _note_revocation_unknown(document)
            revised.append(document)
    return revised


def apply_revision(
    document,
    *,
    business: str,
    fields: dict,
    files,
    reason: str = "",
    document_id: str = "",
    package: dict | None = None,
) -> tuple[IncomingDocument, bool, str]:
    """Apply an update ("2") or replacement ("3") of the sender to the incoming ``document``
    (locked by the caller's transaction): the files received so far are kept as the earlier
    version (marked replaced), the new ones become the document's, its header takes the new
    number, subject and dates, its edXML id the revision's (later statuses are about it); the
    registration, assignment and deadline stay. The history says what changed, the handler
    (or the clerk) is notified, and the sender hears 15. A document returned to the sender or
    recalled is not revised: the sender hears 16 with the reason.

    Returns (document, applied?, the description sent with the status)."""
    kind = _("update") if business == Revision.UPDATE else _("replacement")
    if document.state in (In.RETURNED, In.RECALLED):
        description = _("The %(kind)s was not applied: the document is “%(state)s”.") % {
            "kind": kind,
            "state": document.get_state_display(),
        }
        Handling.objects.create(document=document, action="revision_refused", note=description)
        _report_status(document, STATUS_UPDATE_REFUSED, description, about=document_id)
        return document, False, description
    before = document.number_symbol or document.subject[:80]
    version = document.version + 1
    document.files.exclude(kind=IncomingFile.Kind.WORK).update(superseded=True)
    reports = {}
    for index, (name, content_type, content) in enumerate(files):
        kind_of_file = IncomingFile.Kind.MAIN if index == 0 else IncomingFile.Kind.ATTACHMENT
        row = _add_file(document, kind_of_file, name or f"tep-{index + 1}", content, content_type)
        row.version = version
        row.save(update_fields=["version"])
        if content[:1024].find(b"%PDF-") >= 0:
            reports[name] = _validation_of(content, name)
    for field, value in fields.items():
        if value not in (None, ""):
            setattr(document, field, value)
    document.version = version
    if document_id:
        document.edxml_document_id = document_id
    main_report = next(iter(reports.values()), {})
    document.validation = {
        **(main_report or document.validation),
        "files": reports,
        "package": package if package is not None else document.validation.get("package", {}),
        "earlier_versions": [
            *document.validation.get("earlier_versions", []),
            {"version": version - 1, "indication": document.validation.get("indication", "")},
        ],
    }
    document.save()
    note = _("Version %(version)s (%(kind)s of %(before)s): %(reason)s") % {
        "version": version,
        "kind": kind,
        "before": before,
        "reason": reason or "—",
    }
    action = "updated" if business == Revision.UPDATE else "replaced"
    Handling.objects.create(document=document, action=action, note=note, to_user=document.assignee)
    _notify_revision(document, note)
    record_event(
        f"office.incoming_{action}",
        document,
        agency=document.agency,
        reason=reason[:500],
        changes={"version": version, "document_id": document_id, "before": before},
    )
    description = _("The %(kind)s was applied (version %(version)s).") % {
        "kind": kind,
        "version": version,
    }
    _report_status(document, STATUS_UPDATE_AGREED, description)
    return document, True, description


def _notify_revision(document, note: str) -> None:
    """The person handling the document (or, before assignment, the agency's clerks) hears
    that it changed."""
    from django.urls import reverse

    from egov.core.models import Role
    from egov.notifications.services import notify

    if document.assignee_id:
        people = [document.assignee]
    else:
        from egov.core.models import Position, User

        clerks = Position.objects.valid_on().filter(agency=document.agency, role=Role.CLERK)
        people = list(User.objects.filter(pk__in=clerks.values("user_id")))
    if people:
        notify(
            people,
            _("Document changed by its sender: %(subject)s") % {"subject": document.subject[:120]},
            body=note,
            url=reverse("office:incoming", args=[document.pk]),
            topic="office",
        )


def _recall_from_exchange(header, document_id: str, agencies) -> list[IncomingDocument]:
    reason = str(_get(header, "TraceHeaderList", "Business", "BusinessDocReason"))
    recalled = []
    with transaction.atomic():
        for document in IncomingDocument.objects.select_for_update().filter(
            agency__in=agencies, edxml_document_id=document_id
        ):
            if document.state == In.RECALLED:
                continue
            document.state, document.recall_reason = In.RECALLED, reason
            document.save(update_fields=["state", "recall_reason"])
            Handling.objects.create(document=document, action="recalled", note=reason)
            record_event(
                "office.incoming_recalled", document, agency=document.agency, reason=reason
            )
            recalled.append(document)
    return recalled

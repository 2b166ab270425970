"""What the exchange needs to know about an outgoing document, and the one adapter that reads
it from the electronic office (``egov.office``). Everything else of the exchange works on
:class:`OutgoingInfo`, so synthetic documents (tests, the benchmark, the demo command) travel
the same way as the office's.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass, field

from django.utils import timezone

from .edxml import document_id as make_document_id


@dataclass
class OutgoingInfo:
    """The header fields of an outgoing document and its files."""

    from_code: str
    from_name: str
    code_number: str
    code_notation: str
    subject: str
    promulgation_date: dt.date
    office_document_id: str = ""
    place: str = ""
    type_code: str = ""
    type_name: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: str = "0"
    steering_type: str = ""
    recipient_names: dict[str, str] = field(default_factory=dict)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    from_address: str = ""
    from_email: str = ""
    from_phone: str = ""
    from_website: str = ""
    edxml_document_id: str = ""
    # An update or replacement names the earlier document: {OrganId, Code, PromulgationDate,
    # DocumentId} (edXML ResponseFor).
    response_for: dict = field(default_factory=dict)

    @property
    def number_symbol(self) -> str:
        return f"{self.code_number}/{self.code_notation}"

    @property
    def document_id(self) -> str:
        """The edXML DocumentId (the office's when it set one)."""
        return self.edxml_document_id or make_document_id(
            self.from_code, self.promulgation_date, self.number_symbol
        )


def outgoing_info(document_id) -> OutgoingInfo:
    """Read the office's released ``OutgoingDocument`` ``document_id`` (the adapter)."""
    from egov.office.models import URGENCY_PRIORITY, OutgoingDocument

    doc = (
        OutgoingDocument.objects.select_related("agency", "doc_type", "signer")
        .prefetch_related("files", "recipients")
        .get(pk=document_id)
    )
    agency = doc.agency
    number, _slash, notation = (doc.number_symbol or "").partition("/")
    released = (
        timezone.localtime(doc.numbered_at or doc.released_at).date()
        if (doc.numbered_at or doc.released_at)
        else timezone.localdate()
    )
    attachments = []
    for item in doc.files.all():
        with item.file.open("rb") as handle:
            data = handle.read()
        content_type = mimetypes.guess_type(item.name)[0] or "application/pdf"
        attachments.append((item.name, content_type, data))
    unit = agency.administrative_unit
    return OutgoingInfo(
        office_document_id=str(doc.pk),
        from_code=agency.code,
        from_name=agency.name,
        from_address=agency.address,
        from_email=agency.email,
        from_phone=agency.phone,
        from_website=agency.website,
        code_number=number or str(doc.number or ""),
        code_notation=notation,
        subject=doc.subject,
        promulgation_date=released,
        place=unit.name if unit else "",
        type_code=doc.doc_type.abbreviation or doc.doc_type.code,
        type_name=doc.doc_type.name,
        signer_competence=doc.authority_prefix,
        signer_position=doc.signer_position,
        signer_name=(doc.signer.full_name if doc.signer else ""),
        to_places=[line.strip() for line in doc.places.splitlines() if line.strip()],
        priority=URGENCY_PRIORITY.get(doc.urgency, "0"),
        recipient_names={r.code: r.name for r in doc.recipients.all()},
        attachments=attachments,
        edxml_document_id=doc.edxml_document_id,
        response_for=_response_for(doc.revises) if doc.revises_id else {},
    )


def _response_for(earlier) -> dict:
    """ResponseFor of an update or replacement: the earlier document it revises."""
    day = earlier.numbered_at or earlier.released_at
    return {
        "OrganId": earlier.agency.code,
        "Code": earlier.number_symbol,
        "PromulgationDate": timezone.localtime(day).strftime("%d/%m/%Y") if day else "",
        "DocumentId": earlier.edxml_document_id,
    }


def incoming_origin(document_id, edxml_document_id: str | None = None):
    """The package an office ``IncomingDocument`` was registered from — its latest version's
    (an update or replacement) — or the package ``edxml_document_id`` about it (None if not
    found)."""
    from egov.office.models import IncomingDocument

    from .models import ReceivedPackage

    doc = IncomingDocument.objects.select_related("agency").filter(pk=document_id).first()
    if doc is None or not doc.edxml_document_id:
        return None
    return (
        ReceivedPackage.objects.filter(
            document_id=edxml_document_id or doc.edxml_document_id,
            from_code=doc.sender_code,
            to_code=doc.agency.code,
        )
        .order_by("business_doc_type", "pk")
        .first()
    )

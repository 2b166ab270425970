"""edXML packages (QCVN 102:2016/BTTTT, Circular 10/2016/TT-BTTTT): build and parse.

A document package is ``edXML:edXMLEnvelope`` with ``edXMLHeader`` (``MessageHeader``,
``TraceHeaderList``, the XML signature), ``edXMLBody/edXMLManifest`` (one ``Reference`` per
attachment) and the ``Attachment`` elements (base64). A status package is ``edXML:Status``
(``ResponseFor``, ``From``, ``StatusCode``, ``Description``, ``Timestamp``, ``StaffInfo``),
signed too. The element layout is data (:data:`MESSAGE_HEADER`, …): building walks a dict with
the element names as keys, parsing gives the same dict back, so the office reads
``header["Subject"]`` or ``header["Code"]["CodeNotation"]``.

Signing (:mod:`egov.exchange.trust`): a package we send is signed by parts — one XML-DSig
reference to the header (``Id="edXMLHeader"``, the signature inside it, enveloped) and one to
the manifest (``Id="edXMLManifest"``), where each ``Reference`` carries the SHA-256 digest of its
attachment's bytes (``ds:DigestMethod``/``ds:DigestValue``, as an XML-DSig reference would). The
signature thus vouches for every byte of the package while the receiver canonicalises a few
kilobytes, not the 1.4 MB of base64: it checks the digest of each attachment it decodes
(:func:`read_signed_package`). A package signed whole (reference URI "") is read as well.

Parsing is defensive: a size limit, no DTD, no entity expansion, no network, and a clear
:class:`EdxmlError` for anything that is not a well-formed package of ours.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

import pybase64
from django.utils.translation import gettext as _
from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"edXML": NS}
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"  # "dd/MM/yyyy HH:mm:ss"

ENVELOPE = f"{{{NS}}}edXMLEnvelope"
STATUS = f"{{{NS}}}Status"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
# The Ids of the parts a package is signed by (in this order): see the module docstring.
HEADER_ID = "edXMLHeader"
MANIFEST_ID = "edXMLManifest"
SIGNED_PARTS = (HEADER_ID, MANIFEST_ID)


class BusinessDocType:
    """TraceHeaderList/Business/BusinessDocType."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3
    ALL = (0, 1, 2, 3)


class StatusCode:
    """edXML status codes (vietnam.md §4.2)."""

    ARRIVED = "01"
    REFUSED = "02"
    ACCEPTED = "03"
    ASSIGNED = "04"
    PROCESSING = "05"
    COMPLETED = "06"
    RECALL = "13"
    RECALL_AGREED = "15"
    RECALL_REFUSED = "16"
    ALL = ("01", "02", "03", "04", "05", "06", "13", "15", "16")


# --- layout ---------------------------------------------------------------------------------
# A field is a name (text element), or (name, children, many): children None for text.
ORGAN_FROM = [
    "OrganId",
    "OrganizationInCharge",
    "OrganName",
    "OrganAdd",
    "Email",
    "Telephone",
    "Fax",
    "Website",
]
ORGAN_TO = ["OrganId", "OrganName", "OrganAdd", "Email", "Telephone", "Fax", "Website"]
STAFF = ["Department", "Staff", "Mobile", "Email"]
RESPONSE_FOR = ["OrganId", "Code", "PromulgationDate", "DocumentId"]
MESSAGE_HEADER = [
    ("From", ORGAN_FROM, False),
    ("To", ORGAN_TO, True),
    "DocumentId",
    ("Code", ["CodeNumber", "CodeNotation"], False),
    ("PromulgationInfo", ["Place", "PromulgationDate"], False),
    ("DocumentType", ["Type", "TypeDetail", "TypeName"], False),
    "Subject",
    "Content",
    ("SignerInfo", ["Competence", "Position", "FullName"], False),
    "DueDate",
    ("ToPlaces", [("Place", None, True)], False),
    (
        "OtherInfo",
        [
            "Priority",
            "SphereOfPromulgation",
            "TyperNotation",
            "PromulgationAmount",
            "PageAmount",
            ("Appendixes", [("Appendix", None, True)], False),
        ],
        False,
    ),
    "SteeringType",
    ("ResponseFor", RESPONSE_FOR, True),
]
TRACE_HEADER_LIST = [
    ("TraceHeader", ["OrganId", "Timestamp"], True),
    (
        "Business",
        [
            "BusinessDocType",
            "BusinessDocReason",
            "Paper",
            ("StaffInfo", STAFF, False),
            (
                "ReplacementInfoList",
                [
                    (
                        "ReplacementInfo",
                        ["DocumentId", ("OrganIdList", [("OrganId", None, True)], False)],
                        True,
                    )
                ],
                False,
            ),
            ("BusinessDocumentInfo", ["DocumentInfo", "DocumentReceiver"], False),
        ],
        False,
    ),
]
STATUS_FIELDS = [
    ("ResponseFor", RESPONSE_FOR, False),
    ("From", ORGAN_FROM, False),
    "StatusCode",
    "Description",
    "Timestamp",
    ("StaffInfo", STAFF, False),
]


def _spec(item):
    return (item, None, False) if isinstance(item, str) else item


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


class EdxmlError(ValueError):
    """Not an edXML package we can read; ``code`` is the API error code."""

    def __init__(self, message: str, code: str = "malformed_package"):
        super().__init__(message)
        self.code = code


# --- building -------------------------------------------------------------------------------
def _fill(parent, layout, data: dict) -> None:
    for item in layout:
        name, children, many = _spec(item)
        value = data.get(name)
        if value is None or value == "" or value == [] or value == {}:
            continue
        for one in value if many else [value]:
            element = etree.SubElement(parent, _q(name))
            if children is None:
                element.text = str(one)
            else:
                _fill(element, children, one)


def format_timestamp(moment: dt.datetime) -> str:
    """A TraceHeader/Status timestamp: ``dd/MM/yyyy HH:mm:ss`` in Vietnam time."""
    return moment.astimezone(VIETNAM).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text: str) -> dt.datetime:
    """The aware datetime of an edXML timestamp (Vietnam time)."""
    try:
        return dt.datetime.strptime(text.strip(), TIMESTAMP_FORMAT).replace(tzinfo=VIETNAM)
    except (ValueError, AttributeError) as error:
        raise EdxmlError(
            _("The timestamp %(value)s is not in the form dd/MM/yyyy HH:mm:ss.") % {"value": text}
        ) from error


@dataclass
class Attachment:
    """One attached file: its name, MIME type and bytes."""

    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""

    def as_tuple(self) -> tuple[str, str, bytes]:
        return (self.name, self.content_type, self.data)


def _signature_placeholder(parent) -> None:
    etree.SubElement(parent, f"{{{DS}}}Signature", nsmap={"ds": DS}, Id="placeholder")


def build_package(message_header: dict, trace: dict, attachments: list[Attachment]) -> bytes:
    """The unsigned XML of a document package (a signature placeholder in the header).

    ``message_header`` and ``trace`` follow :data:`MESSAGE_HEADER` and
    :data:`TRACE_HEADER_LIST` (element names as keys; lists for repeated elements).
    """
    root = etree.Element(ENVELOPE, nsmap=NSMAP)
    header = etree.SubElement(root, _q("edXMLHeader"))
    _fill(etree.SubElement(header, _q("MessageHeader")), MESSAGE_HEADER, message_header)
    _fill(etree.SubElement(header, _q("TraceHeaderList")), TRACE_HEADER_LIST, trace)
    _signature_placeholder(header)
    manifest = etree.SubElement(etree.SubElement(root, _q("edXMLBody")), _q("edXMLManifest"))
    for index, attachment in enumerate(attachments, start=1):
        content_id = attachment.content_id or f"attachment{index}"
        _fill(
            manifest,
            [("Reference", ["ContentId", "ContentType", "AttachmentName", "Description"], False)],
            {
                "Reference": {
                    "ContentId": content_id,
                    "ContentType": attachment.content_type,
                    "AttachmentName": attachment.name,
                    "Description": attachment.description,
                }
            },
        )
    for index, attachment in enumerate(attachments, start=1):
        element = etree.SubElement(root, _q("Attachment"))
        etree.SubElement(element, _q("ContentId")).text = attachment.content_id or (
            f"attachment{index}"
        )
        etree.SubElement(element, _q("ContentType")).text = attachment.content_type
        etree.SubElement(element, _q("ContentTransferEncoded")).text = pybase64.b64encode(
            attachment.data
        ).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_envelope(message_header: dict, trace: dict, attachments: list[Attachment]) -> bytes:
    """The unsigned XML of a document package to sign by parts (:data:`SIGNED_PARTS`): the
    header and the manifest with each attachment's SHA-256 digest, without the attachments
    themselves — :func:`add_attachments` puts them in once it is signed."""
    root = etree.Element(ENVELOPE, nsmap={**NSMAP, "ds": DS})
    header = etree.SubElement(root, _q("edXMLHeader"), Id=HEADER_ID)
    _fill(etree.SubElement(header, _q("MessageHeader")), MESSAGE_HEADER, message_header)
    _fill(etree.SubElement(header, _q("TraceHeaderList")), TRACE_HEADER_LIST, trace)
    _signature_placeholder(header)
    body = etree.SubElement(root, _q("edXMLBody"))
    manifest = etree.SubElement(body, _q("edXMLManifest"), Id=MANIFEST_ID)
    for index, attachment in enumerate(attachments, start=1):
        reference = etree.SubElement(manifest, _q("Reference"))
        _fill(
            reference,
            ["ContentId", "ContentType", "AttachmentName", "Description"],
            {
                "ContentId": attachment.content_id or f"attachment{index}",
                "ContentType": attachment.content_type,
                "AttachmentName": attachment.name,
                "Description": attachment.description,
            },
        )
        etree.SubElement(reference, f"{{{DS}}}DigestMethod", Algorithm=SHA256)
        etree.SubElement(reference, f"{{{DS}}}DigestValue").text = base64.b64encode(
            hashlib.sha256(attachment.data).digest()
        ).decode("ascii")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def add_attachments(signed_envelope: bytes, attachments: list[Attachment]) -> bytes:
    """The whole package: ``signed_envelope`` (from :func:`build_envelope`, signed) followed
    by the ``Attachment`` elements (base64), in manifest order.

    The elements are written as bytes after the signed envelope's last child: a megabyte of
    base64 needs no escaping, and lxml would scan and copy it twice for nothing."""
    body, closing, rest = signed_envelope.rpartition(b"</edXML:edXMLEnvelope>")
    if not closing or rest.strip():
        raise EdxmlError(_("The signed envelope does not end with edXML:edXMLEnvelope."))
    parts = [body]
    for index, attachment in enumerate(attachments, start=1):
        content_id = attachment.content_id or f"attachment{index}"
        parts += [
            b"<edXML:Attachment><edXML:ContentId>",
            xml_escape(content_id).encode(),
            b"</edXML:ContentId><edXML:ContentType>",
            xml_escape(attachment.content_type).encode(),
            b"</edXML:ContentType><edXML:ContentTransferEncoded>",
            pybase64.b64encode(attachment.data),
            b"</edXML:ContentTransferEncoded></edXML:Attachment>",
        ]
    parts.append(closing)
    return b"".join(parts)


def build_status(fields: dict) -> bytes:
    """The unsigned XML of a status package (fields per :data:`STATUS_FIELDS`)."""
    root = etree.Element(STATUS, nsmap=NSMAP)
    _fill(root, STATUS_FIELDS, fields)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- parsing --------------------------------------------------------------------------------
def _read(parent, layout) -> dict:
    data = {}
    for item in layout:
        name, children, many = _spec(item)
        found = parent.findall(_q(name))
        if not found:
            continue
        values = [
            (el.text or "").strip() if children is None else _read(el, children) for el in found
        ]
        data[name] = values if many else values[0]
    return data


@dataclass
class Package:
    """A parsed document package."""

    header: dict
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.header.get("DocumentId", "")

    @property
    def from_code(self) -> str:
        return self.header.get("From", {}).get("OrganId", "")

    @property
    def to_codes(self) -> list[str]:
        return [to.get("OrganId", "") for to in self.header.get("To", [])]

    @property
    def business_doc_type(self) -> int:
        business = self.header.get("TraceHeaderList", {}).get("Business", {})
        return int(business.get("BusinessDocType") or 0)


@dataclass
class StatusPackage:
    """A parsed status package."""

    fields: dict

    @property
    def document_id(self) -> str:
        return self.fields.get("ResponseFor", {}).get("DocumentId", "")

    @property
    def from_code(self) -> str:
        return self.fields.get("From", {}).get("OrganId", "")

    @property
    def to_code(self) -> str:
        """The agency the status is about (the original sender)."""
        return self.fields.get("ResponseFor", {}).get("OrganId", "")

    @property
    def status_code(self) -> str:
        return self.fields.get("StatusCode", "")

    @property
    def description(self) -> str:
        return self.fields.get("Description", "")

    @property
    def timestamp(self) -> dt.datetime:
        return parse_timestamp(self.fields.get("Timestamp", ""))

    @property
    def staff(self) -> dict:
        return self.fields.get("StaffInfo", {})


def _parser() -> etree.XMLParser:
    # Parsers are not thread-safe: one per call (cheap).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(raw: bytes, max_bytes: int | None = None) -> etree._Element:
    """The root element of ``raw``, refusing what is too big, broken or carries a DTD."""
    if not raw or not raw.strip():
        raise EdxmlError(_("The request carries no edXML package."))
    if max_bytes is not None and len(raw) > max_bytes:
        raise EdxmlError(
            _("The package is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)},
            code="package_too_large",
        )
    try:
        root = etree.fromstring(raw, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        raise EdxmlError(_("The package is not well-formed XML.")) from error
    if root.getroottree().docinfo.doctype:
        raise EdxmlError(_("Packages with a document type declaration are not accepted."))
    return root


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise EdxmlError(message)


def _read_header(header_el) -> Package:
    """The package of an ``edXMLHeader`` (no attachments yet), its required fields checked."""
    _require(
        header_el is not None and header_el.tag == _q("edXMLHeader"),
        _("The package has no edXMLHeader."),
    )
    message = header_el.find(_q("MessageHeader"))
    _require(message is not None, _("The package has no MessageHeader."))
    header = _read(message, MESSAGE_HEADER)
    trace = header_el.find(_q("TraceHeaderList"))
    header["TraceHeaderList"] = _read(trace, TRACE_HEADER_LIST) if trace is not None else {}
    package = Package(header=header)
    _require(bool(package.from_code), _("The package does not say who sent it (From/OrganId)."))
    _require(
        bool(package.to_codes) and all(package.to_codes),
        _("The package has no recipient (To/OrganId)."),
    )
    _require(bool(package.document_id), _("The package has no DocumentId."))
    subject = header.get("Subject", "")
    _require(bool(subject), _("The package has no Subject."))
    _require(len(subject) <= 500, _("The Subject is longer than 500 characters."))
    _require(len(header.get("Content", "")) <= 500, _("The Content is longer than 500 characters."))
    try:
        business = package.business_doc_type
    except ValueError:
        business = -1
    _require(business in BusinessDocType.ALL, _("BusinessDocType must be 0, 1, 2 or 3."))
    return package


def _read_attachments(manifest, elements, digests: bool) -> list[Attachment]:
    """The attachments of ``elements`` (``Attachment``), each listed in ``manifest``. With
    ``digests`` every manifest entry must carry the SHA-256 digest of its attachment, which
    must be there, once, with exactly these bytes."""
    references = {}
    for ref in manifest.findall(_q("Reference")) if manifest is not None else []:
        values = _read(ref, ["ContentId", "ContentType", "AttachmentName", "Description"])
        content_id = values.get("ContentId", "")
        _require(
            content_id not in references,
            _("The manifest lists %(id)s twice.") % {"id": content_id},
        )
        if digests:
            method = ref.find(f"{{{DS}}}DigestMethod")
            value = ref.find(f"{{{DS}}}DigestValue")
            _require(
                method is not None and method.get("Algorithm") == SHA256 and value is not None,
                _("The manifest gives no SHA-256 digest for the attachment %(id)s.")
                % {"id": content_id},
            )
            values["digest"] = (value.text or "").strip()
        references[content_id] = values
    found = []
    for element in elements:
        values = _read(element, ["ContentId", "ContentType", "ContentTransferEncoded"])
        content_id = values.get("ContentId", "")
        reference = references.get(content_id)
        _require(
            reference is not None,
            _("The attachment %(id)s is not in the manifest.") % {"id": content_id},
        )
        _require(
            content_id not in {a.content_id for a in found},
            _("The package carries the attachment %(id)s twice.") % {"id": content_id},
        )
        try:
            # pybase64 (SIMD): the standard library's decoder spent 6 ms on each megabyte.
            data = pybase64.b64decode(values.get("ContentTransferEncoded", ""), validate=False)
        except (binascii.Error, ValueError) as error:
            raise EdxmlError(
                _("The attachment %(id)s is not valid base64.") % {"id": content_id}
            ) from error
        name = reference.get("AttachmentName") or content_id
        if digests and base64.b64encode(hashlib.sha256(data).digest()).decode() != reference.get(
            "digest"
        ):
            raise EdxmlError(
                _(
                    "The attachment %(name)s was changed after signing: its SHA-256 digest is "
                    "not the one the signed manifest gives."
                )
                % {"name": name},
                code="attachment_changed",
            )
        found.append(
            Attachment(
                name=name,
                content_type=values.get("ContentType")
                or reference.get("ContentType")
                or "application/octet-stream",
                data=data,
                description=reference.get("Description", ""),
                content_id=content_id,
            )
        )
    if digests:
        missing = set(references) - {a.content_id for a in found}
        _require(
            not missing,
            _("The attachment %(id)s the manifest lists is missing.")
            % {"id": ", ".join(sorted(missing))},
        )
    return found


def read_package(root: etree._Element, attachments: bool = True) -> Package:
    """The header and attachments of a document package (``root``: its envelope); without
    ``attachments`` only the header (enough to choose whose trust checks the signature)."""
    _require(root.tag == ENVELOPE, _("The root element is not edXML:edXMLEnvelope."))
    package = _read_header(root.find(_q("edXMLHeader")))
    if attachments:
        manifest = root.find(f"{_q('edXMLBody')}/{_q('edXMLManifest')}")
        package.attachments = _read_attachments(
            manifest, root.findall(_q("Attachment")), digests=False
        )
    return package


def signed_by_parts(root: etree._Element) -> bool:
    """Does the (unverified) signature of the envelope ``root`` reference the header and the
    manifest (:data:`SIGNED_PARTS`) rather than the whole document?"""
    header = root.find(_q("edXMLHeader"))
    signature = header.find(f"{{{DS}}}Signature") if header is not None else None
    if signature is None:
        return False
    uris = [r.get("URI") for r in signature.iterfind(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")]
    return uris == [f"#{one}" for one in SIGNED_PARTS]


def detach_attachments(root: etree._Element) -> list[etree._Element]:
    """Take the ``Attachment`` elements out of the envelope ``root`` (what is left is the part
    the signature of a package signed by parts is checked on); they are returned."""
    elements = root.findall(_q("Attachment"))
    for element in elements:
        root.remove(element)
    return elements


def read_signed_package(header, manifest, attachments) -> Package:
    """A package signed by parts: ``header`` and ``manifest`` as the signature covers them
    (``XmlSignatureReport.signed_parts``), ``attachments`` the ``Attachment`` elements of the
    package, each checked against the digest the manifest gives (:class:`EdxmlError`
    ``attachment_changed`` when one byte differs)."""
    package = _read_header(header)
    _require(
        manifest is not None and manifest.tag == _q("edXMLManifest"),
        _("The package has no edXMLManifest."),
    )
    package.attachments = _read_attachments(manifest, attachments, digests=True)
    return package


def read_status(root: etree._Element) -> StatusPackage:
    """The fields of a status package (``root``: its ``edXML:Status``)."""
    _require(root.tag == STATUS, _("The root element is not edXML:Status."))
    status = StatusPackage(fields=_read(root, STATUS_FIELDS))
    _require(bool(status.document_id), _("The status has no ResponseFor/DocumentId."))
    _require(bool(status.from_code), _("The status does not say who sent it (From/OrganId)."))
    _require(
        status.status_code in StatusCode.ALL,
        _("Unknown status code %(code)s.") % {"code": status.status_code},
    )
    status.timestamp  # noqa: B018 - raises EdxmlError when malformed
    return status


def read(root: etree._Element, attachments: bool = True) -> Package | StatusPackage:
    """A document package or a status package, recognised by the root element."""
    if root.tag == STATUS:
        return read_status(root)
    if root.tag == ENVELOPE:
        return read_package(root, attachments)
    raise EdxmlError(
        _("The root element %(tag)s is neither an edXML envelope nor a status.")
        % {"tag": etree.QName(root).localname}
    )


def parse(raw: bytes, max_bytes: int | None = None) -> Package | StatusPackage:
    """Parse raw bytes (unverified: callers that trust content read the signed root)."""
    return read(parse_xml(raw, max_bytes))


def document_id(organ_id: str, date: dt.date, number_symbol: str) -> str:
    """edXML DocumentId: ``<OrganId>,<yyyy/MM/dd>,<number/symbol>``."""
    return f"{organ_id},{date:%Y/%m/%d},{number_symbol}"

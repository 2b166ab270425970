"""The electronic office (Văn phòng điện tử): outgoing documents (văn bản đi) from draft to
release, incoming documents (văn bản đến) from arrival to completion, and the yearly registers
(sổ văn bản) that number them.

Rules of Decree 30/2020/NĐ-CP that are data (document types and their abbreviations) live in
tables; numbering is done by :mod:`egov.office.numbering`; state changes by
:mod:`egov.office.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.models import Agency, Role
from egov.core.text import fold, normalize_text


class DocumentType(models.Model):
    """Loại văn bản hành chính (Decree 30/2020, Appendix III) and its abbreviation in the
    symbol; công văn and thư công have none (their symbol names the drafting unit)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_letter(self) -> bool:
        """Công văn (and thư công): no type abbreviation, the unit goes into the symbol."""
        return not self.abbreviation


class Urgency(models.TextChoices):
    NORMAL = "", _("Normal")
    URGENT = "khan", _("Urgent (Khẩn)")
    VERY_URGENT = "thuong_khan", _("Very urgent (Thượng khẩn)")
    EXPRESS = "hoa_toc", _("Express (Hỏa tốc)")


# edXML OtherInfo/Priority of each urgency (0 normal … 3 express).
URGENCY_PRIORITY = {"": "0", "khan": "1", "thuong_khan": "2", "hoa_toc": "3"}


class Secrecy(models.TextChoices):
    NONE = "", _("Not secret")
    CONFIDENTIAL = "mat", _("Confidential (Mật)")
    SECRET = "toi_mat", _("Secret (Tối mật)")
    TOP_SECRET = "tuyet_mat", _("Top secret (Tuyệt mật)")


class Revision(models.TextChoices):
    """What a document does to an earlier one it names (edXML BusinessDocType 2 and 3)."""

    NONE = "", _("New document")
    UPDATE = "2", _("Updates an earlier document")
    REPLACE = "3", _("Replaces an earlier document")


def is_secret(secrecy: str) -> bool:
    """Mật, tối mật, tuyệt mật: the document is shown only to the people who handle it."""
    return bool(secrecy)


class AuthorityPrefix(models.TextChoices):
    """Thẩm quyền ký (Decree 30/2020, Art. 13 and Appendix I)."""

    NONE = "", _("In own name")
    TM = "TM.", _("TM. (on behalf of the collective)")
    KT = "KT.", _("KT. (signing for the head)")
    TL = "TL.", _("TL. (by order of the head)")
    TUQ = "TUQ.", _("TUQ. (by authorisation)")
    Q = "Q.", _("Q. (acting)")


# --- approval chain -------------------------------------------------------------------------
class ApprovalChain(models.Model):
    """Quy trình trình ký: the ordered reviewers an agency's drafts pass before signing."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="approval_chains"
    )
    name = models.CharField(_("name"), max_length=200)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        ordering = ["agency", "-is_default", "name"]

    def __str__(self):
        return self.name


class ApprovalStep(models.Model):
    """One step of a chain: a named person, or whoever holds a role (in the drafting unit for
    a unit leader, in the agency otherwise)."""

    chain = models.ForeignKey(
        ApprovalChain, verbose_name=_("chain"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("label"), max_length=120)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["chain", "order"]
        constraints = [models.UniqueConstraint(fields=["chain", "order"], name="uniq_office_step")]

    def __str__(self):
        return f"{self.order}. {self.label}"


# --- outgoing documents ---------------------------------------------------------------------
class OutgoingDocument(models.Model):
    """Văn bản đi: drafted, reviewed, signed, sealed, then numbered and released by the
    clerk from the agency's yearly outgoing register."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved, to sign")
        SIGNED = "signed", _("Signed, to seal")
        SEALED = "sealed", _("Sealed, to release")
        RELEASED = "released", _("Released")
        RECALLED = "recalled", _("Recalled")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="outgoing"
    )
    drafting_unit = models.ForeignKey(
        Agency,
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT)
    subject = models.CharField(_("subject (trích yếu)"), max_length=500)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, blank=True, default=""
    )
    secrecy = models.CharField(
        _("secrecy"), max_length=12, choices=Secrecy.choices, blank=True, default=""
    )
    places = models.TextField(_("recipients list (Nơi nhận)"), blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    authority_prefix = models.CharField(
        _("signing authority"), max_length=5, choices=AuthorityPrefix.choices, blank=True
    )
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    chain = models.ForeignKey(
        ApprovalChain,
        verbose_name=_("approval chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.PositiveSmallIntegerField(_("current step"), default=0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_symbol = models.CharField(_("number and symbol"), max_length=80, blank=True)
    # When the clerk issued the number: the date printed on the document (ngày ban hành).
    numbered_at = models.DateTimeField(_("numbered at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edxml_document_id = models.CharField(
        _("edXML document id"), max_length=160, blank=True, db_index=True
    )
    recall_reason = models.TextField(_("recall reason"), blank=True)
    revises = models.ForeignKey(
        "self",
        verbose_name=_("earlier document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
    )
    revision = models.CharField(
        _("revision"), max_length=1, choices=Revision.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    search_text = models.CharField(max_length=800, editable=False, default="")

    class Meta:
        verbose_name = _("outgoing document")
        verbose_name_plural = _("outgoing documents")
        ordering = ["-released_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="uniq_office_outgoing_number"
            )
        ]
        indexes = [models.Index(fields=["agency", "state", "released_at"])]

    def __str__(self):
        return self.number_symbol or f"{_('draft')} #{self.pk}: {self.subject[:60]}"

    def save(self, *args, **kwargs):
        self.subject = normalize_text(self.subject)
        self.search_text = fold(f"{self.number_symbol} {self.subject}")[:800]
        super().save(*args, **kwargs)

    @property
    def main_file(self):
        return self.files.filter(kind=OutgoingFile.Kind.MAIN).order_by("-pk").first()

    @property
    def signer_title(self) -> str:
        return " ".join(p for p in (self.authority_prefix, self.signer_position) if p)


class StoredFile(models.Model):
    """What every file of a document keeps: its name, content digest and size."""

    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class OutgoingFile(StoredFile):
    """A body file of an outgoing document: the main PDF (the one signed) or an appendix."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main document")
        APPENDIX = "appendix", _("Appendix")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="office/out/%Y/%m/")

    class Meta(StoredFile.Meta):
        verbose_name = _("document file")
        verbose_name_plural = _("document files")


class BodyVersion(models.Model):
    """The main PDF as it stood at one step (submitted, approved, returned, signed, sealed)."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    label = models.CharField(_("step"), max_length=120)
    file = models.FileField(_("file"), upload_to="office/versions/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("body version")
        verbose_name_plural = _("body versions")
        ordering = ["document", "number"]

    def __str__(self):
        return f"v{self.number} {self.label}"


class Review(models.Model):
    """One entry of the approval history: submitted, approved, returned (with comment), signed,
    sealed, released, recalled."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="reviews")
    step = models.PositiveSmallIntegerField(default=0)
    action = models.CharField(_("action"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        BodyVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%d/%m/%Y}"


class Recipient(models.Model):
    """Where a released document goes: a unit inside the agency, an agency of this
    installation (delivered directly), or an external agency known by code and name (sent
    through the exchange)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit of the agency")
        AGENCY = "agency", _("Agency of this installation")
        EXTERNAL = "external", _("External agency")

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("agency code"), max_length=13)
    name = models.CharField(_("name"), max_length=255)
    incoming = models.ForeignKey(
        "IncomingDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        ordering = ["document", "pk"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def last_status(self):
        return self.statuses.order_by("-at", "-pk").first()


class RecipientStatus(models.Model):
    """Status history per recipient (edXML status codes 01–06, 13, 15, 16)."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="statuses")
    code = models.CharField(_("status"), max_length=2)
    description = models.CharField(_("description"), max_length=500, blank=True)
    staff = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recipient status")
        verbose_name_plural = _("recipient statuses")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.code} {self.at:%d/%m/%Y %H:%M}"


# --- incoming documents ---------------------------------------------------------------------
class IncomingDocument(models.Model):
    """Văn bản đến: from another agency of this installation, from the exchange, or scanned
    from paper; numbered from the agency's yearly incoming register at registration."""

    class Source(models.TextChoices):
        PAPER = "paper", _("Paper (scanned)")
        INTERNAL = "internal", _("Electronic, from this installation")
        EXCHANGE = "exchange", _("Electronic, through the exchange")

    class State(models.TextChoices):
        ARRIVED = "arrived", _("Arrived, to register")
        REGISTERED = "registered", _("Registered, to assign")
        ASSIGNED = "assigned", _("Assigned")
        PROCESSING = "processing", _("Processing")
        COMPLETED = "completed", _("Completed")
        RETURNED = "returned", _("Returned to the sender")
        RECALLED = "recalled", _("Recalled by the sender")

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="incoming",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    paper_copy = models.BooleanField(_("paper copy received"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.ARRIVED, db_index=True
    )
    sender_code = models.CharField(_("sender code"), max_length=13, blank=True)
    sender_name = models.CharField(_("sender"), max_length=255)
    outgoing = models.ForeignKey(
        OutgoingDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edxml_document_id = models.CharField(max_length=160, blank=True, db_index=True)
    number_symbol = models.CharField(_("number and symbol"), max_length=80, blank=True)
    type_name = models.CharField(_("document type"), max_length=120, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    subject = models.CharField(_("subject (trích yếu)"), max_length=500)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, blank=True)
    secrecy = models.CharField(_("secrecy"), max_length=12, choices=Secrecy.choices, blank=True)
    response_due = models.DateField(_("reply requested by"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), default=timezone.now)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_unit = models.ForeignKey(
        Agency,
        verbose_name=_("assigned unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instructions = models.TextField(_("instructions (bút phê)"), blank=True)
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The Vietnam date of completion: compared with the deadline in SQL (statistics).
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    recall_reason = models.TextField(_("recall reason"), blank=True)
    validation = models.JSONField(_("signature validation"), default=dict, blank=True)
    # Versions received: 1, then one more per update or replacement the sender sent.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    search_text = models.CharField(max_length=1200, editable=False, default="")

    class Meta:
        verbose_name = _("incoming document")
        verbose_name_plural = _("incoming documents")
        ordering = ["-arrived_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="uniq_office_incoming_number"
            )
        ]
        indexes = [models.Index(fields=["agency", "state", "registered_at"])]

    def __str__(self):
        label = f"{self.number:02d}" if self.number else _("to register")
        return f"{_('Incoming')} {label}: {self.number_symbol or self.subject[:60]}"

    def save(self, *args, **kwargs):
        self.subject = normalize_text(self.subject)
        self.sender_name = normalize_text(self.sender_name)
        self.search_text = fold(
            f"{self.number_symbol} {self.subject} {self.sender_name} {self.sender_code}"
        )[:1200]
        super().save(*args, **kwargs)

    @property
    def is_electronic(self) -> bool:
        return self.source != self.Source.PAPER

    @property
    def validation_indication(self) -> str:
        return (self.validation or {}).get("indication") or ""


class IncomingFile(StoredFile):
    """A file of an incoming document: the received PDF, its appendices, or a file the
    assignee added while processing."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main document")
        ATTACHMENT = "attachment", _("Attachment")
        WORK = "work", _("Processing file")

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(max_length=100, default="application/pdf")
    file = models.FileField(_("file"), upload_to="office/in/%Y/%m/")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    superseded = models.BooleanField(_("replaced by a later version"), default=False)

    class Meta(StoredFile.Meta):
        verbose_name = _("incoming file")
        verbose_name_plural = _("incoming files")


class Handling(models.Model):
    """Processing history of an incoming document: registered, assigned (bút phê), notes,
    forwarded, completed, returned, recalled."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="handlings"
    )
    action = models.CharField(_("action"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.ForeignKey(
        IncomingFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%d/%m/%Y}"


# --- registers (counters) -------------------------------------------------------------------
class OutgoingCounter(models.Model):
    """Sổ văn bản đi: the last number issued by an agency in a calendar year."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="uniq_office_out_counter")
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last}"


class IncomingCounter(models.Model):
    """Sổ văn bản đến: the last incoming number of an agency in a calendar year (paper and
    electronic share it)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="uniq_office_in_counter")
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.year}: {self.last}"


# --- signature and seal images --------------------------------------------------------------
class AppearanceImage(models.Model):
    """What every appearance image keeps: the PNG or JPEG as uploaded (checked by content),
    its digest and who uploaded it when."""

    file = models.FileField(_("image"), upload_to="office/images/")
    content_type = models.CharField(max_length=20)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class SignatureImage(AppearanceImage):
    """The image of an official's handwritten signature, shown where she signs digitally."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="office_signature_image",
    )

    class Meta:
        verbose_name = _("signature image")
        verbose_name_plural = _("signature images")

    def __str__(self):
        return str(self.user)


class SealImage(AppearanceImage):
    """The image of an agency's red seal, laid over the signer's signature when sealing."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="seal_image"
    )

    class Meta:
        verbose_name = _("seal image")
        verbose_name_plural = _("seal images")

    def __str__(self):
        return str(self.agency)

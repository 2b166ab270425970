"""One-stop dossiers (hồ sơ): what was filed, where it is, who holds it, and its clock."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import DocumentKind, ProcedureVersion, StepKind
from egov.core.models import Agency

from .workflow import CLOSED_STATES, State

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
assert len(LOOKUP_ALPHABET) == 32  # noqa: S101 (new_lookup_secret relies on it)


def new_lookup_secret() -> str:
    """Short secret printed on the receipt for public look-up (8 chars, 40 bits).

    One read of the system's random source (every intake makes one): the alphabet has 32
    letters, so each random byte modulo 32 picks a letter without bias."""
    return "".join(LOOKUP_ALPHABET[b % 32] for b in secrets.token_bytes(8))


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class IdType(models.TextChoices):
    CITIZEN_ID = "cccd", _("Citizen ID (12 digits)")
    PASSPORT = "passport", _("Passport")
    TAX_CODE = "tax", _("Tax code (organisation)")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class ReturnMode(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ONLINE = "online", _("Online")


class Dossier(models.Model):
    """Hồ sơ: one application under one procedure version.

    ``code`` is issued when the dossier enters the system (submitted online or received at the
    counter); drafts are known by ``reference``. ``due_at`` is the statutory appointment,
    extended by pauses; an apology sets ``new_appointment_at`` but the dossier stays late.
    """

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("dossier code"), max_length=40, unique=True, null=True, blank=True)
    lookup_secret = models.CharField(max_length=16, default=new_lookup_secret, editable=False)
    procedure_version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("procedure")
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.COUNTER
    )
    # The agency and holder columns are indexed by the composite indexes in Meta, which start
    # with them; a second single-column index would only slow every intake down.
    receiving_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving agency"),
        db_index=False,
    )
    competent_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent agency"),
        db_index=False,
    )
    # Applicant (người nộp hồ sơ)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("applicant account"),
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_type = models.CharField(
        _("identity document"), max_length=10, choices=IdType.choices, default=IdType.CITIZEN_ID
    )
    applicant_id_number = models.CharField(_("identity number"), max_length=20)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    request_summary = models.TextField(_("request"), blank=True)
    sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    # Who holds it now
    current_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by agency"),
    )
    current_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("held by"),
        db_index=False,
    )
    current_step = models.PositiveSmallIntegerField(_("current step"), default=0)
    # The role the current step asks for (a copy of the step's), so that "waiting for my role
    # at my agency" is one index scan in the inbox instead of a sub-query per dossier.
    current_role = models.CharField(max_length=20, blank=True, editable=False)
    # The clock
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True, db_index=True)
    new_appointment_at = models.DateTimeField(_("new appointment (apology)"), null=True, blank=True)
    paused_hours = models.FloatField(_("working hours paused"), default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("result ready"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned"), null=True, blank=True)
    return_mode = models.CharField(
        _("returned"), max_length=8, choices=ReturnMode.choices, blank=True
    )
    # The fee the agency asked for (integer VND; by table the officer states the case's amount).
    fee_amount = models.PositiveBigIntegerField(_("fee asked"), null=True, blank=True)
    # Public postal service (bưu chính công ích): the item number the applicant follows.
    return_tracking = models.CharField(_("postal tracking number"), max_length=40, blank=True)
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True
    )
    # Indexed only where true (dossier_overdue_idx): nearly every row is false.
    is_overdue = models.BooleanField(_("overdue"), default=False)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    tracking_number = models.PositiveIntegerField(_("tracking book number"), null=True, blank=True)
    result_note = models.TextField(_("result"), blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["receiving_agency", "state", "id"]),
            models.Index(fields=["competent_agency", "state", "id"]),
            # "What I hold" and "what waits unheld at my agency for my role", soonest first,
            # among the open dossiers only.
            models.Index(
                fields=["current_holder", "due_at"],
                name="dossier_held_idx",
                condition=~models.Q(state__in=CLOSED_STATES),
            ),
            models.Index(
                fields=["current_agency", "current_role", "due_at"],
                name="dossier_waiting_idx",
                condition=models.Q(current_holder__isnull=True)
                & ~models.Q(state__in=CLOSED_STATES),
            ),
            models.Index(fields=["received_at"]),
            # A plain index: a state is matched whole, never by prefix (no LIKE index).
            models.Index(fields=["state"], name="dossier_state_idx"),
            # The overdue list (leaders' overview, `overdue=true` filter) stays small however
            # large the table grows.
            models.Index(
                fields=["state", "-id"],
                condition=models.Q(is_overdue=True),
                name="dossier_overdue_idx",
            ),
        ]

    def __str__(self):
        return self.code or f"({self.reference})"

    @property
    def procedure(self):
        return self.procedure_version.procedure


class DossierParty(models.Model):
    """An agency involved in a dossier (receiving, competent, unit, coordinating).

    One row per agency, with its tree path copied, so "dossiers my agency may see" is one
    indexed prefix search whatever the number of dossiers.
    """

    # Indexed by uniq_party, which starts with the dossier.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="parties", db_index=False
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agency_path = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "agency"], name="uniq_party")]
        indexes = [
            models.Index(
                fields=["agency_path", "dossier"],
                name="party_path_idx",
                opclasses=["varchar_pattern_ops", ""],
            )
        ]

    def __str__(self):
        return f"{self.dossier} — {self.agency}"


class DossierDocument(models.Model):
    """Thành phần hồ sơ đã nộp: a document received, with its scan if uploaded."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        "catalog.RequiredDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("count"), default=1)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    is_result = models.BooleanField(_("result document"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["id"]

    def __str__(self):
        return self.name


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class DossierStep(models.Model):
    """One step of the dossier's workflow, instantiated at receipt with its own due date."""

    # Indexed by uniq_dossier_step, which starts with the dossier.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=2)
    status = models.CharField(max_length=8, choices=StepStatus.choices, default=StepStatus.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="uniq_dossier_step")
        ]

    def __str__(self):
        return f"{self.dossier} #{self.order} {self.name}"


class Handover(models.Model):
    """Bàn giao: a row of the control sheet (form 05/06) — who gave, who received, when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="handovers")
    at = models.DateTimeField()
    from_agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    step_order = models.PositiveSmallIntegerField(default=0)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.dossier} {self.from_agency} → {self.to_agency}"


class Pause(models.Model):
    """A pause of the clock (supplement during processing); each interval is kept."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    working_hours = models.FloatField(default=0)

    class Meta:
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.dossier} pause {self.started_at:%d/%m/%Y}"


class SupplementRequest(models.Model):
    """Phiếu yêu cầu bổ sung (form 02): everything missing, in one request."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    number = models.CharField(max_length=60)
    items = models.JSONField(default=list)  # [{"name", "kind", "count"}]
    reason = models.TextField()
    during_processing = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self):
        return self.number


class InterAgencyTask(models.Model):
    """Liên thông: the share of a coordinating agency, with its own deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    step_order = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.dossier} @ {self.agency}"


class Apology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField()
    original_due_at = models.DateTimeField()
    new_appointment_at = models.DateTimeField()
    reason = models.TextField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["issued_at"]

    def __str__(self):
        return f"{self.dossier} apology {self.issued_at:%d/%m/%Y}"


class Evaluation(models.Model):
    """The applicant's rating (very satisfied / satisfied / not satisfied)."""

    class Rating(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.CharField(max_length=16, choices=Rating.choices)
    # Points per criterion of dossiers.evaluation.CRITERIA ({"attitude": 2, ...}); those the
    # applicant did not rate are absent.
    scores = models.JSONField(_("points per criterion"), default=dict, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()
    # Who recorded it: the applicant on the portal, or the desk on her behalf (counter, kiosk).
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.COUNTER)

    def __str__(self):
        return f"{self.dossier}: {self.rating}"


class CodeCounter(models.Model):
    """Last dossier number issued per agency per day (locked while a code is issued)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="uniq_counter")]

    def __str__(self):
        return f"{self.agency} {self.day}: {self.last}"


class TrackingCounter(models.Model):
    """Sổ theo dõi hồ sơ (form 06): continuous number per receiving agency per year."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="uniq_tracking_counter")
        ]

    def __str__(self):
        return f"{self.agency} {self.year}: {self.last}"

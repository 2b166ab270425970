"""Administrative procedures (TTHC), versioned: a dossier keeps the version it was received
under."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.core.models import Agency, Level
from egov.core.models.validity import Validity
from egov.core.text import fold, normalize_text

from . import fees

national_code_validator = RegexValidator(
    r"^\d\.\d{6}$", _("The national procedure code has the form d.dddddd, e.g. 1.004194.")
)


class Field(models.Model):
    """Lĩnh vực: the area a procedure belongs to (Hộ tịch, Xây dựng, Đất đai…)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: the identity of a procedure; its content lives in versions."""

    code = models.CharField(
        _("national code"), max_length=8, unique=True, validators=[national_code_validator]
    )
    is_synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Generated to fill the demo catalogue; not a real procedure."),
    )
    current = models.ForeignKey(
        "ProcedureVersion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("version in force"),
    )

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.current.name if self.current else ''}".strip()


class OnlineMode(models.TextChoices):
    """Decree 42/2022: full-process (toàn trình), partial (một phần), or not online."""

    FULL = "full", _("Full-process online")
    PARTIAL = "partial", _("Partially online")
    NONE = "none", _("Not online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ProcedureVersion(Validity):
    """One version of a procedure's legal content, valid for a period."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("procedure")
    )
    number = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, verbose_name=_("field"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    competent_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent agency"),
        help_text=_(
            "For a provincial procedure, the department that decides. Empty for district "
            "and commune procedures: the People's Committee where the dossier is filed."
        ),
    )
    implementing_agency = models.CharField(
        _("implementing agency (as published)"), max_length=300, blank=True
    )
    receiving_places = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("receiving places")
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("coordinating agencies")
    )
    coordinating_external = models.JSONField(
        _("coordinating bodies outside the platform"),
        default=list,
        blank=True,
        help_text=_("E.g. tax office, social insurance, police."),
    )
    time_value = models.DecimalField(
        _("statutory time"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    time_unit = models.CharField(
        _("unit"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    after_15h_next_day = models.BooleanField(
        _("received after 15:00 counts from the next working day"), default=False
    )
    result_name = models.CharField(_("result"), max_length=300, blank=True)
    delivery_modes = models.JSONField(_("result delivery"), default=list, blank=True)
    online_mode = models.CharField(
        _("online mode"), max_length=8, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    legacy_level = models.PositiveSmallIntegerField(
        _("online level (2011)"), default=2, choices=[(i, str(i)) for i in range(1, 5)]
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="uniq_procedure_version"),
        ]
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self):
        return f"{self.procedure.code} v{self.number} — {self.name}"

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.search_text = fold(f"{self.procedure.code} {self.name} {self.field.name}")
        super().save(*args, **kwargs)

    @property
    def localised_code(self) -> str:
        """``<national code>.<agency code>`` as the province publishes it."""
        agency = self.competent_agency
        return f"{self.procedure.code}.{agency.code}" if agency else self.procedure.code

    def total_fee(self) -> int:
        """What the applicant pays at least: the fixed fees, and the lowest case of each fee
        by table (the officer states the amount where the case decides it)."""
        return sum(min(fee.amounts) for fee in self.fees.all())


class DocumentKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    COPY = "copy", _("Copy")
    PRESENT = "present", _("Original to show")


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: one document the applicant provides."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=16, choices=DocumentKind.choices, default=DocumentKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("count"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    template = models.FileField(_("template form"), upload_to="catalog/templates/", blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class FeeKind(models.TextChoices):
    """Law on Fees and Charges 2015: a fee (phí) pays for a service, a charge (lệ phí) for a
    state act such as a licence or a registration."""

    FEE = fees.KIND_FEE, _("Fee (phí)")
    CHARGE = fees.KIND_CHARGE, _("Charge (lệ phí)")


class Fee(models.Model):
    """Phí, lệ phí in whole đồng: one amount (``amount``, per ``unit``), or a table of amounts
    by case (``rows``: condition, amount, unit — see :mod:`egov.catalog.fees`), never both."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(
        _("fee or charge"), max_length=6, choices=FeeKind.choices, blank=True, default=""
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.PositiveBigIntegerField(
        _("amount (VND)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a fee by table: the amounts are in the table."),
    )
    unit = models.CharField(
        _("counted per"),
        max_length=fees.UNIT_MAX_LENGTH,
        blank=True,
        help_text=_("As published, e.g. “đồng/trang”, “đồng/giấy phép”."),
    )
    rows = models.JSONField(
        _("amounts by case"),
        default=list,
        blank=True,
        validators=[fees.validate_fee_rows],
        help_text=_("The cases the amount depends on, each with its amount and unit."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}: {self.amount_text}"

    def clean(self):
        if self.rows and self.amount:
            raise ValidationError(
                {"amount": _("A fee is either one amount or a table of amounts by case, not both.")}
            )
        if not self.rows and self.amount is None:
            raise ValidationError({"amount": _("Give the amount, or fill the table of amounts.")})

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    @property
    def amounts(self) -> list[int]:
        """Every amount the fee can take (one for a fixed fee)."""
        return [row["amount"] for row in self.rows] if self.rows else [self.amount or 0]

    @property
    def amount_display(self) -> str:
        """The fixed amount as “75.000 đ” (empty for a fee by table)."""
        return "" if self.rows else fees.format_vnd(self.amount)

    @property
    def table(self) -> list[dict]:
        """The rows with their amount written out (“75.000 đ”), for pages and forms."""
        return [{**row, "amount_display": fees.format_vnd(row["amount"])} for row in self.rows]

    @property
    def amount_text(self) -> str:
        """The whole fee in one line: “Nhà ở riêng lẻ: 75.000 đồng/giấy phép; Công trình
        khác: 150.000 đồng/giấy phép”, or “50.000 đ” for a fixed fee."""
        if self.rows:
            return "; ".join(
                f"{row['condition']}: {fees.amount_with_unit(row['amount'], row.get('unit', ''))}"
                for row in self.rows
            )
        return fees.amount_with_unit(self.amount, self.unit)


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Receive")
    ASSIGN = "assign", _("Assign")
    APPRAISE = "appraise", _("Appraise")
    REVIEW = "review", _("Review")
    APPROVE = "approve", _("Approve and sign")
    INTERAGENCY = "interagency", _("Inter-agency step")
    RETURN = "return", _("Return the result")


class Performer(models.TextChoices):
    """Where a step runs, resolved for each dossier."""

    RECEIVING = "receiving", _("Receiving desk")
    COMPETENT = "competent", _("Competent agency")
    AGENCY = "agency", _("A named agency")


class WorkflowStep(models.Model):
    """Bước xử lý: the internal workflow of a procedure version."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices)
    performer = models.CharField(
        _("performed at"), max_length=10, choices=Performer.choices, default=Performer.COMPETENT
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    days = models.DecimalField(
        _("allotted working days"), max_digits=6, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="uniq_step_order"),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"


class ImportFormat(models.TextChoices):
    JSON = "json", "JSON"
    XLSX = "xlsx", "XLSX"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """Lượt nhập danh mục: one upload of the whole catalogue, processed in the background.

    ``errors`` lists the rows that were refused, as ``{"row": n, "code": "…", "errors":
    ["…", …]}`` with ``n`` the row number as shown in the file (JSON: position from 1; XLSX:
    the row of the sheet "Thủ tục").
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    format = models.CharField(_("format"), max_length=4, choices=ImportFormat.choices)
    file = models.FileField(_("file"), upload_to="catalog/imports/")
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.get_format_display()} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0

"""ICT inventory (hạ tầng công nghệ thông tin) of the province's agencies.

Every record is dated (``valid_from`` / ``valid_to``, inclusive): the yearly report for year Y
counts what was in service on 31 December of Y. Nothing here is a total: the report adds the
records up when it is asked for, so editing one record changes the report.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import ImportStatus
from egov.core.models import Agency
from egov.core.models.validity import Validity
from egov.core.text import normalize_text

YEAR_VALIDATORS = [MinValueValidator(1990)]


class AgencyInfrastructure(Validity):
    """Hạ tầng CNTT của cơ quan: staff, mailboxes and connections of one agency for a period.

    One record per agency at a time (the services refuse overlapping periods).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ict_profiles"
    )
    officials = models.PositiveIntegerField(_("officials (công chức, viên chức)"), default=0)
    officials_with_computer = models.PositiveIntegerField(
        _("officials with a computer for their work"), default=0
    )
    mailboxes = models.PositiveIntegerField(_("mailbox accounts"), default=0)
    officials_with_mailbox = models.PositiveIntegerField(_("officials with a mailbox"), default=0)
    has_lan = models.BooleanField(_("has a LAN"), default=False)
    lan_firewall = models.BooleanField(_("LAN protected by a firewall"), default=False)
    dedicated_network = models.BooleanField(
        _("connected to the dedicated government network (mạng truyền số liệu chuyên dùng)"),
        default=False,
    )
    internet = models.BooleanField(_("connected to the Internet"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("agency ICT profile")
        verbose_name_plural = _("agency ICT profiles")
        ordering = ["agency__path", "-valid_from"]

    def __str__(self):
        return f"{self.agency} ({self.valid_from:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Vietnamese text in NFC (also before a bulk insert, which skips ``save``)."""
        self.note = normalize_text(self.note)

    def clean(self):
        problems = {}
        if self.officials_with_computer > self.officials:
            problems["officials_with_computer"] = _("More than the number of officials.")
        if self.officials_with_mailbox > self.officials:
            problems["officials_with_mailbox"] = _("More than the number of officials.")
        if self.lan_firewall and not self.has_lan:
            problems["lan_firewall"] = _("A firewall protects a LAN: tick “has a LAN” first.")
        if self.valid_to and self.valid_to < self.valid_from:
            problems["valid_to"] = _("The end date is before the start date.")
        if problems:
            raise ValidationError(problems)


class ComputerKind(models.TextChoices):
    DESKTOP = "desktop", _("Desktop computer")
    LAPTOP = "laptop", _("Laptop")
    SERVER = "server", _("Server")
    OTHER = "other", _("Other")


class Computer(Validity):
    """Máy tính: computers of one kind acquired in one year by an agency (a count per record).

    ``agency`` may be empty for computers of units that belong to no level of government
    (public service units, organisations outside the agency tree): ``holder`` names them.
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ict_computers",
    )
    holder = models.CharField(
        _("holder (units without a level)"),
        max_length=255,
        blank=True,
        help_text=_("Only for computers not held by an agency of the platform."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=ComputerKind.choices)
    count = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    acquired_year = models.PositiveSmallIntegerField(
        _("year acquired"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("computers")
        verbose_name_plural = _("computers")
        ordering = ["agency__path", "kind", "acquired_year"]

    def __str__(self):
        where = self.agency or self.holder
        return f"{self.count} × {self.get_kind_display()} — {where}"

    def clean(self):
        if self.agency_id is None and not self.holder.strip():
            raise ValidationError({"holder": _("Name the agency or the holder.")})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Vietnamese text in NFC (also before a bulk insert, which skips ``save``)."""
        self.holder = normalize_text(self.holder)


class AssetKind(models.TextChoices):
    SERVER = "server", _("Server")
    STORAGE = "storage", _("SAN / storage")
    UPS = "ups", _("UPS / backup power")
    FIRE = "fire", _("Fire protection")
    SECURITY = "security", _("Network security device")
    NETWORK = "network", _("Network device")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    WORKING = "working", _("Working")
    DEGRADED = "degraded", _("Degraded")
    BROKEN = "broken", _("Broken")


class DataCentreAsset(Validity):
    """Thiết bị trung tâm dữ liệu: servers, storage, UPS, fire protection, security devices."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ict_assets"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10, choices=AssetKind.choices)
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    capacity_tb = models.DecimalField(
        _("storage capacity (TB)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    used_tb = models.DecimalField(
        _("storage used (TB)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    commissioned_year = models.PositiveSmallIntegerField(
        _("year commissioned"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    support_end = models.DateField(_("support ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.WORKING
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("data-centre asset")
        verbose_name_plural = _("data-centre assets")
        ordering = ["agency__path", "kind", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.used_tb is not None and self.capacity_tb is None:
            raise ValidationError({"capacity_tb": _("Give the capacity with the space used.")})
        if self.used_tb is not None and self.used_tb > self.capacity_tb:
            raise ValidationError({"used_tb": _("More than the capacity.")})
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Vietnamese text in NFC (also before a bulk insert, which skips ``save``)."""
        self.name = normalize_text(self.name)

    @property
    def used_share(self) -> float | None:
        if self.capacity_tb and self.used_tb is not None:
            return float(self.used_tb / self.capacity_tb)
        return None

    def storage_alert(self) -> bool:
        """Storage used at or above ``EGOV_ICT_STORAGE_ALERT`` of its capacity."""
        share = self.used_share
        return share is not None and share >= storage_threshold()

    def past_support(self, day) -> bool:
        return self.support_end is not None and self.support_end < day


def storage_threshold() -> float:
    """Share of storage used from which an alert is raised (setting, default 0.85)."""
    return float(getattr(settings, "EGOV_ICT_STORAGE_ALERT", 0.85))


class Quality(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class BridgePoint(Validity):
    """Điểm cầu: one place connected to the province's video-conference system."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ict_bridges"
    )
    place = models.CharField(_("place"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.WORKING
    )
    audio_quality = models.CharField(
        _("audio quality"), max_length=5, choices=Quality.choices, default=Quality.GOOD
    )
    video_quality = models.CharField(
        _("video quality"), max_length=5, choices=Quality.choices, default=Quality.GOOD
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("video-conference bridge point")
        verbose_name_plural = _("video-conference bridge points")
        ordering = ["agency__path", "place"]

    def __str__(self):
        return self.place

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Vietnamese text in NFC (also before a bulk insert, which skips ``save``)."""
        self.place = normalize_text(self.place)


class VideoMeeting(models.Model):
    """Cuộc họp trực tuyến: a meeting held over the video-conference system."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("organising agency"),
        on_delete=models.PROTECT,
        related_name="ict_meetings",
    )
    held_on = models.DateField(_("date"))
    chair = models.CharField(_("chaired by"), max_length=255)
    subject = models.CharField(_("subject"), max_length=500)
    points = models.ManyToManyField(
        BridgePoint, verbose_name=_("bridge points connected"), related_name="meetings"
    )

    class Meta:
        verbose_name = _("video meeting")
        verbose_name_plural = _("video meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%d/%m/%Y} {self.subject[:60]}"

    def save(self, *args, **kwargs):
        self.chair = normalize_text(self.chair)
        self.subject = normalize_text(self.subject)
        super().save(*args, **kwargs)


class FigureKind(models.TextChoices):
    CERTIFICATES = "certificates", _("Special-use certificates issued")
    DOCUMENTS_RECEIVED = "documents", _("Documents received in an electronic office")
    DOCUMENTS_ELECTRONIC = "documents_e", _("of which fully electronic (no paper)")
    DOSSIERS_RECEIVED = "dossiers", _("One-stop dossiers received")
    DOSSIERS_ONLINE = "dossiers_on", _("of which filed online")


class ExternalFigure(models.Model):
    """Số liệu ngoài nền tảng: a count for one year from a system outside this platform.

    Certificates issued by the Government Cipher Committee (Ban Cơ yếu Chính phủ), documents of
    the electronic office or dossiers of the one-stop software the province used before the
    platform. The report adds them to what the platform's own records give and shows both.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="ict_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("figure"), max_length=12, choices=FigureKind.choices)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("figure from outside the platform")
        verbose_name_plural = _("figures from outside the platform")
        ordering = ["-year", "agency__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind"], name="uniq_ict_figure")
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Vietnamese text in NFC (also before a bulk insert, which skips ``save``)."""
        self.source = normalize_text(self.source)


class ImportJob(models.Model):
    """Lượt nhập kiểm kê: one uploaded XLSX inventory, processed in the background.

    ``errors`` lists refused rows as ``{"row": n, "sheet": "…", "code": "…", "errors": […]}``.
    """

    Status = ImportStatus

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="ict/imports/")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inventory import")
        verbose_name_plural = _("inventory imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0

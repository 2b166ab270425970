"""Administrative units (đơn vị hành chính) and agencies (cơ quan, đơn vị)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text import fold, normalize_text
from ..validators import validate_admin_unit_code, validate_agency_code
from .validity import Validity


class Level(models.TextChoices):
    """Level of government (cấp)."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitType(models.TextChoices):
    """Type of administrative unit (loại đơn vị hành chính)."""

    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    CITY = "thanh_pho", _("Provincial city")
    TOWN = "thi_xa", _("Town (thị xã)")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")


class AdministrativeUnit(Validity):
    """Đơn vị hành chính: province, district or commune with its GSO code.

    Both the 2018 three-tier and the 2025 two-tier structures live side by side: a unit
    abolished or merged gets ``valid_to`` and a ``successor``.
    """

    # Codes are reused: after the 2025 reorganisation a new unit keeps the code of one of its
    # predecessors, so a code identifies a unit only together with its start date.
    code = models.CharField(
        _("official code"), max_length=10, db_index=True, validators=[validate_admin_unit_code]
    )
    name = models.CharField(_("name"), max_length=200)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="uniq_admin_unit_version"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        super().save(*args, **kwargs)


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "people_committee", _("People's Committee")
    DEPARTMENT = "department", _("Department (sở, ngành)")
    BOARD = "board", _("Board (ban)")
    SERVICE_CENTER = "service_center", _("Public Administration Service Center")
    INTERNAL_UNIT = "internal_unit", _("Internal unit (phòng)")
    OTHER = "other", _("Other")


class Agency(Validity):
    """Cơ quan, đơn vị: an agency or one of its internal units, in one tree.

    ``code`` is the QCVN 102:2016 identifier (``XXX.YY.ZZ.Lnn``). ``short_name`` is the
    abbreviation used in document symbols (Decree 30/2020), e.g. ``UBND``, ``STTTT``.
    ``path`` is the chain of codes from the root, kept by the services, so that a whole subtree
    is one indexed ``startswith`` query.
    """

    code = models.CharField(
        _("agency code"), max_length=13, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("abbreviation"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Accent-folded name, abbreviation and code: the same search on SQLite and PostgreSQL.
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def is_internal_unit(self) -> bool:
        return self.kind == AgencyKind.INTERNAL_UNIT

    def organisation(self) -> "Agency":
        """The agency itself, or for an internal unit the agency it belongs to."""
        node = self
        while node.is_internal_unit and node.parent_id:
            node = node.parent
        return node

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.code}/"

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.short_name = normalize_text(self.short_name)
        self.path = self.compute_path()
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")
        super().save(*args, **kwargs)

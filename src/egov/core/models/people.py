"""People (staff and, later, citizens) and the roles staff hold in agencies."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..text import normalize_text
from .places import Agency
from .validity import Validity


class Role(models.TextChoices):
    """Roles of staff in an agency (vai trò)."""

    RECEPTION = "reception", _("Reception officer (one-stop desk)")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk (văn thư)")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    """Người dùng: one model for staff and citizens; ``kind`` tells them apart."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")
        BUSINESS = "business", _("Business")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.username

    def active_positions(self):
        """Positions in force today, with their agencies (one query)."""
        return Position.objects.valid_on().filter(user=self).select_related("agency", "unit")

    def role_set(self) -> set[str]:
        """Roles held today (read once per user object, i.e. per request)."""
        from ..permissions import _positions_today

        return {role for role, _agency, _unit in _positions_today(self)}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set() & set(roles))

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.SYSTEM_ADMIN)


class Position(Validity):
    """Chức vụ / vai trò: a person holds a role in an agency, optionally in one of its units."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="positions"
    )
    unit = models.ForeignKey(
        Agency,
        verbose_name=_("internal unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="unit_positions",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "unit", "role", "valid_from"], name="uniq_position"
            ),
        ]

    def __str__(self):
        where = self.unit or self.agency
        return f"{self.user} — {self.get_role_display()} — {where}"

    @property
    def scope_agency(self) -> Agency:
        """Where the role applies: the unit when one is set, else the agency."""
        return self.unit or self.agency

"""Accounts of citizens and businesses on the portal (tài khoản công dân, doanh nghiệp).

The person is an ``egov.core.models.User`` of kind citizen or business; what only the portal
needs (citizen ID, date of birth, address, tax code, the identity provider's subject) is kept
in a one-to-one :class:`Profile`. One-time codes sent by e-mail or SMS are
:class:`VerificationCode` rows, stored as keyed hashes only.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.core.text import normalize_text
from egov.core.validators import validate_citizen_id

__all__ = ["CodeChannel", "CodePurpose", "Profile", "VerificationCode", "validate_tax_code"]

validate_tax_code = RegexValidator(
    r"^\d{10}(-\d{3})?$",
    _(
        "The tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch "
        "(for example 6400123456 or 6400123456-001)."
    ),
    code="invalid_tax_code",
)


class Profile(models.Model):
    """Hồ sơ tài khoản: what the portal knows of a citizen or a business beyond the user row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="portal_profile",
    )
    citizen_id = models.CharField(
        _("citizen ID number"), max_length=12, blank=True, validators=[validate_citizen_id]
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    organisation_name = models.CharField(_("organisation name"), max_length=255, blank=True)
    tax_code = models.CharField(
        _("tax code"), max_length=14, blank=True, validators=[validate_tax_code]
    )
    # When the person proved they hold the e-mail address or phone they registered with (or
    # came through the identity provider); an account is inactive until then.
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    # OpenID Connect: the provider (``iss``) and the person's stable identifier there (``sub``).
    oidc_issuer = models.CharField(_("identity provider"), max_length=255, blank=True)
    oidc_subject = models.CharField(_("identifier at the provider"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="portal_profile_unique_oidc_subject",
            ),
        ]

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        self.address = normalize_text(self.address)
        self.organisation_name = normalize_text(self.organisation_name)
        super().save(*args, **kwargs)

    def clean(self):
        from egov.core.models import User

        if self.date_of_birth and not (
            dt.date(1900, 1, 1) <= self.date_of_birth <= timezone.localdate()
        ):
            raise ValidationError(
                {"date_of_birth": _("The date of birth must be a date in the past.")}
            )
        if self.user_id and self.user.kind == User.Kind.BUSINESS:
            errors = {}
            if not self.organisation_name:
                errors["organisation_name"] = _("Enter the name of the organisation.")
            if not self.tax_code:
                errors["tax_code"] = _("Enter the tax code of the organisation.")
            if errors:
                raise ValidationError(errors)


class CodePurpose(models.TextChoices):
    VERIFY = "verify", _("Verify the account")
    RESET = "reset", _("Reset the password")


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class VerificationCode(models.Model):
    """Mã xác thực: a 6-digit code sent to an address; only its keyed hash is stored.

    A code is good for a few minutes and a few wrong tries; a new code closes the older ones.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="verification_codes",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    channel = models.CharField(_("sent by"), max_length=5, choices=CodeChannel.choices)
    destination = models.CharField(_("sent to"), max_length=254)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    # Set when the code was used, or replaced by a newer one: it is then no longer accepted.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["user", "purpose", "closed_at"])]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.destination}"

"""Online applications: the portal's side of a dossier filed on the internet."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Application"]


class Application(models.Model):
    """Đơn nộp trực tuyến: the e-form answers of an online dossier and the key that makes a
    second press of "submit" (a double click, a retry after a lost answer) land on the same
    dossier instead of opening another."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="application"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    form = models.ForeignKey(
        "portal.ApplicationForm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("e-form version"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")

    def __str__(self):
        return str(self.key)

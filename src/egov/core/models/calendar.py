"""The province's yearly overrides to the public-holiday calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """Ngày điều chỉnh: a day the government announced as off, or a Saturday switched to work.

    The statutory holidays themselves (Tết and Hùng Kings' day by the lunar calendar, 30/4,
    1/5, 2/9 …) come from the ``holidays`` package; these rows are the yearly announcement.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off (extra or compensatory)")
        WORKING_DAY = "working_day", _("Working day (swapped)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("description"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} — {self.name}"

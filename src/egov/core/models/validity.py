"""Validity periods: rules, places and agencies change with the law, so rows carry dates."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def today_in_vietnam() -> datetime.date:
    """The current date in Asia/Ho_Chi_Minh (the legal date of every act)."""
    return timezone.localdate()


class ValidQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None):
        """Rows in force on ``day`` (today in Vietnam by default)."""
        day = day or today_in_vietnam()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Validity(models.Model):
    """Abstract: valid from a date, optionally until a date (inclusive)."""

    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        day = day or today_in_vietnam()
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

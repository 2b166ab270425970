"""Summary rows the reports read: one per day, competent agency and procedure.

The scorecard and the dashboards never scan the dossier table: they add up these rows, which
``services.refresh_summaries`` (the ``refresh_report_summaries`` periodic job) recomputes for
the days whose dossiers changed. A dossier is counted on up to three days: the day it was
received (intake, channel, digitisation, fee), the day its result was ready (timeliness,
electronic result) and the day it was evaluated (satisfaction).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.catalog.models import Procedure
from egov.core.models import Agency

# Counter columns of DailySummary, in the order the aggregation reads them.
COUNTERS = [
    # by the day received
    "received",
    "received_online",
    "offered_online",
    "offered_online_filed",
    "digitised",
    "reused",
    "with_fee",
    "paid_online",
    # by the day the result was ready (returned, when the ready time is unknown)
    "resolved",
    "early",
    "on_time",
    "late",
    "late_apologised",
    "results_electronic",
    # by the day evaluated
    "evaluations",
    "very_satisfied",
    "satisfied",
    "not_satisfied",
    "criteria_points",
    "criteria_max",
]


class DailySummary(models.Model):
    """Số liệu tổng hợp theo ngày: the dossier figures of one day, agency and procedure."""

    day = models.DateField(_("day"))
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("competent agency"),
        db_index=False,
    )
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="+", verbose_name=_("procedure")
    )
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    offered_online = models.PositiveIntegerField(default=0)
    offered_online_filed = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0)
    with_fee = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    late_apologised = models.PositiveIntegerField(default=0)
    results_electronic = models.PositiveIntegerField(default=0)
    evaluations = models.PositiveIntegerField(default=0)
    very_satisfied = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)
    criteria_points = models.PositiveIntegerField(default=0)
    criteria_max = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily report summary")
        verbose_name_plural = _("daily report summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency", "procedure"], name="uniq_report_daily_summary"
            )
        ]
        # The unique index serves "a period, all agencies"; this one "a period, some agencies".
        indexes = [models.Index(fields=["agency", "day"], name="report_summary_agency_day")]

    def __str__(self):
        return f"{self.day} {self.agency_id} {self.procedure_id}"


class SummaryRefresh(models.Model):
    """One run of the refresh job: when it started (the next run's watermark) and what it did."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    full = models.BooleanField(_("full rebuild"), default=False)
    days = models.PositiveIntegerField(_("days recomputed"), default=0)
    rows = models.PositiveIntegerField(_("summary rows written"), default=0)

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

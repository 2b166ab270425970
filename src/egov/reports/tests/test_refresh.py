"""The summaries job: idempotent, and it picks up what changed since its last run."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from egov.reports import scorecard
from egov.reports.models import DailySummary, SummaryRefresh
from egov.reports.periods import parse_period
from egov.reports.services import refresh_summaries


def _rows():
    return sorted(
        DailySummary.objects.values_list(
            "day", "agency", "procedure", "received", "resolved", "late"
        )
    )


def test_running_the_job_twice_changes_nothing(tree, make_dossier):
    make_dossier(tree["stp"], "10/01/2025", finished="12/01/2025", timeliness="early")
    make_dossier(tree["stp"], "11/01/2025", channel="online")
    first = refresh_summaries()
    assert first.full and first.rows == 3  # two intake days, one resolution day
    before = _rows()
    # Just after: the days changed within the look-back margin are recomputed, identically.
    refresh_summaries()
    assert _rows() == before
    # An hour later with nothing changed: nothing to recompute.
    later = refresh_summaries(now=timezone.now() + dt.timedelta(hours=1))
    assert refresh_summaries(now=later.started_at + dt.timedelta(minutes=15)).days == 0
    assert _rows() == before
    call_command("refresh_report_summaries", "--full")
    assert _rows() == before


def test_a_changed_dossier_is_picked_up_on_the_next_run(tree, make_dossier):
    dossier = make_dossier(tree["stp"], "10/01/2025", finished="12/01/2025", timeliness="early")
    refresh_summaries()
    q1, scope = parse_period("2025-Q1"), scorecard.make_scope(tree["stp"])
    assert scorecard.compute(q1, scope)["totals"]["early"] == 1
    dossier.timeliness = "late"
    dossier.save()
    assert scorecard.compute(q1, scope)["totals"]["late"] == 0  # summaries only: not yet
    run = refresh_summaries()
    assert not run.full and run.days == 2  # the day received and the day resolved
    totals = scorecard.compute(q1, scope)["totals"]
    assert (totals["early"], totals["late"]) == (0, 1)
    assert SummaryRefresh.objects.count() == 2

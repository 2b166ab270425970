"""``manage.py refresh_report_summaries``: recompute the daily report summaries of the days
whose dossiers changed since the last run (idempotent; ``--full`` rebuilds everything)."""

from django.core.management.base import BaseCommand

from ...services import refresh_summaries


class Command(BaseCommand):
    help = "Recompute the report summaries of the days whose dossiers changed (--full: all)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Rebuild every day.")

    def handle(self, *args, full=False, **options):
        run = refresh_summaries(full=full)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"report summaries: {'full rebuild, ' if run.full else ''}{run.days} days, "
            f"{run.rows} rows in {seconds:.1f} s"
        )

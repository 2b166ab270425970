"""Periodic job: send the e-mails and SMS whose next attempt has come (idempotent)."""

from django.core.management.base import BaseCommand

from egov.notifications.services import retry_due_deliveries


class Command(BaseCommand):
    help = "Send queued or failed e-mail/SMS deliveries that are due; run every minute."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="most deliveries per run")

    def handle(self, *args, limit=500, **options):
        counts = retry_due_deliveries(limit=limit)
        self.stdout.write(
            "sent {sent}, failed {failed}, skipped {skipped}, interrupted {stale}".format(**counts)
        )

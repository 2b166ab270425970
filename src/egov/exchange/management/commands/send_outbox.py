"""Periodic job: deliver the outbox messages whose attempt is due (idempotent)."""

import time

from django.core.management.base import BaseCommand

from egov.exchange.services import send_due


class Command(BaseCommand):
    help = "Send queued edXML packages that are due (retries with back-off); run every minute."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="most messages per round")
        parser.add_argument("--workers", type=int, default=1, help="parallel deliveries")
        parser.add_argument(
            "--loop", type=float, default=0, help="keep going, pausing this many seconds"
        )

    def handle(self, *args, limit, workers, loop, **options):
        while True:
            counts = send_due(limit=limit, workers=workers)
            if not loop or counts != {"sent": 0, "queued": 0, "failed": 0, "skipped": 0}:
                self.stdout.write(
                    "sent {sent}, retry later {queued}, failed {failed}".format(**counts)
                )
            if not loop:
                return
            if not any(counts.values()):
                time.sleep(loop)

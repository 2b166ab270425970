"""``manage.py run_scheduler``: run the periodic jobs of ``EGOV_PERIODIC_JOBS``.

A small loop for one machine (``make run``). Production runs the same idempotent commands from
systemd timers or cron instead; see docs/operations.md.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

log = logging.getLogger("egov.scheduler")


class Command(BaseCommand):
    help = "Run the platform's periodic jobs at their intervals (Ctrl-C to stop)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once=False, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for command, interval in settings.EGOV_PERIODIC_JOBS:
                if once or now - last_run.get(command, -interval) >= interval:
                    last_run[command] = now
                    try:
                        call_command(command)
                    except Exception:  # one failing job must not stop the others
                        log.exception("periodic job %s failed", command)
            if once:
                return
            time.sleep(5)

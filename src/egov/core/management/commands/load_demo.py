"""``manage.py load_demo``: load the demo province (idempotent) and print the demo log-ins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo province “Đắk Nông 2018” (safe to run again) and print the log-ins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="do not print the demo log-ins"
        )

    def handle(self, *args, quiet_logins=False, **options):
        if not settings.EGOV_DEMO_ALLOWED:
            raise CommandError(
                "The demo province creates accounts with a published password: it is refused "
                "here (EGOV_DEMO_ALLOWED is off, as in production settings)."
            )
        logins = []
        for dotted in settings.EGOV_DEMO_LOADERS:
            self.stdout.write(f"{dotted}:")
            stats = import_string(dotted)(stdout=self.stdout)
            logins += getattr(stats, "logins", [])
        if quiet_logins or not logins:
            return
        from egov.core.demo.loader import DEMO_PASSWORD

        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo log-ins at http://127.0.0.1:8000/ — password for all: {DEMO_PASSWORD}"
            )
        )
        for row in logins:
            line = f"  {row['username']:<22} {row['roles']:<40} {row['name']}"
            if row["otp_secret"]:
                line += f"  [2FA key {row['otp_secret']}; code: make otp USER={row['username']}]"
            self.stdout.write(line)

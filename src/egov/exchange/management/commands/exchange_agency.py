"""Give this installation an agency with a seal certificate (a fresh peer, tests, the demo)."""

from django.core.management.base import BaseCommand

from egov.exchange.setup import ensure_local_agency


class Command(BaseCommand):
    help = "Create (if missing) a local agency and its seal certificate, for exchanging packages."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--short-name", default="")

    def handle(self, *args, code, name, short_name, **options):
        agency, created = ensure_local_agency(code, name, short_name)
        self.stdout.write(f"{'created' if created else 'found'} {agency.code} {agency.name}")

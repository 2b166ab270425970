"""``manage.py refresh_crls``: publish CRLs that are due and mark expired certificates.

A periodic job (``EGOV_PERIODIC_JOBS``): running it again right away changes nothing.
"""

from django.core.management.base import BaseCommand

from egov.pki.revocation import refresh_crls


class Command(BaseCommand):
    help = "Publish a new CRL for every CA whose CRL is half-way to its next update."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="publish new CRLs for all CAs")

    def handle(self, *args, force=False, **options):
        refreshed = refresh_crls(force=force)
        if refreshed:
            self.stdout.write("new CRL: " + ", ".join(refreshed))
        elif options["verbosity"] > 1:
            self.stdout.write("every CRL is fresh")

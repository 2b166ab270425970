"""``manage.py setup_pki``: create the province's CAs and service certificates (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from egov.pki.authority import setup_pki
from egov.pki.keys import KeyStoreError
from egov.pki.models import KeyStorage


class Command(BaseCommand):
    help = (
        "Create what is missing of the province's PKI: root CA, issuing CA, OCSP responder "
        "and TSA certificates, first CRLs. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--storage",
            choices=[KeyStorage.PKCS12, KeyStorage.PKCS11],
            help="where new CA and service keys go (default EGOV_PKI_CA_KEY_STORAGE)",
        )

    def handle(self, *args, storage=None, **options):
        try:
            result = setup_pki(storage=storage)
        except KeyStoreError as error:
            raise CommandError(f"cannot create keys: {error}") from error
        if result.created:
            self.stdout.write(self.style.SUCCESS("created: " + ", ".join(result.created)))
        else:
            self.stdout.write("the PKI is already set up: nothing to change")
        for ca in (result.root, result.issuing):
            self.stdout.write(f"  {ca.common_name}: /pki/ca/{ca.name}.crt  /pki/crl/{ca.name}.crl")

"""Send a status (03 accepted … 06 completed, 15/16) about a received package back to its
sender — what the office does on ``incoming_status_changed``."""

from django.core.management.base import BaseCommand, CommandError

from egov.exchange.models import ReceivedPackage
from egov.exchange.services import ExchangeRefused, queue_status


class Command(BaseCommand):
    help = "Queue a status package about a received document for its sender."

    def add_arguments(self, parser):
        parser.add_argument("document_id")
        parser.add_argument("status_code")
        parser.add_argument("--description", default="")
        parser.add_argument("--business", type=int, default=0)

    def handle(self, *args, document_id, status_code, description, business, **options):
        package = ReceivedPackage.objects.filter(
            document_id=document_id, business_doc_type=business
        ).first()
        if package is None:
            raise CommandError(f"no received package {document_id}")
        try:
            row = queue_status(package, status_code, description)
        except ExchangeRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"#{row.pk}: {row.status} {row.last_error}" if row else "already queued")

"""``manage.py reconcile_payments``: settle payments whose IPN never came (querydr).

Idempotent, for the scheduler (``EGOV_PERIODIC_JOBS``) or a systemd timer: each run asks the
gateway about payments pending for more than ``--older-than`` minutes.
"""

from django.core.management.base import BaseCommand

from egov.payments.services import reconcile_pending


class Command(BaseCommand):
    help = "Ask the payment gateway about pending payments and record their outcome."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=None,
            help="minutes a payment has been pending (EGOV_PAYMENT_RECONCILE_AFTER_MINUTES)",
        )

    def handle(self, *args, older_than=None, **options):
        report = reconcile_pending(older_than_minutes=older_than)
        self.stdout.write(f"Payments reconciled: {report}")

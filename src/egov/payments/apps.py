from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Fee payments (thanh toán trực tuyến): the gateway protocol, the sandbox gateway,
    reconciliation, refunds and receipts."""

    name = "egov.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from . import checks, rules  # noqa: F401  (registers checks and permission rules)

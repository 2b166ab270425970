"""Deployment checks of online payment (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import protocol


@register(Tags.security, deploy=True)
def real_merchant_secret(app_configs, **kwargs):
    """Production must not sign payments with the sandbox's published secret."""
    secret = getattr(settings, "EGOV_PAYMENT_HASH_SECRET", protocol.SANDBOX_HASH_SECRET)
    if not secret or secret == protocol.SANDBOX_HASH_SECRET:
        return [
            Error(
                "EGOV_PAYMENT_HASH_SECRET is the sandbox's secret: anyone could sign a "
                "payment notice that the platform would believe.",
                hint="Set EGOV_PAYMENT_HASH_SECRET (and EGOV_PAYMENT_TMN_CODE) to the values "
                "the payment gateway issued to the province.",
                id="payments.E001",
            )
        ]
    return []

"""Deployment checks of the PKI (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def key_secret_is_set(app_configs, **kwargs):
    """The PKCS#12 key files must not depend on SECRET_KEY, which may be rotated."""
    uses_files = settings.EGOV_PKI_KEY_STORAGE == "pkcs12" or (
        settings.EGOV_PKI_CA_KEY_STORAGE == "pkcs12"
    )
    if uses_files and not settings.EGOV_PKI_KEY_SECRET:
        return [
            Warning(
                "EGOV_PKI_KEY_SECRET is not set: the encrypted key files of the CA and of "
                "the certificate holders are protected by SECRET_KEY, and rotating it would "
                "lock them away.",
                hint="Set EGOV_PKI_KEY_SECRET to a long random value and keep a copy offline.",
                id="pki.W001",
            )
        ]
    return []

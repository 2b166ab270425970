from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PkiConfig(AppConfig):
    """Special-use digital signatures: the province's CA, certificates, CRL, OCSP, timestamps,
    PAdES signing and validation, XML signatures."""

    name = "egov.pki"
    label = "pki"
    verbose_name = _("Digital signatures")

    def ready(self):
        from . import checks, rules  # noqa: F401  (registers checks and permission rules)

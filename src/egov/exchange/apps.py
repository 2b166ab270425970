from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Document exchange between installations: edXML packages (QCVN 102:2016), the peer
    directory, outbox and inbox, status messages."""

    name = "egov.exchange"
    label = "exchange"
    verbose_name = _("Document exchange")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the office's signals

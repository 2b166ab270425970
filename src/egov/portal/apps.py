from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public service portal (Cổng dịch vụ công): accounts, online forms, look-up, the
    personal data store and the applicant's evaluation."""

    name = "egov.portal"
    label = "portal"
    verbose_name = _("Public service portal")

    def ready(self):
        from . import receivers  # noqa: F401  (dossier results into the data store)
        from .eforms import rules  # noqa: F401  (who may edit e-forms)

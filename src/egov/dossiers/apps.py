from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """One-stop dossiers (hồ sơ một cửa): intake, state machine, statutory clock, forms."""

    name = "egov.dossiers"
    label = "dossiers"
    verbose_name = _("One-stop dossiers")

    def ready(self):
        from . import rules, signals  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The catalogue of administrative procedures (thủ tục hành chính)."""

    name = "egov.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self):
        from . import rules, signals  # noqa: F401  (permission rules, cache receivers)

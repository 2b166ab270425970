from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Agencies, administrative units, people and roles, calendar, audit trail."""

    name = "egov.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self):
        from . import rules, signals  # noqa: F401  (registers permission rules and receivers)

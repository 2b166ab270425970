from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports: the service-quality scorecard (Decision 766/QĐ-TTg) and the dashboards."""

    name = "egov.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import rules  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """The electronic office (Văn phòng điện tử): registers, numbering, drafting → approval →
    signing → release of outgoing documents; registration, assignment and processing of
    incoming ones."""

    name = "egov.office"
    label = "office"
    verbose_name = _("Electronic office")

    def ready(self):
        from . import receivers, rules  # noqa: F401

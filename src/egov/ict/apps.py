from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IctConfig(AppConfig):
    """ICT inventory (computers, networks, data-centre assets, mailboxes, video-conference
    bridges) and the yearly ICT application report computed from it."""

    name = "egov.ict"
    label = "ict"
    verbose_name = _("ICT inventory")

    def ready(self):
        from . import rules  # noqa: F401

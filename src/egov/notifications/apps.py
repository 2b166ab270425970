from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Messages to people: in the platform, by e-mail (and SMS, in the portal issue)."""

    name = "egov.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

"""API tokens that expire (``Authorization: Token <key>``)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expired(token) -> bool:
    ttl = dt.timedelta(hours=settings.EGOV_API_TOKEN_TTL_HOURS)
    return token.created < timezone.now() - ttl


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses tokens older than ``EGOV_API_TOKEN_TTL_HOURS``."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired; log in again."))
        return user, token

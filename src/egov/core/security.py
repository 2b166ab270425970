"""Who must use a second factor."""

from django.conf import settings


def requires_second_factor(user) -> bool:
    """Leaders and administrators (configurable roles) and superusers need TOTP."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.has_role(*settings.EGOV_REQUIRE_2FA_ROLES)

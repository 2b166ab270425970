"""Who must use a second factor."""

from django.conf import settings


def requires_second_factor(user) -> bool:
    """Leaders and administrators (configurable roles) and superusers need TOTP."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.kind != user.Kind.STAFF:  # citizens and businesses hold no roles in agencies
        return False
    return user.has_role(*settings.EGOV_REQUIRE_2FA_ROLES)

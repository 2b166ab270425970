"""The ``Idempotency-Key`` request header of the creating endpoints."""

import uuid

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from .errors import Conflict


def idempotency_key(request) -> uuid.UUID | None:
    """The ``Idempotency-Key`` header as a UUID (None when absent); anything else is refused."""
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError(
            {"Idempotency-Key": [_("The Idempotency-Key header must be a UUID.")]}
        ) from None


def key_reused() -> Conflict:
    """The 409 for a key someone else used: a conflict, not a way to read their record."""
    return Conflict(
        _("This Idempotency-Key was already used for another request."),
        code="idempotency_key_reused",
    )

"""The applicant's profile as prefill values for an e-form."""

from django.core.exceptions import ObjectDoesNotExist

from .schema import PREFILL_KEYS


def _read(source, values: dict) -> None:
    for key in PREFILL_KEYS:
        value = getattr(source, key, None)
        if value not in (None, "") and not callable(value):
            values.setdefault(key, value)


def prefill_from(source) -> dict:
    """The prefill keys (``full_name``, ``citizen_id``, ``date_of_birth``, ``address``,
    ``phone``, ``email``) read from attributes of ``source`` with the same names — a user
    and its portal profile (``user.portal_profile``) when it has one; empty ones are left
    out."""
    values: dict = {}
    if source is None:
        return values
    try:
        profile = getattr(source, "portal_profile", None)
    except ObjectDoesNotExist:
        profile = None
    if profile is not None:
        _read(profile, values)
    _read(source, values)
    return values

"""Knobs of the document exchange. Each is a Django setting of the same name when set there,
else read from the environment (so the settings file needs no change to run), else a default.
"""

from django.conf import settings

from egov.settings.env import env_int, env_str

DEFAULTS = {
    # Largest edXML package accepted (bytes, before parsing).
    "EGOV_EXCHANGE_MAX_PACKAGE_BYTES": 25 * 1024 * 1024,
    # Outbox back-off: first retry after BASE seconds, doubling up to MAX seconds.
    "EGOV_EXCHANGE_RETRY_BASE_SECONDS": 1,
    "EGOV_EXCHANGE_RETRY_MAX_SECONDS": 3600,
    # Seconds to wait for a peer's answer (the lease of a message being sent is a bit longer).
    "EGOV_EXCHANGE_TIMEOUT_SECONDS": 60,
}


def setting(name: str):
    """The value of an exchange knob (see :data:`DEFAULTS`)."""
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    if isinstance(default, int):
        return env_int(name, default)
    return env_str(name, default)


def gateway_agency_code() -> str:
    """The local agency that signs answers about packages for nobody here (optional)."""
    return getattr(
        settings, "EGOV_EXCHANGE_GATEWAY_AGENCY", env_str("EGOV_EXCHANGE_GATEWAY_AGENCY")
    )

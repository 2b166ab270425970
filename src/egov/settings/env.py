"""Reading settings from the environment, with typed helpers.

Every knob of the platform comes from an environment variable so that one build runs in
development, CI and production unchanged (twelve-factor style).
"""

import os


def env_str(name: str, default: str = "") -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Interpret ``1/true/yes/on`` (any case) as True."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return an integer environment variable, or ``default`` when unset."""
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    """Return a decimal-number environment variable, or ``default`` when unset."""
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]

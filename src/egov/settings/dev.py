"""Development: the embedded SQLite database, debug pages, e-mail to the console if no SMTP."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
# No SMTP server on a laptop by default: print messages unless one is configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EGOV_DEMO_ALLOWED = True

"""Test settings: fast hashing, the database from DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True  # no collectstatic in tests: serve from the finders
# Transactional tests empty their throw-away database with `flush` (see core's flush command).
EGOV_FLUSH_WIPES_AUDIT = True
EGOV_DEMO_ALLOWED = True
# Tests never append anchors to the checkout's var/ (a test passes its own file when needed).
EGOV_AUDIT_ANCHOR_FILE = ""

"""Test settings: fast hashing, the database from DATABASE_URL (SQLite by default)."""

import os
import tempfile

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
# Key files of the test CAs and holders go to a directory of this test process, not var/.
EGOV_PKI_KEY_DIR = os.path.join(tempfile.gettempdir(), f"egov-test-keys-{os.getpid()}")
# Uploaded and generated files (scans, the demo's signed sample) likewise stay out of var/.
MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"egov-test-media-{os.getpid()}")

# SQLite tests use a file, not memory: concurrency scenarios run many connections at once,
# which the shared in-memory database cannot serve (no busy waiting, table locks).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # SQLite's busy handler is not fair: with 64 writers one may wait long for its turn.
    DATABASES["default"]["OPTIONS"]["timeout"] = 600  # noqa: F405
    # One file per test process: several runs (or xdist workers) never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }

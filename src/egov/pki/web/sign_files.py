"""Signed files waiting to be downloaded from the "Sign a document" page.

Signing answers with a page (what was signed, the audit reference) and a download button, so the
signed PDF is kept for a while in the platform's file storage (shared by all web processes:
local ``MEDIA_ROOT`` or object storage) under a random name, and the person's session remembers
which names are hers: nobody else can download it. Files older than :data:`KEEP` are removed the
next time the same person signs; the signed document's record of truth is the audit event (with
its SHA-256), not this copy.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename

logger = logging.getLogger(__name__)

PREFIX = "pki/signed"
SESSION_KEY = "pki_signed_files"
KEEP = dt.timedelta(hours=24)
REMEMBERED = 10  # the newest signed files a session can still download
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def download_name(original: str, suffix: str) -> str:
    """``quyet-dinh.pdf`` → ``quyet-dinh-da-ky.pdf`` (``suffix`` once, however often signed)."""
    stem = PurePosixPath(original.replace("\\", "/")).name
    if stem.lower().endswith(".pdf"):
        stem = stem[:-4]
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable left of the name
        stem = ""
    stem = (stem or "van-ban")[:100]
    if not stem.endswith(suffix):
        stem = f"{stem}{suffix}"
    return f"{stem}.pdf"


def _folder(user) -> str:
    return f"{PREFIX}/{user.pk}"


def keep(request, data: bytes, *, name: str, details: dict) -> str:
    """Store ``data`` for ``request.user``; return the token that downloads it."""
    _remove_old(request.user)
    token = secrets.token_urlsafe(24)
    path = default_storage.save(f"{_folder(request.user)}/{token}.pdf", ContentFile(data))
    remembered = dict(request.session.get(SESSION_KEY, {}))
    remembered[token] = {
        **details,
        "path": path,
        "name": name,
        "stored_at": timezone.now().isoformat(),
    }
    newest = sorted(remembered.items(), key=lambda item: item[1]["stored_at"])[-REMEMBERED:]
    request.session[SESSION_KEY] = dict(newest)
    return token


def find(request, token: str) -> dict | None:
    """What the session remembers of the file ``token``, if it is hers and still stored."""
    if not token or not TOKEN.match(token):
        return None
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or not entry.get("path", "").startswith(f"{_folder(request.user)}/"):
        return None
    if not default_storage.exists(entry["path"]):
        return None
    return entry


def open_file(entry: dict):
    return default_storage.open(entry["path"], "rb")


def _remove_old(user) -> None:
    """Best effort: a storage that cannot list or date its files keeps them."""
    folder = _folder(user)
    limit = timezone.now() - KEEP
    try:
        _dirs, files = default_storage.listdir(folder)
        for file_name in files:
            path = f"{folder}/{file_name}"
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
    except FileNotFoundError:
        return  # she has not signed here before
    except (OSError, NotImplementedError) as error:
        logger.info("signed files of user %s not cleaned up: %s", user.pk, error)

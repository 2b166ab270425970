"""Uploaded files: type checked by content, size limited, SHA-256 recorded."""

import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What a scanned or electronic dossier document may be.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}


def inspect_upload(upload) -> dict:
    """Check an uploaded file and describe it: ``{"content_type", "size", "sha256"}``.

    The type is read from the file's first bytes, not from its name or the browser's claim, so
    a renamed executable is refused. Raises ``ValidationError`` with a readable message.
    """
    limit = settings.EGOV_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; the largest file accepted is %(limit)s MB.")
            % {
                "name": upload.name,
                "size": round(upload.size / 2**20, 1),
                "limit": round(limit / 2**20),
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "“%(name)s” is not a PDF, image (JPEG, PNG, TIFF) or Word/Excel document, or it is "
                "damaged."
            )
            % {"name": upload.name}
        )
    if kind.mime == "application/pdf" and b"%%EOF" not in _tail(upload):
        raise ValidationError(
            _("“%(name)s” is a damaged or incomplete PDF.") % {"name": upload.name}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return {"content_type": kind.mime, "size": upload.size, "sha256": digest.hexdigest()}


def _tail(upload, size: int = 2048) -> bytes:
    upload.seek(max(0, upload.size - size))
    data = upload.read()
    upload.seek(0)
    return data

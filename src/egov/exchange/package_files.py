"""edXML package bytes kept in files (Django storage), not in database rows.

A document package is ~1.4 MB (mostly the base64 of its attachments). Written into a
PostgreSQL row it went through the WAL and TOAST, and the exchange waited on it; in a file it is
written once. The row keeps the file's name and its SHA-256.

Order matters: the file is written (and, on a local disk, flushed) *before* the row that names
it is inserted, inside or before the row's transaction. A file without a row (the transaction
rolled back, the process died) is harmless; a row without its file never happens.
"""

from __future__ import annotations

import hashlib
import os
import uuid

from django.core.files.base import ContentFile


class PackageFileError(Exception):
    """The stored file of a package is missing or does not match its recorded SHA-256."""


def store(instance, field_name: str, data: bytes) -> str:
    """Write ``data`` to a new file of ``instance.<field_name>`` (not saving the row); return
    its SHA-256 (hex)."""
    data = bytes(data)
    fieldfile = getattr(instance, field_name)
    fieldfile.save(f"{uuid.uuid4().hex}.xml", ContentFile(data), save=False)
    _flush(fieldfile.storage, fieldfile.name)
    return hashlib.sha256(data).hexdigest()


def load(fieldfile, sha256: str) -> bytes:
    """The bytes of a stored package, checked against its SHA-256."""
    if not fieldfile:
        return b""
    try:
        with fieldfile.storage.open(fieldfile.name, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise PackageFileError(f"package file {fieldfile.name} unreadable: {error}") from error
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise PackageFileError(f"package file {fieldfile.name} does not match its SHA-256")
    return data


def _flush(storage, name: str) -> None:
    """fsync a file of a local storage and its directory, so that the file is on disk before
    the row naming it is committed (object storages acknowledge durable writes themselves)."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

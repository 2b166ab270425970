"""Package bytes live in files of the default storage, named by the row with their SHA-256."""

import hashlib

import pytest
from django.core.files.storage import default_storage

from egov.exchange.models import OutboxMessage
from egov.exchange.package_files import PackageFileError

PACKAGE = b"<edXML>" + bytes(range(256)) * 64 + b"</edXML>"


def message(**fields):
    return OutboxMessage(
        kind=OutboxMessage.Kind.PACKAGE,
        dedupe_key="package|test",
        document_id="doc",
        from_code="000.00.00.H16",
        recipient_code="000.00.00.H17",
        **fields,
    )


@pytest.mark.django_db
def test_the_package_is_written_to_a_file_before_the_row_and_read_back_checked():
    row = message(package=PACKAGE)
    row.save()

    stored = OutboxMessage.objects.get()
    assert stored.package_file.name.startswith("exchange/outbox/")
    assert default_storage.exists(stored.package_file.name)
    assert stored.package_sha256 == hashlib.sha256(PACKAGE).hexdigest()
    assert stored.package == PACKAGE

    with default_storage.open(stored.package_file.name, "wb") as handle:
        handle.write(PACKAGE[:-1] + b"!")  # damaged on disk
    with pytest.raises(PackageFileError):
        _ = OutboxMessage.objects.get().package


@pytest.mark.django_db
def test_an_empty_package_has_no_file():
    message(package=b"", status=OutboxMessage.Status.FAILED).save()

    stored = OutboxMessage.objects.get()
    assert not stored.package_file and stored.package_sha256 == "" and stored.package == b""

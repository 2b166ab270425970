"""Clerks numbering at the same moment never get the same number (PostgreSQL, threads)."""

import threading

import pytest
from django.db import connection, connections

from egov.office import services
from egov.office.models import OutgoingDocument

from .conftest import signed

pytestmark = pytest.mark.django_db(transaction=True)
DOCUMENTS = 12


def test_concurrent_numbering_gives_unique_continuous_numbers(people, certificates):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL (SQLite serialises them)")
    documents = [
        signed(people, code=("cong-van" if i % 2 else "quyet-dinh")) for i in range(DOCUMENTS)
    ]
    errors, barrier = [], threading.Barrier(DOCUMENTS)

    def clerk(document):
        try:
            barrier.wait()
            services.issue_number(people["clerk"], document)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(OutgoingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, DOCUMENTS + 1))
    symbols = OutgoingDocument.objects.values_list("number_symbol", flat=True)
    assert len(set(symbols)) == DOCUMENTS

"""Many desks at once: codes stay unique and continuous, a raced action applies once."""

import threading

import pytest
from django.db import connection, connections

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.services import TransitionRefused
from egov.dossiers.workflow import State

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 64
DOSSIERS = 10_000


def run_clients(count, work):
    """Run ``work(i)`` in ``count`` threads, each with its own database connection."""
    errors = []

    def client(i):
        try:
            work(i)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_64_desks_receiving_10000_dossiers_get_10000_unique_continuous_codes(desk, procedures):
    version = procedures["1.000001"]
    officer, center = desk["officer"], desk["center"]
    documents = list(version.documents.all())
    per_client = [
        DOSSIERS // CLIENTS + (1 if i < DOSSIERS % CLIENTS else 0) for i in range(CLIENTS)
    ]

    def work(i):
        for _ in range(per_client[i]):
            services.receive_at_counter(
                officer,
                version,
                center,
                APPLICANT,
                documents=[{"requirement": d} for d in documents],
            )

    assert run_clients(CLIENTS, work) == []
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == DOSSIERS == len(set(codes))
    by_day: dict[str, list[int]] = {}
    for code in codes:
        prefix, number = code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
    for numbers in by_day.values():  # continuous: 1..n without gaps, whatever the day split
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    tracking = sorted(Dossier.objects.values_list("tracking_number", flat=True))
    assert tracking == list(range(1, DOSSIERS + 1))


def test_two_officers_racing_the_same_handover_apply_it_once(desk, procedures):
    version = procedures["1.000001"]
    dossier = services.receive(
        desk["officer"],
        services.create_dossier(
            desk["officer"],
            version,
            desk["center"],
            APPLICANT,
            documents=[{"requirement": d} for d in version.documents.all()],
        ),
    )
    outcomes = []
    barrier = threading.Barrier(2)

    def work(i):
        officer = desk["officer"] if i == 0 else desk["officer2"]
        mine = Dossier.objects.get(pk=dossier.pk)
        barrier.wait()
        try:
            services.handover(officer, mine)
            outcomes.append("applied")
        except TransitionRefused:
            outcomes.append("refused")

    assert run_clients(2, work) == []
    assert sorted(outcomes) == ["applied", "refused"]
    dossier.refresh_from_db()
    assert dossier.state == State.ASSIGNED
    assert dossier.handovers.count() == 2  # receipt + one handover, not two
    assert connection.vendor in ("sqlite", "postgresql")

"""Statistics for the reports: sent, received, fully electronic, processed on time."""

import datetime as dt

import pytest
from django.utils import timezone

from egov.office import services
from egov.office.models import IncomingDocument
from egov.office.statistics import office_statistics

from .conftest import pdf

pytestmark = pytest.mark.django_db


# A month ahead of today: deadlines given at assignment may not lie in the past.
YEAR = timezone.localdate().year + 1


def at(day, hour=9):
    return timezone.make_aware(dt.datetime(YEAR, 3, day, hour))


def electronic(people, day, paper_copy=False):
    document = IncomingDocument.objects.create(
        agency=people["stp"], source="internal", sender_name="Sở TTTT", subject="Văn bản"
    )
    return services.register(people["stp_clerk"], document, paper_copy=paper_copy, at=at(day))


def test_statistics_count_a_hand_built_month(people):
    clerk = people["stp_clerk"]
    scan = services.receive_paper(
        clerk, people["stp"], sender_name="UBND", subject="Giấy", scan=pdf(), at=at(3)
    )
    e1 = electronic(people, 4)
    electronic(people, 5, paper_copy=True)  # arrived with a paper copy too: not fully electronic
    e3 = electronic(people, 6)
    electronic(people, 20)
    outside = electronic(people, 28)  # outside the period below
    assert outside.number == 6

    director, specialist = people["stp_director"], people["stp_specialist"]
    for document, due, done in ((e1, 10, 9), (e3, 10, 12), (scan, None, 15)):
        services.assign(
            director,
            document,
            assignee=specialist,
            due_date=dt.date(YEAR, 3, due) if due else None,
        )
        services.complete(specialist, document, at=at(done))

    figures = office_statistics(people["stp"], dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 25))
    assert figures["received"] == 5
    assert figures["received_electronic"] == 3
    assert figures["share_electronic"] == 0.6
    assert figures["completed"] == 3
    assert figures["processed_on_time"] == 2  # e1 before its deadline, the scan had none
    assert figures["sent"] == 0

"""The demo office: documents in every state for the demo agencies; loading again changes
nothing."""

import io

import pytest

from egov.core.demo import loader as core_demo
from egov.office import demo
from egov.office.models import IncomingDocument, OutgoingDocument
from egov.pki import demo as pki_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_every_state_and_loads_once(pki):
    core_demo.load()
    pki_demo.load()
    out = io.StringIO()
    assert demo.load(stdout=out)["created"] == 13
    assert {s for s, _l in OutgoingDocument.State.choices} == set(
        OutgoingDocument.objects.values_list("state", flat=True)
    )
    assert {s for s, _l in IncomingDocument.State.choices} - {"recalled"} <= set(
        IncomingDocument.objects.values_list("state", flat=True)
    )
    assert IncomingDocument.objects.filter(state="recalled").exists()
    assert demo.load()["created"] == 0
    assert OutgoingDocument.objects.count() == 13

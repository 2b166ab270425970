"""The demo office: documents in every state for the demo agencies; loading again changes
nothing."""

import io

import pytest

from egov.core.demo import loader as core_demo
from egov.office import demo
from egov.office.models import IncomingDocument, OutgoingDocument, SealImage, SignatureImage
from egov.pki import demo as pki_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_every_state_and_loads_once(pki):
    core_demo.load()
    pki_demo.load()
    out = io.StringIO()
    assert demo.load(stdout=out)["created"] == 15
    assert {s for s, _l in OutgoingDocument.State.choices} == set(
        OutgoingDocument.objects.values_list("state", flat=True)
    )
    assert {s for s, _l in IncomingDocument.State.choices} - {"recalled"} <= set(
        IncomingDocument.objects.values_list("state", flat=True)
    )
    assert IncomingDocument.objects.filter(state="recalled").exists()
    assert demo.load()["created"] == 0
    assert OutgoingDocument.objects.count() == 15
    # the new bits: uploaded images, a secret document, an update received
    assert SignatureImage.objects.filter(user__username="giamdoc.stttt").exists()
    assert SealImage.objects.filter(agency__code=demo.SENDER).exists()
    secret = IncomingDocument.objects.get(secrecy="mat")
    assert secret.state == "registered"
    updated = IncomingDocument.objects.get(version=2)
    assert updated.files.filter(superseded=True).exists() and updated.assignee is not None
    assert (
        OutgoingDocument.objects.filter(number__isnull=False, numbered_at__isnull=True).count() == 0
    )

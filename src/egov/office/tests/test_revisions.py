"""A released document updated or replaced by a later one: drafted naming the earlier one,
released to its recipients; a recipient agency here sees its incoming document take the new
version (the earlier files kept, marked replaced), its handler is told, the sender hears 15."""

import pytest
from django.core.exceptions import ValidationError

from egov.notifications.models import Notice
from egov.office import services
from egov.office.models import IncomingDocument, Revision

from .conftest import doc_type, otp, pdf, released

pytestmark = pytest.mark.django_db


def revision_of(
    people, earlier, revision=Revision.REPLACE, subject="Về việc ban hành Quy chế (thay thế)"
):
    document = services.create_draft(
        people["specialist"],
        people["stttt"],
        doc_type=doc_type("quyet-dinh"),
        subject=subject,
        main=pdf("thay-the.pdf"),
        drafting_unit=people["it"],
        signer=people["director"],
        revises=earlier,
        revision=revision,
    )
    document = services.submit(people["specialist"], document)
    document = services.sign(people["director"], document, otp(people["director"]))
    document = services.seal(people["clerk"], document, otp(people["clerk"]))
    return services.release(people["clerk"], document)


def test_a_replacement_reaches_the_incoming_document_of_the_earlier_one(people, certificates):
    earlier = released(people)
    incoming = IncomingDocument.objects.get(outgoing=earlier)
    services.register(people["stp_clerk"], incoming)
    services.assign(people["stp_director"], incoming, assignee=people["stp_specialist"])

    replacement = revision_of(people, earlier)

    incoming.refresh_from_db()
    assert replacement.number_symbol == "02/QĐ-STTTT"
    assert (incoming.version, incoming.number_symbol) == (2, "02/QĐ-STTTT")
    assert incoming.subject == "Về việc ban hành Quy chế (thay thế)"
    # registration and assignment stay; the history says what happened
    assert incoming.number == 1 and incoming.assignee == people["stp_specialist"]
    assert [h.action for h in incoming.handlings.all()][-1] == "replaced"
    files = [(f.name, f.version, f.superseded) for f in incoming.files.order_by("pk")]
    assert files == [("du-thao.pdf", 1, True), ("thay-the.pdf", 2, False)]
    assert incoming.validation["indication"] == "TOTAL-PASSED"
    # the handler is told, the sender sees 15 on the replacement
    assert Notice.objects.filter(user=people["stp_specialist"], topic="office").exists()
    (recipient,) = replacement.recipients.all()  # the earlier document's recipients
    assert recipient.last_status.code == "15" and recipient.incoming_id == incoming.pk
    assert [r.action for r in earlier.reviews.all()][-1] == "replaced"
    assert IncomingDocument.objects.count() == 1


def test_only_a_released_document_of_the_agency_is_revised(people, certificates):
    from .conftest import draft

    unreleased = draft(people)
    with pytest.raises(ValidationError):
        revision_of(people, unreleased)
    with pytest.raises(ValidationError):
        services.create_draft(
            people["specialist"],
            people["stttt"],
            doc_type=doc_type("quyet-dinh"),
            subject="Sửa đổi",
            main=pdf(),
            drafting_unit=people["it"],
            revision=Revision.UPDATE,
        )

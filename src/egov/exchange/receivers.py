"""What the exchange does when the electronic office announces something (office signals are
sent after commit, with ids). A failure here is logged and left in the outbox for the clerk to
see: it cannot undo the office's change."""

import logging

from django.dispatch import receiver

from egov.office.signals import document_recalled, document_released, incoming_status_changed

from . import services
from .outgoing import incoming_origin, outgoing_info

logger = logging.getLogger(__name__)


@receiver(document_released, dispatch_uid="exchange.document_released")
def send_released_document(sender, document_id, recipient_codes, business=0, **kwargs):
    """A released document (or an update 2 / replacement 3 of an earlier one) for agencies of
    other installations."""
    try:
        services.queue_document(
            outgoing_info(document_id), list(recipient_codes), business=int(business or 0)
        )
    except Exception:
        logger.exception("could not queue released document %s", document_id)


@receiver(incoming_status_changed, dispatch_uid="exchange.incoming_status_changed")
def send_status(sender, document_id, status_code, description="", **kwargs):
    try:
        package = incoming_origin(document_id, kwargs.get("edxml_document_id") or None)
        if package is None:
            return  # not from another installation
        services.queue_status(package, status_code, description, kwargs.get("staff"))
    except Exception:
        logger.exception("could not queue status %s of incoming %s", status_code, document_id)


@receiver(document_recalled, dispatch_uid="exchange.document_recalled")
def send_recall(sender, document_id, business, reason="", **kwargs):
    try:
        services.queue_recall(str(document_id), int(business), reason, outgoing_info(document_id))
    except Exception:
        logger.exception("could not queue recall of document %s", document_id)

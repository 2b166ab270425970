"""The notifications listen to dossier changes (sent after commit by the dossier services)."""

import logging

from django.dispatch import receiver

from egov.dossiers.signals import dossier_changed

from .events import ACTION_EVENTS

logger = logging.getLogger("egov.notifications")


@receiver(dossier_changed, dispatch_uid="notifications.dossier_changed")
def _tell_the_applicant(sender, dossier_id, action, **kwargs):
    """Queue the messages to the applicant; the officer's action never fails because of it."""
    if action not in ACTION_EVENTS:
        return
    from .tasks import dispatch_dossier_event

    try:
        dispatch_dossier_event.enqueue(dossier_id, action)
    except Exception:  # the change is committed; a lost message must not break the request
        logger.exception("could not queue the messages of %s on dossier %s", action, dossier_id)

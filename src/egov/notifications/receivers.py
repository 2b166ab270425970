"""The notifications listen to dossier changes (sent by the dossier services inside the
transaction of the change)."""

import logging

from django.db import transaction
from django.dispatch import receiver
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from egov.dossiers.signals import dossier_changing

from .events import ACTION_EVENTS

logger = logging.getLogger("egov.notifications")


def _queues_in_transaction(backend) -> bool:
    """Does ``backend`` keep its jobs in this database (or run them here at once)? Then a job
    queued now commits with the change or not at all. A queue elsewhere (Redis) could hand the
    job to a worker before the change is visible: it is queued after commit."""
    return isinstance(backend, DatabaseBackend | ImmediateBackend)


@receiver(dossier_changing, dispatch_uid="notifications.dossier_changing")
def _tell_the_applicant(sender, dossier_id, action, **kwargs):
    """Queue the messages to the applicant. With the database queue the job is written in the
    transaction of the change, so an acknowledged change never goes untold; rendering and
    sending happen in the job, after commit."""
    if action not in ACTION_EVENTS:
        return
    from .tasks import dispatch_dossier_event

    if _queues_in_transaction(task_backends[dispatch_dossier_event.backend]):
        dispatch_dossier_event.enqueue(dossier_id, action)
        return

    def after_commit():
        try:
            dispatch_dossier_event.enqueue(dossier_id, action)
        except Exception:  # the change is committed: a queue that is down must not undo it
            logger.exception("could not queue the messages of %s on dossier %s", action, dossier_id)

    transaction.on_commit(after_commit)

"""The notifications listen to dossier changes (sent by the dossier services inside the
transaction of the change)."""

from django.dispatch import receiver

from egov.dossiers.signals import dossier_changing

from .events import ACTION_EVENTS


@receiver(dossier_changing, dispatch_uid="notifications.dossier_changing")
def _tell_the_applicant(sender, dossier_id, action, **kwargs):
    """Queue the messages to the applicant in the transaction of the change: with the database
    task queue the job commits with the change or not at all, so an acknowledged change never
    goes untold. Rendering and sending happen in the job, after commit."""
    if action not in ACTION_EVENTS:
        return
    from .tasks import dispatch_dossier_event

    dispatch_dossier_event.enqueue(dossier_id, action)

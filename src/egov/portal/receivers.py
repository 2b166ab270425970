"""What the portal does when a dossier changes (the signal is sent after commit)."""

from django.dispatch import receiver

from egov.dossiers.models import Dossier
from egov.dossiers.signals import dossier_changed

# Results are kept once they exist (approval) and again when handed over, in case a desk
# attached the signed result only at return; the store keeps each content once.
RESULT_ACTIONS = {"approve", "return_result"}


@receiver(dossier_changed, sender=Dossier)
def keep_results_in_store(sender, dossier_id, action, **kwargs):
    """Electronic results go into the applicant's data store (Decree 45/2020)."""
    if action in RESULT_ACTIONS:
        from .services import keep_results

        keep_results(dossier_id)

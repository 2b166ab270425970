"""What the portal does when a dossier changes (the signal is sent after commit)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from egov.catalog.models import ProcedureVersion
from egov.core.models import Agency
from egov.dossiers.models import Dossier
from egov.dossiers.signals import dossier_changed

from .models import ApplicationForm

# Results are kept once they exist (approval) and again when handed over, in case a desk
# attached the signed result only at return; the store keeps each content once.
RESULT_ACTIONS = {"approve", "return_result"}


@receiver(dossier_changed, sender=Dossier)
def keep_results_in_store(sender, dossier_id, action, **kwargs):
    """Electronic results go into the applicant's data store (Decree 45/2020)."""
    if action in RESULT_ACTIONS:
        from .services import keep_results

        keep_results(dossier_id)


@receiver([post_save, post_delete], sender=ApplicationForm)
def _eform_changed(**kwargs):
    """An e-form was published, retired or edited: forget which version is in force."""
    from .eforms.services import forget_current_forms

    forget_current_forms()


@receiver(m2m_changed, sender=ProcedureVersion.receiving_places.through)
@receiver([post_save, post_delete], sender=ProcedureVersion)
@receiver([post_save, post_delete], sender=Agency)
def _receiving_places_changed(**kwargs):
    """Where dossiers may be filed (or an agency's name) changed: read it again."""
    from .services import forget_receiving_choices

    forget_receiving_choices()

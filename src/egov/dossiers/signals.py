"""Signals of the dossier app."""

from django.dispatch import Signal, receiver

from egov.core.signals import agency_succeeded

# Sent after commit whenever a dossier changes state: (sender=Dossier, dossier_id, action).
# The portal (results into the applicant's data store) listens to it.
dossier_changed = Signal()
# Sent inside the transaction of the change, same arguments: for work that must be queued
# with the change or not at all (the applicant's messages — queued after commit, a crash in
# between lost them while the change stood).
dossier_changing = Signal()


@receiver(agency_succeeded)
def _move_dossiers_in_flight(sender, predecessor, successor, effective_date, actor, **kwargs):
    """Dossiers still open at a merged agency move to its successor, history intact."""
    from egov.core.audit import record_event

    from .models import Dossier, DossierParty, DossierStep
    from .workflow import ACTIVE, PRE_RECEIPT, State

    open_states = list(ACTIVE | PRE_RECEIPT | {State.RECEIVED, State.RESULT_READY})
    moved = Dossier.objects.filter(state__in=open_states)
    for field in ("competent_agency", "current_agency", "receiving_agency"):
        for dossier in moved.filter(**{field: predecessor}):
            setattr(dossier, field, successor)
            dossier.save(update_fields=[field])
            record_event(
                "dossier.agency_succeeded",
                dossier,
                actor=actor,
                agency=successor,
                changes={
                    "field": field,
                    "from": predecessor.code,
                    "to": successor.code,
                    "effective": effective_date,
                },
            )
            DossierParty.objects.get_or_create(
                dossier=dossier, agency=successor, defaults={"agency_path": successor.path}
            )
    DossierStep.objects.filter(
        dossier__state__in=open_states, agency=predecessor, status__in=["pending", "active"]
    ).update(agency=successor)

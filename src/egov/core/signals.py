"""Receivers that keep caches honest and a signal other apps listen to."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import Signal, receiver

from .models import Agency, CalendarDay, Position, User
from .workdays import calendar_changed

# Sent inside the transaction of a merge or split: (sender=Agency, predecessor, successor,
# effective_date, actor). Apps with work in flight (dossiers, documents) move it to the
# successor so that nothing is orphaned and history stays intact.
agency_succeeded = Signal()


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(**kwargs):
    calendar_changed()


@receiver([post_save, post_delete], sender=Position)
@receiver([post_save, post_delete], sender=Agency)
@receiver([post_save, post_delete], sender=User)
def _people_changed(**kwargs):
    """A role, an agency (its place in the tree) or a person changed: this process forgets
    what it kept of who holds which position (others within EGOV_LOCAL_CACHE_SECONDS)."""
    from .permissions import _POSITIONS

    _POSITIONS.clear()


@receiver([post_save, post_delete], sender=Agency)
def _agency_changed(**kwargs):
    """This process forgets its copy of the agency table (others within
    EGOV_LOCAL_CACHE_SECONDS)."""
    from .directory import _AGENCIES

    _AGENCIES.clear()


@receiver(post_migrate)
def _audit_triggers_in_place(sender, using="default", **kwargs):
    if sender.label == "core":
        from .db_triggers import ensure_audit_triggers

        ensure_audit_triggers(using)

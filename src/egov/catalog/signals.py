"""Receivers that keep the catalogue's per-process caches honest."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Procedure, ProcedureVersion


@receiver([post_save, post_delete], sender=ProcedureVersion)
@receiver([post_save, post_delete], sender=Procedure)
def _catalogue_changed(**kwargs):
    """A version was published, retired or edited: forget which one is in force."""
    from .published import forget_versions_in_force

    forget_versions_in_force()

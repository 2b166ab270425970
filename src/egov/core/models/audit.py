"""The tamper-evident audit trail (nhật ký): append-only, hash-chained events."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Sự kiện nhật ký: who did what to which object, when, from where, and why.

    ``seq`` numbers the chain without gaps; ``hash`` covers the canonical content of the row
    and ``prev_hash`` (the hash of the row before), so an edited, deleted or reordered row is
    detected by ``manage.py verify_audit``. Rows are only ever inserted (by
    ``egov.core.audit.record_event``); database triggers refuse UPDATE and DELETE as well.
    """

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("actor"), max_length=200, editable=False)
    action = models.CharField(_("action"), max_length=80, db_index=True, editable=False)
    object_type = models.CharField(_("object type"), max_length=80, editable=False)
    object_id = models.CharField(_("object id"), max_length=80, editable=False)
    object_label = models.CharField(_("object"), max_length=255, editable=False)
    agency = models.ForeignKey(
        "core.Agency",
        verbose_name=_("agency"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    changes = models.JSONField(
        _("changes"), default=dict, editable=False, encoder=DjangoJSONEncoder
    )
    reason = models.TextField(_("reason"), blank=True, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        base_manager_name = "objects"  # the append-only guard also on Django's internal manager
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """The last link of the chain; locked while an event is appended (serialises writers)."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"

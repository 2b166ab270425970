"""Application e-forms (tờ khai điện tử) defined as data: a JSON Schema with UI hints, one
versioned definition per procedure. See :mod:`egov.portal.eforms` for how they are used."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.core.models.validity import ValidQuerySet

__all__ = ["ApplicationForm", "FormStatus", "definition_hash"]


class JSONTextField(models.TextField):
    """JSON kept as text, exactly in the order written.

    PostgreSQL's ``jsonb`` reorders the keys of an object, and the order of a schema's
    ``properties`` is the order of the form's fields (and the editor shows the definition
    back as the administrator wrote it).
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


def definition_hash(schema: dict, ui_schema: dict) -> str:
    """SHA-256 of the definition in a canonical JSON form (keys sorted, UTF-8)."""
    content = json.dumps(
        {"schema": schema, "ui_schema": ui_schema},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


class ApplicationForm(models.Model):
    """Tờ khai điện tử: the application e-form of a procedure, one version of it.

    A draft is edited in place; a published version never changes again (an edit makes a new
    draft), and publishing a version retires the one before it. A dossier keeps the exact
    version it was filled in with (its id) beside the answers.
    """

    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="application_forms",
        verbose_name=_("procedure"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    schema = JSONTextField(_("JSON schema"))
    ui_schema = JSONTextField(_("UI schema"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ValidQuerySet.as_manager()

    class Meta:
        verbose_name = _("application e-form")
        verbose_name_plural = _("application e-forms")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="uniq_eform_version"),
            # One version in use and one draft being edited, at most, per procedure.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published"),
                name="uniq_eform_published",
            ),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="draft"), name="uniq_eform_draft"
            ),
        ]

    def __str__(self):
        version = f" (v{self.number})" if self.number else ""
        return f"{self.procedure.code} — {self.title}{version}"

    def save(self, *args, **kwargs):
        new_hash = definition_hash(self.schema, self.ui_schema)
        if self.pk and self.content_hash and new_hash != self.content_hash:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != FormStatus.DRAFT:
                # The answers of submitted dossiers are read against this exact definition.
                raise ValueError("A published e-form is immutable: save a new draft version.")
        self.content_hash = new_hash
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        """The form's title, from the schema (``title``)."""
        return str((self.schema or {}).get("title") or _("Application form"))

    @property
    def is_draft(self) -> bool:
        return self.status == FormStatus.DRAFT

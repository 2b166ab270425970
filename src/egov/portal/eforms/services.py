"""Changes to e-form definitions: saving a draft, publishing it, retiring a form.

A published version is never changed: saving an edit makes (or updates) the one draft of the
procedure, and publishing that draft retires the version before it. Every change checks the
permission, runs in one transaction and writes its audit event in it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import Procedure
from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.localcache import ProcessCache
from egov.core.models.validity import today_in_vietnam
from egov.portal.models import ApplicationForm, FormStatus, definition_hash

from . import rules  # noqa: F401  (registers the permission rules)
from .schema import check_definition


def _agency(procedure: Procedure):
    return procedure.current.competent_agency if procedure.current_id else None


# The version in force per procedure and day, read on every online application: published
# versions change only through the services below, whose saves empty this cache in this process
# (portal/receivers.py); other processes see a change within EGOV_LOCAL_CACHE_SECONDS.
_CURRENT = ProcessCache("application e-forms in force")


def current_form(procedure: Procedure, day: dt.date | None = None) -> ApplicationForm | None:
    """The e-form applicants fill in for ``procedure`` on ``day`` (today by default).

    The latest version whose validity covers the day: normally the published one; until a
    version published with a later start date begins, the one it replaces. Kept per process.
    """

    def read():
        return (
            ApplicationForm.objects.filter(
                procedure=procedure, status__in=[FormStatus.PUBLISHED, FormStatus.RETIRED]
            )
            .exclude(valid_from__isnull=True)
            .valid_on(day)
            .select_related("procedure")
            .order_by("-number")
            .first()
        )

    return _CURRENT.get((procedure.pk, day or today_in_vietnam()), read)


def forget_current_forms() -> None:
    _CURRENT.clear()


def draft_of(procedure: Procedure) -> ApplicationForm | None:
    """The draft being edited for ``procedure``, if any."""
    return ApplicationForm.objects.filter(procedure=procedure, status=FormStatus.DRAFT).first()


def latest_form(procedure: Procedure) -> ApplicationForm | None:
    """The newest version, whatever its status (what an administrator edits next)."""
    return ApplicationForm.objects.filter(procedure=procedure).order_by("-number").first()


@transaction.atomic
def save_draft(actor, procedure: Procedure, schema, ui_schema) -> ApplicationForm:
    """Save an e-form definition as the procedure's draft (created when there is none).

    The definition is checked first (a valid JSON Schema in the supported subset; a UI schema
    naming only its fields): ``ValidationError`` with every problem, nothing saved.
    """
    ui_schema = ui_schema if ui_schema is not None else {}
    draft = (
        ApplicationForm.objects.select_for_update()
        .filter(procedure=procedure, status=FormStatus.DRAFT)
        .first()
    )
    candidate = draft or ApplicationForm(procedure=procedure)
    if actor is not None:
        perms.require(actor, "change", candidate)
    check_definition(schema, ui_schema)
    new_hash = definition_hash(schema, ui_schema)
    if draft is not None:
        if draft.content_hash == new_hash:
            return draft
        draft.schema, draft.ui_schema = schema, ui_schema
        draft.save()
        action = "eform.update_draft"
    else:
        in_use = (
            ApplicationForm.objects.filter(procedure=procedure, status=FormStatus.PUBLISHED)
            .values_list("content_hash", flat=True)
            .first()
        )
        if in_use == new_hash:
            raise ValidationError(
                _("The definition is the same as the version in use: there is nothing to save.")
            )
        # Lock the procedure row so two administrators never take the same number.
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        number = (procedure.application_forms.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = ApplicationForm.objects.create(
            procedure=procedure,
            number=number,
            status=FormStatus.DRAFT,
            schema=schema,
            ui_schema=ui_schema,
            created_by=actor,
        )
        action = "eform.create_draft"
    record_event(
        action,
        draft,
        actor=actor,
        agency=_agency(procedure),
        changes={
            "procedure": procedure.code,
            "version": draft.number,
            "content_hash": draft.content_hash,
        },
    )
    return draft


@transaction.atomic
def publish_form(actor, form: ApplicationForm, valid_from: dt.date | None = None):
    """Put a draft e-form in use from ``valid_from`` (today by default, never earlier).

    The version published before it is retired: it stays readable, and stays in use until the
    day before ``valid_from``.
    """
    form = ApplicationForm.objects.select_for_update().select_related("procedure").get(pk=form.pk)
    if actor is not None:
        perms.require(actor, "change", form)
    if form.status != FormStatus.DRAFT:
        raise ValidationError(_("Only a draft e-form can be published."))
    check_definition(form.schema, form.ui_schema)
    today = today_in_vietnam()
    valid_from = valid_from or today
    if valid_from < today:
        raise ValidationError(_("An e-form cannot be published with a start date in the past."))
    previous = (
        ApplicationForm.objects.select_for_update()
        .filter(procedure=form.procedure, status=FormStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        if valid_from < previous.valid_from:
            raise ValidationError(
                _("The new version cannot start before the version in use (%(day)s).")
                % {"day": previous.valid_from.strftime("%d/%m/%Y")}
            )
        previous.status = FormStatus.RETIRED
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["status", "valid_to", "updated_at"])
    form.status = FormStatus.PUBLISHED
    form.valid_from = valid_from
    form.valid_to = None
    form.published_by = actor
    form.published_at = timezone.now()
    form.save(
        update_fields=[
            "status",
            "valid_from",
            "valid_to",
            "published_by",
            "published_at",
            "updated_at",
        ]
    )
    record_event(
        "eform.publish",
        form,
        actor=actor,
        agency=_agency(form.procedure),
        changes={
            "procedure": form.procedure.code,
            "version": form.number,
            "valid_from": valid_from,
            "retired": previous.number if previous else None,
            "content_hash": form.content_hash,
        },
    )
    return form


@transaction.atomic
def publish_definition(actor, procedure: Procedure, schema, ui_schema, valid_from=None):
    """Save the definition as the draft and publish it, in one step (or neither)."""
    draft = save_draft(actor, procedure, schema, ui_schema)
    return publish_form(actor, draft, valid_from)


@transaction.atomic
def retire_form(actor, form: ApplicationForm, reason: str = "") -> ApplicationForm:
    """Stop offering a published e-form without a successor (from tomorrow)."""
    form = ApplicationForm.objects.select_for_update().select_related("procedure").get(pk=form.pk)
    if actor is not None:
        perms.require(actor, "change", form)
    if form.status != FormStatus.PUBLISHED:
        raise ValidationError(_("Only a published e-form can be retired."))
    form.status = FormStatus.RETIRED
    form.valid_to = max(today_in_vietnam(), form.valid_from)
    form.save(update_fields=["status", "valid_to", "updated_at"])
    record_event(
        "eform.retire",
        form,
        actor=actor,
        agency=_agency(form.procedure),
        reason=reason,
        changes={"procedure": form.procedure.code, "version": form.number},
    )
    return form


@transaction.atomic
def discard_draft(actor, form: ApplicationForm) -> None:
    """Throw away a draft that was never published."""
    form = ApplicationForm.objects.select_for_update().select_related("procedure").get(pk=form.pk)
    if actor is not None:
        perms.require(actor, "change", form)
    if form.status != FormStatus.DRAFT:
        raise ValidationError(_("Only a draft e-form can be discarded."))
    record_event(
        "eform.discard_draft",
        form,
        actor=actor,
        agency=_agency(form.procedure),
        changes={"procedure": form.procedure.code, "version": form.number},
    )
    form.delete()

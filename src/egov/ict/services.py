"""The only way the ICT inventory changes: create, edit and delete a record.

Each function checks the permission (:mod:`egov.ict.rules`), validates the record, saves it in
``transaction.atomic()`` and writes an audit event (``ict.<record>_create|update|delete``) for
the record's agency in the same transaction: the agency's inventory page lists these events as
its history of changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models import AuditEvent

from .models import AgencyInfrastructure, VideoMeeting

AUDIT_PREFIX = "ict."


def _snapshot(record) -> dict:
    """Field values of ``record`` as the audit event stores them (foreign keys by id)."""
    data = model_to_dict(record)
    data.pop("id", None)
    if isinstance(record, VideoMeeting) and record.pk:
        data["points"] = sorted(p.pk for p in record.points.all())
    elif "points" in data:
        data["points"] = sorted(p.pk for p in data["points"])
    return {key: (str(value) if value is not None else None) for key, value in data.items()}


def _diff(before: dict, after: dict) -> dict:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def _check_overlap(record: AgencyInfrastructure) -> None:
    """One profile per agency at a time: periods of the same agency may not overlap."""
    others = AgencyInfrastructure.objects.filter(agency=record.agency).exclude(pk=record.pk)
    for other in others:
        ends_before = record.valid_to is not None and record.valid_to < other.valid_from
        starts_after = other.valid_to is not None and other.valid_to < record.valid_from
        if not (ends_before or starts_after):
            raise ValidationError(
                {
                    "valid_from": _(
                        "The agency already has a profile for %(start)s–%(end)s: end it "
                        "before this one starts."
                    )
                    % {
                        "start": other.valid_from.strftime("%d/%m/%Y"),
                        "end": other.valid_to.strftime("%d/%m/%Y") if other.valid_to else "…",
                    }
                }
            )


def _require(actor, record) -> None:
    """``actor`` None is the platform itself (the demo loader, a system import)."""
    if actor is not None:
        perms.require(actor, "change", record)


def _label(record) -> str:
    return record._meta.model_name


def save_record(actor, record, *, points=None):
    """Create or update one inventory record (``record`` carries the new values).

    ``points`` (bridge points) only for a video meeting. The actor must be allowed to change
    the record as it was (its former agency) and as it will be. Raises ``ValidationError``
    (nothing changed) for invalid values, ``PermissionDenied`` when not allowed.
    """
    model = type(record)
    created = record.pk is None
    before = {}
    if not created:
        old = model.objects.select_related("agency").get(pk=record.pk)
        _require(actor, old)
        before = _snapshot(old)
    _require(actor, record)
    record.full_clean()
    if isinstance(record, AgencyInfrastructure):
        _check_overlap(record)
    if isinstance(record, VideoMeeting) and points is not None:
        foreign = [p for p in points if p.valid_from > record.held_on]
        if foreign:
            raise ValidationError({"points": _("A bridge point was not yet in service then.")})
    with transaction.atomic():
        record.save()
        if isinstance(record, VideoMeeting) and points is not None:
            record.points.set(points)
        after = _snapshot(record)
        changes = after if created else _diff(before, after)
        if created or changes:
            record_event(
                f"{AUDIT_PREFIX}{_label(record)}_{'create' if created else 'update'}",
                record,
                actor=actor,
                changes=changes,
                agency=_audit_agency(record),
            )
    return record


def create_records(actor, records: list) -> list:
    """Create many records at once (a survey entered in one go, the demo): each is checked
    and validated as in :func:`save_record`, all are saved in one transaction, and each
    agency gets one audit event listing the records created for it.

    Video meetings (with their bridge points) go through :func:`save_record` instead.
    """
    for record in records:
        if isinstance(record, VideoMeeting):
            raise ValueError("create video meetings with save_record()")
        _require(actor, record)
        # The agency is an object already loaded: no need to look it up again.
        record.full_clean(exclude=["agency"])
        if isinstance(record, AgencyInfrastructure):
            _check_overlap(record)
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    with transaction.atomic():
        for model, group in by_model.items():
            for record in group:
                record.normalise()  # bulk_create skips save()
            model.objects.bulk_create(group, batch_size=500)
        by_agency: dict = {}
        for record in records:
            by_agency.setdefault(_audit_agency(record), []).append(record)
        for agency, group in by_agency.items():
            record_event(
                f"{AUDIT_PREFIX}records_create",
                agency,
                actor=actor,
                changes={
                    "records": [
                        {"type": _label(r), "id": r.pk, "label": str(r)[:200]} for r in group
                    ]
                },
                agency=agency,
            )
    return records


def delete_record(actor, record) -> None:
    """Delete one inventory record; the audit event keeps what it held."""
    _require(actor, record)
    with transaction.atomic():
        snapshot = _snapshot(record)
        record_event(
            f"{AUDIT_PREFIX}{_label(record)}_delete",
            record,
            actor=actor,
            changes=snapshot,
            agency=_audit_agency(record),
        )
        record.delete()


def _audit_agency(record):
    agency = record.agency
    return agency.organisation() if agency is not None else None


def history(agency, limit: int = 100):
    """Inventory changes of ``agency`` and its units, newest first (from the audit trail)."""
    return (
        AuditEvent.objects.filter(agency=agency, action__startswith=AUDIT_PREFIX)
        .select_related("actor")
        .order_by("-seq")[:limit]
    )

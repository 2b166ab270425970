"""State changes of the core: the only code that saves agencies, positions and calendar days.

Each function checks permission, runs in one transaction and writes its audit event in that
transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions as perms
from .audit import record_event
from .models import Agency, AgencyKind, CalendarDay, Position, User
from .signals import agency_succeeded
from .text import normalize_text

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "level",
    "parent",
    "administrative_unit",
    "address",
    "phone",
    "email",
    "website",
    "valid_from",
    "valid_to",
)


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = (
            value.pk
            if hasattr(value, "pk")
            else (value.isoformat() if isinstance(value, dt.date) else value)
        )
    return values


def _diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _refresh_subtree_paths(agency: Agency) -> None:
    """Recompute ``path`` below ``agency`` after its code or parent changed."""
    for child in agency.children.all():
        child.save(update_fields=["path"])
        _refresh_subtree_paths(child)


def create_agency(actor: User | None, **fields) -> Agency:
    """Create an agency or internal unit (``actor`` None only for data loading)."""
    agency = Agency(**fields)
    if actor is not None and agency.parent and not perms.can(actor, "change", agency.parent):
        perms.require(actor, "change", agency.parent)
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        record_event(
            "agency.create",
            agency,
            actor=actor,
            agency=agency,
            changes=_snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def update_agency(actor: User | None, agency: Agency, **fields) -> Agency:
    """Change an agency's data; the change is recorded field by field."""
    if actor is not None:
        perms.require(actor, "change", agency)
    before = _snapshot(agency, AGENCY_FIELDS)
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        if before["code"] != agency.code or before["parent"] != agency.parent_id:
            _refresh_subtree_paths(agency)
        changes = _diff(before, _snapshot(agency, AGENCY_FIELDS))
        if changes:
            record_event("agency.update", agency, actor=actor, agency=agency, changes=changes)
    return agency


def _close(agency: Agency, successor: Agency, last_day: dt.date) -> None:
    if agency.valid_from > last_day:
        raise ValidationError(
            _("%(agency)s starts after %(day)s; it cannot end before it starts.")
            % {"agency": agency, "day": last_day.strftime("%d/%m/%Y")}
        )
    agency.valid_to = last_day
    agency.successor = successor
    agency.save(update_fields=["valid_to", "successor"])


def merge_agencies(
    actor: User | None,
    predecessors: list[Agency],
    successor: Agency,
    effective: dt.date,
    reason: str,
) -> Agency:
    """Hợp nhất / sáp nhập: ``predecessors`` cease the day before ``effective``; ``successor``
    takes over from ``effective``.

    The successor may be one of the predecessors (absorption) or a new agency. Internal units
    of an absorbed agency move under the successor; nothing is deleted, so every document and
    dossier keeps pointing at the agency it was handled by, and the ``agency_succeeded``
    signal lets other apps move work still in flight.
    """
    if actor is not None:
        for agency in [*predecessors, successor]:
            perms.require(actor, "restructure", agency)
    if not reason.strip():
        raise ValidationError(_("A reason (the legal decision) is required to merge agencies."))
    closing = [a for a in predecessors if a.pk != successor.pk]
    if not closing:
        raise ValidationError(_("Choose at least one agency to merge into the successor."))
    last_day = effective - dt.timedelta(days=1)
    with transaction.atomic():
        if successor.valid_from > effective:
            raise ValidationError(_("The successor must be in force on the effective date."))
        for agency in closing:
            if agency.valid_to is not None and agency.valid_to < last_day:
                raise ValidationError(
                    _("%(agency)s has already ceased to exist.") % {"agency": agency}
                )
            _close(agency, successor, last_day)
            for unit in agency.children.filter(kind=AgencyKind.INTERNAL_UNIT).valid_on(effective):
                unit.parent = successor
                unit.save()
                _refresh_subtree_paths(unit)
            agency_succeeded.send(
                sender=Agency,
                predecessor=agency,
                successor=successor,
                effective_date=effective,
                actor=actor,
            )
            record_event(
                "agency.merge",
                agency,
                actor=actor,
                agency=agency,
                reason=reason,
                changes={"successor": successor.code, "effective": effective.isoformat()},
            )
        record_event(
            "agency.merge_into",
            successor,
            actor=actor,
            agency=successor,
            reason=reason,
            changes={"predecessors": [a.code for a in closing], "effective": effective.isoformat()},
        )
    return successor


def split_agency(
    actor: User | None,
    agency: Agency,
    new_agencies: list[dict],
    main_successor_code: str,
    effective: dt.date,
    reason: str,
) -> list[Agency]:
    """Chia tách: ``agency`` ceases; the new agencies start on ``effective``.

    ``main_successor_code`` names which new agency takes over the old one's work in flight
    (the successor recorded on the old row).
    """
    if actor is not None:
        perms.require(actor, "restructure", agency)
    if not reason.strip():
        raise ValidationError(_("A reason (the legal decision) is required to split an agency."))
    with transaction.atomic():
        created = [
            create_agency(actor, **{"valid_from": effective, **data}) for data in new_agencies
        ]
        by_code = {a.code: a for a in created}
        if main_successor_code not in by_code:
            raise ValidationError(_("The main successor must be one of the new agencies."))
        successor = by_code[main_successor_code]
        _close(agency, successor, effective - dt.timedelta(days=1))
        agency_succeeded.send(
            sender=Agency,
            predecessor=agency,
            successor=successor,
            effective_date=effective,
            actor=actor,
        )
        record_event(
            "agency.split",
            agency,
            actor=actor,
            agency=agency,
            reason=reason,
            changes={
                "into": sorted(by_code),
                "successor": successor.code,
                "effective": effective.isoformat(),
            },
        )
    return created


def assign_position(
    actor: User | None,
    user: User,
    agency: Agency,
    role: str,
    unit: Agency | None = None,
    valid_from: dt.date | None = None,
) -> Position:
    """Give ``user`` a role in ``agency`` (optionally in one internal unit of it)."""
    position = Position(
        user=user, agency=agency, unit=unit, role=role, valid_from=valid_from or dt.date.today()
    )
    if actor is not None:
        perms.require(actor, "manage", position)
    if unit is not None and not unit.path.startswith(agency.path):
        raise ValidationError(
            _("%(unit)s is not a unit of %(agency)s.") % {"unit": unit, "agency": agency}
        )
    position.full_clean()
    with transaction.atomic():
        position.save()
        record_event(
            "position.assign",
            user,
            actor=actor,
            agency=agency,
            changes={"role": role, "agency": agency.code, "unit": unit.code if unit else None},
        )
    return position


def end_position(actor: User | None, position: Position, last_day: dt.date) -> Position:
    """End a role (transfer, retirement); the row stays for history."""
    if actor is not None:
        perms.require(actor, "manage", position)
    with transaction.atomic():
        position.valid_to = last_day
        position.save(update_fields=["valid_to"])
        record_event(
            "position.end",
            position.user,
            actor=actor,
            agency=position.agency,
            changes={"role": position.role, "valid_to": last_day.isoformat()},
        )
    return position


def create_staff_user(
    actor: User | None,
    username: str,
    full_name: str,
    email: str = "",
    password: str | None = None,
    **extra,
) -> User:
    """Create a staff account (roles are assigned separately with ``assign_position``)."""
    if actor is not None and not (
        actor.is_system_admin or perms.agency_paths(actor, perms.ADMIN_ROLES)
    ):
        raise ValidationError(_("Only administrators create staff accounts."))
    with transaction.atomic():
        user = User(
            username=username,
            full_name=normalize_text(full_name),
            email=email,
            kind=User.Kind.STAFF,
            **extra,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        record_event("user.create", user, actor=actor, changes={"username": username})
    return user


def set_calendar_day(
    actor: User | None,
    date: dt.date,
    kind: str,
    name: str,
    legal_basis: str = "",
    existing: CalendarDay | None = None,
) -> CalendarDay:
    """Record the government's announcement for one day (day off or swapped working day).

    ``existing`` is the row being corrected (its date may change: a typo in the date moves the
    override instead of leaving the wrong day off in force).
    """
    if existing is not None:
        day = CalendarDay.objects.get(pk=existing.pk)
    else:
        day = CalendarDay.objects.filter(date=date).first() or CalendarDay(date=date)
    if actor is not None:
        perms.require(actor, "change", day)
    before = {
        "date": day.date.isoformat() if day.pk else None,
        "kind": day.kind,
        "name": day.name,
        "legal_basis": day.legal_basis,
    }
    day.date, day.kind = date, kind
    day.name, day.legal_basis = normalize_text(name), normalize_text(legal_basis)
    day.full_clean()
    with transaction.atomic():
        day.save()
        after = {
            "date": date.isoformat(),
            "kind": kind,
            "name": day.name,
            "legal_basis": day.legal_basis,
        }
        record_event("calendar.set", day, actor=actor, changes=_diff(before, after))
    return day


def remove_calendar_day(actor: User | None, day: CalendarDay) -> None:
    """Withdraw an override entered by mistake (the audit trail keeps what it was)."""
    if actor is not None:
        perms.require(actor, "change", day)
    with transaction.atomic():
        record_event(
            "calendar.remove",
            day,
            actor=actor,
            changes={"date": day.date.isoformat(), "kind": day.kind, "name": day.name},
        )
        day.delete()

"""Load the demo province "Đắk Nông 2018" from the data files beside this module.

Idempotent: rows are matched by their official code and updated in place, so running it again
changes nothing and duplicates nothing. One audit event summarises a load that changed data.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import record_event
from ..models import AdministrativeUnit, Agency, Position, User
from ..security import requires_second_factor
from ..text import normalize_text

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "egov-demo-2018"  # noqa: S105 - the public demo password, shown in README


@dataclass
class LoadStats:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    logins: list[dict] = field(default_factory=list)

    def count(self, kind: str, created: bool, changed: bool) -> None:
        bucket = self.created if created else self.updated
        if created or changed:
            bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _upsert(model, lookup: dict, values: dict) -> tuple[object, bool, bool]:
    """Create or update one row; report (row, created, changed) without touching unchanged rows."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        row.save()
        return row, True, True
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        row.save()
    return row, False, changed


def _version_on(
    versions: list[AdministrativeUnit], day: dt.date, until: dt.date | None = None
) -> AdministrativeUnit | None:
    """The version of a unit code in force on ``day`` (codes are reused across reforms).

    With ``until``, fall back to the first version overlapping ``day``..``until``: a commune
    older than the district it was later placed in still belongs to that district.
    """
    for unit in versions:
        if unit.is_valid_on(day):
            return unit
    for unit in sorted(versions, key=lambda u: u.valid_from):
        if (until is None or unit.valid_from <= until) and (
            unit.valid_to is None or unit.valid_to >= day
        ):
            return unit
    return None


def load_administrative_units(stats: LoadStats, path: Path = DATA_DIR / "administrative_units.csv"):
    """Upsert units keyed by (code, valid_from); link parents and successors by date."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    versions: dict[str, list[AdministrativeUnit]] = {}
    for unit in AdministrativeUnit.objects.all():
        versions.setdefault(unit.code, []).append(unit)
    order = {"province": 0, "district": 1, "commune": 2}  # parents before children
    loaded = []
    for row in sorted(rows, key=lambda r: (order[r["level"]], r["valid_from"], r["code"])):
        valid_from = _date(row["valid_from"]) or dt.date(2004, 1, 1)
        parent = (
            _version_on(
                versions.get(row["parent_code"], []),
                valid_from,
                _date(row["valid_to"]) or dt.date.max,
            )
            if row["parent_code"]
            else None
        )
        unit, created, changed = _upsert(
            AdministrativeUnit,
            {"code": row["code"], "valid_from": valid_from},
            {
                "name": normalize_text(row["name"]),
                "unit_type": row["unit_type"],
                "level": row["level"],
                "parent": parent,
                "valid_to": _date(row["valid_to"]),
            },
        )
        if created:
            versions.setdefault(unit.code, []).append(unit)
        loaded.append((unit, row.get("successor_code")))
        stats.count("administrative units", created, changed)
    for unit, successor_code in loaded:  # successors start the day after the unit ends
        if successor_code and unit.valid_to:
            successor = _version_on(
                versions.get(successor_code, []), unit.valid_to + dt.timedelta(days=1)
            )
            if successor and unit.successor_id != successor.pk:
                unit.successor = successor
                unit.save(update_fields=["successor"])
                stats.count("administrative units", False, True)


def load_agencies(stats: LoadStats, path: Path = DATA_DIR / "agencies.json"):
    rows = json.loads(path.read_text(encoding="utf-8"))
    units: dict[str, list[AdministrativeUnit]] = {}
    for unit in AdministrativeUnit.objects.all():
        units.setdefault(unit.code, []).append(unit)
    by_code: dict[str, Agency] = {}
    pending = list(rows)
    while pending:  # parents first, whatever the order in the file
        progressed = False
        for row in list(pending):
            parent_code = row.get("parent_code")
            if parent_code and parent_code not in by_code:
                parent = Agency.objects.filter(code=parent_code).first()
                if parent is None:
                    continue
                by_code[parent_code] = parent
            agency, created, changed = _upsert(
                Agency,
                {"code": row["code"]},
                {
                    "name": normalize_text(row["name"]),
                    "short_name": row.get("short_name", ""),
                    "kind": row["kind"],
                    "level": row["level"],
                    "parent": by_code.get(parent_code) if parent_code else None,
                    "administrative_unit": _version_on(
                        units.get(row.get("admin_unit_code") or "", []),
                        _date(row.get("valid_from")) or dt.date(2004, 1, 1),
                    ),
                    "address": row.get("address") or "",
                    "phone": row.get("phone") or "",
                    "email": row.get("email") or "",
                    "website": row.get("website") or "",
                    "valid_from": _date(row.get("valid_from")) or dt.date(2004, 1, 1),
                    "valid_to": _date(row.get("valid_to")),
                },
            )
            by_code[agency.code] = agency
            stats.count("agencies", created, changed)
            pending.remove(row)
            progressed = True
        if not progressed:
            missing = sorted({r["parent_code"] for r in pending})
            raise ValueError(f"agencies with unknown parents: {missing}")
    for row in rows:
        if row.get("successor_code"):
            agency = by_code[row["code"]]
            successor = by_code.get(row["successor_code"])
            if successor and agency.successor_id != successor.pk:
                agency.successor = successor
                agency.save(update_fields=["successor"])


def demo_totp_key(username: str) -> bytes:
    """A fixed authenticator key per demo account, so the README can show how to log in."""
    return hashlib.sha256(f"egov-demo-totp:{username}".encode()).digest()[:20]


def load_officials(stats: LoadStats, path: Path = DATA_DIR / "officials.json"):
    rows = json.loads(path.read_text(encoding="utf-8"))
    agencies = {a.code: a for a in Agency.objects.all()}
    for row in rows:
        user, created, changed = _upsert(
            User,
            {"username": row["username"]},
            {
                "full_name": normalize_text(row["full_name"]),
                "email": row.get("email", ""),
                "job_title": row.get("job_title", ""),
                "kind": User.Kind.STAFF,
                "is_superuser": bool(row.get("superuser")),
                "is_staff": bool(row.get("superuser")),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        stats.count("officials", created, changed)
        for pos in row["positions"]:
            agency = agencies[pos["agency"]]
            unit = agencies[pos["unit"]] if pos.get("unit") else None
            _position, created, changed = _upsert(
                Position,
                {
                    "user": user,
                    "agency": agency,
                    "unit": unit,
                    "role": pos["role"],
                    "valid_from": dt.date(2018, 1, 1),
                },
                {},
            )
            stats.count("positions", created, changed)
        otp_secret = ""
        if requires_second_factor(user):
            key = demo_totp_key(user.username)
            _device, created, changed = _upsert(
                TOTPDevice,
                {"user": user, "name": "demo authenticator"},
                {"key": key.hex(), "confirmed": True},
            )
            stats.count("authenticators", created, changed)
            otp_secret = base64.b32encode(key).decode()
        stats.logins.append(
            {
                "username": user.username,
                "name": user.full_name,
                "roles": ", ".join(p["role"] for p in row["positions"]),
                "otp_secret": otp_secret,
            }
        )


def load(stdout=None) -> LoadStats:
    """Load units, agencies and officials in one transaction."""
    stats = LoadStats()
    with transaction.atomic():
        load_administrative_units(stats)
        load_agencies(stats)
        load_officials(stats)
        if stats.changed:
            record_event(
                "demo.load", None, changes={"created": stats.created, "updated": stats.updated}
            )
    if stdout is not None:
        for kind, n in sorted(stats.created.items()):
            stdout.write(f"  created {n} {kind}")
        for kind, n in sorted(stats.updated.items()):
            stdout.write(f"  updated {n} {kind}")
        if not stats.changed:
            stdout.write("  demo province already loaded: nothing to change")
    return stats

"""Changes to the catalogue: creating, versioning and publishing procedures.

A procedure's content is never edited once published: a change is a new version, valid from
a date, and dossiers keep the version they were received under.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models import Agency, AgencyKind, Level, Role
from egov.core.models.validity import today_in_vietnam
from egov.core.text import fold, normalize_text

from .fees import clean_fee, fee_problems
from .models import (
    DocumentKind,
    Fee,
    Field,
    OnlineMode,
    Performer,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    StepKind,
    TimeUnit,
    VersionStatus,
    WorkflowStep,
)

HALF = Decimal("0.5")


def default_workflow(time_value: Decimal, time_unit: str, coordinating: list[Agency]) -> list[dict]:
    """The usual internal workflow, with allotted days adding up to the statutory time.

    receive → assign → appraise → (inter-agency at each coordinating agency) → review →
    approve and sign → return. Review and approval get a share of the time; appraisal the
    rest; each coordinating agency gets a third of the appraisal time.
    """
    total = Decimal(time_value)
    if time_unit == TimeUnit.WORKING_HOURS:
        total = (total / Decimal(8)).quantize(Decimal("0.01"))
    review = approve = (
        min(Decimal(1), (total * Decimal("0.1")).quantize(HALF)) if total >= 2 else Decimal(0)
    )
    appraise = total - review - approve
    shares = []
    if coordinating and appraise > 0:
        share = (appraise / 3 / len(coordinating)).quantize(Decimal("0.01"))
        shares = [share] * len(coordinating)
        appraise -= sum(shares)
    steps = [
        {
            "name": "Tiếp nhận hồ sơ",
            "kind": StepKind.RECEIVE,
            "performer": Performer.RECEIVING,
            "role": Role.RECEPTION,
            "days": Decimal(0),
        },
        {
            "name": "Phân công xử lý",
            "kind": StepKind.ASSIGN,
            "performer": Performer.COMPETENT,
            "role": Role.UNIT_LEADER,
            "days": Decimal(0),
        },
        {
            "name": "Thẩm định hồ sơ",
            "kind": StepKind.APPRAISE,
            "performer": Performer.COMPETENT,
            "role": Role.SPECIALIST,
            "days": appraise,
        },
    ]
    for agency, share in zip(coordinating, shares, strict=True):
        steps.append(
            {
                "name": f"Lấy ý kiến {agency.short_name or agency.name}",
                "kind": StepKind.INTERAGENCY,
                "performer": Performer.AGENCY,
                "agency": agency,
                "role": Role.SPECIALIST,
                "days": share,
            }
        )
    steps += [
        {
            "name": "Kiểm tra, trình ký",
            "kind": StepKind.REVIEW,
            "performer": Performer.COMPETENT,
            "role": Role.UNIT_LEADER,
            "days": review,
        },
        {
            "name": "Phê duyệt, ký kết quả",
            "kind": StepKind.APPROVE,
            "performer": Performer.COMPETENT,
            "role": Role.AGENCY_LEADER,
            "days": approve,
        },
        {
            "name": "Trả kết quả",
            "kind": StepKind.RETURN,
            "performer": Performer.RECEIVING,
            "role": Role.RECEPTION,
            "days": Decimal(0),
        },
    ]
    return steps


def statutory_days(version: ProcedureVersion) -> Decimal:
    """The statutory time in working days (8 working hours a day for hour-counted ones)."""
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return (version.time_value / Decimal(8)).quantize(Decimal("0.01"))
    return version.time_value


def check_workflow(version: ProcedureVersion) -> None:
    """The allotted days of the steps must add up to the statutory time."""
    steps = list(version.steps.all())
    if not steps:
        raise ValidationError(_("The procedure has no workflow steps."))
    total = sum((s.days for s in steps), Decimal(0))
    expected = statutory_days(version)
    if abs(total - expected) > Decimal("0.05"):
        raise ValidationError(
            _(
                "The workflow steps add up to %(total)s working days but the statutory time is "
                "%(expected)s."
            )
            % {"total": f"{total.normalize():f}", "expected": f"{expected.normalize():f}"}
        )


@transaction.atomic
def publish_version(actor, version: ProcedureVersion, valid_from: dt.date | None = None):
    """Put a draft version in force from ``valid_from``; the previous one ends the day before."""
    if actor is not None:
        perms.require(actor, "change", version)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft version can be published."))
    check_workflow(version)
    valid_from = valid_from or today_in_vietnam()
    previous = version.procedure.current
    if previous is not None and previous.pk != version.pk:
        if previous.valid_from >= valid_from:
            raise ValidationError(_("The new version must start after the version in force."))
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.status = VersionStatus.RETIRED
        previous.save(update_fields=["valid_to", "status"])
    version.status = VersionStatus.PUBLISHED
    version.valid_from = valid_from
    version.save(update_fields=["status", "valid_from"])
    procedure = version.procedure
    procedure.current = version
    procedure.save(update_fields=["current"])
    record_event(
        "procedure.publish",
        version,
        actor=actor,
        changes={"version": version.number, "valid_from": valid_from},
    )
    return version


# --- the exchange format (JSON rows, also used by the XLSX import and the demo) ----------------
DOC_KINDS = set(DocumentKind.values)


def _agency_by_label(label: str, provincial: dict[str, Agency]) -> Agency | None:
    if not label:
        return None
    return provincial.get(label) or Agency.objects.filter(code=label).first()


def provincial_agencies() -> dict[str, Agency]:
    """Departments and boards under the provincial People's Committee, by abbreviation and code."""
    found: dict[str, Agency] = {}
    for agency in (
        Agency.objects.valid_on().filter(level=Level.PROVINCE).exclude(kind="internal_unit")
    ):
        found.setdefault(agency.short_name, agency)
        found[agency.code] = agency
    return found


def row_hash(row: dict) -> str:
    """Fingerprint of an imported row (to tell unchanged rows from changed ones)."""
    return hashlib.sha256(
        json.dumps(row, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def validate_row(row: dict, provincial: dict[str, Agency]) -> tuple[dict, list[str]]:
    """Check one catalogue row; return the cleaned row and the list of problems (Vietnamese)."""
    errors: list[str] = []
    clean = dict(row)
    code = str(row.get("code", "")).strip()
    clean["code"] = code
    try:
        Procedure._meta.get_field("code").run_validators(code)
    except ValidationError as error:
        errors += error.messages
    name = normalize_text(row.get("name", ""))
    if not name:
        errors.append(_("The procedure name is missing."))
    clean["name"] = name
    if row.get("level") not in Level.values:
        errors.append(_("Level must be one of province, district, commune."))
    try:
        clean["time"] = Decimal(str(row.get("time", "")))
        if clean["time"] < 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        errors.append(_("The statutory time must be a number of days or hours."))
    if row.get("time_unit", TimeUnit.WORKING_DAYS) not in TimeUnit.values:
        errors.append(_("The time unit must be working_days or working_hours."))
    if row.get("online_mode", OnlineMode.NONE) not in OnlineMode.values:
        errors.append(_("The online mode must be full, partial or none."))
    agency = None
    if row.get("level") == Level.PROVINCE:
        agency = _agency_by_label(row.get("agency", ""), provincial)
        if agency is None:
            errors.append(
                _("Unknown competent agency “%(agency)s”.") % {"agency": row.get("agency", "")}
            )
    clean["agency_obj"] = agency
    clean["coordinating_objs"] = [
        a
        for a in (_agency_by_label(label, provincial) for label in row.get("coordinating", []))
        if a
    ]
    clean["coordinating_external"] = [
        label
        for label in row.get("coordinating", [])
        if _agency_by_label(label, provincial) is None
    ]
    for fee in row.get("fees", []):
        if isinstance(fee, dict):
            errors += fee_problems(fee)
        else:
            errors.append(_("“%(key)s” must be a list of objects.") % {"key": "fees"})
    for doc in row.get("documents", []):
        if doc.get("kind", "original") not in DOC_KINDS:
            errors.append(
                _("Document “%(name)s”: unknown kind “%(kind)s”.")
                % {"name": doc.get("name", ""), "kind": doc.get("kind")}
            )
    return clean, errors


def create_version_from_row(
    clean: dict, fields: dict[str, Field], number: int, procedure: Procedure, fingerprint: str
) -> ProcedureVersion:
    """Write one validated row as a new draft version with documents, fees and workflow."""
    field_name = normalize_text(clean.get("field") or "Khác")
    field = fields.get(field_name)
    if field is None:
        field = fields[field_name] = Field.objects.get_or_create(name=field_name)[0]
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        name=clean["name"],
        field=field,
        level=clean["level"],
        competent_agency=clean["agency_obj"],
        implementing_agency=clean.get("agency", ""),
        time_value=clean["time"],
        time_unit=clean.get("time_unit", TimeUnit.WORKING_DAYS),
        after_15h_next_day=bool(clean.get("after_15h_next_day")),
        result_name=normalize_text(clean.get("result", "")),
        delivery_modes=clean.get("delivery", []) or ["counter"],
        online_mode=clean.get("online_mode", OnlineMode.NONE),
        legacy_level=int(clean.get("legacy_level") or 2),
        legal_basis=normalize_text(clean.get("legal_basis", "")),
        source=(clean.get("source") or "")[:500],
        coordinating_external=clean["coordinating_external"],
        valid_from=dt.date(2018, 1, 1),
        content_hash=fingerprint,
    )
    version.save()
    if clean["coordinating_objs"]:
        version.coordinating_agencies.set(clean["coordinating_objs"])
    RequiredDocument.objects.bulk_create(
        [
            RequiredDocument(
                version=version,
                order=i,
                name=normalize_text(d.get("name", ""))[:500],
                kind=d.get("kind", "original"),
                count=int(d.get("count") or 1),
                mandatory=bool(d.get("mandatory", True)),
            )
            for i, d in enumerate(clean.get("documents", []), start=1)
        ]
    )
    Fee.objects.bulk_create([Fee(version=version, **clean_fee(f)) for f in clean.get("fees", [])])
    steps = clean.get("steps") or default_workflow(
        version.time_value, version.time_unit, clean["coordinating_objs"]
    )
    WorkflowStep.objects.bulk_create(
        [
            WorkflowStep(
                version=version,
                order=i,
                name=s["name"],
                kind=s["kind"],
                performer=s.get("performer", Performer.COMPETENT),
                agency=s.get("agency"),
                role=s.get("role", ""),
                days=Decimal(str(s.get("days", 0))),
            )
            for i, s in enumerate(steps, start=1)
        ]
    )
    return version


def import_row(actor, row: dict, fields: dict[str, Field], provincial: dict[str, Agency]) -> str:
    """Create or update one procedure from a catalogue row.

    Returns ``"created"``, ``"updated"`` (a new version published) or ``"unchanged"``; raises
    ``ValidationError`` with every problem of the row, changing nothing.
    """
    clean, errors = validate_row(row, provincial)
    if errors:
        raise ValidationError(errors)
    fingerprint = row_hash(row)
    with transaction.atomic():
        procedure, created = Procedure.objects.get_or_create(
            code=clean["code"], defaults={"is_synthetic": bool(row.get("synthetic"))}
        )
        current = procedure.current
        if current is not None and current.content_hash == fingerprint:
            return "unchanged"
        number = (
            procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = create_version_from_row(clean, fields, number, procedure, fingerprint)
        if current is not None:
            # The exchange format does not name receiving places: the new version keeps those
            # of the version it replaces.
            version.receiving_places.set(current.receiving_places.all())
        valid_from = dt.date(2018, 1, 1) if current is None else today_in_vietnam()
        if current is not None and current.valid_from >= valid_from:
            valid_from = current.valid_from + dt.timedelta(days=1)
        publish_version(None, version, valid_from)
        if actor is not None:
            record_event(
                "procedure.import",
                version,
                actor=actor,
                changes={"code": procedure.code, "version": number},
            )
    return "created" if created else "updated"


# --- the whole-catalogue exchange (export, then import of the same rows) ----------------------
def _number(value: Decimal) -> int | float:
    """A Decimal as a JSON number: whole numbers stay integers (5, not 5.0)."""
    return int(value) if value == value.to_integral_value() else float(value)


def fee_row(fee: Fee) -> dict:
    """One fee in the exchange format: ``amount`` and ``unit`` for a fixed fee, ``rows`` for a
    fee by table (each case with its condition, amount and unit)."""
    row = {"name": fee.name, "kind": fee.kind}
    if fee.rows:
        row["rows"] = [dict(r) for r in fee.rows]
    else:
        row.update(amount=fee.amount or 0, unit=fee.unit)
    row["note"] = fee.note
    return row


def agency_label(agency: Agency, provincial: dict[str, Agency]) -> str:
    """The abbreviation of ``agency`` when it names that agency alone, else its code."""
    if agency.short_name and provincial.get(agency.short_name) == agency:
        return agency.short_name
    return agency.code


def version_row(version: ProcedureVersion, provincial: dict[str, Agency]) -> dict:
    """One version as a row of the exchange format (what :func:`import_row` reads).

    Steps are written out with agency codes, so that exporting and importing again gives the
    same workflow (:func:`import_exchange_row` reads them back).
    """
    if version.competent_agency is not None:
        agency = agency_label(version.competent_agency, provincial)
    else:
        agency = version.implementing_agency or "UBND"
    coordinating = sorted(
        agency_label(a, provincial) for a in version.coordinating_agencies.all()
    ) + list(version.coordinating_external or [])
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.name,
        "level": version.level,
        "agency": agency,
        "time": _number(version.time_value),
        "time_unit": version.time_unit,
        "after_15h_next_day": version.after_15h_next_day,
        "fees": [fee_row(fee) for fee in version.fees.all()],
        "documents": [
            {"name": d.name, "kind": d.kind, "count": d.count, "mandatory": d.mandatory}
            for d in version.documents.all()
        ],
        "result": version.result_name,
        "online_mode": version.online_mode,
        "legacy_level": version.legacy_level,
        "delivery": list(version.delivery_modes or []),
        "coordinating": coordinating,
        "legal_basis": version.legal_basis,
        "source": version.source,
        "synthetic": version.procedure.is_synthetic,
        "steps": [
            {
                "name": s.name,
                "kind": s.kind,
                "performer": s.performer,
                "agency": s.agency.code if s.agency_id else None,
                "role": s.role,
                "days": _number(s.days),
            }
            for s in version.steps.all()
        ],
    }


_TEXT_KEYS = ("code", "name", "field", "level", "agency", "time_unit", "result", "online_mode")
_TEXT_KEYS += ("legal_basis", "source")
_LIST_OF_DICTS = ("fees", "documents", "steps")
_LIST_OF_TEXT = ("coordinating", "delivery")


def row_shape_errors(row) -> list[str]:
    """Problems of form (a list where a list belongs, text where text belongs) that would
    stop :func:`validate_row` from reading the row at all."""
    if not isinstance(row, dict):
        return [_("The row is not an object with named values.")]
    errors = []
    for key in _TEXT_KEYS:
        if key in row and not isinstance(row[key], str):
            errors.append(_("“%(key)s” must be text.") % {"key": key})
    for key in _LIST_OF_DICTS:
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            errors.append(_("“%(key)s” must be a list of objects.") % {"key": key})
    for key in _LIST_OF_TEXT:
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            errors.append(_("“%(key)s” must be a list of texts.") % {"key": key})
    if "legacy_level" in row and row["legacy_level"] not in (1, 2, 3, 4):
        errors.append(_("The online level (2011) must be 1, 2, 3 or 4."))
    if not isinstance(row.get("after_15h_next_day", False), bool):
        errors.append(_("“after_15h_next_day” must be true or false."))
    if not isinstance(row.get("synthetic", False), bool):
        errors.append(_("“synthetic” must be true or false."))
    if len(normalize_text(row.get("name") if isinstance(row.get("name"), str) else "")) > 500:
        errors.append(_("The procedure name is longer than 500 characters."))
    for doc in row.get("documents", []) if not errors else []:
        count = doc.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            errors.append(
                _("Document “%(name)s”: the count must be a whole number from 1.")
                % {"name": doc.get("name", "")}
            )
        if not isinstance(doc.get("name", ""), str) or not doc.get("name"):
            errors.append(_("A document has no name."))
    return errors


def steps_from_row(steps: list[dict], provincial: dict[str, Agency]) -> tuple[list[dict], list]:
    """Exported workflow steps (agency as a code or abbreviation) as the dicts
    :func:`create_version_from_row` writes (agency as an ``Agency``); and their problems."""
    result, errors = [], []
    for number, step in enumerate(steps, start=1):
        problems = []
        name = normalize_text(step.get("name") if isinstance(step.get("name"), str) else "")
        if not name or len(name) > 200:
            problems.append(_("the name is missing or longer than 200 characters"))
        if step.get("kind") not in StepKind.values:
            problems.append(_("unknown kind “%(kind)s”") % {"kind": step.get("kind")})
        performer = step.get("performer") or Performer.COMPETENT
        if performer not in Performer.values:
            problems.append(_("unknown performer “%(value)s”") % {"value": performer})
        label = step.get("agency") or ""
        agency = label if isinstance(label, Agency) else None
        if label and agency is None:
            agency = _agency_by_label(str(label), provincial)
            if agency is None:
                problems.append(_("unknown agency “%(agency)s”") % {"agency": label})
        if performer == Performer.AGENCY and agency is None and not label:
            problems.append(_("a step performed at a named agency needs that agency"))
        role = step.get("role") or ""
        if role not in ("", *Role.values):
            problems.append(_("unknown role “%(role)s”") % {"role": role})
        try:
            days = Decimal(str(step.get("days", 0)))
            if days < 0 or not days.is_finite():
                raise ValueError
        except (ArithmeticError, ValueError):
            problems.append(_("the days must be a number of working days"))
            days = Decimal(0)
        if problems:
            errors.append(
                _("Workflow step %(number)s: %(problems)s.")
                % {"number": number, "problems": "; ".join(str(p) for p in problems)}
            )
            continue
        result.append(
            {
                "name": name,
                "kind": step["kind"],
                "performer": performer,
                "agency": agency,
                "role": role,
                "days": days,
            }
        )
    return result, errors


def _content(row: dict, provincial: dict[str, Agency]) -> dict | None:
    """What a valid row would store, in a form that compares equal when nothing differs."""
    if row_shape_errors(row):
        return None
    clean, errors = validate_row(row, provincial)
    steps, step_errors = steps_from_row(row.get("steps") or [], provincial)
    if errors or step_errors:
        return None
    if not steps:
        steps = default_workflow(
            clean["time"], row.get("time_unit", TimeUnit.WORKING_DAYS), clean["coordinating_objs"]
        )
    cent = Decimal("0.01")
    return {
        "name": clean["name"],
        "field": normalize_text(row.get("field") or "Khác"),
        "level": row["level"],
        # A provincial procedure is decided by an agency, however it is written (code or
        # abbreviation); district and commune ones keep the label as published.
        "agency": clean["agency_obj"].pk if clean["agency_obj"] else row.get("agency", ""),
        "time": clean["time"].quantize(cent),
        "time_unit": row.get("time_unit", TimeUnit.WORKING_DAYS),
        "after_15h_next_day": bool(row.get("after_15h_next_day")),
        "result": normalize_text(row.get("result", "")),
        "delivery": row.get("delivery", []) or ["counter"],
        "online_mode": row.get("online_mode", OnlineMode.NONE),
        "legacy_level": int(row.get("legacy_level") or 2),
        "legal_basis": normalize_text(row.get("legal_basis", "")),
        "source": (row.get("source") or "")[:500],
        "coordinating": sorted(a.pk for a in clean["coordinating_objs"]),
        "external": clean["coordinating_external"],
        "fees": [
            (
                fee["name"],
                fee["kind"],
                fee["amount"],
                fee["unit"],
                fee["note"],
                tuple((r["condition"], r["amount"], r["unit"]) for r in fee["rows"]),
            )
            for fee in map(clean_fee, row.get("fees", []))
        ],
        "documents": [
            (
                normalize_text(d.get("name", ""))[:500],
                d.get("kind", "original"),
                int(d.get("count") or 1),
                bool(d.get("mandatory", True)),
            )
            for d in row.get("documents", [])
        ],
        "steps": [
            (
                s["name"],
                s["kind"],
                s.get("performer", Performer.COMPETENT),
                s["agency"].pk if s.get("agency") else None,
                s.get("role", ""),
                Decimal(str(s.get("days", 0))).quantize(cent),
            )
            for s in steps
        ],
    }


def row_matches_version(
    row: dict, version: ProcedureVersion, provincial: dict[str, Agency]
) -> bool:
    """True when importing ``row`` would write the same content as ``version`` holds."""
    content = _content(row, provincial)
    return content is not None and content == _content(version_row(version, provincial), provincial)


def import_exchange_row(
    actor, row: dict, fields: dict[str, Field], provincial: dict[str, Agency]
) -> str:
    """Import one row of an exported catalogue (JSON or XLSX) with :func:`import_row`.

    Two additions for files that went out and come back: a row whose content equals the
    version in force is ``"unchanged"`` whatever its spelling (agency code or abbreviation,
    5 or 5.0 days), and workflow steps given with agency codes are read back as the workflow
    of the new version. Raises ``ValidationError`` with every problem of the row.
    """
    errors = row_shape_errors(row)
    if errors:
        raise ValidationError(errors)
    _clean, errors = validate_row(row, provincial)
    steps, step_errors = steps_from_row(row.get("steps") or [], provincial)
    if errors or step_errors:
        raise ValidationError(errors + step_errors)
    procedure = (
        Procedure.objects.filter(code=str(row["code"]).strip()).select_related("current").first()
    )
    current = procedure.current if procedure is not None else None
    if current is not None and row_matches_version(row, current, provincial):
        return "unchanged"
    prepared = {**row, "steps": steps} if steps else {k: v for k, v in row.items() if k != "steps"}
    return import_row(actor, prepared, fields, provincial)


# --- receiving places ------------------------------------------------------------------------
def one_stop_desks(day: dt.date | None = None) -> dict[str, list[Agency]]:
    """Where dossiers of each level are received, by level (agencies in force on ``day``).

    Provincial procedures at the Public Administration Service Centre; district ones at the
    one-stop desk (Bộ phận Một cửa, an internal unit of the district People's Committee) of
    every district; commune ones at every commune People's Committee, or its one-stop desk
    where the commune has one as a unit of its own.
    """
    agencies = list(Agency.objects.valid_on(day).order_by("code"))
    desk_units = {
        a.parent_id: a
        for a in agencies
        if a.kind == AgencyKind.INTERNAL_UNIT and fold(a.name).startswith("bo phan mot cua")
    }
    desks = {
        Level.PROVINCE: [
            a for a in agencies if a.kind == AgencyKind.SERVICE_CENTER and a.level == Level.PROVINCE
        ]
    }
    for level in (Level.DISTRICT, Level.COMMUNE):
        desks[level] = [
            desk_units.get(a.pk, a)
            for a in agencies
            if a.kind == AgencyKind.PEOPLES_COMMITTEE and a.level == level
        ]
    return desks


@transaction.atomic
def fill_receiving_places(actor, versions=None) -> int:
    """Give each of ``versions`` (all versions by default) that has no receiving place the
    one-stop desks of its level (:func:`one_stop_desks`); a provincial procedure where the
    province has no service centre is received by its competent agency.

    Versions that already name their receiving places are left as they are. The links are
    written in bulk (the demo: 43,000 links for 3,206 procedures in under a second).
    Returns the number of links written.
    """
    if actor is not None and not actor.is_system_admin:
        raise PermissionDenied(_("Only a system administrator may fill in receiving places."))
    through = ProcedureVersion.receiving_places.through
    versions = ProcedureVersion.objects.all() if versions is None else versions
    empty = versions.exclude(pk__in=through.objects.values("procedureversion_id")).values_list(
        "pk", "level", "competent_agency_id"
    )
    desks = {level: [a.pk for a in found] for level, found in one_stop_desks().items()}
    links = []
    for pk, level, competent in empty.iterator():
        places = desks.get(level) or ([competent] if competent else [])
        links += [through(procedureversion_id=pk, agency_id=place) for place in places]
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    if actor is not None and links:
        record_event(
            "catalog.receiving_places_fill", None, actor=actor, changes={"links": len(links)}
        )
    return len(links)


# --- editing in the administration: drafts --------------------------------------------------
VERSION_COPIED_FIELDS = (
    "name",
    "field",
    "level",
    "competent_agency",
    "implementing_agency",
    "coordinating_external",
    "time_value",
    "time_unit",
    "after_15h_next_day",
    "result_name",
    "delivery_modes",
    "online_mode",
    "legacy_level",
    "legal_basis",
    "source",
)


@transaction.atomic
def new_draft_version(actor, procedure: Procedure) -> ProcedureVersion:
    """Start the next version of ``procedure`` as a draft copy of the version in force.

    The copy has the same content, documents, fees, workflow and agencies, numbered one past
    the highest version; it changes nothing in force until it is published.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    source = procedure.current or procedure.versions.order_by("-number").first()
    if source is None:
        raise ValidationError(_("The procedure has no version to copy."))
    if actor is not None:
        perms.require(actor, "change", source)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if draft is not None:
        raise ValidationError(
            _("Version %(number)s of %(code)s is already a draft: edit or publish it.")
            % {"number": draft.number, "code": procedure.code}
        )
    number = procedure.versions.order_by("-number").values_list("number", flat=True).first() + 1
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=VersionStatus.DRAFT,
        valid_from=today_in_vietnam(),
        **{name: getattr(source, name) for name in VERSION_COPIED_FIELDS},
    )
    version.save()
    version.receiving_places.set(source.receiving_places.all())
    version.coordinating_agencies.set(source.coordinating_agencies.all())
    RequiredDocument.objects.bulk_create(
        [
            RequiredDocument(
                version=version,
                order=d.order,
                name=d.name,
                kind=d.kind,
                count=d.count,
                mandatory=d.mandatory,
                template=d.template.name if d.template else "",
            )
            for d in source.documents.all()
        ]
    )
    Fee.objects.bulk_create(
        [
            Fee(
                version=version,
                kind=f.kind,
                name=f.name,
                amount=f.amount,
                unit=f.unit,
                note=f.note,
                rows=copy.deepcopy(f.rows),
            )
            for f in source.fees.all()
        ]
    )
    WorkflowStep.objects.bulk_create(
        [
            WorkflowStep(
                version=version,
                order=s.order,
                name=s.name,
                kind=s.kind,
                performer=s.performer,
                agency_id=s.agency_id,
                role=s.role,
                days=s.days,
            )
            for s in source.steps.all()
        ]
    )
    record_event(
        "procedure.new_draft",
        version,
        actor=actor,
        changes={"code": procedure.code, "version": number, "copied_from": source.number},
    )
    return version


@transaction.atomic
def update_draft_version(
    actor,
    version: ProcedureVersion,
    *,
    changed_fields: list[str] | tuple = (),
    m2m: dict[str, list] | None = None,
    saved_parts: list | tuple = (),
    deleted_parts: list | tuple = (),
) -> ProcedureVersion:
    """Save edits to a draft version: its own fields, agencies (``m2m``) and documents, fees
    and workflow steps (``saved_parts``, ``deleted_parts``).

    A published or retired version is never edited: a change is a new version.
    """
    stored = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if actor is not None:
        perms.require(actor, "change", stored)
        perms.require(actor, "change", version)
    if stored.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("A version in force or retired cannot be changed: create a new version.")
        )
    version.status = VersionStatus.DRAFT
    version.number, version.procedure_id = stored.number, stored.procedure_id
    version.content_hash = ""
    version.save()
    for name, values in (m2m or {}).items():
        getattr(version, name).set(values)
    for part in [*saved_parts, *deleted_parts]:
        if part.version_id != version.pk:
            raise ValidationError(_("A document, fee or step belongs to another version."))
    for part in deleted_parts:
        part.delete()
    for part in saved_parts:
        part.save()
    if changed_fields or m2m or saved_parts or deleted_parts:
        record_event(
            "procedure.draft_update",
            version,
            actor=actor,
            changes={
                "fields": sorted(changed_fields),
                "saved": [f"{p._meta.model_name}: {p}" for p in saved_parts],
                "deleted": [f"{p._meta.model_name}: {p}" for p in deleted_parts],
            },
        )
    return version

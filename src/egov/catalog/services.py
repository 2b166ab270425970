"""Changes to the catalogue: creating, versioning and publishing procedures.

A procedure's content is never edited once published: a change is a new version, valid from
a date, and dossiers keep the version they were received under.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models import Agency, Level, Role
from egov.core.models.validity import today_in_vietnam
from egov.core.text import normalize_text

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
            % {"total": total.normalize(), "expected": expected.normalize()}
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
        if not isinstance(fee.get("amount"), int) or fee["amount"] < 0:
            errors.append(
                _("Fee “%(name)s”: the amount must be a whole number of đồng.")
                % {"name": fee.get("name", "")}
            )
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
    Fee.objects.bulk_create(
        [
            Fee(
                version=version,
                name=normalize_text(f.get("name", "Lệ phí")),
                amount=f["amount"],
                note=normalize_text(f.get("note", "")),
            )
            for f in clean.get("fees", [])
        ]
    )
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

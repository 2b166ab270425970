"""The only way a dossier changes: one service function per transition.

Each function locks the dossier row, checks that the action is allowed in its state and for
this person (``workflow.TRANSITIONS``, ``access.may``), changes it in one transaction, writes
one audit event and, where the dossier changes hands, one handover row. Notices go out after
commit. A refused action raises ``TransitionRefused`` (or ``PermissionDenied``) and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import Performer, ProcedureVersion, StepKind, VersionStatus
from egov.catalog.published import version_parts
from egov.core.audit import record_event
from egov.core.directory import attach_agencies
from egov.core.models import Agency, Level, Role
from egov.core.rows import insert as rows_insert
from egov.core.sequences import next_id
from egov.core.text import normalize_text
from egov.core.validators import validate_citizen_id

from . import clock
from .access import may
from .codes import issue_code, issue_code_and_tracking_number, issue_tracking_number
from .evaluation import clean_scores
from .files import inspect_upload
from .models import (
    Apology,
    Channel,
    Dossier,
    DossierDocument,
    DossierParty,
    DossierStep,
    Evaluation,
    Handover,
    IdType,
    InterAgencyTask,
    Pause,
    ReturnMode,
    StepStatus,
    SupplementRequest,
)
from .signals import dossier_changed, dossier_changing
from .workflow import TRANSITIONS, State


class TransitionRefused(Exception):
    """The action is not possible in the dossier's state (HTTP 409); nothing changed."""

    def __init__(self, message: str, code: str = "transition_refused"):
        super().__init__(message)
        self.message, self.code = message, code


# --- helpers ------------------------------------------------------------------------------------
_clock_override: list[dt.datetime] = []


def _now() -> dt.datetime:
    """The time of the action: now, or the moment set by ``acting_at`` (demo data, replays)."""
    return _clock_override[-1] if _clock_override else timezone.now()


class acting_at:  # noqa: N801 - used as a context manager: ``with acting_at(moment): ...``
    """Perform actions as if at ``moment`` (loading the demo's history, importing records)."""

    def __init__(self, moment: dt.datetime):
        self.moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def __enter__(self):
        _clock_override.append(self.moment)
        return self.moment

    def __exit__(self, *exc):
        _clock_override.pop()


DOSSIER_AGENCIES = ("receiving_agency", "competent_agency", "current_agency")


def _lock(dossier: Dossier) -> Dossier:
    """Re-read the dossier under a row lock: two officers racing apply one action once.

    Its agencies come from the process's copy of the agency table (core.directory) rather
    than three joins: every transition pays for this statement."""
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version")
        .get(pk=dossier.pk)
    )
    return attach_agencies(locked, *DOSSIER_AGENCIES)


def _check(actor, dossier: Dossier, action: str) -> None:
    transition = TRANSITIONS[action]
    if dossier.state not in transition.sources:
        raise TransitionRefused(
            _("“%(action)s” is not possible: the dossier is “%(state)s”.")
            % {"action": transition.label, "state": dossier.get_state_display()}
        )
    if actor is not None and not may(actor, dossier, transition):
        raise PermissionDenied(
            _("You may not “%(action)s” on this dossier.") % {"action": transition.label}
        )
    if not guard_ok(dossier, action):
        raise TransitionRefused(
            _("“%(action)s” is not possible at this step of the workflow.")
            % {"action": transition.label}
        )


def _reason(reason: str, action: str) -> str:
    reason = normalize_text(reason)
    if TRANSITIONS[action].needs_reason and not reason:
        raise ValidationError({"reason": [_("A reason is required.")]})
    return reason


def _active_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(status=StepStatus.ACTIVE).order_by("order").first()


def _next_step(dossier: Dossier, after: int) -> DossierStep | None:
    return (
        dossier.steps.filter(order__gt=after, status=StepStatus.PENDING).order_by("order").first()
    )


def transition(action: str):
    """Decorator of a transition service: one transaction, the dossier re-read under lock,
    the state, place and workflow position checked before the body runs."""

    def wrap(body):
        @functools.wraps(body)
        @transaction.atomic
        def run(actor, dossier: Dossier, *args, **kwargs):
            dossier = _lock(dossier)
            _check(actor, dossier, action)
            return body(actor, dossier, *args, **kwargs)

        return run

    return wrap


def guard_ok(dossier: Dossier, action: str) -> bool:
    """Workflow position guards on top of the state table."""
    if action in ("forward", "request_interagency", "approve"):
        step = _active_step(dossier)
        if step is None:
            return False
        following = _next_step(dossier, step.order)
        if action == "approve":
            return step.kind == StepKind.APPROVE
        if action == "request_interagency":
            return following is not None and following.kind == StepKind.INTERAGENCY
        return (
            step.kind in (StepKind.APPRAISE, StepKind.REVIEW)
            and following is not None
            and following.kind not in (StepKind.INTERAGENCY, StepKind.RETURN)
        )
    return True


def _add_party(dossier: Dossier, agency: Agency | None) -> None:
    _add_parties(dossier, [agency])


def _add_parties(dossier: Dossier, agencies) -> None:
    """Record the agencies involved (one statement; existing ones are left alone)."""
    rows = {
        a.pk: DossierParty(dossier=dossier, agency=a, agency_path=a.path)
        for a in agencies
        if a is not None
    }
    rows_insert(rows.values(), ignore_conflicts=True)


def _event(action: str, dossier: Dossier, actor, before: str, reason: str = "", **changes) -> None:
    record_event(
        f"dossier.{action}",
        dossier,
        actor=actor,
        reason=reason,
        agency=dossier.current_agency or dossier.receiving_agency,
        changes={"from": before, "to": dossier.state, **changes},
    )
    dossier_id = dossier.pk
    dossier_changing.send(sender=Dossier, dossier_id=dossier_id, action=action)
    transaction.on_commit(
        lambda: dossier_changed.send(sender=Dossier, dossier_id=dossier_id, action=action)
    )


def _handover(
    dossier: Dossier,
    actor,
    to_agency: Agency | None,
    to_user=None,
    note: str = "",
    timeliness: str = "",
) -> Handover:
    handover = Handover(
        dossier=dossier,
        at=_now(),
        from_agency=dossier.current_agency or dossier.receiving_agency,
        from_user=actor,
        to_agency=to_agency,
        to_user=to_user,
        step_order=dossier.current_step,
        timeliness=timeliness,
        note=note[:300],
    )
    rows_insert([handover])
    return handover


def _start_step(
    dossier: Dossier, step: DossierStep, at: dt.datetime, assignee=None, save: bool = True
) -> None:
    step.status, step.started_at = StepStatus.ACTIVE, at
    step.due_at = clock.step_due(at, step.days)
    step.assignee = assignee
    if save:  # a step about to be inserted is stored by its caller
        step.save(update_fields=["status", "started_at", "due_at", "assignee"])
    dossier.current_step, dossier.current_role = step.order, step.role
    dossier.current_agency = step.agency
    dossier.current_holder = assignee


def _finish_step(step: DossierStep, at: dt.datetime) -> str:
    step.status, step.finished_at = StepStatus.DONE, at
    step.timeliness = clock.timeliness(at, step.due_at) if step.due_at else ""
    step.save(update_fields=["status", "finished_at", "timeliness"])
    return step.timeliness


# --- creation -----------------------------------------------------------------------------------
def validate_applicant(data: dict) -> dict:
    """Clean and check the applicant fields; raise ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    clean = {k: normalize_text(str(v)) if isinstance(v, str) else v for k, v in data.items()}
    if not clean.get("applicant_name"):
        errors["applicant_name"] = [_("Enter the applicant's full name.")]
    id_type = clean.get("applicant_id_type") or IdType.CITIZEN_ID
    number = (clean.get("applicant_id_number") or "").replace(" ", "")
    clean["applicant_id_type"], clean["applicant_id_number"] = id_type, number
    try:
        if id_type == IdType.CITIZEN_ID:
            validate_citizen_id(number)
        elif id_type == IdType.TAX_CODE:
            if not (len(number) in (10, 14) and number.replace("-", "").isdigit()):
                raise ValidationError(_("A tax code has 10 digits (or 10-3 for a branch)."))
        elif id_type == IdType.PASSPORT:
            if not (6 <= len(number) <= 12 and number.isalnum()):
                raise ValidationError(_("A passport number has 6 to 12 letters and digits."))
        else:
            raise ValidationError(_("Unknown identity document type."))
    except ValidationError as error:
        errors["applicant_id_number"] = error.messages
    phone = (clean.get("applicant_phone") or "").replace(" ", "").replace(".", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
        errors["applicant_phone"] = [_("Enter a phone number of 10 digits, e.g. 0912345678.")]
    clean["applicant_phone"] = phone
    email = clean.get("applicant_email") or ""
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(errors)
    return clean


APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_type",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)


def resolve_competent_agency(
    version: ProcedureVersion, receiving: Agency, chosen: Agency | None = None
) -> Agency:
    """The agency that decides: named by the procedure (provincial ones), else the People's
    Committee of the procedure's level where the dossier is handled (given, or the receiving
    desk's own committee)."""
    if version.competent_agency_id:
        return version.competent_agency
    agency = chosen or receiving.organisation()
    if agency.level != version.level or agency.kind != "people_committee":
        raise ValidationError(
            {
                "competent_agency": [
                    _("Choose the %(level)s People's Committee that handles this procedure.")
                    % {"level": Level(version.level).label.lower()}
                ]
            }
        )
    return agency


def files_of(documents: list[DossierDocument]) -> list[dict]:
    """What the audit trail keeps of added documents: name, kind and, for a scan, its size and
    SHA-256, so that a file later swapped in storage is detected."""
    return [{"name": d.name, "kind": d.kind, "size": d.size, "sha256": d.sha256} for d in documents]


@transaction.atomic
def create_dossier(
    actor,
    version: ProcedureVersion,
    receiving_agency: Agency,
    applicant: dict,
    *,
    record: bool = True,
    **options,
) -> Dossier:
    """Open a dossier (a draft). Counter intake then calls ``receive``; online, ``submit``.

    ``options`` are those of ``_open_dossier``. With ``record=False`` the caller records the
    creation in its own event.
    """
    dossier, documents = _open_dossier(actor, version, receiving_agency, applicant, **options)
    _add_parties(dossier, [receiving_agency, dossier.competent_agency])
    if record:
        record_event(
            "dossier.create",
            dossier,
            actor=actor,
            agency=receiving_agency,
            changes={
                "procedure": version.procedure.code,
                "version": version.number,
                "channel": dossier.channel,
                "files": files_of(documents),
            },
        )
    return dossier


def _open_dossier(
    actor,
    version: ProcedureVersion,
    receiving_agency: Agency,
    applicant: dict,
    *,
    competent_agency: Agency | None = None,
    channel: str = "counter",
    request_summary: str = "",
    sets: int = 1,
    documents=(),
    applicant_user=None,
    insert_later: bool = False,
    reference=None,
) -> tuple[Dossier, list[DossierDocument]]:
    """Store a new dossier with its documents (inside the caller's transaction).

    ``documents`` are dicts ``{"requirement": RequiredDocument | None, "name", "kind", "count",
    "file": UploadedFile | None}``. ``reference`` (a UUID) is the caller's idempotency key:
    a second dossier with the same one is refused by the database. With ``insert_later`` the
    dossier only gets its primary key
    (where the database can allocate one, see ``core.sequences``) and the caller inserts it
    with ``_store`` once it is complete.
    """
    if version.status != VersionStatus.PUBLISHED or not version.is_valid_on():
        raise ValidationError(_("This procedure version is not in force."))
    clean = validate_applicant(applicant)
    competent = resolve_competent_agency(version, receiving_agency, competent_agency)
    dossier = Dossier(
        procedure_version=version,
        receiving_agency=receiving_agency,
        competent_agency=competent,
        channel=channel,
        request_summary=normalize_text(request_summary) or version.name,
        sets=max(1, int(sets or 1)),
        applicant_user=applicant_user,
        current_agency=receiving_agency,
        **{k: clean.get(k, "") for k in APPLICANT_FIELDS},
    )
    if reference is not None:
        dossier.reference = reference
    dossier.pk = next_id(Dossier) if insert_later else None
    if dossier.pk is None:
        dossier.save(force_insert=True)
    return dossier, add_documents(actor, dossier, documents)


def _store(dossier: Dossier, fields: list[str]) -> None:
    """Write ``fields`` of the dossier, or the whole row if it was opened with
    ``insert_later`` and is not in the database yet."""
    if dossier._state.adding:
        rows_insert([dossier])
    else:
        dossier.save(update_fields=fields)


def _document(actor, dossier: Dossier, doc: dict, is_result: bool = False) -> DossierDocument:
    """A received document (its scan checked by content), not yet stored."""
    upload = doc.get("file")
    info = inspect_upload(upload) if upload else {}
    requirement = doc.get("requirement")
    return DossierDocument(
        dossier=dossier,
        requirement=requirement,
        name=normalize_text(doc.get("name") or (requirement.name if requirement else ""))[:500],
        kind=doc.get("kind") or (requirement.kind if requirement else "original"),
        count=int(doc.get("count") or (requirement.count if requirement else 1)),
        file=upload or "",
        content_type=info.get("content_type", ""),
        size=info.get("size", 0),
        sha256=info.get("sha256", ""),
        is_result=is_result,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )


def add_document(actor, dossier: Dossier, doc: dict, is_result: bool = False) -> DossierDocument:
    """Attach a received document (and its scan, checked by content) to the dossier."""
    document = _document(actor, dossier, doc, is_result)
    document.save()
    return document


def add_documents(actor, dossier: Dossier, docs) -> list[DossierDocument]:
    """Attach several documents in one statement (every scan is checked first)."""
    documents = [_document(actor, dossier, doc) for doc in docs]
    rows_insert(documents)
    return documents


def missing_documents(dossier: Dossier, received: set[int] | None = None) -> list[str]:
    """Names of mandatory documents of the procedure not among those received (``received``:
    the requirement ids, when the caller already knows them)."""
    if received is None:
        received = set(
            dossier.documents.filter(requirement__isnull=False).values_list(
                "requirement_id", flat=True
            )
        )
    return [
        d.name
        for d in version_parts(dossier.procedure_version).documents
        if d.mandatory and d.pk not in received
    ]


# --- before receipt -----------------------------------------------------------------------------
@transition("submit")
def submit(actor, dossier: Dossier) -> Dossier:
    """The applicant submits online: the dossier gets its code and waits for the check."""
    return _submit(actor, dossier)


def submit_held(actor, dossier: Dossier) -> Dossier:
    """:func:`submit` for a dossier the caller's transaction already holds — opened in it
    (nobody else can see it yet) or read under a row lock: checked like any transition but
    not read again, as :func:`receive_at_counter` does at the counter."""
    _check(actor, dossier, "submit")
    return _submit(actor, dossier)


def _submit(actor, dossier: Dossier) -> Dossier:
    before = dossier.state
    now = _now()
    dossier.code = dossier.code or issue_code(dossier.receiving_agency, now)
    dossier.state, dossier.submitted_at = State.SUBMITTED, now
    dossier.channel = "online"
    dossier.save()
    _event("submit", dossier, actor, before)
    return dossier


@transition("receive")
def receive(actor, dossier: Dossier) -> Dossier:
    """Tiếp nhận (form 01): code, appointment, tracking-book row, workflow steps; the clock starts.

    Refused while a mandatory document is missing: ask for a supplement instead.
    """
    return _receive(actor, dossier)


RECEIPT_FIELDS = [
    "state",
    "received_at",
    "submitted_at",
    "due_at",
    "code",
    "tracking_number",
    "current_step",
    "current_role",
    "current_agency",
    "current_holder",
    "updated_at",
]


def _receive(
    actor, dossier: Dossier, extra_changes: dict | None = None, received: set[int] | None = None
) -> Dossier:
    missing = missing_documents(dossier, received)
    if missing:
        raise TransitionRefused(
            _(
                "The dossier is incomplete (missing: %(missing)s). Request a supplement listing "
                "everything missing instead."
            )
            % {"missing": "; ".join(missing)},
            code="incomplete",
        )
    before, now = dossier.state, _now()
    version = dossier.procedure_version
    dossier.state, dossier.received_at = State.RECEIVED, now
    dossier.submitted_at = dossier.submitted_at or now
    dossier.due_at = clock.appointment(now, version)
    _instantiate_steps(dossier, now, actor)
    _handover(dossier, actor, dossier.receiving_agency, actor, note="Tiếp nhận hồ sơ từ người nộp")
    # The numbered registers and the audit chain are locked last, so that concurrent desks
    # hold those locks only for the last statements before commit.
    if dossier.code:
        dossier.tracking_number = issue_tracking_number(dossier.receiving_agency, now)
    else:
        dossier.code, dossier.tracking_number = issue_code_and_tracking_number(
            dossier.receiving_agency, now
        )
    _store(dossier, RECEIPT_FIELDS)
    _event(
        "receive",
        dossier,
        actor,
        before,
        due_at=dossier.due_at,
        code=dossier.code,
        **(extra_changes or {}),
    )
    return dossier


@transaction.atomic
def receive_at_counter(
    actor, version: ProcedureVersion, receiving_agency: Agency, applicant: dict, **options
) -> Dossier:
    """Counter intake in one step: open the dossier and receive it (one audit event).

    The dossier is new and not yet committed, so nobody else can act on it: it is checked
    like any transition but not re-read under a lock. Where the database allocates its key
    first, the dossier row is inserted once, complete, after its documents and steps.
    """
    dossier, documents = _open_dossier(
        actor, version, receiving_agency, applicant, insert_later=True, **options
    )
    _check(actor, dossier, "receive")
    return _receive(
        actor,
        dossier,
        extra_changes={
            "procedure": version.procedure.code,
            "version": version.number,
            "channel": "counter",
            "files": files_of(documents),
        },
        received={d.requirement_id for d in documents if d.requirement_id},
    )


def _instantiate_steps(dossier: Dossier, now: dt.datetime, actor) -> None:
    """The dossier's own copy of the procedure's workflow, its first step started by ``actor``;
    every agency that will hold the dossier becomes a party to it."""
    template = version_parts(dossier.procedure_version).steps
    fixed = {s.agency_id for s in template if s.performer == Performer.AGENCY and s.agency_id}
    agencies = Agency.objects.in_bulk(fixed) if fixed else {}
    steps, involved = [], [dossier.receiving_agency, dossier.competent_agency]
    for step in template:
        if step.performer == Performer.RECEIVING:
            agency = dossier.receiving_agency
        elif step.performer == Performer.AGENCY and step.agency_id:
            agency = agencies[step.agency_id]
        else:
            agency = dossier.competent_agency
        if step.kind != StepKind.INTERAGENCY:  # coordinating agencies join when they are asked
            involved.append(agency)
        steps.append(
            DossierStep(
                dossier=dossier,
                order=step.order,
                name=step.name,
                kind=step.kind,
                agency=agency,
                role=step.role,
                days=step.days,
            )
        )
    if steps:
        _start_step(dossier, min(steps, key=lambda s: s.order), now, actor, save=False)
    rows_insert(steps)
    _add_parties(dossier, involved)


@transition("request_supplement")
def request_supplement(actor, dossier: Dossier, items: list[dict], reason: str) -> Dossier:
    """Form 02 before receipt: one request listing everything missing; the clock has not started."""
    reason = _reason(reason, "request_supplement")
    items = _clean_items(items)
    before, now = dossier.state, _now()
    dossier.code = dossier.code or issue_code(dossier.receiving_agency, now)
    dossier.state = State.SUPPLEMENT_REQUESTED
    dossier.save()
    _supplement(dossier, actor, items, reason, during=False)
    _event("request_supplement", dossier, actor, before, reason, items=items)
    return dossier


def _clean_items(items: list[dict]) -> list[dict]:
    clean = [
        {
            "name": normalize_text(i.get("name", "")),
            "kind": i.get("kind", "original"),
            "count": int(i.get("count") or 1),
        }
        for i in items or []
        if i.get("name")
    ]
    if not clean:
        raise ValidationError({"items": [_("List every document the applicant must add.")]})
    return clean


def _supplement(dossier, actor, items, reason, during) -> SupplementRequest:
    number = (
        f"{dossier.code}/HDHS"
        if not dossier.supplements.exists()
        else f"{dossier.code}/HDHS-{dossier.supplements.count() + 1}"
    )
    return SupplementRequest.objects.create(
        dossier=dossier,
        number=number,
        items=items,
        reason=reason,
        during_processing=during,
        requested_by=actor,
        requested_at=_now(),
    )


@transition("resubmit")
def resubmit(actor, dossier: Dossier, note: str = "", documents=()) -> Dossier:
    """The applicant answers the supplement request; the completeness check starts again."""
    added = add_documents(actor, dossier, documents)
    request = dossier.supplements.filter(answered_at__isnull=True).last()
    if request:
        request.answered_at, request.answer_note = _now(), normalize_text(note)
        request.save(update_fields=["answered_at", "answer_note"])
    before = dossier.state
    dossier.state = State.SUBMITTED
    dossier.save()
    _event("resubmit", dossier, actor, before, note, files=files_of(added))
    return dossier


@transition("refuse")
def refuse(actor, dossier: Dossier, reason: str) -> Dossier:
    """Form 03: refusal to receive, with the mandatory reason."""
    reason = _reason(reason, "refuse")
    before = dossier.state
    dossier.code = dossier.code or issue_code(dossier.receiving_agency, _now())
    dossier.state, dossier.stop_reason = State.REFUSED, reason
    dossier.save()
    _event("refuse", dossier, actor, before, reason)
    return dossier


# --- processing ---------------------------------------------------------------------------------
@transition("handover")
def handover(actor, dossier: Dossier) -> Dossier:
    """The desk hands the dossier to the competent agency (a control-sheet row)."""
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    timeliness = _finish_step(step, now) if step else ""
    following = _next_step(dossier, step.order if step else 0)
    _handover(
        dossier,
        actor,
        following.agency if following else dossier.competent_agency,
        timeliness=timeliness,
    )
    if following:
        _start_step(dossier, following, now)
    dossier.state = State.ASSIGNED
    dossier.save()
    _event("handover", dossier, actor, before, to=dossier.current_agency.code)
    _notify_role(
        dossier,
        (Role.UNIT_LEADER, Role.AGENCY_LEADER),
        _("New dossier to assign: %(code)s") % {"code": dossier.code},
    )
    return dossier


@transition("assign")
def assign(actor, dossier: Dossier, assignee) -> Dossier:
    """The leader assigns a specialist of the competent agency (or one of its units)."""
    if assignee is None:
        raise ValidationError({"assignee": [_("Choose the specialist who will handle it.")]})
    positions = [
        p
        for p in assignee.active_positions()
        if p.scope_agency.path.startswith(dossier.current_agency.path)
    ]
    if not positions:
        raise ValidationError(
            {
                "assignee": [
                    _("%(person)s does not work at %(agency)s.")
                    % {"person": assignee, "agency": dossier.current_agency}
                ]
            }
        )
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    timeliness = _finish_step(step, now) if step else ""
    following = _next_step(dossier, step.order if step else 0)
    _handover(
        dossier,
        actor,
        following.agency if following else dossier.current_agency,
        assignee,
        timeliness=timeliness,
    )
    for position in positions:
        _add_party(dossier, position.scope_agency)
    if following:
        _start_step(dossier, following, now, assignee)
    dossier.current_holder = assignee
    dossier.state = State.PROCESSING
    dossier.save()
    _event("assign", dossier, actor, before, assignee=assignee.username)
    _notify([assignee], dossier, _("Dossier assigned to you: %(code)s") % {"code": dossier.code})
    return dossier


@transition("forward")
def forward(actor, dossier: Dossier, to_user=None, note: str = "") -> Dossier:
    """Send to the next internal step (appraisal → review → approval)."""
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    timeliness = _finish_step(step, now)
    following = _next_step(dossier, step.order)
    _handover(dossier, actor, following.agency, to_user, note=note, timeliness=timeliness)
    _start_step(dossier, following, now, to_user)
    dossier.save()
    _event("forward", dossier, actor, before, note, step=following.name)
    _notify_role(
        dossier,
        (following.role,) if following.role else (Role.AGENCY_LEADER,),
        _("Dossier waiting for you: %(code)s") % {"code": dossier.code},
        users=[to_user] if to_user else None,
    )
    return dossier


@transition("request_interagency")
def request_interagency(actor, dossier: Dossier, note: str = "") -> Dossier:
    """Liên thông: open a task with its own deadline at each coordinating agency."""
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    timeliness = _finish_step(step, now)
    order = step.order
    while (following := _next_step(dossier, order)) and following.kind == StepKind.INTERAGENCY:
        following.status, following.started_at = StepStatus.ACTIVE, now
        following.due_at = clock.step_due(now, following.days)
        following.save(update_fields=["status", "started_at", "due_at"])
        InterAgencyTask.objects.create(
            dossier=dossier,
            agency=following.agency,
            step_order=following.order,
            requested_at=now,
            due_at=following.due_at,
        )
        _handover(dossier, actor, following.agency, note=note, timeliness=timeliness)
        _add_party(dossier, following.agency)
        _notify_role(
            dossier,
            (Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.SPECIALIST),
            _("Inter-agency request for dossier %(code)s") % {"code": dossier.code},
            agency=following.agency,
        )
        order = following.order
    dossier.state, dossier.current_holder = State.INTERAGENCY, None
    dossier.save()
    _event(
        "request_interagency",
        dossier,
        actor,
        before,
        note,
        agencies=[t.agency.code for t in dossier.tasks.filter(status="open")],
    )
    return dossier


@transition("complete_interagency")
def complete_interagency(
    actor, dossier: Dossier, answer: str = "", agency: Agency | None = None
) -> Dossier:
    """A coordinating agency sends its part back; when all have, processing continues."""
    from egov.core import permissions as perms

    tasks = [
        t
        for t in dossier.tasks.filter(status=InterAgencyTask.Status.OPEN).select_related("agency")
        if (agency is None or t.agency_id == agency.pk)
        and (actor is None or perms.in_organisation_scope(actor, t.agency))
    ]
    if not tasks:
        raise TransitionRefused(_("Your agency has no open inter-agency task on this dossier."))
    task, now, before = tasks[0], _now(), dossier.state
    task.status, task.finished_at, task.finished_by = InterAgencyTask.Status.DONE, now, actor
    task.answer, task.timeliness = normalize_text(answer), clock.timeliness(now, task.due_at)
    task.save()
    step = dossier.steps.get(order=task.step_order)
    _finish_step(step, now)
    Handover.objects.create(
        dossier=dossier,
        at=now,
        from_agency=task.agency,
        from_user=actor,
        to_agency=dossier.competent_agency,
        step_order=step.order,
        timeliness=task.timeliness,
        note=task.answer[:300],
    )
    if not dossier.tasks.filter(status=InterAgencyTask.Status.OPEN).exists():
        following = _next_step(dossier, max(t.step_order for t in dossier.tasks.all()))
        if following:
            _start_step(dossier, following, now)
        dossier.state = State.PROCESSING
        _notify_role(
            dossier,
            (Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.SPECIALIST),
            _("Coordinating agencies have answered on %(code)s") % {"code": dossier.code},
            agency=dossier.competent_agency,
        )
    dossier.save()
    _event(
        "complete_interagency",
        dossier,
        actor,
        before,
        answer,
        agency=task.agency.code,
        timeliness=task.timeliness,
    )
    return dossier


@transition("request_fee")
def request_fee(actor, dossier: Dossier, amount: int | None = None) -> Dossier:
    """Ask the applicant to pay the fee of the procedure before the result."""
    amount = dossier.procedure_version.total_fee() if amount is None else int(amount)
    if amount < 0:
        raise ValidationError({"amount": [_("The amount cannot be negative.")]})
    before = dossier.state
    dossier.state, dossier.fee_amount = State.AWAITING_PAYMENT, amount
    dossier.save()
    _event("request_fee", dossier, actor, before, amount=amount)
    return dossier


@transition("confirm_payment")
def confirm_payment(actor, dossier: Dossier, reference: str = "") -> Dossier:
    before = dossier.state
    dossier.state = State.PROCESSING
    dossier.save()
    _event("confirm_payment", dossier, actor, before, reference=reference)
    return dossier


@transition("pause_for_supplement")
def pause_for_supplement(actor, dossier: Dossier, items: list[dict], reason: str) -> Dossier:
    """Supplement during processing: the clock pauses until the applicant completes it."""
    reason = _reason(reason, "pause_for_supplement")
    items = _clean_items(items)
    before, now = dossier.state, _now()
    Pause.objects.create(dossier=dossier, started_at=now, reason=reason)
    _supplement(dossier, actor, items, reason, during=True)
    dossier.state, dossier.paused_since = State.PAUSED, now
    dossier.save()
    _event("pause_for_supplement", dossier, actor, before, reason, items=items)
    return dossier


@transition("resume")
def resume(actor, dossier: Dossier, note: str = "", documents=()) -> Dossier:
    """The supplement arrived: the clock runs again and the appointment moves by the pause."""
    added = add_documents(actor, dossier, documents)
    before, now = dossier.state, _now()
    pause = dossier.pauses.filter(ended_at__isnull=True).last()
    hours = clock.paused_hours(pause.started_at, now) if pause else 0.0
    if pause:
        pause.ended_at, pause.working_hours = now, hours
        pause.save(update_fields=["ended_at", "working_hours"])
    request = dossier.supplements.filter(answered_at__isnull=True).last()
    if request:
        request.answered_at, request.answer_note = now, normalize_text(note)
        request.save(update_fields=["answered_at", "answer_note"])
    dossier.paused_hours += hours
    dossier.due_at = clock.extend(dossier.due_at, hours)
    dossier.warned_at = None  # the new appointment deserves its own warning
    step = _active_step(dossier)
    if step and step.due_at:
        step.due_at = clock.extend(step.due_at, hours)
        step.save(update_fields=["due_at"])
    dossier.state, dossier.paused_since = State.PROCESSING, None
    dossier.save()
    _event(
        "resume",
        dossier,
        actor,
        before,
        note,
        paused_hours=round(hours, 2),
        due_at=dossier.due_at,
        files=files_of(added),
    )
    return dossier


@transition("apologize")
def apologize(actor, dossier: Dossier, new_appointment: dt.datetime, reason: str) -> Dossier:
    """Form 04: apology with a new appointment; the dossier remains counted as late."""
    reason = _reason(reason, "apologize")
    if new_appointment is None or new_appointment <= (dossier.new_appointment_at or dossier.due_at):
        raise ValidationError(
            {"new_appointment": [_("The new appointment must be later than the current one.")]}
        )
    Apology.objects.create(
        dossier=dossier,
        issued_at=_now(),
        original_due_at=dossier.due_at,
        new_appointment_at=new_appointment,
        reason=reason,
        issued_by=actor,
    )
    dossier.new_appointment_at = new_appointment
    dossier.save()
    _event("apologize", dossier, actor, dossier.state, reason, new_appointment=new_appointment)
    return dossier


@transition("approve")
def approve(actor, dossier: Dossier, result_note: str = "", result_file=None) -> Dossier:
    """The leader approves and signs: the result is ready; early / on time / late is fixed."""
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    timeliness = _finish_step(step, now)
    following = _next_step(dossier, step.order)
    _handover(
        dossier,
        actor,
        following.agency if following else dossier.receiving_agency,
        timeliness=timeliness,
        note="Chuyển kết quả về Bộ phận Một cửa",
    )
    if following:
        _start_step(dossier, following, now)
    results = []
    if result_file is not None:
        results.append(
            add_document(
                actor,
                dossier,
                {"name": dossier.procedure_version.result_name or _("Result"), "file": result_file},
                is_result=True,
            )
        )
    dossier.finished_at = now
    dossier.timeliness = clock.timeliness(now, dossier.due_at)
    dossier.result_note = normalize_text(result_note)
    dossier.state = State.RESULT_READY
    dossier.is_overdue = False
    dossier.save()
    _event(
        "approve", dossier, actor, before, timeliness=dossier.timeliness, files=files_of(results)
    )
    return dossier


@transition("return_result")
def return_result(
    actor, dossier: Dossier, mode: str = ReturnMode.COUNTER, tracking: str = ""
) -> Dossier:
    """Trả kết quả at the counter, by post (with the postal item number) or online."""
    if mode not in ReturnMode.values:
        raise ValidationError({"mode": [_("Return at the counter, by post or online.")]})
    tracking = normalize_text(tracking).replace(" ", "").upper()
    if mode == ReturnMode.POST and not tracking:
        raise ValidationError(
            {"tracking": [_("Enter the postal tracking number of the item sent.")]}
        )
    before, now = dossier.state, _now()
    step = _active_step(dossier)
    if step:
        _finish_step(step, now)
    _handover(dossier, actor, None, None, note="Trả kết quả cho người nộp")
    dossier.state, dossier.returned_at, dossier.return_mode = State.RETURNED, now, mode
    dossier.return_tracking = tracking if mode == ReturnMode.POST else ""
    dossier.current_holder = None
    dossier.save()
    _event("return_result", dossier, actor, before, mode=mode, tracking=dossier.return_tracking)
    return dossier


@transition("evaluate")
def evaluate(
    actor, dossier: Dossier, rating: str, comment: str = "", scores: dict | None = None
) -> Dossier:
    """The applicant's rating of the service: overall, and per criterion of Circular 01/2018
    (``scores``; see ``evaluation.CRITERIA``), given by her online or recorded by the desk."""
    if rating not in Evaluation.Rating.values:
        raise ValidationError({"rating": [_("Choose very satisfied, satisfied or not satisfied.")]})
    scores = clean_scores(scores)
    by_applicant = actor is not None and dossier.applicant_user_id == actor.pk
    Evaluation.objects.create(
        dossier=dossier,
        rating=rating,
        scores=scores,
        comment=normalize_text(comment),
        at=_now(),
        channel=Channel.ONLINE if by_applicant else Channel.COUNTER,
    )
    before = dossier.state
    dossier.state = State.EVALUATED
    dossier.save()
    _event("evaluate", dossier, actor, before, rating=rating, scores=scores)
    return dossier


@transition("stop")
def stop(actor, dossier: Dossier, reason: str) -> Dossier:
    """Stop processing or record the applicant's withdrawal (2025 form 05), with a reason."""
    reason = _reason(reason, "stop")
    before = dossier.state
    dossier.state, dossier.stop_reason, dossier.current_holder = State.STOPPED, reason, None
    dossier.is_overdue = False
    dossier.save()
    _event("stop", dossier, actor, before, reason)
    return dossier


# --- notices ------------------------------------------------------------------------------------
def _notify(users, dossier: Dossier, title: str) -> None:
    from egov.notifications.services import notify

    notify(
        users,
        title,
        body=dossier.procedure_version.name,
        url=f"/dossiers/{dossier.code}/",
        topic=f"dossier:{dossier.code}",
    )


def _notify_role(
    dossier: Dossier, roles, title: str, agency: Agency | None = None, users=None
) -> None:
    """Tell the holders of ``roles`` at the agency holding the dossier (or ``agency``)."""
    from egov.core.models import Position

    if users is None:
        where = agency or dossier.current_agency
        users = [
            p.user
            for p in Position.objects.valid_on()
            .filter(role__in=roles, agency=where.organisation())
            .select_related("user")
        ]
    _notify(users, dossier, title)


# --- one entry point for the API and the pages ------------------------------------------------
def perform(actor, dossier: Dossier, action: str, params: dict) -> Dossier:
    """Run ``action`` with ``params`` from a request; unknown actions are refused."""
    from django.contrib.auth import get_user_model

    if action not in TRANSITIONS:
        raise TransitionRefused(
            _("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action"
        )
    reason = params.get("reason", "")
    users = get_user_model().objects

    def person(key):
        value = params.get(key)
        if not value:
            return None
        found = users.filter(username=value).first()
        if found is None:
            raise ValidationError({key: [_("No such user: %(name)s") % {"name": value}]})
        return found

    handlers = {
        "submit": lambda: submit(actor, dossier),
        "receive": lambda: receive(actor, dossier),
        "request_supplement": lambda: request_supplement(
            actor, dossier, params.get("items"), reason
        ),
        "resubmit": lambda: resubmit(actor, dossier, params.get("note", "")),
        "refuse": lambda: refuse(actor, dossier, reason),
        "handover": lambda: handover(actor, dossier),
        "assign": lambda: assign(actor, dossier, person("assignee")),
        "forward": lambda: forward(actor, dossier, person("to_user"), params.get("note", "")),
        "request_interagency": lambda: request_interagency(actor, dossier, params.get("note", "")),
        "complete_interagency": lambda: complete_interagency(
            actor, dossier, params.get("answer", "")
        ),
        "request_fee": lambda: request_fee(actor, dossier, params.get("amount")),
        "confirm_payment": lambda: confirm_payment(actor, dossier, params.get("reference", "")),
        "pause_for_supplement": lambda: pause_for_supplement(
            actor, dossier, params.get("items"), reason
        ),
        "resume": lambda: resume(actor, dossier, params.get("note", "")),
        "apologize": lambda: apologize(
            actor, dossier, _parse_moment(params.get("new_appointment")), reason
        ),
        "approve": lambda: approve(
            actor, dossier, params.get("result_note", ""), params.get("result_file")
        ),
        "return_result": lambda: return_result(
            actor, dossier, params.get("mode", ReturnMode.COUNTER), params.get("tracking", "")
        ),
        "evaluate": lambda: evaluate(
            actor,
            dossier,
            params.get("rating", ""),
            params.get("comment", ""),
            params.get("scores"),
        ),
        "stop": lambda: stop(actor, dossier, reason),
    }
    return handlers[action]()


def _parse_moment(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(str(value))
    if moment is None:
        try:
            moment = dt.datetime.strptime(str(value), "%d/%m/%Y %H:%M")
        except ValueError:
            raise ValidationError(
                {"new_appointment": [_("Give the new appointment as dd/mm/yyyy hh:mm.")]}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment

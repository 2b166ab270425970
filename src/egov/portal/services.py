"""What citizens and businesses do on the portal: apply online, answer a supplement request,
keep and reuse documents, rate the service. Each function checks, changes, and records through
the one-stop shop's services (``egov.dossiers.services``), in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import OnlineMode, ProcedureVersion, VersionStatus
from egov.core.audit import record_event
from egov.core.localcache import ProcessCache
from egov.core.models import Agency, User
from egov.core.rows import insert as rows_insert
from egov.core.text import normalize_text
from egov.dossiers import services as dossier_services
from egov.dossiers.files import inspect_upload
from egov.dossiers.models import Dossier, DossierDocument, IdType
from egov.dossiers.workflow import State

from .models import Application, DocumentReuse, StoredDocument, StoredKind


# --- the applicant --------------------------------------------------------------------------
def applicant_details(user: User) -> dict:
    """The applicant fields of a dossier from the account and its profile. A business files
    under its tax code; a person under her citizen ID."""
    profile = getattr(user, "portal_profile", None)
    business = user.kind == User.Kind.BUSINESS
    details = {
        "applicant_name": (profile.organisation_name if business and profile else "")
        or user.get_full_name(),
        "applicant_id_type": IdType.TAX_CODE if business else IdType.CITIZEN_ID,
        "applicant_id_number": (
            (profile.tax_code if business else profile.citizen_id) if profile else ""
        ),
        "applicant_address": profile.address if profile else "",
        "applicant_phone": user.phone,
        "applicant_email": user.email,
    }
    if not details["applicant_id_number"]:
        raise ValidationError(
            _(
                "Add your citizen ID number (or, for a business, its tax code) to your profile "
                "before applying online."
            ),
            code="profile_incomplete",
        )
    return details


def _own(user: User, dossier: Dossier) -> None:
    if dossier.applicant_user_id != user.pk:
        raise PermissionDenied(_("This dossier is not yours."))


# --- applying online ------------------------------------------------------------------------
# Where a published version may be filed changes only when an administrator edits its receiving
# places (which empties this cache in this process, see receivers.py); other processes see it
# within EGOV_LOCAL_CACHE_SECONDS.
_RECEIVING = ProcessCache("receiving places")


def receiving_choices(version: ProcedureVersion) -> list[Agency]:
    """Where an online dossier of ``version`` may be filed: its receiving places, else the
    competent agency itself (kept per process for a published version)."""

    def read():
        places = list(version.receiving_places.order_by("name"))
        if not places and version.competent_agency_id:
            places = [version.competent_agency]
        return places

    if version.status != VersionStatus.PUBLISHED:
        return read()
    return list(_RECEIVING.get((version.pk, version.content_hash), read))


def forget_receiving_choices() -> None:
    _RECEIVING.clear()


class KeyTaken(Exception):
    """The idempotency key of an online application was already used by someone else."""


@transaction.atomic
def start_application(
    user: User, version: ProcedureVersion, receiving: Agency, key=None
) -> Application:
    """Open (or, for the same ``key``, find again) the draft dossier of an online application.

    The page carries ``key`` from its first display, so pressing "save" twice or retrying after
    a lost answer finds the draft made the first time instead of opening another.
    """
    if key:
        found = Application.objects.filter(key=key).select_related("dossier").first()
        if found is not None:
            _own(user, found.dossier)
            return found
    return _open_application(user, version, receiving, key)


def _open_application(
    user: User,
    version: ProcedureVersion,
    receiving: Agency,
    key=None,
    answers: dict | None = None,
    *,
    race: str = "find",
) -> Application:
    """The draft dossier and its application (inside the caller's transaction), with the
    e-form ``answers`` when the caller has them already checked.

    Two requests with the same ``key`` at once: with ``race="find"`` the loser's dossier is
    rolled back with its whole transaction and the winner's application is returned; with
    ``race="raise"`` the ``IntegrityError`` goes up (no savepoint: two statements fewer) and
    the caller reads the winner's dossier after the rollback.
    """
    if receiving not in receiving_choices(version):
        raise ValidationError({"receiving": [_("Choose where to file the dossier.")]})
    from egov.portal.eforms import current_form

    dossier = dossier_services.create_dossier(
        user,
        version,
        receiving,
        applicant_details(user),
        channel="online",
        applicant_user=user,
    )
    fields = {"dossier": dossier, "applicant": user, "form": current_form(version.procedure)}
    if answers:
        fields["answers"] = answers
    if key:
        fields["key"] = key
    if not key or race == "raise":
        application = Application(**fields)
        rows_insert([application])
        return application
    try:
        with transaction.atomic():
            return Application.objects.create(**fields)
    except IntegrityError:  # the same key, saved a moment ago by a parallel request
        transaction.set_rollback(True)
        return Application.objects.get(key=key)


@transaction.atomic
def save_answers(user: User, application: Application, answers: dict) -> Application:
    """Keep the e-form answers of a draft (already checked by the e-form)."""
    _own(user, application.dossier)
    if application.dossier.state != State.DRAFT:
        raise ValidationError(_("This dossier has been submitted and can no longer be changed."))
    application.answers = answers
    application.save(update_fields=["answers", "updated_at"])
    return application


def _documents_from(user: User, dossier: Dossier, uploads, reuse) -> list[DossierDocument]:
    """Dossier documents from new uploads (``[(requirement | None, file)]``) and from the
    data store (``[(requirement | None, StoredDocument id)]``), the reuse recorded.

    The stored documents are checked first (one statement for all), so that a wrong one
    refuses the request before any upload is written to storage.
    """
    wanted = {stored_id for _requirement, stored_id in reuse}
    stored = (
        {
            s.pk: s
            for s in StoredDocument.objects.filter(
                pk__in=wanted, owner=user, removed_at__isnull=True
            )
        }
        if wanted
        else {}
    )
    if len(stored) != len(wanted):
        raise ValidationError(_("That document is not in your data store."))
    added = dossier_services.add_documents(
        user,
        dossier,
        [
            {"requirement": requirement, "file": upload, "name": "" if requirement else upload.name}
            for requirement, upload in uploads
        ],
    )
    if not reuse:
        return added
    copies = [
        DossierDocument(
            dossier=dossier,
            requirement=requirement,
            name=requirement.name if requirement else stored[stored_id].name,
            kind=requirement.kind if requirement else "copy",
            count=requirement.count if requirement else 1,
            file=stored[stored_id].file.name,
            content_type=stored[stored_id].content_type,
            size=stored[stored_id].size,
            sha256=stored[stored_id].sha256,
            uploaded_by=user,
        )
        for requirement, stored_id in reuse
    ]
    copies = DossierDocument.objects.bulk_create(copies)
    DocumentReuse.objects.bulk_create(
        DocumentReuse(stored=stored[stored_id], dossier=dossier, document=document)
        for (_requirement, stored_id), document in zip(reuse, copies, strict=True)
    )
    return added + copies


@transaction.atomic
def attach_documents(user: User, application: Application, uploads=(), reuse=()) -> list:
    """Add uploaded files and stored documents to a draft."""
    dossier = application.dossier
    _own(user, dossier)
    if dossier.state != State.DRAFT:
        raise ValidationError(_("This dossier has been submitted and can no longer be changed."))
    return _documents_from(user, dossier, uploads, reuse)


@transaction.atomic
def remove_document(user: User, application: Application, document_id: int) -> None:
    """Take a document off a draft (the data store keeps its own copy)."""
    dossier = application.dossier
    _own(user, dossier)
    if dossier.state != State.DRAFT:
        raise ValidationError(_("This dossier has been submitted and can no longer be changed."))
    DossierDocument.objects.filter(pk=document_id, dossier=dossier, is_result=False).delete()


@transaction.atomic
def submit_application(
    user: User, application: Application, *, documents: list | None = None
) -> Dossier:
    """Nộp hồ sơ: the draft becomes "submitted online" and waits for the desk's check.

    Submitting again a dossier already submitted changes nothing and returns it: a double
    click or a retry never opens a second dossier. Refused while the e-form is not filled in
    or a mandatory document is missing.

    ``documents``: every document of a draft opened in this same transaction (by
    :func:`submit_online`). Nobody else can see that dossier yet, so it is neither locked nor
    read again.
    """
    return _submit_draft(user, application, documents)


def _submit_draft(user: User, application: Application, documents: list | None) -> Dossier:
    """The body of :func:`submit_application`, inside the caller's transaction (a caller
    already in one saves the savepoint)."""
    if documents is None:
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version")
            .get(pk=application.dossier_id)
        )
        _own(user, dossier)
        if dossier.state != State.DRAFT:
            return dossier
        documents = list(dossier.documents.filter(is_result=False))
    else:
        dossier = application.dossier
        _own(user, dossier)
    application.dossier = dossier
    if application.form_id and not application.answers:
        raise ValidationError(_("Fill in the application form first."), code="form_missing")
    received = {d.requirement_id for d in documents if d.requirement_id}
    missing = dossier_services.missing_documents(dossier, received)
    if missing:
        raise ValidationError(
            _("Add the mandatory documents: %(missing)s.") % {"missing": "; ".join(missing)},
            code="documents_missing",
        )
    dossier = dossier_services.submit_held(user, dossier)  # new, or locked above
    keep_in_store(user, documents, StoredKind.UPLOAD, source_code=dossier.code)
    return dossier


def _as_posted(answers: dict) -> dict:
    """E-form answers given as JSON (``{"copies": 2, "purposes": ["work"]}``) in the shape a
    browser posts them (``{"ef-copies": "2", "ef-purposes": ["work"]}``), so that they go
    through the very validation of the page, with its messages."""

    def text(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    return {
        f"ef-{name}": [text(v) for v in value] if isinstance(value, list | tuple) else text(value)
        for name, value in answers.items()
    }


@transaction.atomic
def submit_online(
    user: User,
    version: ProcedureVersion,
    receiving: Agency,
    answers: dict,
    uploads=(),
    reuse=(),
    key=None,
) -> Dossier:
    """Nộp hồ sơ trực tuyến in one go (the portal API): the draft, its e-form answers, its
    documents and the submission, in one transaction — the same steps as the pages
    (:func:`start_application`, :func:`save_answers`, :func:`attach_documents`,
    :func:`submit_application`), so the same checks, audit events and notifications.

    ``answers``: the e-form answers as JSON (checked against the procedure's current e-form,
    with the page's messages); ``uploads``/``reuse`` as for :func:`attach_documents`. ``key``:
    the client's idempotency key. The same key again returns the dossier submitted the first
    time (or completes the draft the pages opened with it); someone else's key raises
    :class:`KeyTaken`. Anything wrong raises ``ValidationError`` (or ``PermissionDenied`` for
    an official's account) and nothing is kept.
    """
    if user.kind == User.Kind.STAFF:
        raise PermissionDenied(
            _(
                "Officials file dossiers at the counter; online applications are for citizens "
                "and businesses."
            )
        )
    application = None
    # Nearly every key is new: a bare existence check first (building the four-table read
    # below cost more than a third of the whole submission).
    if key and Application.objects.filter(key=key).exists():
        application = (
            Application.objects.filter(key=key)
            .select_related("dossier__procedure_version__procedure", "dossier__receiving_agency")
            .first()
        )
        if application is not None:
            if application.applicant_id != user.pk:
                raise KeyTaken(key)
            if application.dossier.state != State.DRAFT:
                return application.dossier
            version = application.dossier.procedure_version
    if version.online_mode == OnlineMode.NONE:
        raise ValidationError({"procedure": [_("This procedure cannot be applied for online.")]})
    from egov.portal.eforms import bind, current_form, prefill_from

    form = application.form if application is not None else current_form(version.procedure)
    cleaned = {}
    if form is not None:
        bound = bind(form, _as_posted(answers), prefill_from(user))
        if not bound.is_valid():
            raise ValidationError(
                {f"answers.{name}": messages for name, messages in bound.errors.items()}
            )
        cleaned = bound.cleaned
    if application is not None:  # a draft the pages opened with this key
        save_answers(user, application, cleaned)
        attach_documents(user, application, uploads, reuse)
        return submit_application(user, application)
    application = _open_application(user, version, receiving, key, cleaned, race="raise")
    documents = _documents_from(user, application.dossier, uploads, reuse)
    dossier = _submit_draft(user, application, documents)
    dossier.procedure_version = version  # in hand, with its procedure: no read for the answer
    return dossier


@transaction.atomic
def answer_supplement(user: User, dossier: Dossier, note: str, uploads=(), reuse=()) -> Dossier:
    """The applicant sends what the desk asked for: before receipt the check starts again;
    during processing the clock resumes (and the appointment moves by the pause)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _own(user, dossier)
    if dossier.state not in (State.SUPPLEMENT_REQUESTED, State.PAUSED):
        raise ValidationError(_("Nothing was asked of you on this dossier."))
    if not uploads and not reuse and not normalize_text(note):
        raise ValidationError(_("Add the documents asked for, or a note explaining them."))
    added = _documents_from(user, dossier, uploads, reuse)
    keep_in_store(user, added, StoredKind.UPLOAD)
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return dossier_services.resubmit(user, dossier, note)
    return dossier_services.resume(user, dossier, note)


def evaluate(user: User, dossier: Dossier, rating: str, comment: str, scores: dict) -> Dossier:
    """The applicant rates how her dossier was handled (once, after the result is returned)."""
    _own(user, dossier)
    return dossier_services.evaluate(user, dossier, rating, comment, scores)


# --- the data store -------------------------------------------------------------------------
def keep_in_store(
    owner: User | None, documents, kind: str, source_code: str | None = None
) -> list[StoredDocument]:
    """Put the files of ``documents`` in ``owner``'s data store (each content once).
    ``source_code``: the code of their dossier, when the caller has it (no re-read)."""
    if owner is None or owner.kind == User.Kind.STAFF:
        return []
    rows = [
        StoredDocument(
            owner=owner,
            kind=kind,
            name=document.name,
            file=document.file.name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
            source_document=document,
            source_code=(source_code if source_code is not None else document.dossier.code) or "",
        )
        for document in documents
        if document.file and document.sha256
    ]
    rows_insert(rows, ignore_conflicts=True)
    return rows


@transaction.atomic
def store_upload(owner: User, name: str, upload) -> StoredDocument:
    """A document the person puts in her store herself (checked like any dossier upload)."""
    info = inspect_upload(upload)
    name = normalize_text(name) or upload.name
    existing = StoredDocument.objects.filter(
        owner=owner, kind=StoredKind.UPLOAD, sha256=info["sha256"]
    ).first()
    if existing is not None:
        if existing.removed_at:
            existing.removed_at, existing.name = None, name[:500]
            existing.save(update_fields=["removed_at", "name"])
        return existing
    stored = StoredDocument.objects.create(
        owner=owner, kind=StoredKind.UPLOAD, name=name[:500], file=upload, **info
    )
    record_event("portal.store_upload", stored, actor=owner, changes={"name": stored.name})
    return stored


@transaction.atomic
def remove_from_store(owner: User, stored_id: int) -> None:
    """Hide a document from the store; dossiers that used it keep their copy."""
    stored = StoredDocument.objects.filter(pk=stored_id, owner=owner).first()
    if stored is None:
        raise PermissionDenied(_("That document is not in your data store."))
    stored.removed_at = timezone.now()
    stored.save(update_fields=["removed_at"])
    record_event("portal.store_remove", stored, actor=owner, changes={"name": stored.name})


def keep_results(dossier_id: int) -> None:
    """Electronic results of a dossier go into its applicant's store (after commit of the
    approval; called by the ``dossier_changed`` receiver)."""
    dossier = Dossier.objects.select_related("applicant_user").filter(pk=dossier_id).first()
    if dossier is None or dossier.applicant_user is None:
        return
    results = list(dossier.documents.filter(is_result=True))
    keep_in_store(dossier.applicant_user, results, StoredKind.RESULT)

"""What citizens and businesses do on the portal: apply online, answer a supplement request,
keep and reuse documents, rate the service. Each function checks, changes, and records through
the one-stop shop's services (``egov.dossiers.services``), in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.catalog.models import ProcedureVersion
from egov.core.audit import record_event
from egov.core.models import Agency, User
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
def receiving_choices(version: ProcedureVersion) -> list[Agency]:
    """Where an online dossier of ``version`` may be filed: its receiving places, else the
    competent agency itself."""
    places = list(version.receiving_places.order_by("name"))
    if not places and version.competent_agency_id:
        places = [version.competent_agency]
    return places


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
    if key:
        fields["key"] = key
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
    data store (``[(requirement | None, StoredDocument id)]``), the reuse recorded."""
    added = dossier_services.add_documents(
        user,
        dossier,
        [
            {"requirement": requirement, "file": upload, "name": "" if requirement else upload.name}
            for requirement, upload in uploads
        ],
    )
    for requirement, stored_id in reuse:
        stored = StoredDocument.objects.filter(
            pk=stored_id, owner=user, removed_at__isnull=True
        ).first()
        if stored is None:
            raise ValidationError(_("That document is not in your data store."))
        document = DossierDocument.objects.create(
            dossier=dossier,
            requirement=requirement,
            name=requirement.name if requirement else stored.name,
            kind=requirement.kind if requirement else "copy",
            count=requirement.count if requirement else 1,
            file=stored.file.name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=user,
        )
        DocumentReuse.objects.create(stored=stored, dossier=dossier, document=document)
        added.append(document)
    return added


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
def submit_application(user: User, application: Application) -> Dossier:
    """Nộp hồ sơ: the draft becomes "submitted online" and waits for the desk's check.

    Submitting again a dossier already submitted changes nothing and returns it: a double
    click or a retry never opens a second dossier. Refused while the e-form is not filled in
    or a mandatory document is missing.
    """
    dossier = Dossier.objects.select_for_update().get(pk=application.dossier_id)
    _own(user, dossier)
    if dossier.state != State.DRAFT:
        return dossier
    application.dossier = dossier
    if application.form_id and not application.answers:
        raise ValidationError(_("Fill in the application form first."), code="form_missing")
    missing = dossier_services.missing_documents(dossier)
    if missing:
        raise ValidationError(
            _("Add the mandatory documents: %(missing)s.") % {"missing": "; ".join(missing)},
            code="documents_missing",
        )
    dossier = dossier_services.submit(user, dossier)
    keep_in_store(user, list(dossier.documents.filter(is_result=False)), StoredKind.UPLOAD)
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
def keep_in_store(owner: User | None, documents, kind: str) -> list[StoredDocument]:
    """Put the files of ``documents`` in ``owner``'s data store (each content once)."""
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
            source_code=document.dossier.code or "",
        )
        for document in documents
        if document.file and document.sha256
    ]
    return StoredDocument.objects.bulk_create(rows, ignore_conflicts=True)


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

"""The applicant's pages: apply online, follow her dossiers, answer a supplement request,
download results, rate the service, and her data store."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.catalog.models import OnlineMode
from egov.catalog.published import version_parts
from egov.dossiers.evaluation import CRITERIA, POINTS
from egov.dossiers.models import Dossier, DossierDocument, Evaluation
from egov.dossiers.services import TransitionRefused
from egov.dossiers.workflow import State

from .. import services
from ..models import Application, StoredDocument
from ..web_accounts import portal_login_required
from .public import _version_in_force


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return error.messages


def _flash(request, error: ValidationError) -> None:
    for message in _messages_of(error):
        messages.error(request, message)


# --- applying -------------------------------------------------------------------------------
@portal_login_required
@require_http_methods(["GET", "POST"])
def apply(request, code):
    """Nộp hồ sơ trực tuyến, first step: where to file. The page's key makes a repeated POST
    find the draft made by the first one."""
    version = _version_in_force(code)
    if version.online_mode == OnlineMode.NONE:
        messages.error(request, _("This procedure cannot be applied for online."))
        return redirect("portal:procedure", code=code)
    places = services.receiving_choices(version)
    if request.method == "POST":
        chosen = next((p for p in places if str(p.pk) == request.POST.get("receiving")), None)
        try:
            key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            key = None
        try:
            if chosen is None:
                raise ValidationError(_("Choose where to file the dossier."))
            application = services.start_application(request.user, version, chosen, key)
        except ValidationError as error:
            _flash(request, error)
        else:
            return redirect("portal:draft", key=application.key)
    return render(
        request,
        "portal/apply.html",
        {"version": version, "places": places, "key": uuid.uuid4()},
    )


def _own_application(request, key) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "dossier__procedure_version__procedure", "dossier__receiving_agency", "form"
        ),
        key=key,
    )
    if application.applicant_id != request.user.pk:
        raise Http404  # someone else's draft: as if it did not exist
    return application


def files_chosen(request, version) -> tuple[list, list]:
    """New uploads and stored documents chosen on the page, per required document."""
    uploads, reuse = [], []
    for requirement in version_parts(version).documents:
        for upload in request.FILES.getlist(f"file-{requirement.pk}"):
            uploads.append((requirement, upload))
        stored = request.POST.get(f"reuse-{requirement.pk}", "")
        if stored.isdigit():
            reuse.append((requirement, int(stored)))
    for upload in request.FILES.getlist("file-other"):
        uploads.append((None, upload))
    return uploads, reuse


@portal_login_required
@require_http_methods(["GET", "POST"])
def draft(request, key):
    """The draft: the e-form, the documents (uploaded or taken from the data store), and the
    buttons save and submit. Submitting a dossier already submitted just shows it."""
    application = _own_application(request, key)
    dossier = application.dossier
    if dossier.state != State.DRAFT:
        return redirect("portal:dossier", code=dossier.code)
    version = dossier.procedure_version
    from egov.portal.eforms import bind, prefill_from

    profile = getattr(request.user, "portal_profile", None)
    prefill = {**prefill_from(request.user), **(prefill_from(profile) if profile else {})}
    form = application.form
    bound = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action.startswith("remove-") and action[7:].isdigit():
                services.remove_document(request.user, application, int(action[7:]))
                return redirect("portal:draft", key=key)
            response, bound = _save_or_submit(request, application, action, form, prefill)
            if response is not None:
                return response
            messages.error(request, _("Correct the fields marked in the form."))
        except ValidationError as error:
            _flash(request, error)
            if form is not None:
                bound = bind(form, request.POST, prefill)
    if form is not None and bound is None:
        bound = bind(form, None, prefill, initial=application.answers or None)
    documents = list(dossier.documents.filter(is_result=False))
    received = {d.requirement_id for d in documents}
    store = list(
        StoredDocument.objects.filter(owner=request.user, removed_at__isnull=True).order_by("name")
    )
    return render(
        request,
        "portal/draft.html",
        {
            "application": application,
            "dossier": dossier,
            "version": version,
            "bound": bound,
            "requirements": [
                {"requirement": r, "received": r.pk in received}
                for r in version_parts(version).documents
            ],
            "documents": documents,
            "store": store,
            "fees": version.fees.all(),
        },
    )


@transaction.atomic
def _save_or_submit(request, application, action: str, form, prefill):
    """Files, answers and (for "submit") the submission, in one transaction (one commit
    instead of three). Returns (redirect, None), or (None, the e-form with its errors) when the
    form is not valid yet: the files are kept, the answers and the submission wait."""
    from egov.portal.eforms import bind

    uploads, reuse = files_chosen(request, application.dossier.procedure_version)
    if uploads or reuse:
        services.attach_documents(request.user, application, uploads, reuse)
    if form is not None:
        bound = bind(form, request.POST, prefill)
        if not bound.is_valid():
            return None, bound
        services.save_answers(request.user, application, bound.cleaned)
    if action == "submit":
        dossier = services.submit_application(request.user, application)
        messages.success(
            request, _("Your dossier %(code)s has been submitted.") % {"code": dossier.code}
        )
        return redirect("portal:dossier", code=dossier.code), None
    messages.success(request, _("Your draft has been saved."))
    return redirect("portal:draft", key=application.key), None


# --- following a dossier --------------------------------------------------------------------
@portal_login_required
@require_GET
def my_dossiers(request):
    """Hồ sơ của tôi: drafts and submitted dossiers, newest first."""
    dossiers = (
        Dossier.objects.filter(applicant_user=request.user)
        .select_related("procedure_version__procedure", "application")
        .order_by("-created_at")[:200]
    )
    return render(request, "portal/my_dossiers.html", {"dossiers": dossiers})


def _own_dossier(request, code) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_agency", "competent_agency"
        ),
        code=code,
    )
    if dossier.applicant_user_id != request.user.pk:
        raise Http404  # not hers: the same answer as a code that does not exist
    return dossier


def _progress(dossier: Dossier) -> list[dict]:
    """The milestones an applicant follows, each with the moment it was reached (or None)."""
    processing = dossier.received_at if dossier.state != State.RECEIVED else None
    milestones = [
        (_("Submitted"), dossier.submitted_at),
        (_("Received"), dossier.received_at),
        (_("In processing"), processing),
        (_("Result ready"), dossier.finished_at),
        (_("Result returned"), dossier.returned_at),
    ]
    return [{"label": label, "at": at} for label, at in milestones]


@portal_login_required
@require_GET
def dossier(request, code):
    """Theo dõi hồ sơ: where it is, what is asked of her, results, payment and rating."""
    dossier = _own_dossier(request, code)
    supplement = dossier.supplements.filter(answered_at__isnull=True).last()
    results = list(dossier.documents.filter(is_result=True))
    evaluation = Evaluation.objects.filter(dossier=dossier).first()
    from egov.notifications.models import Notice

    notices = Notice.objects.filter(user=request.user).filter(
        Q(url__contains=dossier.code) | Q(title__contains=dossier.code)
    )[:10]
    return render(
        request,
        "portal/dossier.html",
        {
            "dossier": dossier,
            "progress": _progress(dossier),
            "supplement": supplement
            if dossier.state in (State.SUPPLEMENT_REQUESTED, State.PAUSED)
            else None,
            "documents": list(dossier.documents.filter(is_result=False)),
            "results": results,
            "apologies": list(dossier.apologies.all()),
            "evaluation": evaluation,
            "can_evaluate": dossier.state == State.RETURNED and evaluation is None,
            "criteria": CRITERIA,
            "points": sorted(POINTS.items(), reverse=True),
            "ratings": Evaluation.Rating.choices,
            "store": StoredDocument.objects.filter(
                owner=request.user, removed_at__isnull=True
            ).order_by("name"),
            "awaiting_payment": dossier.state == State.AWAITING_PAYMENT,
            "notices": notices,
        },
    )


@portal_login_required
@require_POST
def supplement(request, code):
    """Gửi bổ sung: files and a note in answer to the desk's request; the clock resumes."""
    dossier = _own_dossier(request, code)
    uploads = [(None, f) for f in request.FILES.getlist("files")]
    reuse = [(None, int(v)) for v in request.POST.getlist("reuse") if v.isdigit()]
    try:
        services.answer_supplement(
            request.user, dossier, request.POST.get("note", ""), uploads, reuse
        )
    except ValidationError as error:
        _flash(request, error)
    except TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Your supplement has been sent."))
    return redirect("portal:dossier", code=code)


@portal_login_required
@require_POST
def evaluate(request, code):
    """Đánh giá: the overall rating and the points of each criterion she chose to answer."""
    dossier = _own_dossier(request, code)
    scores = {key: request.POST.get(f"score-{key}", "") for key, _q in CRITERIA}
    try:
        services.evaluate(
            request.user,
            dossier,
            request.POST.get("rating", ""),
            request.POST.get("comment", ""),
            scores,
        )
    except ValidationError as error:
        _flash(request, error)
    except (PermissionDenied, TransitionRefused):
        messages.error(request, _("This dossier cannot be rated now."))
    else:
        messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect("portal:dossier", code=code)


@portal_login_required
@require_GET
def document_file(request, code, document_id):
    """A file of her dossier: what she filed, or the electronic result."""
    dossier = _own_dossier(request, code)
    document = get_object_or_404(DossierDocument, pk=document_id, dossier=dossier)
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=_download_name(document)
    )


def _download_name(document) -> str:
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        document.content_type, ""
    )
    return f"{document.name[:80]}{extension}"


# --- the data store -------------------------------------------------------------------------
@portal_login_required
@require_http_methods(["GET", "POST"])
def store(request):
    """Kho dữ liệu: her documents and results, to reuse in later dossiers."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose a file to add."))
            services.store_upload(request.user, request.POST.get("name", ""), upload)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("The document has been added to your data store."))
        return redirect("portal:store")
    documents = (
        StoredDocument.objects.filter(owner=request.user, removed_at__isnull=True)
        .prefetch_related("reuses")
        .order_by("kind", "-created_at")
    )
    return render(request, "portal/store.html", {"documents": documents})


@portal_login_required
@require_POST
def store_remove(request, stored_id):
    try:
        services.remove_from_store(request.user, stored_id)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The document has been removed from your data store."))
    return redirect(reverse("portal:store"))


@portal_login_required
@require_GET
def store_file(request, stored_id):
    stored = get_object_or_404(StoredDocument, pk=stored_id, owner=request.user)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name[:80])

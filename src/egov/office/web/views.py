"""Pages of the electronic office for clerks, leaders and specialists: the inbox, the two
registers with search, document pages with their actions, drafting, paper intake and the
registers as PDF / XLSX.

Pages read through ``queries`` (narrowed by the permission rules) and change documents only
through ``services``; a refused action shows its reason and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egov.core import permissions as perms
from egov.core.models import Agency, User
from egov.core.web.access import forbidden, staff_required

from .. import access, queries, registers, services
from ..models import DocumentType, IncomingDocument, OutgoingDocument, Revision
from .forms import DraftForm, PaperForm, SearchForm


def _upload(file) -> services.Upload:
    return services.Upload(file.name, file.read(), getattr(file, "content_type", "") or "")


def _error_text(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@staff_required
def inbox(request):
    """Việc của tôi: incoming documents to register, assign or handle, soonest due first, and
    drafts waiting at my step."""
    return render(request, "office/inbox.html", queries.inbox_for(request.user))


@staff_required
def outgoing_list(request):
    form = SearchForm(request.GET or None, states=OutgoingDocument.State.choices)
    rows = queries.search_outgoing(request.user, **(form.filters() if form.is_valid() else {}))
    return render(
        request,
        "office/outgoing_list.html",
        {"form": form, "rows": rows[:200], "agencies": access.member_agencies(request.user)},
    )


@staff_required
def incoming_list(request):
    form = SearchForm(request.GET or None, states=IncomingDocument.State.choices)
    rows = queries.search_incoming(request.user, **(form.filters() if form.is_valid() else {}))
    for row in rows[:200]:
        row.colour = queries.due_colour(row.due_date)
    return render(
        request,
        "office/incoming_list.html",
        {"form": form, "rows": rows[:200], "agencies": access.member_agencies(request.user)},
    )


def _outgoing_actions(user, document) -> list[str]:
    state, agency = document.state, document.agency
    S = OutgoingDocument.State
    actions = []
    if document.drafter_id == user.pk and state in (S.DRAFT, S.RETURNED):
        actions.append("submit")
    if state == S.IN_REVIEW and access.reviewer_of_step(user, document):
        actions += ["approve", "return"]
    if state == S.APPROVED and document.signer_id == user.pk:
        actions += ["sign", "return"]
    if state == S.SIGNED and access.is_clerk(user, agency):
        actions.append("seal")
    if state == S.SEALED and access.is_clerk(user, agency):
        actions.append("release")
    if state == S.RELEASED and (access.is_clerk(user, agency) or access.is_leader(user, agency)):
        actions.append("recall")
    return actions


@staff_required
def outgoing_detail(request, pk):
    document = get_object_or_404(
        OutgoingDocument.objects.select_related("doc_type", "agency", "signer", "drafter"), pk=pk
    )
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    recipients = list(document.recipients.prefetch_related("statuses"))
    return render(
        request,
        "office/outgoing_detail.html",
        {
            "document": document,
            "files": document.files.all(),
            "reviews": document.reviews.select_related("actor", "version"),
            "recipients": recipients,
            "actions": _outgoing_actions(request.user, document),
            "may_revise": document.state == OutgoingDocument.State.RELEASED
            and access.may_draft(request.user, document.agency),
            "status_labels": services.STATUS_LABELS,
        },
    )


@staff_required
@require_POST
def outgoing_act(request, pk):
    document = get_object_or_404(OutgoingDocument, pk=pk)
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    action, user = request.POST.get("action"), request.user
    comment = request.POST.get("comment", "")
    otp = request.POST.get("otp", "")
    calls = {
        "submit": lambda: services.submit(user, document),
        "approve": lambda: services.approve(user, document, comment),
        "return": lambda: services.return_draft(user, document, comment),
        "sign": lambda: services.sign(user, document, otp),
        "seal": lambda: services.seal(user, document, otp),
        "release": lambda: services.release(user, document),
        "recall": lambda: services.recall(user, document, comment),
    }
    return _run(request, calls, action, "office:outgoing", document)


def _incoming_actions(user, document) -> list[str]:
    S = IncomingDocument.State
    state, agency = document.state, document.agency
    actions = []
    if access.is_clerk(user, agency):
        if state == S.ARRIVED:
            actions.append("register")
        if state in (S.ARRIVED, S.REGISTERED) and document.is_electronic:
            actions.append("return")
    if state in (S.REGISTERED, S.ASSIGNED, S.PROCESSING) and access.may_assign(user, document):
        actions.append("assign")
    if state in (S.ASSIGNED, S.PROCESSING) and access.may_process(user, document):
        actions += ["note", "forward", "complete"]
    return actions


@staff_required
def incoming_detail(request, pk):
    document = get_object_or_404(IncomingDocument.objects.select_related("agency"), pk=pk)
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    people = (
        User.objects.filter(positions__agency=document.agency, is_active=True)
        .distinct()
        .order_by("full_name")
    )
    return render(
        request,
        "office/incoming_detail.html",
        {
            "document": document,
            "files": document.files.all(),
            "handlings": document.handlings.select_related("actor", "to_user", "file"),
            "actions": _incoming_actions(request.user, document),
            "people": people,
            "units": Agency.objects.filter(parent=document.agency, kind="internal_unit"),
            "colour": queries.due_colour(document.due_date),
        },
    )


@staff_required
@require_POST
def incoming_act(request, pk):
    document = get_object_or_404(IncomingDocument, pk=pk)
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    action, user, post = request.POST.get("action"), request.user, request.POST
    note = post.get("note", "")

    def person(name):
        value = post.get(name)
        return User.objects.filter(pk=value).first() if value else None

    def due():
        value = post.get("due_date")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(_("Enter the deadline as a date.")) from error

    def unit():
        value = post.get("unit")
        return Agency.objects.filter(pk=value).first() if value else None

    upload = request.FILES.get("file")
    calls = {
        "register": lambda: services.register(user, document, paper_copy=bool(post.get("paper"))),
        "return": lambda: services.return_to_sender(user, document, note),
        "assign": lambda: services.assign(
            user,
            document,
            unit=unit(),
            assignee=person("assignee"),
            due_date=due(),
            instructions=note,
        ),
        "note": lambda: services.add_note(
            user, document, note, _upload(upload) if upload else None
        ),
        "forward": lambda: services.forward(user, document, person("assignee"), note),
        "complete": lambda: services.complete(user, document, note),
    }
    return _run(request, calls, action, "office:incoming", document)


def _run(request, calls: dict, action: str, page: str, document):
    """Take ``action`` (one of ``calls``); a refusal is shown on the document's page."""
    if action not in calls:
        raise Http404
    try:
        calls[action]()
        messages.success(request, _("Done."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    return redirect(page, pk=document.pk)


def _file_response(row) -> HttpResponse:
    response = HttpResponse(
        row.read(), content_type=getattr(row, "content_type", "application/pdf")
    )
    response["Content-Disposition"] = f'inline; filename="{row.name}"'
    return response


@staff_required
def outgoing_file(request, pk, file_pk):
    document = get_object_or_404(OutgoingDocument, pk=pk)
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    return _file_response(get_object_or_404(document.files, pk=file_pk))


@staff_required
def incoming_file(request, pk, file_pk):
    document = get_object_or_404(IncomingDocument, pk=pk)
    if not perms.can(request.user, "view", document):
        return forbidden(request, _("You may not view this document."))
    return _file_response(get_object_or_404(document.files, pk=file_pk))


@staff_required
@require_http_methods(["GET", "POST"])
def draft_new(request):
    initial = {}
    if request.GET.get("revises", "").isdigit():
        initial = {"revises": int(request.GET["revises"]), "revision": Revision.UPDATE}
    form = DraftForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipients = list(data["recipient_agencies"]) + form.external_recipients()
        try:
            document = services.create_draft(
                request.user,
                data["agency"],
                doc_type=data["doc_type"],
                subject=data["subject"],
                main=_upload(data["main"]),
                appendices=[_upload(f) for f in request.FILES.getlist("appendices")],
                drafting_unit=data["drafting_unit"],
                urgency=data["urgency"],
                secrecy=data["secrecy"],
                recipients=recipients,
                places=data["places"],
                signer=data["signer"],
                authority_prefix=data["authority_prefix"],
                signer_position=data["signer_position"],
                revises=data.get("revises"),
                revision=data.get("revision") or "",
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect("office:outgoing", pk=document.pk)
    return render(request, "office/form.html", {"form": form, "title": _("New draft")})


@staff_required
@require_http_methods(["GET", "POST"])
def paper_new(request):
    form = PaperForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency, scan = data.pop("agency"), data.pop("scan")
        try:
            document = services.receive_paper(request.user, agency, scan=_upload(scan), **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect("office:incoming", pk=document.pk)
    return render(
        request, "office/form.html", {"form": form, "title": _("Register a paper document")}
    )


@staff_required
def register_download(request, kind, fmt):
    if kind not in registers.REGISTERS or fmt not in ("pdf", "xlsx"):
        raise Http404
    agency = get_object_or_404(Agency, pk=request.GET.get("agency") or 0)
    if not access.holds(request.user, agency):
        return forbidden(request, _("You may only print your own agency's registers."))
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
        data = registers.render_register(agency, kind, start, end, fmt, user=request.user)
    except ValueError:
        return HttpResponse(_("Check the dates of the period."), status=400)
    types = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(data, content_type=types[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="so-van-ban-{kind}-{start}-{end}.{fmt}"'
    )
    return response


def document_types():
    return DocumentType.objects.filter(active=True)


# --- approval chains (quy trình trình ký) ---------------------------------------------------
CHAIN_MANAGERS = ("agency_leader", "agency_admin")


def parse_chain_steps(text: str) -> list[dict]:
    """One step per line, "label: role" or "label: @username", in the order of review
    ("Trưởng phòng: unit_leader", "Phó Giám đốc: @phogiamdoc.stttt")."""
    from egov.core.models import Role

    steps = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _sep, who = line.rpartition(":")
        label, who = label.strip() or who.strip(), who.strip()
        if who.startswith("@"):
            user = User.objects.filter(username=who[1:], kind=User.Kind.STAFF).first()
            if user is None:
                raise ValidationError(
                    _("Line %(n)s: no official with the user name “%(name)s”.")
                    % {"n": number, "name": who[1:]}
                )
            steps.append({"label": label, "user": user})
        elif who in Role.values:
            steps.append({"label": label, "role": who})
        else:
            raise ValidationError(
                _("Line %(n)s: write a role (%(roles)s) or @user name after the colon.")
                % {"n": number, "roles": ", ".join(Role.values)}
            )
    return steps


@staff_required
@require_http_methods(["GET", "POST"])
def chains(request):
    """Quy trình trình ký: the chains of the agencies the user leads or administers, and a form
    to set a new default one."""
    from egov.core.models import Role

    agencies = Agency.objects.filter(pk__in=access.agency_ids(request.user, CHAIN_MANAGERS))
    if not agencies.exists():
        return forbidden(request, _("Only agency leaders and administrators set approval chains."))
    if request.method == "POST":
        agency = agencies.filter(pk=request.POST.get("agency") or 0).first()
        try:
            if agency is None:
                raise ValidationError(_("Choose the agency."))
            services.configure_chain(
                request.user,
                agency,
                request.POST.get("name", "").strip() or _("Approval chain"),
                parse_chain_steps(request.POST.get("steps", "")),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The approval chain is in use for new drafts."))
            return redirect("office:chains")
    from ..models import ApprovalChain

    return render(
        request,
        "office/chains.html",
        {
            "agencies": agencies,
            "chains": ApprovalChain.objects.filter(agency__in=agencies)
            .select_related("agency")
            .prefetch_related("steps__user"),
            "roles": Role.choices,
            "posted": request.POST,
        },
    )

"""Officer workspace pages: my tasks, counter intake, the dossier page, the leader's overview
and the dossier search.

Pages read through ``queries`` (always narrowed by ``access.visible_dossiers``) and change
dossiers only through ``services``; a refused action shows its reason and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from egov.core.directory import agency_names, attach_agencies
from egov.core.models import Agency
from egov.core.web.access import forbidden, staff_required

from .. import queries, services
from ..access import allowed_actions
from ..api.views import get_dossier_for, timeline
from ..models import Channel, Dossier
from ..workflow import TRANSITIONS
from .forms import ActionForm, IntakeForm, SearchForm, add_service_errors

EVENT_LABELS = {
    "create": gettext_lazy("Dossier opened"),
    "document": gettext_lazy("Document added"),
    "overdue": gettext_lazy("Marked overdue"),
}
DANGER_ACTIONS = {"refuse", "stop"}


def mark_invalid(form) -> None:
    """Bootstrap's red outline on the inputs that have an error."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


# --- my tasks -------------------------------------------------------------------------------------
@staff_required
def inbox(request):
    """Việc của tôi: what the official holds or should pick up, soonest due first."""
    rows = queries.with_due_colours(queries.inbox_for(request.user, queries.INBOX_LIMIT + 1))
    return render(
        request,
        "dossiers/inbox.html",
        {
            "rows": rows[: queries.INBOX_LIMIT],
            "more": len(rows) > queries.INBOX_LIMIT,
            "limit": queries.INBOX_LIMIT,
        },
    )


# --- counter intake -------------------------------------------------------------------------------
@staff_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Tiếp nhận tại quầy: find the procedure, then fill in the dossier and decide."""
    receiving = queries.reception_agency(request.user)
    if receiving is None:
        return forbidden(
            request, _("Only a reception officer of a one-stop desk receives dossiers.")
        )
    code = request.GET.get("procedure", "").strip()
    if not code:
        query = request.GET.get("q", "")
        context = {"q": query, "results": queries.search_procedures(query), "desk": receiving}
        if request.headers.get("HX-Request"):
            return render(request, "dossiers/_procedure_rows.html", context)
        return render(request, "dossiers/intake_search.html", context)
    version = queries.procedure_in_force(code)
    if version is None:
        raise Http404
    form = IntakeForm(version, receiving, request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            dossier = _open_dossier(request, form, version, receiving)
            if dossier is not None:
                return redirect("dossiers:detail", code=dossier.code)
        else:
            _add_applicant_errors(form)
        mark_invalid(form)
    return render(
        request,
        "dossiers/intake_form.html",
        {"form": form, "version": version, "desk": receiving},
        status=400 if form.is_bound else 200,
    )


def _add_applicant_errors(form: IntakeForm) -> None:
    """The form failed on its own checks: show the applicant's errors at the same time, so
    the officer corrects everything in one go (the check changes nothing)."""
    data = {
        name: form.data.get(name, "") for name in services.APPLICANT_FIELDS if name in form.fields
    }
    try:
        services.validate_applicant(data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            if field not in form.errors:
                form.add_error(field, errors)


def _open_dossier(request, form: IntakeForm, version, receiving) -> Dossier | None:
    """Create the dossier and receive it, ask for a supplement or refuse it — all or nothing."""
    user, data = request.user, form.cleaned_data
    action = data["action"]
    try:
        options = {
            "competent_agency": data.get("competent_agency"),
            "channel": Channel.COUNTER,
            "request_summary": data.get("request_summary", ""),
            "sets": data.get("sets") or 1,
            "documents": form.documents(),
        }
        if action == "receive":
            dossier = services.receive_at_counter(
                user, version, receiving, form.applicant(), **options
            )
        else:
            with transaction.atomic():
                dossier = services.create_dossier(
                    user, version, receiving, form.applicant(), **options
                )
                if action == "request_supplement":
                    dossier = services.request_supplement(
                        user, dossier, form.supplement_items(), data.get("reason", "")
                    )
                else:
                    dossier = services.refuse(user, dossier, data.get("reason", ""))
    except services.TransitionRefused as error:
        form.add_error(None, error.message)
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not do this."))
    else:
        done = {
            "receive": _("Dossier %(code)s is received. Print the receipt for the applicant."),
            "request_supplement": _(
                "Dossier %(code)s: the supplement request is issued. Print it for the applicant."
            ),
            "refuse": _("Dossier %(code)s: the refusal to receive is issued."),
        }
        messages.success(request, done[action] % {"code": dossier.code})
        return dossier
    return None


# --- one dossier ----------------------------------------------------------------------------------
@staff_required
def detail(request, code):
    """The dossier page: header, steps, documents, timeline, forms and the user's actions."""
    dossier = get_dossier_for(request.user, code)
    return render(request, "dossiers/detail.html", _detail_context(request, dossier))


@staff_required
@require_POST
def act(request, code):
    """Take one action through ``services.perform``; a refusal re-renders the page with it."""
    dossier = get_dossier_for(request.user, code)
    action = request.POST.get("action", "")
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _refused(request, dossier, _("Unknown action."), status=400)
    form = ActionForm(transition, dossier, request.POST, request.FILES)
    if not form.is_valid():
        mark_invalid(form)
        return _refused(request, dossier, _("Check the fields of the form."), form, status=400)
    try:
        services.perform(request.user, dossier, action, form.params())
    except services.TransitionRefused as error:
        return _refused(request, dossier, error.message, form, status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        mark_invalid(form)
        message = " ".join(form.non_field_errors()) or _("Check the fields of the form.")
        return _refused(request, dossier, message, form, status=400)
    except PermissionDenied as error:
        return _refused(request, dossier, str(error) or _("You may not do this."), status=403)
    messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
    dossier = Dossier.objects.only("code", "reference").get(pk=dossier.pk)
    return redirect("dossiers:detail", code=dossier.code or str(dossier.reference))


def _refused(request, dossier, message, form=None, status=400):
    dossier = get_dossier_for(request.user, dossier.code or str(dossier.reference))
    context = _detail_context(request, dossier, failed=form)
    context["error"] = message
    return render(request, "dossiers/detail.html", context, status=status)


def _detail_context(request, dossier: Dossier, failed: ActionForm | None = None) -> dict:
    actions = []
    for name in allowed_actions(request.user, dossier):
        transition = TRANSITIONS[name]
        form = failed if failed is not None and failed.transition.action == name else None
        actions.append(
            {
                "name": name,
                "label": transition.label,
                "form": form or ActionForm(transition, dossier),
                "danger": name in DANGER_ACTIONS,
                "open": form is not None,
            }
        )
    documents = list(dossier.documents.select_related("uploaded_by"))
    supplements = list(dossier.supplements.select_related("requested_by"))
    apologies = list(dossier.apologies.select_related("issued_by"))
    return {
        "dossier": dossier,
        "key": dossier.code or str(dossier.reference),
        "badge": queries.state_badge(dossier.state),
        "late": queries.is_late(dossier),
        # The agencies from the process's directory, not joined (core.directory).
        "steps": [attach_agencies(s, "agency") for s in dossier.steps.select_related("assignee")],
        "documents": [d for d in documents if not d.is_result],
        "results": [d for d in documents if d.is_result],
        "tasks": [
            attach_agencies(t, "agency") for t in dossier.tasks.select_related("finished_by")
        ],
        "supplements": supplements,
        "apologies": apologies,
        "timeline": _timeline(dossier),
        "forms": queries.applicable_forms(dossier, supplements, apologies) if dossier.code else [],
        "actions": actions,
    }


def _timeline(dossier: Dossier) -> list[dict]:
    rows = timeline(dossier)
    codes = {
        code
        for row in rows
        if row["kind"] == "handover"
        for code in (row["details"].get("from"), row["details"].get("to"))
        if code
    }
    names = agency_names(codes)
    for row in rows:
        if row["kind"] == "handover":
            details = row["details"]
            row["label"] = _("Handover")
            source = names.get(details.get("from"), details.get("from") or "")
            target = names.get(details.get("to"), details.get("to") or _("the applicant"))
            row["route"] = f"{source} → {target}"
            row["to_user"] = details.get("to_user") or ""
            continue
        name = row["action"].removeprefix("dossier.")
        if name in EVENT_LABELS:
            row["label"] = EVENT_LABELS[name]
        elif name in TRANSITIONS:
            row["label"] = TRANSITIONS[name].label
        else:
            row["label"] = row["action"]
    return rows


# --- leader's overview ----------------------------------------------------------------------------
@staff_required
def overview(request):
    """Tổng quan: counts by state, the overdue list and who holds what, for leaders."""
    if not queries.may_see_overview(request.user):
        return forbidden(request, _("The overview is for unit and agency leaders."))
    paths = queries.leader_paths(request.user)
    agencies = Agency.objects.filter(path__in=paths).order_by("path")
    context = queries.overview_for(request.user)
    context["agencies"] = agencies
    context["everything"] = request.user.is_system_admin
    return render(request, "dossiers/overview.html", context)


# --- search ---------------------------------------------------------------------------------------
@staff_required
def search(request):
    """Tra cứu: filters on code, applicant, procedure, state, dates, overdue; keyset pages."""
    form = SearchForm(request.GET or None)
    rows, next_after = [], None
    if not form.is_bound:
        rows, next_after = queries.search_dossiers(request.user, {})
    elif form.is_valid():
        rows, next_after = queries.search_dossiers(
            request.user, form.cleaned_data, after=form.cleaned_data.get("after")
        )
    else:
        mark_invalid(form)
    return render(
        request,
        "dossiers/search.html",
        {"form": form, "rows": rows, "next_after": next_after},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )

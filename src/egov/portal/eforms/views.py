"""The administrators' e-forms workspace at /bieu-mau/: the forms of each procedure with their
versions, the editor (JSON schema and UI schema, with a live preview by the real renderer) and
the read-only page of every version."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.catalog.models import Procedure
from egov.core import permissions as perms
from egov.core.text import fold
from egov.core.web.access import forbidden
from egov.portal.models import ApplicationForm, FormStatus

from . import services
from .rules import is_form_admin
from .schema import check_definition
from .validation import bind, parse_date

LISTED = 100
FOUND = 20

# What the preview shows in prefilled fields (a made-up applicant).
SAMPLE_PREFILL = {
    "full_name": "Nguyễn Văn An",
    "citizen_id": "067090001234",
    "date_of_birth": "1990-08-25",
    "address": "Tổ 3, phường Nghĩa Thành, thành phố Gia Nghĩa, tỉnh Đắk Nông",
    "phone": "0912345678",
    "email": "nguyenvanan@example.com",
}


def _starter(procedure: Procedure) -> tuple[dict, dict]:
    """A first definition for a procedure without an e-form: the applicant's identity."""
    name = procedure.current.name if procedure.current_id else procedure.code
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Tờ khai {name[:1].lower()}{name[1:]}",
        "type": "object",
        "properties": {
            "applicant_name": {"type": "string", "title": "Họ, chữ đệm và tên", "maxLength": 100},
            "applicant_id": {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"},
            "applicant_address": {"type": "string", "title": "Nơi cư trú", "maxLength": 255},
            "applicant_phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
            "request": {"type": "string", "title": "Nội dung đề nghị", "maxLength": 2000},
        },
        "required": ["applicant_name", "applicant_id", "applicant_address", "request"],
    }
    ui_schema = {
        "groups": [
            {
                "title": "Thông tin người yêu cầu",
                "fields": [
                    "applicant_name",
                    "applicant_id",
                    "applicant_address",
                    "applicant_phone",
                ],
            },
            {"title": "Nội dung yêu cầu", "fields": ["request"]},
        ],
        "fields": {
            "applicant_name": {"prefill": "full_name", "width": 6},
            "applicant_id": {"prefill": "citizen_id", "width": 6},
            "applicant_address": {"prefill": "address"},
            "applicant_phone": {"prefill": "phone", "width": 6},
            "request": {"widget": "textarea", "rows": 4},
        },
    }
    return schema, ui_schema


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _json_field(text: str, what: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise forms.ValidationError(
            _("The %(what)s is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"what": what, "error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error


class DefinitionForm(forms.Form):
    """The editor: the two JSON documents as text, and the start date when publishing."""

    schema = forms.CharField(
        label=gettext_lazy("JSON schema (draft 2020-12)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "form-control font-monospace small"}),
    )
    ui_schema = forms.CharField(
        label=gettext_lazy("UI schema (order, groups, labels, widgets, prefill)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control font-monospace small"}),
    )
    valid_from = forms.CharField(
        label=gettext_lazy("In use from (dd/mm/yyyy, when publishing; today if empty)"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "placeholder": "dd/mm/yyyy"}
        ),
    )

    def clean_schema(self):
        return _json_field(self.cleaned_data["schema"], _("JSON schema"))

    def clean_ui_schema(self):
        text = self.cleaned_data["ui_schema"].strip()
        return _json_field(text, _("UI schema")) if text else {}

    def clean_valid_from(self):
        text = self.cleaned_data["valid_from"].strip()
        if not text:
            return None
        iso = parse_date(text)
        if iso is None:
            raise forms.ValidationError(
                _("Enter a real date as dd/mm/yyyy, for example 25/08/1990.")
            )
        import datetime as dt

        return dt.date.fromisoformat(iso)


def _add_errors(form: DefinitionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _admin_only(request):
    if not is_form_admin(request.user):
        return forbidden(request, _("The e-forms are edited by system and agency administrators."))
    return None


@require_GET
@login_required
def form_list(request):
    """Procedures with an e-form (those the administrator may edit), with their versions;
    a search finds a procedure to give its first e-form."""
    refusal = _admin_only(request)
    if refusal:
        return refusal
    user = request.user
    query = request.GET.get("q", "").strip()
    procedures = Procedure.objects.select_related("current", "current__competent_agency")
    if not user.is_system_admin:
        procedures = procedures.filter(
            perms.path_q(
                perms.agency_paths(user, perms.ADMIN_ROLES), "current__competent_agency__path"
            )
        )
    for word in fold(query).split():
        procedures = procedures.filter(current__search_text__contains=word)
    with_forms = (
        procedures.filter(application_forms__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch(
                "application_forms",
                queryset=ApplicationForm.objects.order_by("-number"),
                to_attr="forms",
            )
        )
        .order_by("code")
    )
    total = with_forms.count()
    without = []
    if query:
        without = list(
            procedures.filter(application_forms__isnull=True, current__isnull=False).order_by(
                "code"
            )[:FOUND]
        )
    return render(
        request,
        "portal/eforms/list.html",
        {
            "procedures": with_forms[:LISTED],
            "total": total,
            "listed": LISTED,
            "without": without,
            "q": query,
        },
    )


def _editable(request, code: str):
    """The procedure and the form being edited (draft, or an unsaved one), or a refusal."""
    procedure = get_object_or_404(Procedure.objects.select_related("current"), code=code)
    draft = services.draft_of(procedure)
    candidate = draft or ApplicationForm(procedure=procedure)
    if request.user.kind != request.user.Kind.STAFF or not perms.can(
        request.user, "change", candidate
    ):
        return (
            procedure,
            draft,
            forbidden(
                request,
                _(
                    "Only a system administrator or an administrator of the competent agency "
                    "may edit this e-form."
                ),
            ),
        )
    return procedure, draft, None


def _preview_html(procedure, schema, ui_schema):
    form = ApplicationForm(procedure=procedure, schema=schema, ui_schema=ui_schema)
    return bind(form, None, SAMPLE_PREFILL, prefix="preview-").render()


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, code):
    """The editor of a procedure's e-form. Saving makes (or updates) the draft; publishing
    saves it and puts it in use; a published version itself is never changed."""
    procedure, draft, refusal = _editable(request, code)
    if refusal:
        return refusal
    published = services.current_form(procedure)
    latest = services.latest_form(procedure)
    preview = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = DefinitionForm(request.POST)
        if action == "discard" and draft is not None:
            services.discard_draft(request.user, draft)
            messages.success(request, _("The draft was discarded."))
            return redirect("eforms:edit", code=procedure.code)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "publish":
                    published = services.publish_definition(
                        request.user,
                        procedure,
                        data["schema"],
                        data["ui_schema"],
                        data["valid_from"],
                    )
                    messages.success(
                        request,
                        _("Version %(number)s of the e-form is published.")
                        % {"number": published.number},
                    )
                    return redirect("eforms:version", code=procedure.code, number=published.number)
                if action == "preview":
                    check_definition(data["schema"], data["ui_schema"])
                    preview = _preview_html(procedure, data["schema"], data["ui_schema"])
                else:
                    draft = services.save_draft(
                        request.user, procedure, data["schema"], data["ui_schema"]
                    )
                    messages.success(
                        request,
                        _("Draft version %(number)s is saved. Publish it to put it in use.")
                        % {"number": draft.number},
                    )
                    return redirect("eforms:edit", code=procedure.code)
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                return forbidden(request, str(error))
    else:
        source = draft or latest
        if source is not None:
            schema, ui_schema = source.schema, source.ui_schema
        else:
            schema, ui_schema = _starter(procedure)
        form = DefinitionForm(initial={"schema": _pretty(schema), "ui_schema": _pretty(ui_schema)})
    return render(
        request,
        "portal/eforms/edit.html",
        {
            "procedure": procedure,
            "form": form,
            "draft": draft,
            "published": published,
            "latest": latest,
            "preview": preview,
            "versions": procedure.application_forms.order_by("-number"),
        },
    )


@require_POST
@login_required
def preview(request, code):
    """The e-form as applicants will see it, rendered from the editor's text (htmx)."""
    procedure, _draft, refusal = _editable(request, code)
    if refusal:
        return refusal
    form = DefinitionForm(request.POST)
    problems: list[str] = []
    html = None
    if form.is_valid():
        try:
            check_definition(form.cleaned_data["schema"], form.cleaned_data["ui_schema"])
            html = _preview_html(
                procedure, form.cleaned_data["schema"], form.cleaned_data["ui_schema"]
            )
        except ValidationError as error:
            problems = error.messages
    else:
        problems = [m for field in ("schema", "ui_schema") for m in form.errors.get(field, [])]
    return render(
        request,
        "portal/eforms/_preview.html",
        {
            "html": html,
            "problems": problems,
            "title": (form.cleaned_data.get("schema") or {}).get("title", "") if html else "",
        },
    )


@require_GET
@login_required
def version(request, code, number):
    """One version of an e-form, read-only: as applicants see it, and its definition."""
    form = get_object_or_404(
        ApplicationForm.objects.select_related("procedure", "created_by", "published_by"),
        procedure__code=code,
        number=number,
    )
    if not perms.can(request.user, "view", form):
        return forbidden(request, _("This page is for officials."))
    return render(
        request,
        "portal/eforms/version.html",
        {
            "eform": form,
            "procedure": form.procedure,
            "rendered": bind(form, None, SAMPLE_PREFILL, prefix="preview-").render(),
            "schema_text": _pretty(form.schema),
            "ui_text": _pretty(form.ui_schema),
            "may_edit": perms.can(request.user, "change", form),
            "is_current": services.current_form(form.procedure) == form,
            "FormStatus": FormStatus,
        },
    )

"""Catalogue pages for staff and administrators: the procedure list and page, the import of a
whole catalogue (JSON or XLSX) with its progress, and the downloads."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from egov.core import permissions as perms
from egov.core.models import Level, Role
from egov.core.models.validity import today_in_vietnam

from .. import importexport
from ..models import Field, ImportJob, OnlineMode, Procedure
from ..queries import search_in_force
from ..services import statutory_days

PAGE_SIZE = 50
RECEIVING_LISTED = 5
"""Receiving places named inline on a procedure's page; more are folded into a list."""


def staff_required(view):
    """Officials only (not citizens or businesses), logged in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.kind != request.user.Kind.STAFF:
            raise PermissionDenied(_("This page is for officials."))
        return view(request, *args, **kwargs)

    return wrapped


def system_admin_required(view):
    """System administrators only: the import replaces the catalogue of the whole province."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_system_admin:
            raise PermissionDenied(_("Only a system administrator may import the catalogue."))
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@staff_required
def procedure_list(request):
    """Procedures in force: search without accents, filters, and pages that follow the code
    (keyset: ``?after=<last code of the page>``), so every page costs the same."""
    query = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    field = request.GET.get("field", "")
    online_mode = request.GET.get("online_mode", "")
    after = request.GET.get("after", "")
    versions = search_in_force(query, level=level, field=field, online_mode=online_mode)
    total = versions.count()
    if after:
        versions = versions.filter(procedure__code__gt=after)
    page = list(versions.order_by("procedure__code")[: PAGE_SIZE + 1])
    filters = {"q": query, "level": level, "field": field, "online_mode": online_mode}
    filters = {key: value for key, value in filters.items() if value}
    next_url = None
    if len(page) > PAGE_SIZE:
        page = page[:PAGE_SIZE]
        next_url = "?" + urlencode({**filters, "after": page[-1].procedure.code})
    context = {
        "versions": page,
        "total": total,
        "next_url": next_url,
        "first_url": ("?" + urlencode(filters)) if after else None,
        "q": query,
        "level": level,
        "field": field,
        "online_mode": online_mode,
        "levels": Level.choices,
        "fields": Field.objects.all(),
        "online_modes": OnlineMode.choices,
        "is_system_admin": request.user.is_system_admin,
    }
    template = "catalog/_results.html" if request.headers.get("HX-Request") else "catalog/list.html"
    return render(request, template, context)


@require_GET
@staff_required
def procedure_detail(request, code):
    """One procedure: the version in force (or the one asked for with ``?version=``), its
    documents, fees, time and workflow, and the history of its versions."""
    procedure = get_object_or_404(Procedure, code=code)
    versions = procedure.versions.select_related("field", "competent_agency")
    number = request.GET.get("version", "")
    if number.isdigit():
        version = versions.filter(number=int(number)).first()
    else:
        version = versions.filter(pk=procedure.current_id).first() or versions.first()
    if version is None:
        raise Http404
    steps = list(version.steps.select_related("agency"))
    roles = dict(Role.choices)
    for step in steps:
        step.role_label = roles.get(step.role, step.role)
    steps_total = sum((step.days for step in steps), start=0)
    return render(
        request,
        "catalog/detail.html",
        {
            "procedure": procedure,
            "version": version,
            "documents": version.documents.all(),
            "fees": version.fees.all(),
            "steps": steps,
            "steps_total": steps_total,
            "statutory_days": statutory_days(version),
            "coordinating": version.coordinating_agencies.all(),
            "receiving_places": list(version.receiving_places.order_by("code")),
            "receiving_listed": RECEIVING_LISTED,
            "history": versions.order_by("-number"),
            "today": today_in_vietnam(),
            "can_change": perms.can(request.user, "change", version),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalogue file (.json or .xlsx)"),
        help_text=gettext_lazy(
            "A file in the format of the export: procedures not in the file are left as they are."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if importexport.format_of(upload.name) is None:
            raise forms.ValidationError(_("Upload a .json or .xlsx file."))
        limit = settings.EGOV_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}
            )
        return upload


@require_http_methods(["GET", "POST"])
@system_admin_required
def import_catalogue(request):
    """Upload a catalogue file; the import runs in the background."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = importexport.start_import(request.user, form.cleaned_data["file"])
        return redirect("catalog:import_job", pk=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:10]
    return render(request, "catalog/import.html", {"form": form, "jobs": jobs})


@require_GET
@system_admin_required
def import_job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render(request, "catalog/import_job.html", {"job": job})


@require_GET
@system_admin_required
def import_progress(request, pk):
    """The progress block alone, polled by htmx every second until the job is finished."""
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "catalog/_progress.html", {"job": job})


def _download(content: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = f"danh-muc-thu-tuc-{today_in_vietnam():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@staff_required
def export_json(request):
    return _download(importexport.export_json(), "application/json; charset=utf-8", "json")


@require_GET
@staff_required
def export_xlsx(request):
    return _download(
        importexport.export_xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )

"""ICT inventory pages for officials: the overview, an agency's inventory with its history, the
edit forms, the XLSX import with its progress, and the yearly report (page, PDF, XLSX)."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.core import permissions as perms
from egov.core.models import Agency, AgencyKind, Role
from egov.core.models.validity import today_in_vietnam
from egov.core.web.access import staff_required

from .. import export, importexport, services
from ..models import (
    AgencyInfrastructure,
    BridgePoint,
    Computer,
    DataCentreAsset,
    ExternalFigure,
    ImportJob,
    VideoMeeting,
)
from ..report import annual_report as build_report
from ..report import asset_alerts
from ..rules import may_edit_agency, may_view_agency

KINDS = {
    "ha-tang": AgencyInfrastructure,
    "may-tinh": Computer,
    "thiet-bi": DataCentreAsset,
    "diem-cau": BridgePoint,
    "hop": VideoMeeting,
    "so-lieu": ExternalFigure,
}
REPORT_ROLES = (Role.AGENCY_LEADER, Role.UNIT_LEADER, Role.AGENCY_ADMIN)
DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"})


def _record_form(model, user, agency):
    """A ModelForm for ``model`` without its agency (fixed by the page)."""
    date_fields = {
        name: forms.DateField(
            label=model._meta.get_field(name).verbose_name,
            required=not model._meta.get_field(name).null,
            input_formats=["%d/%m/%Y", "%Y-%m-%d"],
            widget=DATE_INPUT,
        )
        for name in ("valid_from", "valid_to", "support_end", "held_on")
        if any(f.name == name for f in model._meta.fields)
    }
    exclude = ["agency"]
    if model is Computer:
        exclude.append("holder")
    meta = type("Meta", (), {"model": model, "exclude": exclude})
    attrs = {"Meta": meta, **date_fields}
    if model is VideoMeeting:
        attrs["points"] = forms.ModelMultipleChoiceField(
            label=gettext_lazy("bridge points connected"),
            queryset=BridgePoint.objects.order_by("place"),
            widget=forms.CheckboxSelectMultiple,
        )
    return type("RecordForm", (forms.ModelForm,), attrs)


def _may_read_reports(user) -> bool:
    return user.is_system_admin or user.has_role(*REPORT_ROLES)


def _visible_agencies(user):
    agencies = Agency.objects.valid_on().exclude(kind=AgencyKind.INTERNAL_UNIT)
    if user.is_system_admin:
        return agencies
    return agencies.filter(perms.path_q(perms.agency_paths(user)))


def _report_reader(view):
    @staff_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _may_read_reports(request.user):
            raise PermissionDenied(_("The ICT report is for leaders and administrators."))
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@staff_required
def overview(request):
    """The agencies the official may see, with their current figures and the alerts."""
    today = today_in_vietnam()
    agencies = list(_visible_agencies(request.user).order_by("path"))
    profiles = {
        p.agency_id: p
        for p in AgencyInfrastructure.objects.valid_on(today).filter(agency__in=agencies)
    }
    computers = {}
    for agency_id, count in Computer.objects.valid_on(today).values_list("agency_id", "count"):
        computers[agency_id] = computers.get(agency_id, 0) + count
    rows = [(a, profiles.get(a.pk), computers.get(a.pk, 0)) for a in agencies]
    assets = perms.scope(request.user, DataCentreAsset.objects.valid_on(today))
    year = today.year - 1
    return render(
        request,
        "ict/overview.html",
        {
            "rows": rows,
            "alerts": asset_alerts(list(assets.select_related("agency")), today),
            "may_read_reports": _may_read_reports(request.user),
            "years": list(range(today.year, 2010, -1)),
            "last_year": year,
        },
    )


@require_GET
@staff_required
def agency_inventory(request, code):
    """One agency's inventory (every record, past ones too) and its history of changes."""
    agency = get_object_or_404(Agency, code=code)
    if not may_view_agency(request.user, agency):
        raise PermissionDenied(_("You may not see this agency's inventory."))
    today = today_in_vietnam()
    assets = list(agency.ict_assets.all())
    return render(
        request,
        "ict/agency.html",
        {
            "agency": agency,
            "profiles": agency.ict_profiles.all(),
            "computers": agency.ict_computers.all(),
            "assets": assets,
            "alerts": asset_alerts([a for a in assets if a.is_valid_on(today)], today),
            "bridges": agency.ict_bridges.all(),
            "meetings": agency.ict_meetings.prefetch_related("points"),
            "figures": agency.ict_figures.all(),
            "history": services.history(agency),
            "may_edit": may_edit_agency(request.user, agency),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def record_edit(request, kind, pk=None, code=None):
    """Create (``code`` of the agency) or edit (``pk``) one record of ``kind``."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    if pk is not None:
        record = get_object_or_404(model.objects.select_related("agency"), pk=pk)
        agency = record.agency
        perms.require(request.user, "change", record)
    else:
        agency = get_object_or_404(Agency, code=code)
        record = model(agency=agency)
        if not may_edit_agency(request.user, agency):
            raise PermissionDenied(_("You may not change this agency's inventory."))
    form_class = _record_form(model, request.user, agency)
    initial = {"points": record.points.all()} if model is VideoMeeting and record.pk else None
    form = form_class(request.POST or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            services.save_record(
                request.user,
                record,
                points=form.cleaned_data.get("points") if model is VideoMeeting else None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            target = agency.code if agency else None
            return redirect("ict:agency", code=target) if target else redirect("ict:overview")
    return render(
        request,
        "ict/record_form.html",
        {"form": form, "agency": agency, "record": record, "kind": kind, "model": model._meta},
    )


@require_POST
@staff_required
def record_delete(request, kind, pk):
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model.objects.select_related("agency"), pk=pk)
    agency = record.agency
    services.delete_record(request.user, record)
    return redirect("ict:agency", code=agency.code) if agency else redirect("ict:overview")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Inventory workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if upload.size > settings.EGOV_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


def _import_allowed(view):
    @staff_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_system_admin or user.has_role(Role.AGENCY_ADMIN)):
            raise PermissionDenied(_("Only administrators may import an inventory."))
        return view(request, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
@_import_allowed
def import_inventory(request):
    """Upload a workbook; the import runs in the background."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = importexport.start_import(request.user, form.cleaned_data["file"])
        return redirect("ict:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "ict/import.html", {"form": form, "jobs": jobs})


def _job(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    if job.created_by_id != request.user.pk and not request.user.is_system_admin:
        raise Http404
    return job


@require_GET
@_import_allowed
def import_job(request, pk):
    return render(request, "ict/import_job.html", {"job": _job(request, pk)})


@require_GET
@_import_allowed
def import_progress(request, pk):
    """The progress block alone, polled by htmx every second until the job is finished."""
    return render(request, "ict/_progress.html", {"job": _job(request, pk)})


@require_GET
@_import_allowed
def import_template(request):
    return _download(importexport.template_xlsx(), XLSX, "mau-kiem-ke-cntt.xlsx")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _year(year: int) -> int:
    if not 1990 <= year <= today_in_vietnam().year:
        raise Http404
    return year


@require_GET
@_report_reader
def annual_report(request, year):
    report = build_report(_year(year))
    return render(
        request,
        "ict/report.html",
        {"r": report, "years": list(range(today_in_vietnam().year, 2010, -1))},
    )


@require_GET
@_report_reader
def annual_report_pdf(request, year):
    with translation.override("vi"):
        report = build_report(_year(year))
        content = export.render_pdf(report)
    return _download(content, "application/pdf", f"bao-cao-ung-dung-cntt-{year}.pdf")


@require_GET
@_report_reader
def annual_report_xlsx(request, year):
    with translation.override("vi"):
        content = export.render_xlsx(build_report(_year(year)))
    return _download(content, XLSX, f"bao-cao-ung-dung-cntt-{year}.xlsx")

"""Administration of the procedure catalogue.

A published version is never edited: it is shown read-only, and the "new version" action makes
a draft copy to edit. Drafts are saved, and published, through the services (permission check
and audit event in the same transaction). Administrators see the versions they may change: the
system administrators all of them, an agency administrator those of their agencies.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.models.validity import today_in_vietnam
from egov.core.text import fold

from . import fees, services
from .models import (
    Fee,
    Field,
    ImportJob,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
    WorkflowStep,
)


def is_catalog_admin(user) -> bool:
    """System administrators and agency administrators look after the catalogue."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_system_admin or bool(perms.agency_paths(user, perms.ADMIN_ROLES))


def _may_edit(user, version) -> bool:
    return (
        version is not None
        and version.status == VersionStatus.DRAFT
        and perms.can(user, "change", version)
    )


def _messages_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class CatalogAdmin(admin.ModelAdmin):
    """Shown to catalogue administrators, whatever Django model permissions say: who may
    change what is decided by the platform's permission rules."""

    def has_module_permission(self, request):
        return is_catalog_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_catalog_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Field)
class FieldAdmin(CatalogAdmin):
    list_display = ["name"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return request.user.is_system_admin

    def has_change_permission(self, request, obj=None):
        return request.user.is_system_admin

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            "catalog_field.update" if change else "catalog_field.create",
            obj,
            actor=request.user,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
        )


def _scoped_versions(user):
    return perms.scope(user, ProcedureVersion.objects.all(), "change")


def _new_versions(modeladmin, request, procedures):
    created = []
    for procedure in procedures:
        try:
            created.append(services.new_draft_version(request.user, procedure))
        except (ValidationError, PermissionDenied) as error:
            modeladmin.message_user(
                request, f"{procedure.code}: {_messages_of(error)}", messages.ERROR
            )
    for version in created:
        modeladmin.message_user(
            request,
            _("Draft version %(number)s of %(code)s created: edit it, then publish it.")
            % {"number": version.number, "code": version.procedure.code},
            messages.SUCCESS,
        )
    if len(created) == 1:
        return redirect("admin:catalog_procedureversion_change", created[0].pk)
    return None


@admin.register(Procedure)
class ProcedureAdmin(CatalogAdmin):
    """Procedures with their version in force (read-only: content lives in versions)."""

    list_display = ["code", "current_name", "current_number", "current_status", "is_synthetic"]
    list_filter = ["is_synthetic", "current__level"]
    list_select_related = ["current"]
    search_fields = ["code"]
    readonly_fields = ["code", "is_synthetic", "current"]
    actions = ["new_version"]

    def get_queryset(self, request):
        scoped = _scoped_versions(request.user).values("procedure_id")
        return super().get_queryset(request).filter(pk__in=scoped)

    def get_search_results(self, request, queryset, search_term):
        words = fold(search_term).split()
        query = Q()
        for word in words:
            query &= Q(current__search_text__contains=word)
        if words:
            queryset = queryset.filter(query | Q(code__startswith=search_term.strip()))
        return queryset, False

    @admin.display(description=gettext_lazy("name"), ordering="current__name")
    def current_name(self, obj):
        return obj.current.name if obj.current else ""

    @admin.display(description=gettext_lazy("version"))
    def current_number(self, obj):
        return obj.current.number if obj.current else ""

    @admin.display(description=gettext_lazy("status"))
    def current_status(self, obj):
        return obj.current.get_status_display() if obj.current else ""

    @admin.action(description=gettext_lazy("Create a new draft version"))
    def new_version(self, request, queryset):
        return _new_versions(self, request, queryset)


class VersionPartInline(admin.TabularInline):
    """Documents, fees and steps: editable only while their version is a draft."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_catalog_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return _may_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return _may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return _may_edit(request.user, obj)


class RequiredDocumentInline(VersionPartInline):
    model = RequiredDocument
    fields = ["order", "name", "kind", "count", "mandatory", "template"]


class FeeRowsField(forms.CharField):
    """A fee's table of amounts, typed one case a line: “case | amount | unit”."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 48})

    def prepare_value(self, value):
        return fees.rows_to_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return fees.rows_from_text(super().to_python(value))

    def has_changed(self, initial, data):
        try:
            return (initial or []) != self.to_python(data)
        except ValidationError:
            return True


class FeeForm(forms.ModelForm):
    rows = FeeRowsField(
        required=False,
        label=gettext_lazy("amounts by case"),
        help_text=gettext_lazy(
            "For a fee that depends on the case: one case a line, “case | amount | unit”, e.g. "
            "“Nhà ở riêng lẻ | 75.000 | đồng/giấy phép”; then leave the amount empty."
        ),
    )

    class Meta:
        model = Fee
        fields = ["kind", "name", "amount", "unit", "rows", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "cols": 30})}


class FeeInline(VersionPartInline):
    """A fee is one amount, or a table of amounts by case edited as lines of text."""

    model = Fee
    form = FeeForm
    readonly_fields = ["rows_text"]

    def get_fields(self, request, obj=None):
        if _may_edit(request.user, obj):
            return ["kind", "name", "amount", "unit", "rows", "note"]
        return ["kind", "name", "amount", "unit", "rows_text", "note"]

    @admin.display(description=gettext_lazy("amounts by case"))
    def rows_text(self, fee):
        if fee is None or not fee.rows:
            return "—"
        lines = fees.rows_to_text(fee.rows).splitlines()
        return format_html_join("", "{}<br>", ((line,) for line in lines))


class WorkflowStepInline(VersionPartInline):
    model = WorkflowStep
    fields = ["order", "name", "kind", "performer", "agency", "role", "days"]
    raw_id_fields = ["agency"]


class PublishForm(forms.Form):
    valid_from = forms.DateField(
        label=gettext_lazy("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogAdmin):
    list_display = ["procedure", "number", "name", "status", "level", "valid_from", "valid_to"]
    list_filter = ["status", "level", "online_mode"]
    list_select_related = ["procedure__current"]
    search_fields = ["search_text"]
    readonly_fields = ["procedure", "number", "status", "valid_from", "valid_to", "created_at"]
    raw_id_fields = ["competent_agency", "receiving_places", "coordinating_agencies"]
    fieldsets = (
        (None, {"fields": ("procedure", "number", "status", "valid_from", "valid_to")}),
        (
            gettext_lazy("Content"),
            {
                "fields": (
                    "name",
                    "field",
                    "level",
                    "competent_agency",
                    "implementing_agency",
                    "receiving_places",
                    "coordinating_agencies",
                    "coordinating_external",
                    "time_value",
                    "time_unit",
                    "after_15h_next_day",
                    "result_name",
                    "delivery_modes",
                    "online_mode",
                    "legacy_level",
                    "legal_basis",
                    "source",
                )
            },
        ),
    )
    inlines = [RequiredDocumentInline, FeeInline, WorkflowStepInline]
    actions = ["publish", "new_version"]

    def get_queryset(self, request):
        return _scoped_versions(request.user).select_related("procedure__current")

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset, False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_catalog_admin(request.user)
        return _may_edit(request.user, obj)

    def save_model(self, request, obj, form, change):
        """Saved in :meth:`save_related`, with the inlines, by one service call."""

    def save_related(self, request, form, formsets, change):
        saved, deleted = [], []
        for formset in formsets:
            saved += formset.save(commit=False)
            deleted += formset.deleted_objects
        m2m = {
            name: list(form.cleaned_data[name])
            for name in ("receiving_places", "coordinating_agencies")
            if name in form.changed_data
        }
        services.update_draft_version(
            request.user,
            form.instance,
            changed_fields=form.changed_data,
            m2m=m2m,
            saved_parts=saved,
            deleted_parts=deleted,
        )

    @admin.action(description=gettext_lazy("Create a new draft version"))
    def new_version(self, request, queryset):
        procedures = Procedure.objects.filter(pk__in=queryset.values("procedure_id"))
        return _new_versions(self, request, procedures)

    @admin.action(description=gettext_lazy("Publish the selected drafts"))
    def publish(self, request, queryset):
        """Ask for the date the drafts come in force, then publish each one (a workflow whose
        steps do not add up to the statutory time is refused, and the draft stays a draft)."""
        drafts = list(queryset.filter(status=VersionStatus.DRAFT).select_related("procedure"))
        if not drafts:
            self.message_user(request, _("Only draft versions can be published."), messages.ERROR)
            return None
        form = PublishForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for version in drafts:
                try:
                    services.publish_version(request.user, version, form.cleaned_data["valid_from"])
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, f"{version}: {_messages_of(error)}", messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _("%(version)s is in force from %(date)s.")
                        % {"version": version, "date": version.valid_from.strftime("%d/%m/%Y")},
                        messages.SUCCESS,
                    )
            return None
        if not form.is_bound:
            form = PublishForm(initial={"valid_from": today_in_vietnam()})
        return TemplateResponse(
            request,
            "catalog/admin/publish.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Publish the selected drafts"),
                "opts": self.model._meta,
                "drafts": drafts,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(ImportJob)
class ImportJobAdmin(CatalogAdmin):
    """Imports are started and followed on /catalog/import/; here they are only listed."""

    list_display = ["pk", "created_at", "created_by", "format", "status", "total", "processed"]
    list_filter = ["status", "format"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_system_admin

    def has_view_permission(self, request, obj=None):
        return request.user.is_system_admin

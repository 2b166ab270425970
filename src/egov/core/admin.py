"""Django admin for administrators. Every save goes through the services (permission + audit)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import permissions as perms
from . import services
from .audit import record_event
from .models import AdministrativeUnit, Agency, AuditEvent, CalendarDay, Position, User


class ServiceAdmin(admin.ModelAdmin):
    """Admin whose rows are changed through the services of the core."""

    def get_queryset(self, request):
        action = getattr(self, "scope_action", None)
        qs = super().get_queryset(request)
        return perms.scope(request.user, qs, action) if action else qs


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit_type", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            "admin_unit.update" if change else "admin_unit.create",
            obj,
            actor=request.user,
            changes={k: str(form.cleaned_data.get(k)) for k in form.changed_data},
        )

    def has_delete_permission(self, request, obj=None):
        return False  # units end with valid_to and a successor; history stays


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    scope_action = "change"
    list_display = ["code", "name", "short_name", "kind", "level", "parent", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name", "short_name", "search_text"]
    raw_id_fields = ["parent", "administrative_unit", "successor"]
    readonly_fields = ["successor"]

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in services.AGENCY_FIELDS
            if name in form.cleaned_data
        }
        if change:
            services.update_agency(request.user, Agency.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.create_agency(request.user, **fields).pk

    def has_delete_permission(self, request, obj=None):
        return False  # agencies cease (valid_to, successor); they are never deleted


class PositionInline(admin.TabularInline):
    model = Position
    fk_name = "user"
    extra = 0
    raw_id_fields = ["agency", "unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone", "job_title", "kind")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [PositionInline]

    def get_queryset(self, request):
        return perms.scope(request.user, super().get_queryset(request), "manage")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            "user.update" if change else "user.create",
            obj,
            actor=request.user,
            changes={
                k: ("***" if k == "password" else str(form.cleaned_data.get(k)))
                for k in form.changed_data
            },
        )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for position in instances:
            perms.require(request.user, "manage", position)
            position.save()
            record_event(
                "position.assign",
                position.user,
                actor=request.user,
                agency=position.agency,
                changes={"role": position.role, "agency": position.agency.code},
            )
        for position in formset.deleted_objects:
            services.end_position(request.user, position, position.valid_from)
        formset.save_m2m()


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        saved = services.set_calendar_day(
            request.user,
            obj.date,
            obj.kind,
            obj.name,
            obj.legal_basis,
            existing=obj if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_calendar_day(request.user, obj)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            services.remove_calendar_day(request.user, day)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: no code path or screen changes or deletes an event."""

    list_display = [
        "seq",
        "occurred_at",
        "actor_label",
        "action",
        "object_label",
        "ip",
        "request_id",
    ]
    list_filter = ["action"]
    search_fields = ["object_label", "actor_label", "request_id", "object_id"]
    ordering = ["-seq"]

    def get_queryset(self, request):
        return perms.scope(request.user, super().get_queryset(request), "view")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

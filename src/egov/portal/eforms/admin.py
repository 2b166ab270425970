"""The e-forms in the Django administration: read-only (they are edited, versioned and
published in the e-forms workspace at /bieu-mau/, through the services)."""

import json

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from egov.core import permissions as perms
from egov.portal.models import ApplicationForm

from .rules import is_form_admin


class ApplicationFormAdmin(admin.ModelAdmin):
    list_display = ["procedure", "title", "number", "status", "valid_from", "valid_to"]
    list_filter = ["status"]
    search_fields = ["procedure__code", "procedure__current__name"]
    ordering = ["procedure__code", "-number"]
    list_select_related = ["procedure", "procedure__current"]
    fields = [
        "procedure",
        "number",
        "status",
        "valid_from",
        "valid_to",
        "schema_json",
        "ui_schema_json",
        "content_hash",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
        "workspace",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return perms.scope(request.user, super().get_queryset(request), "view")

    def has_module_permission(self, request):
        return is_form_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_form_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("JSON schema"))
    def schema_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.schema, ensure_ascii=False, indent=2))

    @admin.display(description=_("UI schema"))
    def ui_schema_json(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.ui_schema, ensure_ascii=False, indent=2))

    @admin.display(description=_("Edit"))
    def workspace(self, obj):
        url = reverse("eforms:version", args=[obj.procedure.code, obj.number])
        return format_html('<a href="{}">{}</a>', url, _("Open in the e-forms workspace"))


def register_eforms(site) -> None:
    """Register the e-form model on ``site`` (read-only)."""
    site.register(ApplicationForm, ApplicationFormAdmin)

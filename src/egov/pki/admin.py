"""The CA in the Django admin: read-only, for system administrators.

Certificates change only through the services (request, approval, suspension, revocation),
which check permission, keep the status history, publish the CRL and write the audit trail; the
admin therefore only shows. No private key is stored in these rows, and the admin does not show
where a key is kept beyond its kind.
"""

from django.contrib import admin

from .models import Certificate, CertificateAuthority, CertificateRequest, CertificateStatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_system_admin


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["common_name", "name", "kind", "not_after", "crl_number", "crl_next_update"]
    fields = [
        "common_name",
        "name",
        "kind",
        "parent",
        "serial",
        "not_before",
        "not_after",
        "key_storage",
        "crl_number",
        "crl_this_update",
        "crl_next_update",
    ]


class StatusChangeInline(admin.TabularInline):
    model = CertificateStatusChange
    fields = ["at", "status", "reason", "comment"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["common_name", "holder_kind", "agency", "status", "not_after", "serial"]
    list_filter = ["status", "holder_kind", "key_storage"]
    search_fields = ["common_name", "serial", "fingerprint", "agency__code"]
    list_select_related = ["agency"]
    fields = [
        "common_name",
        "subject",
        "holder_kind",
        "user",
        "agency",
        "unit",
        "issuer",
        "serial",
        "fingerprint",
        "not_before",
        "not_after",
        "status",
        "revocation_reason",
        "revoked_at",
        "key_storage",
        "request",
    ]
    inlines = [StatusChangeInline]


@admin.register(CertificateRequest)
class CertificateRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "holder", "agency", "status", "created_at", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["holder", "agency", "decided_by"]
    fields = [
        "kind",
        "holder",
        "agency",
        "unit",
        "requested_by",
        "status",
        "key_storage",
        "reason",
        "csr_pem",
        "renews",
        "decided_by",
        "decided_at",
        "decision_reason",
        "created_at",
    ]

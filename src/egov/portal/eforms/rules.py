"""Who may edit e-forms: system administrators, and the agency administrators of the
procedure's competent agency (the same people who may change the procedure in the catalogue)."""

from egov.core import permissions as perms
from egov.portal.models import ApplicationForm


def may_edit(user, form: ApplicationForm) -> bool:
    """``form`` may be unsaved: asking about a procedure that has no e-form yet works too."""
    if user.is_system_admin:
        return True
    version = form.procedure.current
    agency = version.competent_agency if version is not None else None
    return agency is not None and perms.in_agency_scope(user, agency, perms.ADMIN_ROLES)


def _editable(user, queryset):
    if user.is_system_admin:
        return queryset
    return queryset.filter(
        perms.path_q(
            perms.agency_paths(user, perms.ADMIN_ROLES),
            "procedure__current__competent_agency__path",
        )
    )


perms.register(ApplicationForm, "change", check=may_edit, filter=_editable)
# Officials read every version (a dossier's officer reads the answers against its version).
perms.register(
    ApplicationForm,
    "view",
    check=lambda user, form: user.kind == user.Kind.STAFF,
    filter=lambda user, qs: qs if user.kind == user.Kind.STAFF else qs.none(),
)


def is_form_admin(user) -> bool:
    """Who sees the e-forms workspace: system administrators and agency administrators."""
    if not (user.is_authenticated and user.is_active) or user.kind != user.Kind.STAFF:
        return False
    return user.is_system_admin or bool(perms.agency_paths(user, perms.ADMIN_ROLES))

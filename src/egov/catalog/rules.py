"""Permission rules for the catalogue: public to read, administrators edit."""

from egov.core import permissions as perms

from .models import ProcedureVersion


def _may_edit(user, version) -> bool:
    if user.is_system_admin:
        return True
    agency = version.competent_agency
    return agency is not None and perms.in_agency_scope(user, agency, perms.ADMIN_ROLES)


perms.register(
    ProcedureVersion,
    "view",
    check=lambda user, obj: True,
    filter=lambda user, qs: qs,
)
perms.register(
    ProcedureVersion,
    "change",
    check=_may_edit,
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(
            perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES), "competent_agency__path")
        )
    ),
)

"""Who may see and change the ICT inventory.

- read: officials of the agency (any role, the subtree of their position) and system
  administrators; a leader of the provincial People's Committee therefore reads everything;
- change: the agency's administrator (agency_admin, who also runs its IT) for records of
  the agency and the units under it; system administrators for every record, including
  computers of units that belong to no agency.
"""

from egov.core import permissions as perms

from .models import (
    AgencyInfrastructure,
    BridgePoint,
    Computer,
    DataCentreAsset,
    ExternalFigure,
    VideoMeeting,
)


def may_view_agency(user, agency) -> bool:
    if user.is_system_admin:
        return True
    return user.kind == user.Kind.STAFF and perms.in_agency_scope(user, agency)


def may_edit_agency(user, agency) -> bool:
    if user.is_system_admin:
        return True
    return perms.in_agency_scope(user, agency, perms.ADMIN_ROLES)


def _view_filter(user, qs):
    if user.is_system_admin:
        return qs
    return qs.filter(perms.path_q(perms.agency_paths(user), "agency__path"))


def _change_filter(user, qs):
    if user.is_system_admin:
        return qs
    return qs.filter(perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES), "agency__path"))


for _model in (
    AgencyInfrastructure,
    Computer,
    DataCentreAsset,
    BridgePoint,
    VideoMeeting,
    ExternalFigure,
):
    perms.register(
        _model,
        "view",
        check=lambda user, obj: (
            user.is_system_admin if obj.agency_id is None else may_view_agency(user, obj.agency)
        ),
        filter=_view_filter,
    )
    perms.register(
        _model,
        "change",
        check=lambda user, obj: (
            user.is_system_admin if obj.agency_id is None else may_edit_agency(user, obj.agency)
        ),
        filter=_change_filter,
    )

"""Who may see a payment and who may refund it.

A payment is seen by whoever sees its dossier (the applicant, and staff of an agency that is a
party to it: ``egov.dossiers.access``). A refund is decided at the agencies that collect the
fee: a reception officer (one-stop desk) or the leader of the receiving or competent agency.
"""

from egov.core import permissions as perms
from egov.core.models import Role
from egov.dossiers.access import can_view, visible_dossiers

from .models import Payment

REFUND_ROLES = (Role.RECEPTION, Role.AGENCY_LEADER)


def may_view(user, payment: Payment) -> bool:
    return can_view(user, payment.dossier)


def may_refund(user, payment: Payment) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.kind != user.Kind.STAFF:
        return False
    if user.is_system_admin:
        return True
    dossier = payment.dossier
    return any(
        perms.in_organisation_scope(user, agency, REFUND_ROLES)
        for agency in (dossier.receiving_agency, dossier.competent_agency)
    )


perms.register(
    Payment,
    "view",
    check=may_view,
    filter=lambda user, qs: qs.filter(dossier__in=visible_dossiers(user)),
)


def _refundable(user, queryset):
    if user.kind != user.Kind.STAFF:
        return queryset.none()
    if user.is_system_admin:
        return queryset
    paths = perms.organisation_paths(user, REFUND_ROLES)
    return queryset.filter(
        perms.path_q(paths, "dossier__receiving_agency__path")
        | perms.path_q(paths, "dossier__competent_agency__path")
    )


perms.register(Payment, "refund", check=may_refund, filter=_refundable)

"""Who may see and act on certificates and certificate requests (registered at start-up).

- An agency administrator manages the certificates and decides the requests of the officials
  of her agency (and of the agencies under it), and its organisation seal; a system
  administrator does so everywhere. Nobody approves a request for her own certificate.
- A holder sees her own certificates and requests, and may suspend or revoke her own
  certificate (a lost token, a compromised key) but not reinstate it.
- The leaders and clerks of an agency see its seal certificates: they are the ones who use it.
- The CA's own service certificates (OCSP responder, TSA) are system administrators' business.
"""

from django.db.models import Q

from egov.core import permissions as perms
from egov.core.models import Role

from .models import Certificate, CertificateRequest, HolderKind

SEAL_USERS = (Role.AGENCY_LEADER, Role.CLERK, Role.AGENCY_ADMIN)
PEOPLE_AND_SEALS = (HolderKind.OFFICIAL, HolderKind.AGENCY)


def administers(user, agency) -> bool:
    """True when ``user`` is a system administrator or an administrator over ``agency``."""
    return user.is_system_admin or perms.in_agency_scope(user, agency, perms.ADMIN_ROLES)


def _administered(user) -> Q:
    """Rows whose agency lies where ``user`` is an agency administrator."""
    return perms.path_q(perms.agency_paths(user, perms.ADMIN_ROLES), "agency__path")


def _seals_used(user) -> Q:
    return Q(holder_kind=HolderKind.AGENCY) & perms.path_q(
        perms.organisation_paths(user, SEAL_USERS), "agency__path"
    )


# --- certificates ---------------------------------------------------------------------------------
def _can_view_certificate(user, cert: Certificate) -> bool:
    if user.is_system_admin or cert.user_id == user.pk:
        return True
    if cert.holder_kind not in PEOPLE_AND_SEALS:
        return False
    if perms.in_agency_scope(user, cert.agency, perms.ADMIN_ROLES):
        return True
    return cert.holder_kind == HolderKind.AGENCY and perms.in_organisation_scope(
        user, cert.agency, SEAL_USERS
    )


def _can_manage_certificate(user, cert: Certificate) -> bool:
    if cert.holder_kind not in PEOPLE_AND_SEALS:
        return user.is_system_admin
    return administers(user, cert.agency)


perms.register(
    Certificate,
    "view",
    check=_can_view_certificate,
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(
            Q(user=user)
            | (Q(holder_kind__in=PEOPLE_AND_SEALS) & (_administered(user) | _seals_used(user)))
        )
    ),
)
# Suspend, reinstate, revoke for any reason, renew.
perms.register(
    Certificate,
    "manage",
    check=_can_manage_certificate,
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(_administered(user), holder_kind__in=PEOPLE_AND_SEALS)
    ),
)
# Suspend or revoke: also the holder herself, for her own certificate.
perms.register(
    Certificate,
    "revoke",
    check=lambda user, cert: cert.user_id == user.pk or _can_manage_certificate(user, cert),
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(Q(user=user) | (_administered(user) & Q(holder_kind__in=PEOPLE_AND_SEALS)))
    ),
)


# --- requests -------------------------------------------------------------------------------------
def _can_view_request(user, request: CertificateRequest) -> bool:
    return (
        request.holder_id == user.pk
        or request.requested_by_id == user.pk
        or administers(user, request.agency)
    )


perms.register(
    CertificateRequest,
    "view",
    check=_can_view_request,
    filter=lambda user, qs: (
        qs
        if user.is_system_admin
        else qs.filter(Q(holder=user) | Q(requested_by=user) | _administered(user))
    ),
)
# Approve or reject: an administrator over the agency, never for her own certificate.
perms.register(
    CertificateRequest,
    "approve",
    check=lambda user, request: request.holder_id != user.pk and administers(user, request.agency),
    filter=lambda user, qs: (
        qs if user.is_system_admin else qs.filter(_administered(user))
    ).exclude(holder=user),
)

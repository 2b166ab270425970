"""Register the dossier rules with the platform's permission helper."""

from egov.core import permissions as perms

from .access import can_view, visible_dossiers
from .models import Dossier

perms.register(
    Dossier,
    "view",
    check=can_view,
    filter=lambda user, qs: visible_dossiers(user, qs),
)

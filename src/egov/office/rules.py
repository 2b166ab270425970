"""Register the electronic office's rules with the platform's permission helper."""

from egov.core import permissions as perms

from . import access
from .models import IncomingDocument, OutgoingDocument

perms.register(
    OutgoingDocument,
    "view",
    check=access.may_view_outgoing,
    filter=lambda user, qs: qs.filter(access.visible_outgoing_q(user)),
)
perms.register(
    IncomingDocument,
    "view",
    check=access.may_view_incoming,
    filter=lambda user, qs: qs.filter(access.visible_incoming_q(user)),
)

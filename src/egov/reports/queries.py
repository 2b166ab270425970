"""Read-side helpers shared by the pages, the exports and the API: the request's period and
scope, checked against what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from egov.core.models import Agency, Level

from . import access
from .periods import Period, current_year, parse_period
from .scorecard import Scope, make_scope


def resolve(
    user, period: str | None, agency: str | None, level: str | None
) -> tuple[Period, Scope]:
    """The period and scope asked for (``agency`` by code or id), or the user's own agency
    when she may not see the province. ``ValidationError`` for a bad period or level,
    ``PermissionDenied`` for an agency out of reach, ``Agency.DoesNotExist`` for none."""
    parsed = parse_period(period or current_year())
    if level and level not in Level.values:
        raise ValidationError(_("Unknown level “%(level)s”.") % {"level": level}, code="level")
    target = None
    if agency:
        lookup = {"pk": int(agency)} if str(agency).isdigit() else {"code": agency}
        target = Agency.objects.select_related("successor").get(**lookup)
    elif not access.sees_province(user):
        target = access.report_agencies(user).first()
        level = None
        if target is None:
            raise PermissionDenied(_("The reports are for leaders of an agency."))
    if target is not None and not access.may_view_agency(user, target):
        raise PermissionDenied(_("You may not see the reports of %(agency)s.") % {"agency": target})
    return parsed, make_scope(target, None if target else level)

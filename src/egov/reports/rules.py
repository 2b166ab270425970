"""Register the reports' rule with the platform's permission helper: ``view_reports`` on an
agency (its scorecard and dashboards)."""

from egov.core import permissions as perms
from egov.core.models import Agency

from . import access

perms.register(
    Agency,
    "view_reports",
    check=access.may_view_agency,
    filter=lambda user, qs: qs.filter(pk__in=access.report_agencies(user).values("pk")),
)

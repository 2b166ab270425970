"""Pages of the reports for leaders: the scorecard with its drill-down lists and exports,
and the dashboards. Leaders see their agency; provincial leaders see the province, each
level and every agency (``access``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.models import Agency, Level
from egov.core.web.access import forbidden, staff_required

from .. import access, dashboard, exports, scorecard
from ..indicators import BY_CODE
from ..periods import period_choices
from ..queries import resolve


def _context(request):
    """(period, scope, error response): the page's period and scope from the query string."""
    if not access.may_use_reports(request.user):
        return None, None, forbidden(request, _("The reports are for the leaders of an agency."))
    try:
        period, scope = resolve(
            request.user,
            request.GET.get("period"),
            request.GET.get("agency"),
            request.GET.get("level"),
        )
    except ValidationError as error:
        response = render(
            request, "reports/error.html", {"message": " ".join(error.messages)}, status=400
        )
        return None, None, response
    except PermissionDenied as error:
        return None, None, forbidden(request, str(error))
    except (Agency.DoesNotExist, ValueError) as error:
        raise Http404 from error
    return period, scope, None


def _picker(request, period, scope) -> dict:
    year = period.start.year
    this_year = timezone.localdate().year
    return {
        "period": period,
        "scope": scope,
        "periods": [c for y in (year, year - 1) for c in period_choices(y)]
        if year != this_year
        else [c for y in (this_year, this_year - 1) for c in period_choices(y)],
        "agencies": access.report_agencies(request.user),
        "levels": Level.choices if access.sees_province(request.user) else [],
        "sees_province": access.sees_province(request.user),
        "query": request.GET.urlencode(),
    }


@staff_required
def scorecard_page(request):
    """Bộ chỉ số phục vụ người dân, doanh nghiệp: the scorecard of the chosen scope."""
    period, scope, error = _context(request)
    if error:
        return error
    card = scorecard.compute(period, scope)
    return render(
        request, "reports/scorecard.html", {**_picker(request, period, scope), "card": card}
    )


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.to_xlsx,
    ),
    "pdf": ("application/pdf", exports.to_pdf),
}


@staff_required
def scorecard_export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404
    period, scope, error = _context(request)
    if error:
        return error
    content_type, render_to = EXPORTS[fmt]
    response = HttpResponse(render_to(scorecard.compute(period, scope)), content_type=content_type)
    who = scope.agency.code if scope.agency else (scope.level or "tinh")
    response["Content-Disposition"] = f'attachment; filename="chi-so-766-{who}-{period.code}.{fmt}"'
    return response


@staff_required
def drilldown(request, code, part):
    """The dossiers (or procedures) one figure of the scorecard counted."""
    indicator = BY_CODE.get(code)
    if indicator is None or part not in ("numerator", "denominator") or not indicator.numerator:
        raise Http404
    period, scope, error = _context(request)
    if error:
        return error
    context = {**_picker(request, period, scope), "indicator": indicator, "part": part}
    if indicator.source == "catalog":
        context["versions"] = scorecard.drill_procedures(code, part, period, scope)
    else:
        before = request.GET.get("before")
        dossiers, next_before = scorecard.drill_dossiers(
            code, part, period, scope, int(before) if before and before.isdigit() else None
        )
        params = request.GET.copy()
        params.pop("before", None)
        context.update(dossiers=dossiers, next_before=next_before, base_query=params.urlencode())
    return render(request, "reports/drilldown.html", context)


@staff_required
def dashboard_page(request):
    """Bảng điều khiển: intake, timeliness, online filing and payment, digitisation,
    satisfaction and the electronic office, as charts with their tables."""
    period, scope, error = _context(request)
    if error:
        return error
    data = dashboard.build(period, scope)
    return render(
        request, "reports/dashboard.html", {**_picker(request, period, scope), "data": data}
    )

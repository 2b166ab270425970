"""Public pages of the portal (no log-in): find a procedure, read what it asks for, download
its templates, see how satisfied applicants were."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from egov.catalog.models import Field, OnlineMode, RequiredDocument
from egov.catalog.published import version_in_force
from egov.catalog.queries import in_force, search_in_force
from egov.catalog.services import statutory_days
from egov.core.models import Agency, Level

from .. import satisfaction
from ..services import receiving_choices

PAGE_SIZE = 20


@require_GET
def home(request):
    """Trang chủ Cổng dịch vụ công: search, the most used full-process services, look-up."""
    full = in_force().filter(online_mode=OnlineMode.FULL)
    return render(
        request,
        "portal/home.html",
        {
            "procedures_total": in_force().count(),
            "full_total": full.count(),
            "partial_total": in_force().filter(online_mode=OnlineMode.PARTIAL).count(),
            "featured": full.filter(procedure__is_synthetic=False)
            .select_related("procedure", "field")
            .order_by("procedure__code")[:8],
        },
    )


def _agencies_with_procedures():
    """Agencies that decide procedures, for the search filter (provincial first)."""
    ids = in_force().exclude(competent_agency=None).values("competent_agency")
    return Agency.objects.filter(pk__in=ids).order_by("level", "name")


@require_GET
def search(request):
    """Tìm thủ tục: words without accents or case, by code, field, agency, level and online
    mode. Results come in pages; htmx swaps only the result list."""
    filters = {
        key: request.GET.get(key, "").strip()
        for key in ("q", "field", "agency", "level", "online_mode")
    }
    versions = search_in_force(
        filters["q"],
        level=filters["level"],
        field=filters["field"],
        online_mode=filters["online_mode"],
        agency=filters["agency"],
    ).order_by("procedure__code")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})  # for the page links
    context = {
        **filters,
        "page": page,
        "query": query,
        "fields": Field.objects.order_by("name"),
        "agencies": _agencies_with_procedures(),
        "levels": Level.choices,
        "online_modes": OnlineMode.choices,
    }
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
    return render(request, "portal/_results.html" if partial else "portal/search.html", context)


def _version_in_force(code: str):
    """The version of procedure ``code`` in force today (kept per process), else 404."""
    version = version_in_force(code)
    if version is None:
        raise Http404
    return version


@require_GET
def procedure(request, code):
    """Trang thủ tục: documents (with templates to download), fees, time, where to file, and
    whether it can be done entirely online."""
    version = _version_in_force(code)
    from egov.portal.eforms import current_form

    return render(
        request,
        "portal/procedure.html",
        {
            "version": version,
            "documents": version.documents.all(),
            "fees": version.fees.all(),
            "statutory_days": statutory_days(version),
            "places": receiving_choices(version),
            "online": version.online_mode != OnlineMode.NONE,
            "full_online": version.online_mode == OnlineMode.FULL,
            "has_eform": current_form(version.procedure) is not None,
            "rating": satisfaction.for_procedure(version.procedure),
        },
    )


@require_GET
def template_file(request, code, document_id):
    """The blank template (mẫu đơn, tờ khai) of a required document."""
    version = _version_in_force(code)
    document = get_object_or_404(RequiredDocument, pk=document_id, version=version)
    if not document.template:
        raise Http404
    return FileResponse(document.template.open("rb"), as_attachment=True)


@require_GET
def ratings(request):
    """Đánh giá sự hài lòng: what applicants said, per agency and per procedure."""
    return render(
        request,
        "portal/ratings.html",
        {
            "agencies": satisfaction.by_agency(),
            "procedures": satisfaction.by_procedure()[:50],
            "criteria": satisfaction.criteria_averages(),
        },
    )

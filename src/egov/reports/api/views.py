"""``GET /api/v1/reports/scorecard/``: the service-quality index (shared/API.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.core.models import Agency

from .. import access, scorecard
from ..queries import resolve
from .serializers import ScorecardSerializer, card_body

EXAMPLE = {
    "period": "2025-Q1",
    "start": "2025-01-01",
    "end": "2025-03-31",
    "agency": "000.00.06.H16",
    "level": None,
    "total": 61.5,
    "attainable": 92.0,
    "index": 66.85,
    "refreshed_at": "2025-04-01T07:00:00+07:00",
    "groups": [
        {
            "code": "TDGQ",
            "name": "Tiến độ, kết quả giải quyết",
            "points": 20,
            "score": 15.2,
            "attainable": 20,
            "indicators": [
                {
                    "code": "TDGQ1",
                    "name": "Hồ sơ giải quyết trước và đúng hạn",
                    "formula": "(trước hạn + đúng hạn) ÷ hồ sơ đã giải quyết trong kỳ",
                    "weight": 14,
                    "source": "summary",
                    "numerator": 180,
                    "denominator": 200,
                    "has_data": True,
                    "percent": 90.0,
                    "score": 12.6,
                }
            ],
        }
    ],
}


class ScorecardView(APIView):
    @extend_schema(
        operation_id="reports_scorecard",
        summary="Service-quality index (Decision 766/QĐ-TTg)",
        description=(
            "Groups CKMB, TDGQ, CLGQ, TTTT, MDSH, MDHL with each indicator's formula, "
            "numerator, denominator and points. An indicator whose denominator is zero has "
            "`has_data: false` and `score: null`. Leaders see their agency (and agencies "
            "merged into it); provincial leaders and system administrators also the province "
            "(no `agency`) and each `level`. Dossier figures come from summaries refreshed "
            "by the `refresh_report_summaries` job (`refreshed_at`)."
        ),
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="YYYY, YYYY-Qn, YYYY-MM, YYYY-H1/H2 (half year) or YYYY-9M "
                "(nine months); the current year by default.",
                examples=[OpenApiExample("quarter", value="2025-Q1")],
            ),
            OpenApiParameter("agency", str, description="Agency code (or id)."),
            OpenApiParameter(
                "level",
                str,
                enum=["province", "district", "commune"],
                description="Without agency.",
            ),
        ],
        responses={200: ScorecardSerializer},
        examples=[OpenApiExample("An agency's first quarter", value=EXAMPLE, response_only=True)],
    )
    def get(self, request):
        user = request.user
        if not access.may_use_reports(user):
            raise exceptions.PermissionDenied(_("The reports are for the leaders of an agency."))
        try:
            period, scope = resolve(
                user,
                request.query_params.get("period"),
                request.query_params.get("agency"),
                request.query_params.get("level"),
            )
        except ValidationError as error:
            field = "level" if error.code == "level" else "period"
            raise exceptions.ValidationError(
                {"non_field_errors": error.messages, field: error.messages}
            ) from error
        except (Agency.DoesNotExist, ValueError) as error:
            raise Http404 from error
        return Response(card_body(scorecard.compute(period, scope)))

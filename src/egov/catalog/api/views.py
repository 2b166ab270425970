"""The public procedure catalogue: search (accents ignored) and one procedure by code."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions
from rest_framework.pagination import CursorPagination

from egov.core.text import fold

from ..models import OnlineMode, ProcedureVersion, VersionStatus
from .serializers import ProcedureDetailSerializer, ProcedureSummarySerializer


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("name, code or field; accents and case ignored")
    )
    level = django_filters.CharFilter()
    field = django_filters.CharFilter(field_name="field__name")
    agency = django_filters.CharFilter(field_name="competent_agency__code")
    online_mode = django_filters.ChoiceFilter(choices=OnlineMode.choices)

    class Meta:
        model = ProcedureVersion
        fields = ["q", "level", "field", "agency", "online_mode"]

    def search(self, queryset, name, value):
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class CodePagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "id"


def in_force():
    return ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).valid_on()


@extend_schema(summary="Procedure catalogue; q ignores Vietnamese accents and case")
class ProcedureListView(generics.ListAPIView):
    """Procedures in force today. ``q`` matches every word of the query against the code,
    name and field, ignoring accents and case ("cap giay phep xay dung")."""

    permission_classes = [permissions.AllowAny]
    serializer_class = ProcedureSummarySerializer
    filterset_class = ProcedureFilter
    pagination_class = CodePagination

    def get_queryset(self):
        return in_force().select_related("procedure", "field", "competent_agency")


@extend_schema(summary="One procedure with documents, fees, time, online mode, workflow")
class ProcedureDetailView(generics.RetrieveAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = ProcedureDetailSerializer

    def get_object(self):
        queryset = in_force().select_related("procedure", "field", "competent_agency")
        return get_object_or_404(
            queryset.prefetch_related(
                "documents", "fees", "steps__agency", "coordinating_agencies", "receiving_places"
            ),
            procedure__code=self.kwargs["code"],
        )

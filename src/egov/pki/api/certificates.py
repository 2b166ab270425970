"""The certificate API: authorities, certificates and their lifecycle, requests, counts.

Every list is narrowed by the permission rules; every change goes through ``services``. A
request that is valid but not allowed in the object's state answers 409 with the reason.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.core import permissions as perms
from egov.core.api.errors import Conflict
from egov.core.models import Agency, User

from .. import queries, services
from ..models import Certificate, CertificateAuthority, CertificateRequest
from .certificate_serializers import (
    AgencyCountsSerializer,
    AuthoritySerializer,
    CertificateActionSerializer,
    CertificateDetailSerializer,
    CertificateSerializer,
    DecisionSerializer,
    RequestCreateSerializer,
    RequestSerializer,
)


def _conflict(error: services.NotAllowedNow) -> Conflict:
    conflict = Conflict(error.message)
    conflict.detail = {"code": "not_allowed_now", "message": error.message}
    return conflict


class AuthorityListView(generics.ListAPIView):
    """The province's CAs with the URLs of their certificates and CRLs (public)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = AuthoritySerializer
    pagination_class = None
    queryset = CertificateAuthority.objects.order_by("created_at", "pk")


class CertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Certificate.Status.choices, method="by_status", label=gettext_lazy("status today")
    )
    agency = django_filters.CharFilter(
        method="by_agency", label=gettext_lazy("agency code (with its subtree)")
    )
    holder = django_filters.CharFilter(field_name="user__username")
    holder_kind = django_filters.CharFilter(field_name="holder_kind")

    class Meta:
        model = Certificate
        fields = ["status", "agency", "holder", "holder_kind"]

    def by_status(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        if value == Certificate.Status.EXPIRED:
            return queryset.filter(
                Q(status=value) | Q(status__in=("active", "suspended"), not_after__lte=now)
            )
        if value in (Certificate.Status.ACTIVE, Certificate.Status.SUSPENDED):
            return queryset.filter(status=value, not_after__gt=now)
        return queryset.filter(status=value)

    def by_agency(self, queryset, name, value):
        agency = Agency.objects.filter(code=value).first()
        if agency is None:
            return queryset.none()
        return queryset.filter(agency__path__startswith=agency.path)


class CertificateListView(generics.ListAPIView):
    """Certificates the caller may see: her own, her agencies' (administrators), seals she
    uses (leaders, clerks)."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter

    def get_queryset(self):
        return perms.scope(
            self.request.user,
            Certificate.objects.select_related("user", "agency", "issuer"),
            "view",
        )


class CertificateDetailView(generics.RetrieveAPIView):
    """One certificate, with its PEM (public) and status history."""

    serializer_class = CertificateDetailSerializer

    def get_queryset(self):
        return perms.scope(
            self.request.user,
            Certificate.objects.select_related("user", "agency", "issuer").prefetch_related(
                "status_changes"
            ),
            "view",
        )


class CertificateActionView(APIView):
    """Suspend, reinstate, revoke (with an RFC 5280 reason) or renew a certificate."""

    @extend_schema(
        request=CertificateActionSerializer,
        responses={200: CertificateDetailSerializer, 201: RequestSerializer},
    )
    def post(self, request, pk: int):
        cert = get_object_or_404(
            perms.scope(request.user, Certificate.objects.all(), "view"), pk=pk
        )
        serializer = CertificateActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data["action"] == "suspend":
                services.suspend_certificate(request.user, cert, data["comment"])
            elif data["action"] == "unsuspend":
                services.unsuspend_certificate(request.user, cert, data["comment"])
            elif data["action"] == "revoke":
                services.revoke_certificate(
                    request.user, cert, int(data["reason_code"]), data["comment"]
                )
            else:
                renewal = services.renew_certificate(
                    request.user, cert, csr_pem=data["csr_pem"], reason=data["comment"]
                )
                return Response(RequestSerializer(renewal).data, status=status.HTTP_201_CREATED)
        except services.NotAllowedNow as error:
            raise _conflict(error) from error
        cert.refresh_from_db()
        return Response(CertificateDetailSerializer(cert).data)


class RequestListCreateView(generics.ListCreateAPIView):
    """Certificate requests the caller may see, or a new request."""

    serializer_class = RequestSerializer

    def get_queryset(self):
        rows = queries.visible_requests(self.request.user).select_related(
            "decided_by", "certificate"
        )
        state = self.request.query_params.get("status")
        return rows.filter(status=state) if state else rows

    @extend_schema(
        request=RequestCreateSerializer,
        responses={201: RequestSerializer},
        parameters=[OpenApiParameter("status", str, required=False)],
    )
    def post(self, request):
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        holder = None
        if data["kind"] == CertificateRequest.Kind.PERSONAL:
            holder = (
                User.objects.filter(username=data["holder"]).first()
                if data.get("holder")
                else request.user
            )
            if holder is None:
                raise ValidationError({"holder": [_("No official with this user name.")]})
        agency = None
        if data.get("agency"):
            agency = Agency.objects.filter(code=data["agency"]).first()
            if agency is None:
                raise ValidationError({"agency": [_("No agency with this code.")]})
        try:
            created = services.request_certificate(
                request.user,
                kind=data["kind"],
                holder=holder,
                agency=agency,
                key_storage=data.get("key_storage", ""),
                csr_pem=data["csr_pem"],
                reason=data["reason"],
            )
        except services.NotAllowedNow as error:
            raise _conflict(error) from error
        return Response(RequestSerializer(created).data, status=status.HTTP_201_CREATED)


class DecisionView(APIView):
    """Approve (the certificate is issued at once) or reject (with a reason) a request."""

    @extend_schema(request=DecisionSerializer, responses={200: RequestSerializer})
    def post(self, request, pk: int):
        certificate_request = get_object_or_404(queries.visible_requests(request.user), pk=pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data["decision"] == "approve":
                decided = services.approve_request(request.user, certificate_request)
            else:
                decided = services.reject_request(request.user, certificate_request, data["reason"])
        except services.NotAllowedNow as error:
            raise _conflict(error) from error
        return Response(RequestSerializer(decided).data)


class CountsView(APIView):
    """Issued, active, suspended, revoked, expired and expiring certificates per agency the
    caller administers, with the requests waiting."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "within_days",
                int,
                required=False,
                description=gettext_lazy("days ahead counted as expiring"),
            )
        ],
        responses={200: AgencyCountsSerializer(many=True)},
    )
    def get(self, request):
        raw = request.query_params.get("within_days", "")
        if raw and not raw.isdigit():
            raise ValidationError({"within_days": [_("Give a whole number of days.")]})
        within = int(raw) if raw else None
        counts = queries.certificate_counts(
            queries.administered_agencies(request.user), within_days=within
        )
        return Response(AgencyCountsSerializer(counts, many=True).data)

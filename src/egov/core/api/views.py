"""Core API: health, token log-in, the agency directory."""

import datetime as dt

import django_filters
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import connection
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .. import permissions as perms
from ..audit import record_event
from ..models import Agency
from ..security import requires_second_factor
from ..text import fold
from .authentication import token_expired
from .errors import error_body
from .serializers import AgencySerializer, TokenRequestSerializer, TokenResponseSerializer


class HealthView(APIView):
    """``GET /healthz``: 200 when the database answers, 503 otherwise."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={200: {"type": "object", "properties": {"status": {"type": "string"}}}},
        examples=[OpenApiExample("healthy", value={"status": "ok"})],
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return Response({"status": "unavailable"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"status": "ok"})


def liveness(request):
    """``GET /livez``: 200 while the process serves requests, without touching the database
    (a liveness probe restarts a hung process; /healthz tells whether it can do real work).
    A plain Django view, so it is also the bare baseline the benchmarks compare with."""
    return HttpResponse("ok", content_type="text/plain")


class TokenView(APIView):
    """Exchange user name, password (and TOTP for leaders/administrators) for an API token.

    Failed attempts count toward the same lockout as the web log-in.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        examples=[
            OpenApiExample(
                "log-in", request_only=True, value={"username": "tiepnhan.hcc", "password": "…"}
            )
        ],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        credentials = {"username": data["username"]}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return Response(
                error_body(
                    "locked",
                    _(
                        "Too many failed log-ins: the account is "
                        "locked for a while. Try again later."
                    ),
                ),
                status=status.HTTP_403_FORBIDDEN,
            )
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            return Response(
                error_body("invalid_credentials", _("Wrong user name or password.")),
                status=status.HTTP_401_UNAUTHORIZED,
            )
        if requires_second_factor(user):
            if not any(True for _d in devices_for_user(user, confirmed=True)):
                return Response(
                    error_body(
                        "otp_not_enrolled",
                        _(
                            "Your role requires a second factor: enrol an authenticator app "
                            "in the web interface first."
                        ),
                    ),
                    status=status.HTTP_403_FORBIDDEN,
                )
            if not data.get("otp") or match_token(user, data["otp"]) is None:
                return Response(
                    error_body(
                        "otp_required",
                        _("Enter the 6-digit code from your authenticator app."),
                        {"otp": [_("Missing or wrong code.")]},
                    ),
                    status=status.HTTP_401_UNAUTHORIZED,
                )
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        record_event("auth.token", user, actor=user)
        expires = token.created + dt.timedelta(hours=settings.EGOV_API_TOKEN_TTL_HOURS)
        return Response({"token": token.key, "expires_at": expires})


class AgencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("name or code, accents ignored"))
    level = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    parent = django_filters.CharFilter(field_name="parent__code")
    valid_on = django_filters.DateFilter(method="in_force", label=_("in force on (YYYY-MM-DD)"))

    class Meta:
        model = Agency
        fields = ["q", "level", "kind", "parent", "valid_on"]

    def search(self, queryset, name, value):
        return queryset.filter(search_text__contains=fold(value))

    def in_force(self, queryset, name, value):
        return queryset.valid_on(value)


@extend_schema(summary="Agencies with code, name, level, parent, validity")
class AgencyListView(generics.ListAPIView):
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        qs = Agency.objects.select_related("parent", "successor", "administrative_unit")
        return perms.scope(self.request.user, qs, "view")


@extend_schema(summary="One agency")
class AgencyDetailView(generics.RetrieveAPIView):
    serializer_class = AgencySerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Z.]+"

    def get_queryset(self):
        qs = Agency.objects.select_related("parent", "successor", "administrative_unit")
        return perms.scope(self.request.user, qs, "view")

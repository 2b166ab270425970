"""The dossier API: intake, lists, one dossier, transitions, timeline, forms, public look-up."""

from __future__ import annotations

import uuid

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, parsers, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from egov.catalog.published import version_in_force, version_parts
from egov.core.api.errors import Conflict, error_body
from egov.core.api.idempotency import idempotency_key, key_reused
from egov.core.audit import record_event
from egov.core.directory import agency_code, attach_agencies
from egov.core.models import Agency, AuditEvent

from .. import services
from ..access import can_view, visible_dossiers
from ..lookup import find_for_applicant
from ..models import Dossier, DossierDocument, DossierParty, DossierStep
from ..queries import reception_agency
from ..workflow import State
from .serializers import (
    DocumentSerializer,
    DossierCreatedSerializer,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierListSerializer,
    EventSerializer,
    LookupSerializer,
    TransitionSerializer,
)


def get_dossier_for(user, key: str) -> Dossier:
    """A dossier by code (or draft reference) that ``user`` may see; 404 otherwise, so that
    nobody learns whether a code exists."""
    # The three agencies come from the process's copy of the agency table (core.directory):
    # joining them made this the costliest statement of the dossier page.
    queryset = Dossier.objects.select_related("procedure_version__procedure", "current_holder")
    try:
        dossier = queryset.get(reference=uuid.UUID(key))
    except (ValueError, Dossier.DoesNotExist):
        dossier = queryset.filter(code=key).first()
    if dossier is None:
        raise Http404
    attach_agencies(dossier, *services.DOSSIER_AGENCIES)
    if not can_view(user, dossier):
        raise Http404
    return dossier


def detail_body(request, dossier: Dossier) -> dict:
    """The detail representation, its lists read in one statement each."""
    prefetch_related_objects(
        [dossier],
        Prefetch("steps", queryset=DossierStep.objects.select_related("assignee")),
        "documents",
        "tasks",
    )
    return DossierDetailSerializer(dossier, context={"request": request}).data


def _refusal(error: services.TransitionRefused) -> Conflict:
    conflict = Conflict(error.message)
    conflict.detail = {"code": error.code, "message": error.message}
    return conflict


class DossierFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    agency = django_filters.CharFilter(
        method="by_agency", label=_("agency code: dossiers it takes part in")
    )
    procedure = django_filters.CharFilter(field_name="procedure_version__procedure__code")
    overdue = django_filters.BooleanFilter(field_name="is_overdue")
    received_from = django_filters.DateFilter(method="received_since")
    received_to = django_filters.DateFilter(method="received_until")
    applicant = django_filters.CharFilter(field_name="applicant_name", lookup_expr="icontains")

    class Meta:
        model = Dossier
        fields = ["state", "agency", "procedure", "overdue", "received_from", "received_to"]

    def by_agency(self, queryset, name, value):
        agency = Agency.objects.filter(code=value).first()
        if agency is None:
            return queryset.none()
        parties = DossierParty.objects.filter(
            dossier=OuterRef("pk"), agency_path__startswith=agency.path
        )
        return queryset.filter(Exists(parties))

    @staticmethod
    def _local_midnight(day):
        import datetime as dt

        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def received_since(self, queryset, name, value):
        return queryset.filter(received_at__gte=self._local_midnight(value))

    def received_until(self, queryset, name, value):
        import datetime as dt

        return queryset.filter(received_at__lt=self._local_midnight(value + dt.timedelta(days=1)))


class DossierListCreateView(generics.ListCreateAPIView):
    """List the dossiers the caller may see (keyset pagination, never a full count), or open
    a dossier: counter intake by a reception officer, or an online submission by an applicant.
    """

    filterset_class = DossierFilter

    def get_queryset(self):
        # Agency codes come from core.directory: joining three agency tables into the list
        # query made PostgreSQL spend 25 times longer planning it than running it.
        return visible_dossiers(self.request.user).select_related(
            "procedure_version__procedure", "current_holder"
        )

    def get_serializer_class(self):
        return DossierCreateSerializer if self.request.method == "POST" else DossierListSerializer

    @extend_schema(
        request=DossierCreateSerializer,
        responses={201: DossierCreatedSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                description=_(
                    "A UUID the client makes once per dossier: sending the request again with "
                    "the same key (a retry after a lost answer) returns the dossier created the "
                    "first time instead of a second one."
                ),
            )
        ],
    )
    def post(self, request):
        key = idempotency_key(request)
        if key is not None:
            earlier = self._created_with(request.user, key)
            if earlier is not None:
                return Response(DossierCreatedSerializer(earlier).data, status=201)
        try:
            return self._create(request, key)
        except IntegrityError:
            # The same key, used a moment ago by a parallel request that won the race.
            earlier = self._created_with(request.user, key) if key else None
            if earlier is None:
                raise
            return Response(DossierCreatedSerializer(earlier).data, status=201)

    @staticmethod
    def _created_with(user, key) -> Dossier | None:
        """The dossier an earlier request with ``key`` created; a key someone else used is a
        conflict, not a way to read their dossier."""
        earlier = Dossier.objects.filter(reference=key).first()
        if earlier is not None and not visible_dossiers(user).filter(pk=earlier.pk).exists():
            raise key_reused()
        return earlier

    def _create(self, request, key):
        serializer = DossierCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        version = version_in_force(data["procedure"])
        if version is None:
            raise ValidationError({"procedure": [_("No procedure in force with this code.")]})
        receiving = self._receiving_agency(user, data.get("receiving_agency"))
        competent = (
            Agency.objects.filter(code=data["competent_agency"]).first()
            if data.get("competent_agency")
            else None
        )
        requirements = {d.pk: d for d in version_parts(version).documents}
        documents = []
        for doc in data.get("documents", []):
            requirement = requirements.get(doc.get("requirement"))
            if doc.get("requirement") and requirement is None:
                raise ValidationError(
                    {
                        "documents": [
                            _("Document %(id)s is not required by this procedure.")
                            % {"id": doc["requirement"]}
                        ]
                    }
                )
            documents.append({**doc, "requirement": requirement})
        applicant = {k: v for k, v in data.items() if k.startswith("applicant_")}
        is_applicant = user.kind != user.Kind.STAFF
        options = {
            "competent_agency": competent,
            "channel": "online" if is_applicant else "counter",
            "request_summary": data.get("request_summary", ""),
            "sets": data.get("sets", 1),
            "documents": documents,
            "applicant_user": user if is_applicant else None,
            "reference": key,
        }
        try:
            if data["action"] == "receive":
                dossier = services.receive_at_counter(
                    user, version, receiving, applicant, **options
                )
            else:
                with transaction.atomic():
                    dossier = services.create_dossier(
                        user, version, receiving, applicant, **options
                    )
                    if data["action"] == "submit":
                        dossier = services.submit(user, dossier)
        except services.TransitionRefused as error:
            raise _refusal(error) from error
        body = DossierCreatedSerializer(dossier).data
        return Response(body, status=status.HTTP_201_CREATED)

    @staticmethod
    def _receiving_agency(user, code: str | None) -> Agency:
        if code:
            agency = Agency.objects.valid_on().filter(code=code).first()
            if agency is None:
                raise ValidationError({"receiving_agency": [_("Unknown agency code.")]})
            return agency
        desk = reception_agency(user)
        if desk is not None:
            return desk
        raise ValidationError(
            {"receiving_agency": [_("Say where the dossier is filed (receiving_agency).")]}
        )


class DossierDetailView(APIView):
    @extend_schema(responses=DossierDetailSerializer)
    def get(self, request, code):
        """One dossier: state, due dates, steps, documents and the caller's allowed actions."""
        return Response(detail_body(request, get_dossier_for(request.user, code)))


class TransitionView(APIView):
    @extend_schema(request=TransitionSerializer, responses={200: DossierDetailSerializer})
    def post(self, request, code):
        """Take an action; a refused transition answers 409 with the reason and changes nothing."""
        dossier = get_dossier_for(request.user, code)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        params = dict(serializer.validated_data)
        try:
            dossier = services.perform(request.user, dossier, params.pop("action"), params)
        except services.TransitionRefused as error:
            raise _refusal(error) from error
        dossier = get_dossier_for(request.user, str(dossier.reference))
        return Response(detail_body(request, dossier))


class EventListView(APIView):
    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request, code):
        """The timeline: audit events and handovers, oldest first."""
        dossier = get_dossier_for(request.user, code)
        return Response(EventSerializer(timeline(dossier), many=True).data)


def timeline(dossier: Dossier) -> list[dict]:
    """Audit events and handovers of a dossier merged in time order."""
    # Plain rows, not model instances, and agency codes from the process's directory: the
    # timeline was the costliest read of the dossier page.
    rows = [
        {
            "kind": "event",
            "at": at,
            "action": action,
            "actor": actor,
            "reason": reason,
            "details": changes,
        }
        for at, action, actor, reason, changes in AuditEvent.objects.filter(
            object_type="dossiers.dossier", object_id=str(dossier.pk)
        )
        .order_by("seq")
        .values_list("occurred_at", "action", "actor_label", "reason", "changes")
    ]
    rows += [
        {
            "kind": "handover",
            "at": h.at,
            "action": "handover",
            "actor": str(h.from_user or ""),
            "reason": h.note,
            "details": {
                "from": agency_code(h.from_agency_id),
                "to": agency_code(h.to_agency_id),
                "to_user": h.to_user.username if h.to_user else None,
                "timeliness": h.timeliness,
            },
        }
        for h in dossier.handovers.select_related("from_user", "to_user")
    ]
    return sorted(rows, key=lambda r: (r["at"], r["kind"] != "event"))


class DocumentUploadView(APIView):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "name": {"type": "string"},
                    "requirement": {"type": "integer"},
                },
            }
        },
        responses={201: DocumentSerializer},
    )
    def post(self, request, code):
        """Attach a scan to the dossier (checked by content, size-limited, SHA-256 kept)."""
        dossier = get_dossier_for(request.user, code)
        if dossier.state in (State.REFUSED, State.STOPPED, State.EVALUATED):
            raise Conflict(_("The dossier is closed."))
        if (
            request.user.kind != request.user.Kind.STAFF
            and dossier.applicant_user_id != request.user.pk
        ):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose a file to upload.")]})
        requirement = dossier.procedure_version.documents.filter(
            pk=request.data.get("requirement") or 0
        ).first()
        with transaction.atomic():
            document = services.add_document(
                request.user,
                dossier,
                {"file": upload, "requirement": requirement, "name": request.data.get("name")},
            )
            record_event(
                "dossier.document",
                dossier,
                actor=request.user,
                changes={"document": document.name, "sha256": document.sha256},
            )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentFileView(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, code, document_id):
        """Download a document's file: only for those who may see the dossier."""
        dossier = get_dossier_for(request.user, code)
        document = get_object_or_404(DossierDocument, dossier=dossier, pk=document_id)
        if not document.file:
            raise Http404
        response = HttpResponse(
            document.file.open("rb").read(),
            content_type=document.content_type or "application/octet-stream",
        )
        response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class FormView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, code, form):
        """Official forms as PDF: receipt, supplement, refusal, apology, control-sheet."""
        from ..documents.forms import FORMS, FormNotApplicable, render_form

        dossier = get_dossier_for(request.user, code)
        if form not in FORMS:
            raise Http404
        try:
            pdf = render_form(dossier, form)
        except FormNotApplicable as error:
            raise Conflict(str(error)) from error
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
        return response


class LookupView(APIView):
    """Public status look-up by the code and secret printed on the receipt (form 01)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True),
            OpenApiParameter("secret", str, required=True),
        ],
        responses={200: LookupSerializer},
    )
    def get(self, request):
        """A wrong code and a wrong secret get the same answer, in the same way, so the
        look-up tells nothing about which dossiers exist."""
        dossier = find_for_applicant(
            request.query_params.get("code"), request.query_params.get("secret")
        )
        if dossier is None:
            return Response(
                error_body(
                    "not_found",
                    _("No dossier matches this code and secret. Check both on your receipt."),
                ),
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            LookupSerializer(
                {
                    "code": dossier.code,
                    "state": dossier.state,
                    "state_label": dossier.get_state_display(),
                    "procedure_name": dossier.procedure_version.name,
                    "received_at": dossier.received_at,
                    "due_at": dossier.due_at,
                    "new_appointment_at": dossier.new_appointment_at,
                    "returned_at": dossier.returned_at,
                }
            ).data
        )


class TrackingBookView(APIView):
    """Sổ theo dõi hồ sơ of a receiving desk for a period (PDF or XLSX)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", str, required=True, description="receiving agency code"),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("output", str, enum=["pdf", "xlsx"]),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        from django.utils.dateparse import parse_date

        from egov.core import permissions as perms

        from ..documents.forms import render_tracking_book

        agency = get_object_or_404(Agency, code=request.query_params.get("agency", ""))
        roles = ("reception", "clerk", "unit_leader", "agency_leader")
        if not (
            request.user.is_system_admin or perms.in_organisation_scope(request.user, agency, roles)
        ):
            raise PermissionDenied(_("The tracking book is kept by the desk and its leaders."))
        start = parse_date(request.query_params.get("from") or "")
        end = parse_date(request.query_params.get("to") or "")
        fmt = request.query_params.get("output", "pdf")
        if start is None or end is None or fmt not in ("pdf", "xlsx") or end < start:
            raise ValidationError(
                {
                    "from": [
                        _(
                            "Give the period as from=YYYY-MM-DD and "
                            "to=YYYY-MM-DD (output pdf or xlsx)."
                        )
                    ]
                }
            )
        content = render_tracking_book(agency, start, end, fmt)
        mime = (
            "application/pdf"
            if fmt == "pdf"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = (
            f'attachment; filename="so-theo-doi-{agency.code}-{start}-{end}.{fmt}"'
        )
        return response

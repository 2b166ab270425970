"""``POST /api/v1/applications/``: a citizen's or business's online application in one
multipart request — e-form answers, one file (or stored document) per required document, and
the submission — for mobile apps and partner portals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.catalog.published import version_in_force
from egov.core.api.errors import Conflict
from egov.core.api.idempotency import idempotency_key, key_reused
from egov.dossiers.services import TransitionRefused

from .. import services
from ..models import Application
from ..web.applicant import files_chosen
from .serializers import ApplicationCreatedSerializer, ApplicationSubmitSerializer


def _earlier(user, key) -> Response | None:
    """The answer given to the request that used ``key`` first (after a lost race)."""
    application = (
        Application.objects.filter(key=key)
        .select_related("dossier__procedure_version__procedure", "dossier__receiving_agency")
        .first()
    )
    if application is None:
        return None
    if application.applicant_id != user.pk:
        raise key_reused()
    return Response(ApplicationCreatedSerializer(application.dossier).data, status=201)


REQUEST_SCHEMA = {
    "multipart/form-data": {
        "type": "object",
        "required": ["procedure", "receiving_agency"],
        "properties": {
            "procedure": {"type": "string", "description": "Procedure code."},
            "receiving_agency": {
                "type": "string",
                "description": "Code (or id) of the receiving place.",
            },
            "answers": {
                "type": "string",
                "description": "The e-form answers: a JSON object, field name → value.",
            },
            "file-{requirement}": {
                "type": "string",
                "format": "binary",
                "description": "One scan per required document (PDF, JPEG, PNG, TIFF, Word, "
                "Excel; checked by content). Name the part after the requirement id.",
            },
            "reuse-{requirement}": {
                "type": "integer",
                "description": "Instead of a file: the id of a document of your data store.",
            },
        },
    }
}


class ApplicationCreateView(APIView):
    """Online submission in one request (citizen and business accounts)."""

    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        operation_id="applications_create",
        summary="Submit an online application in one request",
        request=REQUEST_SCHEMA,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                description="A UUID the client makes once per application: the same key again "
                "(a retry after a lost answer) returns the dossier submitted the first time; "
                "a key someone else used answers 409.",
            )
        ],
        responses={
            201: ApplicationCreatedSerializer,
            400: OpenApiResponse(description="Invalid input; nothing was created."),
            403: OpenApiResponse(description="Officials' accounts cannot apply online."),
            409: OpenApiResponse(description="The Idempotency-Key belongs to someone else."),
        },
        examples=[
            OpenApiExample(
                "Two scans, e-form answers",
                request_only=True,
                media_type="multipart/form-data",
                value={
                    "procedure": "1.000028",
                    "receiving_agency": "000.00.21.H16",
                    "answers": '{"full_name": "Nguyễn Văn An", "copies": 1}',
                    "file-41": "(binary PDF)",
                    "reuse-42": 17,
                },
            ),
            OpenApiExample(
                "Submitted",
                response_only=True,
                status_codes=["201"],
                value={
                    "code": "000.00.21.H16-250314-0042",
                    "reference": "3f1c8e0a-8c9e-4d55-9d1e-7b1c1f6f2a10",
                    "state": "submitted",
                    "channel": "online",
                    "procedure": "1.000028",
                    "receiving_agency": "000.00.21.H16",
                    "submitted_at": "2025-03-14T09:30:00+07:00",
                    "links": {
                        "self": "/api/v1/dossiers/000.00.21.H16-250314-0042/",
                        "events": "/api/v1/dossiers/000.00.21.H16-250314-0042/events/",
                        "portal": "/dich-vu-cong/ho-so/000.00.21.H16-250314-0042/",
                    },
                },
            ),
        ],
    )
    def post(self, request):
        """Nộp hồ sơ trực tuyến: the dossier is "submitted online" exactly as through the
        portal's pages (same checks, audit events, notifications; the files go into the
        applicant's data store). Answers 201 with its code; bad input answers 400 and nothing
        is kept."""
        key = idempotency_key(request)
        try:
            dossier = self._submit(request, key)
        except services.KeyTaken:
            raise key_reused() from None
        except IntegrityError:
            # The same key, used a moment ago by a parallel request that won the race.
            earlier = _earlier(request.user, key) if key else None
            if earlier is None:
                raise
            return earlier
        except TransitionRefused as error:
            raise Conflict(error.message) from error
        return Response(ApplicationCreatedSerializer(dossier).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _submit(request, key):
        serializer = ApplicationSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = version_in_force(data["procedure"])
        if version is None:
            raise ValidationError({"procedure": [_("No procedure in force with this code.")]})
        places = services.receiving_choices(version)
        wanted = data["receiving_agency"].strip()
        receiving = next((p for p in places if wanted in (p.code, str(p.pk))), None)
        if receiving is None:
            raise ValidationError(
                {
                    "receiving_agency": [
                        _("This procedure is filed at: %(places)s.")
                        % {"places": ", ".join(p.code for p in places)}
                    ]
                }
            )
        uploads, reuse = files_chosen(request, version)
        return services.submit_online(
            request.user, version, receiving, data.get("answers") or {}, uploads, reuse, key
        )

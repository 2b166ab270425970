"""Serializers of the dossier API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from egov.core.api.serializers import SharedFieldsSerializer

from ..models import Dossier, DossierDocument, DossierStep, IdType, InterAgencyTask
from ..workflow import TRANSITIONS, State


class DocumentInSerializer(SharedFieldsSerializer):
    requirement = serializers.IntegerField(
        required=False,
        help_text=_("id of the required document in the procedure (GET /procedures/{code}/)"),
    )
    name = serializers.CharField(required=False, max_length=500)
    kind = serializers.CharField(required=False)
    count = serializers.IntegerField(required=False, min_value=1, default=1)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Counter intake",
            request_only=True,
            value={
                "procedure": "1.001193",
                "action": "receive",
                "applicant_name": "Nguyễn Văn An",
                "applicant_id_type": "cccd",
                "applicant_id_number": "067085000123",
                "applicant_address": "Phường Nghĩa Đức, Gia Nghĩa",
                "applicant_phone": "0912345678",
                "applicant_email": "an@example.vn",
                "documents": [{"requirement": 101}, {"requirement": 102}],
            },
        )
    ]
)
class DossierCreateSerializer(SharedFieldsSerializer):
    procedure = serializers.CharField(help_text=_("national procedure code, e.g. 1.001193"))
    receiving_agency = serializers.CharField(
        required=False,
        help_text=_("agency code of the one-stop desk; default: the officer's own agency"),
    )
    competent_agency = serializers.CharField(
        required=False,
        help_text=_("district/commune procedures: the People's Committee that handles it"),
    )
    action = serializers.ChoiceField(
        choices=["receive", "submit", "draft"],
        default="receive",
        help_text=_(
            "receive at the counter (officer), submit online (applicant) or keep as a draft"
        ),
    )
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.CITIZEN_ID)
    applicant_id_number = serializers.CharField(max_length=20)
    applicant_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    applicant_email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    request_summary = serializers.CharField(required=False, allow_blank=True)
    sets = serializers.IntegerField(required=False, min_value=1, default=1)
    documents = DocumentInSerializer(many=True, required=False)


@extend_schema_field(serializers.CharField(allow_null=True))
class AgencyCodeField(serializers.Field):
    """An agency's code read from the process-wide directory (no join in list queries)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, f"{self.field_name}_id")

    def to_representation(self, agency_id):
        from egov.core.directory import agency_code

        return agency_code(agency_id)


class StepSerializer(serializers.ModelSerializer):
    agency = AgencyCodeField()
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DossierStep
        fields = [
            "order",
            "name",
            "kind",
            "agency",
            "role",
            "days",
            "status",
            "assignee",
            "started_at",
            "due_at",
            "finished_at",
            "timeliness",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierDocument
        fields = [
            "id",
            "name",
            "kind",
            "count",
            "content_type",
            "size",
            "sha256",
            "is_result",
            "uploaded_at",
        ]


class TaskSerializer(serializers.ModelSerializer):
    agency = AgencyCodeField()

    class Meta:
        model = InterAgencyTask
        fields = [
            "agency",
            "status",
            "requested_at",
            "due_at",
            "finished_at",
            "timeliness",
            "answer",
        ]


class DossierListSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    receiving_agency = AgencyCodeField()
    competent_agency = AgencyCodeField()
    current_agency = AgencyCodeField()
    current_holder = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "reference",
            "state",
            "channel",
            "procedure",
            "procedure_name",
            "applicant_name",
            "receiving_agency",
            "competent_agency",
            "current_agency",
            "current_holder",
            "received_at",
            "due_at",
            "new_appointment_at",
            "is_overdue",
            "timeliness",
        ]


class DossierDetailSerializer(DossierListSerializer):
    steps = StepSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DossierListSerializer.Meta):
        fields = [
            *DossierListSerializer.Meta.fields,
            "applicant_id_type",
            "applicant_id_number",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "request_summary",
            "sets",
            "submitted_at",
            "finished_at",
            "returned_at",
            "return_mode",
            "paused_hours",
            "tracking_number",
            "result_note",
            "stop_reason",
            "steps",
            "documents",
            "tasks",
            "allowed_actions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_allowed_actions(self, dossier):
        from ..access import allowed_actions

        user = self.context["request"].user
        return [
            {
                "action": a,
                "label": str(TRANSITIONS[a].label),
                "needs_reason": TRANSITIONS[a].needs_reason,
                "fields": list(TRANSITIONS[a].extra),
            }
            for a in allowed_actions(user, dossier)
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Refuse",
            request_only=True,
            value={"action": "refuse", "reason": "Không thuộc thẩm quyền"},
        ),
        OpenApiExample(
            "Request a supplement",
            request_only=True,
            value={
                "action": "request_supplement",
                "reason": "Thiếu giấy tờ",
                "items": [{"name": "Bản sao CCCD", "kind": "copy", "count": 1}],
            },
        ),
        OpenApiExample(
            "Assign", request_only=True, value={"action": "assign", "assignee": "chuyenvien.stttt"}
        ),
    ]
)
class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True)
    items = serializers.ListField(child=serializers.DictField(), required=False)
    assignee = serializers.CharField(required=False)
    to_user = serializers.CharField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)
    new_appointment = serializers.CharField(required=False)
    mode = serializers.CharField(required=False)
    rating = serializers.CharField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True)
    result_note = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.IntegerField(required=False, min_value=0)
    reference = serializers.CharField(required=False, allow_blank=True)


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    details = serializers.DictField()


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    procedure_name = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    new_appointment_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)


class DossierCreatedSerializer(SharedFieldsSerializer):
    """What counter software needs right after intake: the code, the appointment and where to
    fetch the receipt (the full dossier is one GET away). Fields are declared, not derived from
    the model, because this answers every intake."""

    code = serializers.CharField(allow_null=True)
    reference = serializers.UUIDField()
    state = serializers.ChoiceField(choices=State.choices)
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    tracking_number = serializers.IntegerField(allow_null=True)
    links = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, dossier):
        key = dossier.code or dossier.reference
        links = {"self": f"/api/v1/dossiers/{key}/"}
        if dossier.received_at:
            links["receipt"] = f"/api/v1/dossiers/{key}/forms/receipt.pdf"
        return links

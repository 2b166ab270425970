"""Serializers of the procedure catalogue."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import Fee, ProcedureVersion, RequiredDocument, WorkflowStep


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "kind", "count", "mandatory", "template"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fee
        fields = ["name", "amount", "note"]


class WorkflowStepSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WorkflowStep
        fields = ["order", "name", "kind", "performer", "agency", "role", "days"]


class ProcedureSummarySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    field = serializers.CharField(source="field.name")
    competent_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "localised_code",
            "name",
            "field",
            "level",
            "competent_agency",
            "time_value",
            "time_unit",
            "online_mode",
            "legacy_level",
            "number",
        ]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Birth registration",
            response_only=True,
            value={
                "code": "1.001193",
                "localised_code": "1.001193",
                "name": "Thủ tục đăng ký khai sinh",
                "field": "Hộ tịch",
                "level": "commune",
                "competent_agency": None,
                "time_value": "8.00",
                "time_unit": "working_hours",
                "after_15h_next_day": True,
                "online_mode": "partial",
                "legacy_level": 3,
                "number": 1,
                "result_name": "Giấy khai sinh",
                "delivery_modes": ["counter", "post", "online"],
                "legal_basis": "Luật Hộ tịch 2014",
                "valid_from": "2018-01-01",
                "valid_to": None,
                "documents": [
                    {
                        "id": 1,
                        "name": "Tờ khai đăng ký khai sinh",
                        "kind": "original",
                        "count": 1,
                        "mandatory": True,
                        "template": None,
                    }
                ],
                "fees": [
                    {
                        "name": "Lệ phí",
                        "amount": 0,
                        "note": "Miễn lệ phí đăng ký khai sinh đúng hạn",
                    }
                ],
                "steps": [
                    {
                        "order": 1,
                        "name": "Tiếp nhận hồ sơ",
                        "kind": "receive",
                        "performer": "receiving",
                        "agency": None,
                        "role": "reception",
                        "days": "0.00",
                    }
                ],
                "coordinating_agencies": [],
                "coordinating_external": [],
                "receiving_places": [],
            },
        )
    ]
)
class ProcedureDetailSerializer(ProcedureSummarySerializer):
    documents = RequiredDocumentSerializer(many=True, read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    steps = WorkflowStepSerializer(many=True, read_only=True)
    coordinating_agencies = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    receiving_places = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta(ProcedureSummarySerializer.Meta):
        fields = [
            *ProcedureSummarySerializer.Meta.fields,
            "after_15h_next_day",
            "result_name",
            "delivery_modes",
            "legal_basis",
            "valid_from",
            "valid_to",
            "documents",
            "fees",
            "steps",
            "coordinating_agencies",
            "coordinating_external",
            "receiving_places",
        ]

"""Serializers of the procedure catalogue."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import Fee, FeeKind, ProcedureVersion, RequiredDocument, WorkflowStep


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name", "kind", "count", "mandatory", "template"]


class FeeRowSerializer(serializers.Serializer):
    """One case of a fee by table."""

    condition = serializers.CharField(help_text=_("the case, as published (Vietnamese)"))
    amount = serializers.IntegerField(min_value=0, help_text=_("whole đồng"))
    unit = serializers.CharField(allow_blank=True, help_text=_("what it is counted per"))


class FeeSerializer(serializers.ModelSerializer):
    """A fixed fee has ``amount`` (whole đồng) and ``rows`` empty; a fee by table has
    ``amount`` null and one row per case."""

    kind = serializers.ChoiceField(
        choices=[("", _("not stated")), *FeeKind.choices],
        read_only=True,
        help_text=_("fee (phí) or charge (lệ phí); empty when the source does not say"),
    )
    rows = FeeRowSerializer(many=True, read_only=True)

    class Meta:
        model = Fee
        fields = ["name", "kind", "amount", "unit", "rows", "note"]


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
                        "kind": "charge",
                        "amount": 0,
                        "unit": "",
                        "rows": [],
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
                "receiving_places": ["000.01.31.H16", "000.02.31.H16"],
            },
        ),
        OpenApiExample(
            "Construction permit (fee by table)",
            response_only=True,
            value={
                "code": "1.013225",
                "localised_code": "1.013225",
                "name": "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV",
                "field": "Xây dựng",
                "level": "district",
                "competent_agency": None,
                "time_value": "15.00",
                "time_unit": "working_days",
                "after_15h_next_day": False,
                "online_mode": "partial",
                "legacy_level": 3,
                "number": 1,
                "result_name": "Giấy phép xây dựng",
                "delivery_modes": ["counter", "post"],
                "legal_basis": "Luật Xây dựng 2014",
                "valid_from": "2018-01-01",
                "valid_to": None,
                "documents": [],
                "fees": [
                    {
                        "name": "Lệ phí cấp giấy phép xây dựng",
                        "kind": "charge",
                        "amount": None,
                        "unit": "",
                        "rows": [
                            {
                                "condition": "Nhà ở riêng lẻ",
                                "amount": 75000,
                                "unit": "đồng/giấy phép",
                            },
                            {
                                "condition": "Công trình khác",
                                "amount": 150000,
                                "unit": "đồng/giấy phép",
                            },
                        ],
                        "note": "Mức do HĐND tỉnh quy định.",
                    }
                ],
                "steps": [],
                "coordinating_agencies": [],
                "coordinating_external": [],
                "receiving_places": ["004.00.31.H16", "004.00.33.H16"],
            },
        ),
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

"""Serializers of the office API (read-only)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import IncomingDocument, OutgoingDocument


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    version = serializers.IntegerField(required=False)
    superseded = serializers.BooleanField(required=False)


class OutgoingListSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    type = serializers.CharField(source="doc_type.name")
    revises = serializers.IntegerField(source="revises_id", allow_null=True)

    class Meta:
        model = OutgoingDocument
        fields = [
            "id",
            "agency",
            "number_symbol",
            "type",
            "subject",
            "state",
            "urgency",
            "secrecy",
            "numbered_at",
            "released_at",
            "edxml_document_id",
            "revision",
            "revises",
            "created_at",
        ]


class StatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("edXML status: 01 arrived … 06 completed, 13/15/16"))
    label = serializers.CharField()
    description = serializers.CharField()
    at = serializers.DateTimeField()


class RecipientSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    statuses = StatusSerializer(many=True)


class ReviewSerializer(serializers.Serializer):
    action = serializers.CharField()
    comment = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class OutgoingDetailSerializer(OutgoingListSerializer):
    files = FileSerializer(many=True)
    places = serializers.CharField()
    signer = serializers.CharField(allow_null=True)
    signer_title = serializers.CharField()

    class Meta(OutgoingListSerializer.Meta):
        fields = [*OutgoingListSerializer.Meta.fields, "files", "places", "signer", "signer_title"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Released to one agency",
            response_only=True,
            value={
                "document": 41,
                "number_symbol": "01/QĐ-STTTT",
                "state": "released",
                "history": [
                    {
                        "action": "numbered",
                        "comment": "01/QĐ-STTTT",
                        "actor": "Văn thư",
                        "at": "2025-03-10T09:30:00+07:00",
                    }
                ],
                "recipients": [
                    {
                        "code": "000.00.06.H16",
                        "name": "Sở Tư pháp",
                        "kind": "agency",
                        "statuses": [
                            {
                                "code": "03",
                                "label": "accepted (registered)",
                                "description": "accepted (registered)",
                                "at": "2025-03-10T10:02:00+07:00",
                            }
                        ],
                    }
                ],
            },
        )
    ]
)
class StatusTrailSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    number_symbol = serializers.CharField()
    state = serializers.CharField()
    history = ReviewSerializer(many=True)
    recipients = RecipientSerializer(many=True)


class IncomingListSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    assignee = serializers.CharField(source="assignee.get_full_name", allow_null=True)

    class Meta:
        model = IncomingDocument
        fields = [
            "id",
            "agency",
            "source",
            "state",
            "year",
            "number",
            "number_symbol",
            "sender_code",
            "sender_name",
            "type_name",
            "subject",
            "urgency",
            "secrecy",
            "issued_on",
            "arrived_at",
            "registered_at",
            "due_date",
            "assignee",
            "version",
            "edxml_document_id",
        ]


class HandlingSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    to_user = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class IncomingDetailSerializer(IncomingListSerializer):
    files = FileSerializer(many=True)
    instructions = serializers.CharField()
    validation = serializers.DictField(
        help_text=_("signature validation report of the main file, with the package's trail")
    )
    history = HandlingSerializer(many=True)

    class Meta(IncomingListSerializer.Meta):
        fields = [
            *IncomingListSerializer.Meta.fields,
            "files",
            "instructions",
            "validation",
            "history",
        ]


class RegisterEntrySerializer(serializers.Serializer):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))

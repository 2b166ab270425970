"""What an online application sends in one multipart request, and what it gets back."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from egov.dossiers.workflow import State


class ApplicationSubmitSerializer(serializers.Serializer):
    """The fields of the form; the files come as ``file-<requirement id>`` parts and stored
    documents as ``reuse-<requirement id>`` fields (see the view)."""

    procedure = serializers.CharField(max_length=40, help_text=_("Procedure code, e.g. 1.000028."))
    receiving_agency = serializers.CharField(
        max_length=40,
        help_text=_("Code (or id) of the place the dossier is filed at, among the procedure's."),
    )
    answers = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The e-form answers as a JSON object: field name → value."),
    )

    def validate_answers(self, value) -> dict:
        if not value.strip():
            return {}
        try:
            answers = json.loads(value)
        except ValueError:
            raise serializers.ValidationError(_("The answers must be a JSON object.")) from None
        if not isinstance(answers, dict):
            raise serializers.ValidationError(_("The answers must be a JSON object."))
        return answers


class ApplicationCreatedSerializer(serializers.Serializer):
    """The submitted dossier: its code, state and where to follow it."""

    code = serializers.CharField()
    reference = serializers.UUIDField()
    state = serializers.ChoiceField(choices=State.choices)
    channel = serializers.CharField()
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    receiving_agency = serializers.CharField(source="receiving_agency.code")
    submitted_at = serializers.DateTimeField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, dossier):
        return {
            "self": f"/api/v1/dossiers/{dossier.code}/",
            "events": f"/api/v1/dossiers/{dossier.code}/events/",
            "portal": f"/dich-vu-cong/ho-so/{dossier.code}/",
        }

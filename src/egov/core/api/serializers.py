"""Serializers of the core API."""

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import AdministrativeUnit, Agency


class SharedFieldsSerializer(serializers.Serializer):
    """A serializer whose declared fields are copied shallowly for each instance.

    DRF deep-copies every declared field for each serializer it makes, which runs each
    field's constructor again: a tenth of the CPU of a counter intake. Declared fields are not
    changed after the class is built and binding (name, parent, source) sets attributes of
    the copy only, so a shallow copy validates and renders the same. A nested serializer keeps
    its one child, whose own fields are then built once."""

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("6-digit TOTP code; required for leaders and administrators."),
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class AdministrativeUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "name", "unit_type", "level", "valid_from", "valid_to"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A department",
            value={
                "code": "000.00.05.H16",
                "name": "Sở Thông tin và Truyền thông",
                "short_name": "STTTT",
                "kind": "department",
                "level": "province",
                "parent": "000.00.00.H16",
                "administrative_unit": {
                    "code": "67",
                    "name": "Tỉnh Đắk Nông",
                    "unit_type": "tinh",
                    "level": "province",
                    "valid_from": "2004-01-01",
                    "valid_to": "2025-06-30",
                },
                "address": "",
                "phone": "",
                "email": "",
                "website": "",
                "valid_from": "2004-01-01",
                "valid_to": None,
                "successor": None,
            },
            response_only=True,
        ),
    ]
)
class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    administrative_unit = AdministrativeUnitSerializer(read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent",
            "administrative_unit",
            "address",
            "phone",
            "email",
            "website",
            "valid_from",
            "valid_to",
            "successor",
        ]

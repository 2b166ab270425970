"""Serializers of the certificate API (/api/v1/pki/…). No private key is ever represented."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Certificate,
    CertificateAuthority,
    CertificateRequest,
    CertificateStatusChange,
    KeyStorage,
)
from ..services import REVOCATION_REASONS


class AuthoritySerializer(serializers.ModelSerializer):
    certificate_url = serializers.CharField(read_only=True)
    crl_url = serializers.CharField(read_only=True)

    class Meta:
        model = CertificateAuthority
        fields = [
            "name",
            "common_name",
            "kind",
            "serial",
            "not_before",
            "not_after",
            "certificate_url",
            "crl_url",
            "crl_number",
            "crl_this_update",
            "crl_next_update",
        ]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificateStatusChange
        fields = ["status", "reason", "at", "comment"]


class CertificateSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="user.username", default=None, read_only=True)
    agency = serializers.CharField(source="agency.code", default=None, read_only=True)
    issuer = serializers.CharField(source="issuer.name", read_only=True)
    effective_status = serializers.CharField(
        read_only=True,
        help_text=_("the status today: an active certificate past its end is expired"),
    )

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "holder_kind",
            "holder",
            "agency",
            "common_name",
            "subject",
            "issuer",
            "not_before",
            "not_after",
            "status",
            "effective_status",
            "revocation_reason",
            "revoked_at",
            "key_storage",
            "fingerprint",
        ]


class CertificateDetailSerializer(CertificateSerializer):
    pem = serializers.CharField(read_only=True, help_text=_("the certificate (public), PEM"))
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "pem", "history"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Revoke after a lost token",
            request_only=True,
            value={"action": "revoke", "reason_code": 1, "comment": "USB token lost"},
        ),
        OpenApiExample("Suspend", request_only=True, value={"action": "suspend"}),
    ]
)
class CertificateActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["suspend", "unsuspend", "revoke", "renew"])
    reason_code = serializers.ChoiceField(
        choices=[(r.value, r.label) for r in REVOCATION_REASONS],
        required=False,
        default=0,
        help_text=_("RFC 5280 CRLReason for revoke: 0, 1, 3, 4, 5 or 9"),
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    csr_pem = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("renew: a new PKCS#10 request when the holder keeps her key"),
    )


class RequestSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.username", default=None, read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", default=None, read_only=True
    )
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)
    certificate = serializers.SerializerMethodField()

    class Meta:
        model = CertificateRequest
        fields = [
            "id",
            "kind",
            "holder",
            "agency",
            "status",
            "key_storage",
            "reason",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "certificate",
        ]

    def get_certificate(self, obj) -> int | None:
        certificate = getattr(obj, "certificate", None)
        return certificate.pk if certificate else None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Personal certificate, key generated in the HSM",
            request_only=True,
            value={"kind": "personal", "holder": "giamdoc.stttt", "key_storage": "pkcs11"},
        ),
        OpenApiExample(
            "Organisation seal",
            request_only=True,
            value={"kind": "seal", "agency": "000.00.11.H16", "reason": "Con dấu điện tử"},
        ),
    ]
)
class RequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertificateRequest.Kind.choices)
    holder = serializers.CharField(
        required=False, help_text=_("user name of the official (personal); default: yourself")
    )
    agency = serializers.CharField(
        required=False, help_text=_("agency code (seal; or the official's agency)")
    )
    key_storage = serializers.ChoiceField(
        choices=[KeyStorage.PKCS12, KeyStorage.PKCS11], required=False
    )
    csr_pem = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("PKCS#10 request, PEM")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class AgencyCountsSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    issued = serializers.IntegerField()
    active = serializers.IntegerField()
    suspended = serializers.IntegerField()
    revoked = serializers.IntegerField()
    expired = serializers.IntegerField()
    expiring = serializers.IntegerField()
    pending_requests = serializers.IntegerField()

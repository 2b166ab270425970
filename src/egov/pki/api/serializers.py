"""The validation report as the API returns it (read-only; see ``egov.pki.validation``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class SignerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("the signer's name (certificate common name)"))
    agency = serializers.CharField(help_text=_("the agency (certificate organisation)"))
    agency_code = serializers.CharField(
        help_text=_("agency identifier, when the certificate has one")
    )
    title = serializers.CharField()
    serial = serializers.CharField(help_text=_("certificate serial number, hexadecimal"))
    issuer = serializers.CharField()
    valid_from = serializers.CharField()
    valid_to = serializers.CharField()
    sha256 = serializers.CharField(help_text=_("SHA-256 fingerprint of the certificate"))


class TimestampSerializer(serializers.Serializer):
    time = serializers.CharField(help_text=_("ISO 8601, Vietnam time"))
    authority = serializers.CharField(help_text=_("the timestamping authority"))
    valid = serializers.BooleanField()


class RevocationSerializer(serializers.Serializer):
    # Plain strings, not enums: "status" and "kind" name other choice sets in the schema.
    status = serializers.CharField(
        help_text=_(
            "revocation status of the signer's certificate at signing time: good, revoked, "
            "revoked_after_signing or unknown"
        )
    )
    revoked_at = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class SignatureReportSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("signature field name"))
    kind = serializers.CharField(help_text=_("approval, certification or document_timestamp"))
    kind_text = serializers.CharField()
    indication = serializers.ChoiceField(
        choices=["TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"],
        help_text=_("ETSI EN 319 102-1 main indication"),
    )
    indication_label = serializers.CharField()
    sub_indication = serializers.CharField(
        allow_null=True, help_text=_("ETSI EN 319 102-1 sub-indication, e.g. HASH_FAILURE")
    )
    reasons = serializers.ListField(child=serializers.CharField())
    signer = SignerSerializer(allow_null=True)
    claimed_signing_time = serializers.CharField(
        allow_null=True, help_text=_("the time the signer's computer claimed (not proven)")
    )
    timestamp = TimestampSerializer(allow_null=True)
    trusted = serializers.BooleanField(
        help_text=_("the certificate chains up to one of our trust anchors")
    )
    trust_anchor = serializers.CharField(allow_null=True)
    chain = serializers.ListField(child=serializers.CharField())
    revocation = RevocationSerializer()
    intact = serializers.BooleanField(help_text=_("the signed bytes and the signature value match"))
    coverage = serializers.CharField(
        allow_null=True, help_text=_("ENTIRE_FILE, ENTIRE_REVISION, CONTIGUOUS_BLOCK_FROM_START")
    )
    modification = serializers.CharField(
        allow_null=True,
        help_text=_("changes after signing: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS, OTHER"),
    )
    modification_text = serializers.CharField()
    modifications_permitted = serializers.BooleanField()
    docmdp = serializers.CharField(allow_null=True)
    level = serializers.CharField(help_text=_("PAdES baseline level: B-B, B-T, B-LT, B-LTA"))


class ValidationReportSerializer(serializers.Serializer):
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    validated_at = serializers.CharField()
    indication = serializers.ChoiceField(
        choices=["TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"],
        allow_null=True,
        help_text=_("the worst indication of all signatures; null when there is none"),
    )
    indication_label = serializers.CharField()
    summary = serializers.CharField()
    signatures = SignatureReportSerializer(many=True)

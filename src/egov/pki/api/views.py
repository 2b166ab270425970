"""``POST /api/v1/signatures/validate/``: anyone checks the signatures of a PDF (API.md)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import parsers, permissions, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from egov.core.api.errors import error_body

from ..validation import UnreadableDocument, validate_upload
from .serializers import ValidationReportSerializer


class SignatureValidationThrottle(ScopedRateThrottle):
    """Public and heavier than a look-up (each check verifies chains and CRLs), so it has
    its own scope, ``signature_validation``; until that rate is configured it shares the
    public look-up's rate."""

    def get_rate(self):
        return self.THROTTLE_RATES.get("signature_validation") or self.THROTTLE_RATES["lookup"]


REPORT_EXAMPLE = {
    "file_name": "15-QD-STTTT.pdf",
    "sha256": "a44bdd4d7751a558e841802aa644125f31c5a7b1e1154a69e4af596f3c35d953",
    "size": 215886,
    "validated_at": "2025-03-10T09:31:02+07:00",
    "indication": "TOTAL-PASSED",
    "indication_label": "Chữ ký hợp lệ",
    "summary": "Cả 2 chữ ký đều hợp lệ.",
    "signatures": [
        {
            "field": "ChuKyNguoiKy",
            "kind": "approval",
            "kind_text": "Chữ ký số",
            "indication": "TOTAL-PASSED",
            "indication_label": "Chữ ký hợp lệ",
            "sub_indication": None,
            "reasons": [],
            "signer": {
                "name": "Nguyễn Thị Hoa",
                "agency": "Sở Thông tin và Truyền thông",
                "agency_code": "",
                "title": "Phó Giám đốc",
                "serial": "2F58F641F47C77AEAC1311914A0BFBCC8A3F0729",
                "issuer": "CA cấp dưới tỉnh Đắk Nông",
                "valid_from": "2024-11-27T01:48:53+07:00",
                "valid_to": "2026-11-27T01:48:53+07:00",
                "sha256": "de35c0593f80e8c9c9fb2bbdc633015727360f23cfe742670b6282a804bee14d",
            },
            "claimed_signing_time": "2025-03-10T09:30:55+07:00",
            "timestamp": {
                "time": "2025-03-10T09:30:56+07:00",
                "authority": "TSA tỉnh Đắk Nông",
                "valid": True,
            },
            "trusted": True,
            "trust_anchor": "CA gốc tỉnh Đắk Nông",
            "chain": ["CA gốc tỉnh Đắk Nông", "CA cấp dưới tỉnh Đắk Nông", "Nguyễn Thị Hoa"],
            "revocation": {
                "status": "good",
                "revoked_at": None,
                "reason": None,
                "text": "Chưa bị thu hồi.",
            },
            "intact": True,
            "coverage": "ENTIRE_REVISION",
            "modification": "FORM_FILLING",
            "modification_text": "Sau khi ký, chỉ có thêm chữ ký và trường biểu mẫu (được phép).",
            "modifications_permitted": True,
            "docmdp": None,
            "level": "B-T",
        }
    ],
}


class ValidateSignaturesView(APIView):
    """Validate every signature of an uploaded PDF; nothing is stored."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [parsers.MultiPartParser]
    throttle_classes = [SignatureValidationThrottle]
    throttle_scope = "signature_validation"

    @extend_schema(
        summary="Validate the digital signatures of a PDF",
        description=(
            "Multipart upload of one PDF (field `file`, at most `EGOV_MAX_UPLOAD_BYTES`). "
            "Each signature and document timestamp gets the ETSI EN 319 102-1 indication "
            "(TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE) with its sub-indication and reasons "
            "in the request's language (Vietnamese unless `Accept-Language: en`). Public and "
            "rate-limited per client address."
        ),
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses={
            200: ValidationReportSerializer,
            400: OpenApiResponse(description="no file, not a PDF, damaged or too large"),
            429: OpenApiResponse(description="too many checks from this address"),
        },
        examples=[
            OpenApiExample("decision signed and sealed", value=REPORT_EXAMPLE, response_only=True),
            OpenApiExample(
                "not a PDF",
                value=error_body("not_pdf", "Tệp không phải là văn bản PDF.", {"file": []}),
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                error_body(
                    "invalid",
                    _("Choose a PDF file to check."),
                    {"file": [_("Choose a PDF file to check.")]},
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            report = validate_upload(upload)
        except UnreadableDocument as error:
            message = error.messages[0]
            return Response(
                error_body(error.code or "invalid", message, {"file": [message]}),
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(ValidationReportSerializer(report.as_dict()).data)

# ruff: noqa: E501 - one entry per line reads best
"""More Vietnamese of the platform: API authentication (core), revocation checks of the document
exchange (liên thông) and the portal's filing API.

Merged by ``scripts/translations_vi.py``.
"""

VI = {
    "Invalid token.": "Mã truy cập không hợp lệ.",
    "User inactive or deleted.": "Tài khoản đã bị vô hiệu hóa hoặc đã bị xóa.",
    "The sender's certificate was revoked (%(when)s).": "Chứng thư số của bên gửi đã bị thu hồi (%(when)s).",
    "Revocation unknown: %(detail)s": "Không xác định được tình trạng thu hồi: %(detail)s",
    "The sender's certificate is not revoked.": "Chứng thư số của bên gửi chưa bị thu hồi.",
    "The package carries no certificate.": "Gói tin không kèm chứng thư số.",
    "The certificate names no CRL or OCSP service.": "Chứng thư số không chỉ ra danh sách thu hồi (CRL) hay dịch vụ OCSP nào.",
    "Procedure code, e.g. 1.000028.": "Mã thủ tục hành chính, ví dụ 1.000028.",
    "Code (or id) of the place the dossier is filed at, among the procedure's.": "Mã (hoặc id) của nơi tiếp nhận hồ sơ, trong số các nơi tiếp nhận của thủ tục.",
    "The e-form answers as a JSON object: field name → value.": "Nội dung biểu mẫu điện tử dưới dạng đối tượng JSON: tên trường → giá trị.",
    "The answers must be a JSON object.": "Nội dung khai phải là một đối tượng JSON.",
    "This procedure is filed at: %(places)s.": "Thủ tục này được tiếp nhận tại: %(places)s.",
    "Officials file dossiers at the counter; online applications are for citizens and businesses.": "Tài khoản cán bộ chỉ tiếp nhận hồ sơ tại quầy; nộp hồ sơ trực tuyến dành cho người dân và doanh nghiệp.",
    "The signed envelope does not end with edXML:edXMLEnvelope.": "Phần được ký không kết thúc bằng edXML:edXMLEnvelope.",
    "The manifest lists %(id)s twice.": "Danh mục tệp đính kèm (manifest) liệt kê %(id)s hai lần.",
    "The manifest gives no SHA-256 digest for the attachment %(id)s.": "Danh mục tệp đính kèm không có giá trị băm SHA-256 của tệp %(id)s.",
    "The package carries the attachment %(id)s twice.": "Gói tin chứa tệp đính kèm %(id)s hai lần.",
    "The attachment %(name)s was changed after signing: its SHA-256 digest is not the one the signed manifest gives.": "Tệp đính kèm %(name)s đã bị thay đổi sau khi ký: giá trị băm SHA-256 của tệp không khớp với giá trị trong danh mục đã ký.",
    "The attachment %(id)s the manifest lists is missing.": "Thiếu tệp đính kèm %(id)s được liệt kê trong danh mục.",
    "The package has no edXMLManifest.": "Gói tin không có edXMLManifest.",
    "package SHA-256": "giá trị băm SHA-256 của gói tin",
    "The signature does not cover the parts of the document it must cover.": "Chữ ký số không bao trùm các phần bắt buộc của gói tin.",
}

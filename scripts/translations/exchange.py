"""Vietnamese of the document exchange (edXML packages between installations, the peer
directory, the outbox, status packages and their error messages).

Merged by ``scripts/translations_vi.py``. Generic field names already translated by other
areas ("status", "name", "created at", …) are not repeated here.
"""

VI = {
    # App and models
    "Document package": "Gói tin văn bản",
    "Status package": "Gói tin trạng thái",
    "exchange peer": "đầu mối trao đổi",
    "exchange peers": "đầu mối trao đổi",
    "agency code or prefix": "mã định danh cơ quan hoặc tiền tố",
    "QCVN 102:2016 agency code, the start of the codes this peer serves, or a pattern "
    "with * (a whole province: *.H16).": "Mã định danh cơ quan theo QCVN 102:2016, phần đầu "
    "của các mã mà đầu mối này phục vụ, hoặc mẫu có dấu * (cả tỉnh: *.H16).",
    "endpoint URL": "địa chỉ nhận gói tin",
    "trusted CA certificates (PEM)": "chứng thư CA được tin cậy (PEM)",
    "received package": "gói tin đến",
    "received packages": "gói tin đến",
    "received status": "trạng thái nhận được",
    "received statuses": "trạng thái nhận được",
    "outbox message": "gói tin chờ gửi",
    "outbox messages": "hàng đợi gửi",
    "edXML document id": "mã văn bản edXML",
    "recipient code": "mã cơ quan nhận",
    "business type": "loại nghiệp vụ",
    "header": "phần đầu gói tin",
    "answer (status package)": "phản hồi (gói tin trạng thái)",
    "about the document of": "về văn bản của",
    "status time": "thời điểm trạng thái",
    "staff": "cán bộ",
    "status package": "gói tin trạng thái",
    "office document": "văn bản của văn phòng",
    "status sent": "trạng thái đã gửi",
    "peer URL": "địa chỉ đầu mối",
    "package": "gói tin",
    "answer": "phản hồi",
    "answer status": "trạng thái phản hồi",
    "sent at": "gửi lúc",
    # Errors and answers (peers see these in status packages and JSON errors)
    "The request carries no edXML package.": "Yêu cầu không chứa gói tin edXML.",
    "The package is larger than %(limit)s MB.": "Gói tin lớn hơn %(limit)s MB.",
    "The package is not well-formed XML.": "Gói tin không phải XML hợp lệ.",
    "Packages with a document type declaration are not accepted.": (
        "Không chấp nhận gói tin có khai báo kiểu tài liệu (DOCTYPE)."
    ),
    "The root element is not edXML:edXMLEnvelope.": "Phần tử gốc không phải edXML:edXMLEnvelope.",
    "The root element is not edXML:Status.": "Phần tử gốc không phải edXML:Status.",
    "The root element %(tag)s is neither an edXML envelope nor a status.": (
        "Phần tử gốc %(tag)s không phải gói tin edXML hay gói tin trạng thái."
    ),
    "The package has no edXMLHeader.": "Gói tin thiếu edXMLHeader.",
    "The package has no MessageHeader.": "Gói tin thiếu MessageHeader.",
    "The package does not say who sent it (From/OrganId).": (
        "Gói tin không ghi cơ quan gửi (From/OrganId)."
    ),
    "The package has no recipient (To/OrganId).": "Gói tin không có cơ quan nhận (To/OrganId).",
    "The package has no DocumentId.": "Gói tin thiếu DocumentId.",
    "The package has no Subject.": "Gói tin thiếu trích yếu (Subject).",
    "The Subject is longer than 500 characters.": "Trích yếu (Subject) dài quá 500 ký tự.",
    "The Content is longer than 500 characters.": "Nội dung (Content) dài quá 500 ký tự.",
    "BusinessDocType must be 0, 1, 2 or 3.": "BusinessDocType phải là 0, 1, 2 hoặc 3.",
    "The attachment %(id)s is not in the manifest.": (
        "Tệp đính kèm %(id)s không có trong danh mục (edXMLManifest)."
    ),
    "The attachment %(id)s is not valid base64.": "Tệp đính kèm %(id)s không đúng mã base64.",
    "The status has no ResponseFor/DocumentId.": "Gói tin trạng thái thiếu ResponseFor/DocumentId.",
    "The status does not say who sent it (From/OrganId).": (
        "Gói tin trạng thái không ghi cơ quan gửi (From/OrganId)."
    ),
    "Unknown status code %(code)s.": "Mã trạng thái %(code)s không hợp lệ.",
    "The timestamp %(value)s is not in the form dd/MM/yyyy HH:mm:ss.": (
        "Thời điểm %(value)s không theo dạng dd/MM/yyyy HH:mm:ss."
    ),
    "No peer of this installation serves the sending agency %(code)s.": (
        "Hệ thống không có đầu mối trao đổi nào phục vụ cơ quan gửi %(code)s."
    ),
    "No peer of this installation serves the agency %(code)s.": (
        "Hệ thống không có đầu mối trao đổi nào phục vụ cơ quan %(code)s."
    ),
    "The signature is not valid: %(reasons)s": "Chữ ký số không hợp lệ: %(reasons)s",
    "The certificate of %(signer)s does not give the right to send for %(code)s.": (
        "Chứng thư số của %(signer)s không có quyền gửi văn bản thay cơ quan %(code)s."
    ),
    "The recipient %(code)s is not an agency of this installation.": (
        "Cơ quan nhận %(code)s không thuộc hệ thống này."
    ),
    "The package arrived and was registered for processing.": (
        "Gói tin đã đến và được tiếp nhận để xử lý."
    ),
    "The status was recorded.": "Đã ghi nhận trạng thái.",
    "The agency %(code)s has no active seal certificate to sign packages.": (
        "Cơ quan %(code)s chưa có chứng thư số cơ quan còn hiệu lực để ký gói tin."
    ),
    "The peer's CA certificates are not PEM certificates.": (
        "Chứng thư CA của đầu mối không phải chứng thư dạng PEM."
    ),
    "No peer address.": "Chưa có địa chỉ đầu mối.",
    "Unreadable answer: %(error)s": "Không đọc được phản hồi: %(error)s",
}

"""Vietnamese for the messages of the official forms (src/egov/dossiers/documents/forms.py).

The forms themselves are written in Vietnamese in their templates; only the reasons a form
cannot be produced (HTTP 409) are English msgids.
"""

VI = {
    "Form “%(form)s” does not exist under %(regime)s, which applies to this dossier "
    "(from the date it was received).": "Biểu mẫu “%(form)s” không có trong %(regime)s, văn bản "
    "áp dụng cho hồ sơ này (theo ngày tiếp nhận hồ sơ).",
    "The receipt exists only once the dossier has been received at the desk.": "Giấy tiếp nhận "
    "hồ sơ và hẹn trả kết quả chỉ có sau khi hồ sơ được tiếp nhận.",
    "No supplement has been requested for this dossier.": "Hồ sơ này chưa có yêu cầu bổ sung, "
    "hoàn thiện.",
    "The refusal form applies only to a dossier that was refused at the desk.": "Phiếu từ chối "
    "chỉ áp dụng cho hồ sơ đã bị từ chối tiếp nhận.",
    "No apology has been issued for this dossier.": "Hồ sơ này chưa có văn bản xin lỗi.",
    "The control sheet exists only once the dossier has been received at the desk.": "Phiếu "
    "kiểm soát quá trình giải quyết hồ sơ chỉ có sau khi hồ sơ được tiếp nhận.",
    "The stop notice applies only to a dossier whose processing was stopped.": "Thông báo dừng "
    "giải quyết chỉ áp dụng cho hồ sơ đã dừng giải quyết.",
}

"""Vietnamese for the messages of the official forms added with the 2025 set of forms
(src/egov/dossiers/documents/forms.py, Circular 03/2025/TT-VPCP).

Merged by ``scripts/translations_vi.py`` like the other files of this folder.
"""

VI = {
    "“%(title)s” is not a form of %(regime)s, the set of forms that applies to this dossier "
    "(it started on %(day)s); it exists only under %(others)s.": "“%(title)s” không có trong bộ "
    "biểu mẫu của %(regime)s, bộ biểu mẫu áp dụng cho hồ sơ này (hồ sơ bắt đầu ngày %(day)s); "
    "biểu mẫu này chỉ có theo %(others)s.",
}

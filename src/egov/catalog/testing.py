"""A catalogue row for tests: a plausible provincial procedure in the import format."""


def procedure_row(
    code, name, agency="STP", time=5, coordinating=(), level="province", documents=None, **extra
) -> dict:
    """A row ``services.import_row`` accepts; every field can be overridden by keyword."""
    return {
        "code": code,
        "name": name,
        "field": "Hộ tịch",
        "level": level,
        "agency": agency,
        "time": time,
        "time_unit": "working_days",
        "fees": [{"name": "Lệ phí", "amount": 50000}],
        "documents": documents
        if documents is not None
        else [
            {"name": "Tờ khai theo mẫu", "kind": "original", "count": 1, "mandatory": True},
            {"name": "Bản sao giấy tờ tùy thân", "kind": "copy", "count": 1, "mandatory": True},
        ],
        "result": "Giấy xác nhận",
        "online_mode": "partial",
        "legacy_level": 3,
        "coordinating": list(coordinating),
        **extra,
    }

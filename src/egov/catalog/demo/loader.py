"""Demo catalogue: the real procedures in data/procedures.json, then synthetic ones up to 3,206.

Every procedure in force is received at the one-stop desks of its level (the provincial
Public Administration Service Centre, each district's Bộ phận Một cửa, each commune People's
Committee): see :func:`egov.catalog.services.fill_receiving_places`.

The source article counts 3,206 procedures, 1,115 of them online at level 2 and 444 received
and resolved online (levels 3–4). The synthetic procedures — clearly named "mô phỏng" and
flagged ``is_synthetic`` — fill the counts so that reports computed from the catalogue give
the article's figures. Generation is deterministic, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from egov.core.models import Level
from egov.core.models.validity import today_in_vietnam

from ..models import Field, Procedure, ProcedureVersion, VersionStatus
from ..services import fill_receiving_places, import_row, provincial_agencies

DATA = Path(__file__).resolve().parent / "data" / "procedures.json"
TOTAL = 3206
LEVEL_2_TOTAL = 1115
LEVEL_3_4_TOTAL = 444

# (field, competent department abbreviation) pairs used for synthetic provincial procedures.
PROVINCIAL_FIELDS = [
    ("Đầu tư", "SKHĐT"),
    ("Thành lập và hoạt động doanh nghiệp", "SKHĐT"),
    ("Xây dựng", "SXD"),
    ("Đất đai", "STNMT"),
    ("Môi trường", "STNMT"),
    ("Đường bộ", "SGTVT"),
    ("Lưu thông hàng hóa trong nước", "SCT"),
    ("Khám bệnh, chữa bệnh", "SYT"),
    ("Dược phẩm", "SYT"),
    ("Giáo dục và Đào tạo", "SGDĐT"),
    ("Việc làm", "SLĐTBXH"),
    ("Người có công", "SLĐTBXH"),
    ("Báo chí", "STTTT"),
    ("Xuất bản, In và Phát hành", "STTTT"),
    ("Công chức, viên chức", "SNV"),
    ("Tôn giáo", "SNV"),
    ("Văn hóa", "SVHTTDL"),
    ("Du lịch", "SVHTTDL"),
    ("Trồng trọt", "SNNPTNT"),
    ("Thú y", "SNNPTNT"),
    ("Quản lý công sản", "STC"),
    ("Hoạt động khoa học và công nghệ", "SKHCN"),
    ("Hộ tịch", "STP"),
    ("Luật sư", "STP"),
    ("Công chứng", "STP"),
]
LOCAL_FIELDS = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Thành lập và hoạt động hộ kinh doanh",
    "Bảo trợ xã hội",
    "Người có công",
    "Giáo dục và Đào tạo",
    "Văn hóa",
    "Nông nghiệp",
]


def synthetic_rows(real_rows: list[dict]) -> list[dict]:
    """Rows that complete the catalogue to the article's totals (deterministic)."""
    missing = TOTAL - len(real_rows)
    level_2 = max(0, LEVEL_2_TOTAL - sum(1 for r in real_rows if r.get("legacy_level") == 2))
    level_34 = max(
        0, LEVEL_3_4_TOTAL - sum(1 for r in real_rows if (r.get("legacy_level") or 0) >= 3)
    )
    rows = []
    for i in range(missing):
        n = i + 1
        if i < level_34:
            legacy, online = (4 if i % 3 == 0 else 3), ("full" if i % 3 == 0 else "partial")
        elif i < level_34 + level_2:
            legacy, online = 2, "none"
        else:
            legacy, online = 1, "none"
        bucket = n % 20
        if bucket < 12:
            field, agency = PROVINCIAL_FIELDS[n % len(PROVINCIAL_FIELDS)]
            level = Level.PROVINCE
        else:
            field, agency = LOCAL_FIELDS[n % len(LOCAL_FIELDS)], "UBND"
            level = Level.DISTRICT if bucket < 17 else Level.COMMUNE
        days = [1, 3, 5, 7, 10, 15, 20, 30][n % 8]
        rows.append(
            {
                "code": f"9.{900000 + n:06d}",
                "name": f"Thủ tục mô phỏng số {n:04d} thuộc lĩnh vực {field}",
                "field": field,
                "level": level,
                "agency": agency,
                "time": days,
                "time_unit": "working_days",
                "after_15h_next_day": False,
                "fees": [
                    {"name": "Lệ phí", "amount": [0, 20000, 50000, 100000][n % 4], "note": ""}
                ],
                "documents": [
                    {
                        "name": "Đơn đề nghị theo mẫu",
                        "kind": "original",
                        "count": 1,
                        "mandatory": True,
                    },
                    {
                        "name": "Giấy tờ chứng minh nhân thân",
                        "kind": "copy",
                        "count": 1,
                        "mandatory": True,
                    },
                ],
                "result": "Văn bản giải quyết",
                "online_mode": online,
                "legacy_level": legacy,
                "delivery": ["counter", "post"] + (["online"] if legacy >= 3 else []),
                "coordinating": [],
                "legal_basis": "",
                "source": "synthetic",
                "synthetic": True,
            }
        )
    return rows


PLACEHOLDER_DAYS = 5


def real_rows_for_demo() -> list[dict]:
    """The researched procedures; where no statutory time was found, a placeholder of
    ``PLACEHOLDER_DAYS`` working days is used and said so in the version's source note."""
    rows = json.loads(DATA.read_text(encoding="utf-8")) if DATA.exists() else []
    for row in rows:
        if row.get("time") is None:
            row["time"] = PLACEHOLDER_DAYS
            row["time_unit"] = "working_days"
            row["source"] = (
                f"{row.get('source', '')} — thời hạn giải quyết chưa xác minh, "
                f"tạm tính {PLACEHOLDER_DAYS} ngày làm việc (verify)"
            ).strip(" —")
    return rows


def load(stdout=None):
    """Import real then synthetic procedures; unchanged rows are skipped cheaply."""
    real_rows = real_rows_for_demo()
    rows = real_rows + synthetic_rows(real_rows)
    provincial = provincial_agencies()
    fields = {f.name: f for f in Field.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    for start in range(0, len(rows), 500):
        with transaction.atomic():
            for row in rows[start : start + 500]:
                try:
                    counts[import_row(None, row, fields, provincial)] += 1
                except Exception as error:  # noqa: BLE001 - report the row, keep loading
                    counts["failed"] += 1
                    if stdout is not None:
                        stdout.write(f"  procedure {row.get('code')}: {error}")
    counts["retired"] = retire_stale_synthetic({row["code"] for row in rows})
    counts["receiving_places"] = fill_receiving_places(
        None, ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    )
    in_force = Procedure.objects.filter(current__status="published").count()
    if stdout is not None:
        stdout.write(f"  procedures: {counts} (in force: {in_force})")
    return counts


def retire_stale_synthetic(codes: set[str]) -> int:
    """Synthetic procedures no longer generated (the real list grew) go out of force; they are
    kept, as dossiers may point at them."""
    stale = ProcedureVersion.objects.filter(
        procedure__is_synthetic=True, status="published"
    ).exclude(procedure__code__in=codes)
    yesterday = today_in_vietnam() - dt.timedelta(days=1)
    return stale.update(status="retired", valid_to=yesterday)

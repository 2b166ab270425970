"""Demo of the ICT inventory: the "Đắk Nông 2018" inventory, entered so that the 2018 report
reproduces the source article (baodaknong, 27/08/2018) — through the services, each record
dated for 2018 (``valid_from`` 01/01/2018, ``valid_to`` 31/12/2018, except the data centre,
in service since 2011).

How the article's totals are spread over the demo's agencies (the demo tree has UBND tỉnh, 20
departments and boards, the Public Administration Service Centre, 8 district and 71 commune
People's Committees):

- "21/21 sở, ngành" is taken as the 20 departments and boards plus the service centre (the
  provincial People's Committee works through its Office, one of the 20); totals are split
  evenly over the agencies of each level, the remainder going to the first ones by code.
- Computers: province 3,332, district 1,056, commune 1,079 add up to 5,467, not the article's
  5,768. The 301 others are recorded as computers of units with no level of government (public
  service units and organisations outside the agency tree — the article does not say where
  they are), so that the total is 5,768 and each level gives the article's figure.
- Officials (not in the article): 5,480, of whom 5,310 have a computer (96.9% — "about 97%")
  and all have a mailbox; 6,214 mailboxes ("more than 6,200").
- Dedicated network: every department and district, and 49 of the 71 communes (the first 49
  by code); LAN wherever the dedicated network arrives; Internet everywhere; a firewall only
  at 4 agencies ("only a few units").
- Certificates: the article gives only the total issued by 2018, 1,638, recorded as one
  figure for 2018 at the Department of Information and Communications, issued outside the
  platform (Government Cipher Committee).
- Electronic office: the article says every agency uses it and ~90% of documents are fully
  electronic; the per-agency volumes (1,200 / 900 / 240 documents received, 90% electronic)
  are illustrative, recorded as figures of the province's e-office software of 2018.
- One-stop: the article gives coverage (20 departments, 8 districts, 71 communes and the
  service centre) and says online filing was "very low" without a figure; the dossier
  volumes recorded for 2018 (about 0.2% online) are illustrative.
- Video conference: 8 bridge points (the provincial hall and 7 districts), 2 degraded and
  1 broken; 15 meetings in 2018.
- Data centre (Trung tâm tích hợp dữ liệu, commissioned 2011): storage 92% full, support
  ended 2016, the firewall and the intrusion-prevention device broken.

Procedures (3,206; 1,115 at level 2; 444 at levels 3–4) come from the demo catalogue.
Safe to repeat: nothing is created when the demo inventory exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from egov.core.models import Agency, AgencyKind, Level

from . import services
from .models import (
    AgencyInfrastructure,
    AssetKind,
    AssetStatus,
    BridgePoint,
    Computer,
    ComputerKind,
    DataCentreAsset,
    ExternalFigure,
    FigureKind,
    Quality,
    VideoMeeting,
)

YEAR = 2018
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
DEMO_NOTE = "Trình diễn: kiểm kê Đắk Nông 2018"
SOURCE = "Báo Đắk Nông, 27/08/2018"

# level: (officials, with a computer, computers, mailboxes)
LEVEL_TOTALS = {
    Level.PROVINCE: (3280, 3200, 3332, 3600),
    Level.DISTRICT: (1080, 1040, 1056, 1250),
    Level.COMMUNE: (1120, 1070, 1079, 1364),
}
UNASSIGNED_COMPUTERS = 301
COMMUNES_ON_DEDICATED_NETWORK = 49
FIREWALLS = ("000.00.01.H16", "000.00.11.H16", "000.00.21.H16", "000.00.31.H16")
DATA_CENTRE_AGENCY = "000.00.11.H16"  # Sở Thông tin và Truyền thông
CERTIFICATES = 1638
# level: (documents received per agency, dossiers received, of which online)
VOLUMES = {
    "department": (1200, 1500, 2),
    "service_center": (1200, 3000, 20),
    Level.DISTRICT: (900, 6000, 15),
    Level.COMMUNE: (240, 1200, 2),
}
BRIDGES = [  # (agency code, place, status, audio, video)
    ("000.00.01.H16", "Hội trường Ủy ban nhân dân tỉnh", "working", "good", "good"),
    ("000.00.31.H16", "Hội trường UBND thị xã Gia Nghĩa", "working", "good", "good"),
    ("000.00.32.H16", "Hội trường UBND huyện Đắk Glong", "degraded", "poor", "fair"),
    ("000.00.33.H16", "Hội trường UBND huyện Cư Jút", "working", "good", "good"),
    ("000.00.34.H16", "Hội trường UBND huyện Đắk Mil", "broken", "poor", "poor"),
    ("000.00.35.H16", "Hội trường UBND huyện Krông Nô", "working", "good", "fair"),
    ("000.00.36.H16", "Hội trường UBND huyện Đắk Song", "degraded", "fair", "poor"),
    ("000.00.37.H16", "Hội trường UBND huyện Đắk R'Lấp", "working", "good", "good"),
]
MEETINGS = [
    (dt.date(2018, 1, 8), "Chủ tịch UBND tỉnh", "Giao ban triển khai nhiệm vụ năm 2018"),
    (dt.date(2018, 1, 29), "Phó Chủ tịch UBND tỉnh", "Phòng chống cháy rừng mùa khô"),
    (dt.date(2018, 2, 26), "Chủ tịch UBND tỉnh", "Giao ban tháng 2"),
    (dt.date(2018, 3, 19), "Phó Chủ tịch UBND tỉnh", "Cải cách hành chính quý I"),
    (dt.date(2018, 4, 9), "Thủ tướng Chính phủ", "Hội nghị trực tuyến Chính phủ với địa phương"),
    (dt.date(2018, 4, 23), "Chủ tịch UBND tỉnh", "Giao ban tháng 4"),
    (dt.date(2018, 5, 14), "Phó Chủ tịch UBND tỉnh", "Thu ngân sách 5 tháng"),
    (dt.date(2018, 6, 11), "Chủ tịch UBND tỉnh", "Sơ kết 6 tháng đầu năm"),
    (dt.date(2018, 7, 2), "Thủ tướng Chính phủ", "Hội nghị trực tuyến Chính phủ với địa phương"),
    (dt.date(2018, 7, 23), "Phó Chủ tịch UBND tỉnh", "Triển khai Nghị định 61/2018/NĐ-CP"),
    (dt.date(2018, 8, 20), "Chủ tịch UBND tỉnh", "Giao ban tháng 8"),
    (dt.date(2018, 9, 17), "Phó Chủ tịch UBND tỉnh", "Phòng chống thiên tai mùa mưa"),
    (dt.date(2018, 10, 15), "Chủ tịch UBND tỉnh", "Giao ban quý III"),
    (dt.date(2018, 11, 12), "Phó Chủ tịch UBND tỉnh", "Giải ngân vốn đầu tư công"),
    (dt.date(2018, 12, 17), "Chủ tịch UBND tỉnh", "Tổng kết năm 2018"),
]
ASSETS = [  # (name, kind, quantity, capacity, used, support end, status)
    ("Máy chủ ứng dụng", AssetKind.SERVER, 10, None, None, dt.date(2016, 12, 31), "working"),
    (
        "Hệ thống lưu trữ SAN",
        AssetKind.STORAGE,
        1,
        Decimal("24"),
        Decimal("22.2"),
        dt.date(2016, 12, 31),
        "degraded",
    ),
    ("Nguồn điện dự phòng UPS", AssetKind.UPS, 2, None, None, dt.date(2016, 12, 31), "working"),
    ("Hệ thống chống sét", AssetKind.OTHER, 1, None, None, None, "working"),
    ("Hệ thống phòng cháy chữa cháy khí", AssetKind.FIRE, 1, None, None, None, "working"),
    ("Tường lửa", AssetKind.SECURITY, 1, None, None, dt.date(2015, 12, 31), "broken"),
    ("Thiết bị chống xâm nhập (IPS)", AssetKind.SECURITY, 1, None, None, None, "broken"),
    ("Thiết bị giám sát an ninh mạng", AssetKind.SECURITY, 1, None, None, None, "working"),
    ("Thiết bị chuyển mạch lõi", AssetKind.NETWORK, 2, None, None, None, "working"),
]


def spread(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole numbers differing by at most one."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def demo_agencies() -> dict[str, list[Agency]]:
    """The agencies the 2018 inventory is spread over, by level, in code order."""
    agencies = Agency.objects.valid_on(END).exclude(kind=AgencyKind.INTERNAL_UNIT)
    found = {
        Level.PROVINCE: list(
            agencies.filter(level=Level.PROVINCE)
            .exclude(kind=AgencyKind.PEOPLES_COMMITTEE)
            .order_by("code")
        ),
        Level.DISTRICT: list(
            agencies.filter(level=Level.DISTRICT, kind=AgencyKind.PEOPLES_COMMITTEE).order_by(
                "code"
            )
        ),
        Level.COMMUNE: list(
            agencies.filter(level=Level.COMMUNE, kind=AgencyKind.PEOPLES_COMMITTEE).order_by("code")
        ),
    }
    return found


def _dated(record):
    record.valid_from, record.valid_to = START, END
    return record


def load(stdout=None):
    """Enter the 2018 inventory once (see the module docstring for how it is spread)."""
    if AgencyInfrastructure.objects.filter(note=DEMO_NOTE).exists():
        if stdout is not None:
            stdout.write("  ICT inventory 2018: already loaded")
        return {"created": 0}
    levels = demo_agencies()
    if not any(levels.values()):
        return {"created": 0}
    created = 0
    with transaction.atomic():
        created += _profiles_and_computers(levels)
        created += _figures(levels)
        created += _data_centre_and_bridges()
    if stdout is not None:
        stdout.write(f"  ICT inventory 2018: {created} records")
    return {"created": created}


def _profiles_and_computers(levels) -> int:
    records = []
    communes = {a.pk for a in levels[Level.COMMUNE][:COMMUNES_ON_DEDICATED_NETWORK]}
    for level, agencies in levels.items():
        if not agencies:
            continue
        officials, with_computer, computers, mailboxes = LEVEL_TOTALS[level]
        columns = zip(
            agencies,
            spread(officials, len(agencies)),
            spread(with_computer, len(agencies)),
            spread(computers, len(agencies)),
            spread(mailboxes, len(agencies)),
            strict=True,
        )
        for agency, staff, equipped, machines, boxes in columns:
            connected = level != Level.COMMUNE or agency.pk in communes
            records.append(
                _dated(
                    AgencyInfrastructure(
                        agency=agency,
                        officials=staff,
                        officials_with_computer=equipped,
                        mailboxes=boxes,
                        officials_with_mailbox=staff,
                        has_lan=connected,
                        lan_firewall=connected and agency.code in FIREWALLS,
                        dedicated_network=connected,
                        internet=True,
                        note=DEMO_NOTE,
                    )
                )
            )
            laptops = machines // 6
            for kind, count, year in (
                (ComputerKind.DESKTOP, machines - laptops, 2014),
                (ComputerKind.LAPTOP, laptops, 2017),
            ):
                if count:
                    records.append(
                        _dated(Computer(agency=agency, kind=kind, count=count, acquired_year=year))
                    )
    records.append(
        _dated(
            Computer(
                agency=None,
                holder="Đơn vị sự nghiệp và tổ chức không thuộc cấp hành chính",
                kind=ComputerKind.DESKTOP,
                count=UNASSIGNED_COMPUTERS,
                note="Phần chênh lệch giữa tổng số 5.768 và số máy của ba cấp trong bài báo",
            )
        )
    )
    services.create_records(None, records)
    return len(records)


def _figures(levels) -> int:
    created = 0
    figures = []
    centre = Agency.objects.filter(code=DATA_CENTRE_AGENCY).first()
    if centre is not None:
        figures.append(
            (centre, FigureKind.CERTIFICATES, CERTIFICATES, "Ban Cơ yếu Chính phủ — " + SOURCE)
        )
    for level, agencies in levels.items():
        for agency in agencies:
            key = agency.kind if level == Level.PROVINCE else level
            key = "service_center" if key == AgencyKind.SERVICE_CENTER else key
            documents, dossiers, online = VOLUMES.get(key, VOLUMES["department"])
            office = "Phần mềm Văn phòng điện tử của tỉnh (minh họa)"
            one_stop = "Phần mềm Một cửa điện tử của tỉnh (minh họa)"
            figures += [
                (agency, FigureKind.DOCUMENTS_RECEIVED, documents, office),
                (agency, FigureKind.DOCUMENTS_ELECTRONIC, documents * 9 // 10, office),
                (agency, FigureKind.DOSSIERS_RECEIVED, dossiers, one_stop),
                (agency, FigureKind.DOSSIERS_ONLINE, online, one_stop),
            ]
    services.create_records(
        None,
        [
            ExternalFigure(agency=agency, year=YEAR, kind=kind, value=value, source=source)
            for agency, kind, value, source in figures
        ],
    )
    return created + len(figures)


def _data_centre_and_bridges() -> int:
    created = 0
    holder = Agency.objects.filter(code=DATA_CENTRE_AGENCY).first()
    if holder is not None:
        for name, kind, quantity, capacity, used, support_end, status in ASSETS:
            services.save_record(
                None,
                DataCentreAsset(
                    agency=holder,
                    name=f"{name} — Trung tâm tích hợp dữ liệu tỉnh",
                    kind=kind,
                    quantity=quantity,
                    capacity_tb=capacity,
                    used_tb=used,
                    commissioned_year=2011,
                    support_end=support_end,
                    status=AssetStatus(status),
                    valid_from=dt.date(2011, 1, 1),
                    valid_to=END,
                ),
            )
            created += 1
    by_code = {a.code: a for a in Agency.objects.filter(code__in=[b[0] for b in BRIDGES])}
    points = []
    for code, place, status, audio, video in BRIDGES:
        if code not in by_code:
            continue
        point = BridgePoint(
            agency=by_code[code],
            place=place,
            status=AssetStatus(status),
            audio_quality=Quality(audio),
            video_quality=Quality(video),
        )
        points.append(services.save_record(None, _dated(point)))
        created += 1
    organiser = by_code.get(BRIDGES[0][0])
    if organiser is None:
        return created
    connected = [p for p in points if p.status != AssetStatus.BROKEN]
    for held_on, chair, subject in MEETINGS:
        meeting = VideoMeeting(agency=organiser, held_on=held_on, chair=chair, subject=subject)
        services.save_record(None, meeting, points=connected)
        created += 1
    return created

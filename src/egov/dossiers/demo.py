"""Demo dossiers: every state, for every role of the demo province, with a real history.

Each dossier is taken through the same service functions officers use, at moments in the
past counted in working days from today, so that some are early, some on time, some overdue
(with an apology). Loaded once: a second run finds them and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from egov.catalog.models import Procedure
from egov.core.demo.loader import DEMO_PASSWORD
from egov.core.models import Agency, User
from egov.core.workdays import get_calendar

from . import services
from .models import Dossier
from .services import acting_at

MARK = "@demo.egov.vn"
NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Hoàng Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Phương",
    "Đặng Quốc Giang",
    "Bùi Thị Hà",
    "Đỗ Minh Khang",
    "Ngô Thị Linh",
    "H'Hoa Niê",
    "Y Điêng Buôn Ya",
    "Lý Văn Mạnh",
    "Trịnh Thị Nga",
    "Phan Văn Oanh",
]


def _applicant(i: int) -> dict:
    return {
        "applicant_name": NAMES[i % len(NAMES)],
        "applicant_id_type": "cccd",
        "applicant_id_number": f"0670{85 + i % 10:02d}{100000 + i:06d}",
        "applicant_address": "Phường Nghĩa Đức, Gia Nghĩa, Đắk Nông",
        "applicant_phone": f"09{12345600 + i:08d}",
        "applicant_email": f"nguoidan{i}{MARK}",
    }


def _moment(days_ago: int, hour: int = 9) -> dt.datetime:
    calendar = get_calendar()
    day = calendar.add_working_days(timezone.localdate(), -days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


# Where each dossier should end up: (procedure code, desk, competent, stop at, received N working
# days ago). Steps after "receive" follow the workflow of the procedure.
PLANS = [
    ("2.001098", "000.00.21.H16", None, "draft", 0),
    ("2.001098", "000.00.21.H16", None, "submitted", 0),
    ("2.001098", "000.00.21.H16", None, "supplement_requested", 1),
    ("2.001098", "000.00.21.H16", None, "refused", 2),
    ("2.001098", "000.00.21.H16", None, "received", 0),
    ("2.001098", "000.00.21.H16", None, "assigned", 1),
    ("2.001098", "000.00.21.H16", None, "processing", 2),
    ("2.001098", "000.00.21.H16", None, "review", 3),
    ("2.001098", "000.00.21.H16", None, "approval", 4),
    ("2.001098", "000.00.21.H16", None, "awaiting_payment", 3),
    ("2.001098", "000.00.21.H16", None, "paused", 3),
    ("2.001098", "000.00.21.H16", None, "overdue_apology", 9),
    ("2.001098", "000.00.21.H16", None, "result_ready", 6),
    ("2.001098", "000.00.21.H16", None, "returned", 8),
    ("2.001098", "000.00.21.H16", None, "evaluated", 10),
    ("2.001098", "000.00.21.H16", None, "stopped", 4),
    ("1.009645", "000.00.21.H16", None, "interagency", 5),
    ("1.013225", "000.00.33.H16", "000.00.33.H16", "received", 0),
    ("1.013225", "000.00.33.H16", "000.00.33.H16", "processing", 3),
    ("2.000635", "000.00.33.H16", "000.00.33.H16", "returned", 2),
    ("2.000635", "000.00.33.H16", "000.00.33.H16", "evaluated", 4),
]


def _people() -> dict[str, User]:
    return {u.username: u for u in User.objects.all()}


def _holders(competent: Agency, people: dict[str, User]) -> tuple[User, User, User]:
    """(leader who assigns, specialist, leader who approves) of the competent agency."""
    return {
        "000.00.11.H16": (
            people["truongphong.stttt"],
            people["chuyenvien.stttt"],
            people["giamdoc.stttt"],
        ),
        "000.00.04.H16": (
            people["giamdoc.skhdt"],
            people["chuyenvien.skhdt"],
            people["giamdoc.skhdt"],
        ),
        "000.00.33.H16": (
            people["lanhdao.cujut"],
            people["chuyenvien.cujut"],
            people["lanhdao.cujut"],
        ),
    }[competent.code]


def _play(i: int, plan: tuple, people: dict[str, User]) -> Dossier:
    code, desk_code, competent_code, goal, days_ago = plan
    version = Procedure.objects.get(code=code).current
    desk = Agency.objects.get(code=desk_code)
    competent = Agency.objects.get(code=competent_code) if competent_code else None
    officer = people["tiepnhan.hcc" if desk_code == "000.00.21.H16" else "tiepnhan.cujut"]
    citizen = people["congdan.demo"]
    documents = [{"requirement": d} for d in version.documents.all()]
    start = _moment(days_ago)
    step = dt.timedelta(hours=2)

    def at(k):
        return acting_at(start + k * step)

    with at(0):
        online = goal in ("submitted", "supplement_requested")
        dossier = services.create_dossier(
            citizen if online else officer,
            version,
            desk,
            _applicant(i),
            competent_agency=competent,
            channel="online" if online else "counter",
            documents=documents,
            applicant_user=citizen if online else None,
        )
    if goal == "draft":
        return dossier
    if online:
        with at(0):
            dossier = services.submit(citizen, dossier)
        if goal == "submitted":
            return dossier
        with at(1):
            return services.request_supplement(
                officer,
                dossier,
                [{"name": "Bản sao Giấy phép đăng ký kinh doanh", "kind": "certified_copy"}],
                "Thiếu bản sao chứng thực",
            )
    if goal == "refused":
        with at(0):
            return services.refuse(officer, dossier, "Hồ sơ không thuộc thẩm quyền của Sở")
    return advance(dossier, goal, people, officer, start, i)


def advance(
    dossier: Dossier,
    goal: str,
    people: dict[str, User],
    officer: User,
    start: dt.datetime,
    i: int = 0,
    result_file=None,
) -> Dossier:
    """Take a dossier waiting at the desk (submitted, or opened at the counter) from receipt to
    ``goal``, one step every two hours from ``start``, through the officers' services."""
    step = dt.timedelta(hours=2)

    def at(k):
        return acting_at(start + k * step)

    with at(0):
        dossier = services.receive(officer, dossier)
    if goal == "received":
        return dossier
    assigner, specialist, approver = _holders(dossier.competent_agency, people)
    with at(1):
        dossier = services.handover(officer, dossier)
    if goal == "assigned":
        return dossier
    with at(2):
        dossier = services.assign(assigner, dossier, specialist)
    if goal == "stopped":
        with at(3):
            return services.stop(approver, dossier, "Công dân rút hồ sơ theo đơn đề nghị")
    if goal == "interagency":
        with at(3):
            return services.request_interagency(specialist, dossier, "Đề nghị cho ý kiến")
    if goal in ("processing", "paused", "awaiting_payment"):
        if goal == "paused":
            with at(3):
                dossier = services.pause_for_supplement(
                    specialist,
                    dossier,
                    [{"name": "Bản vẽ thiết kế trang", "kind": "copy"}],
                    "Cần bổ sung bản mô tả giao diện trang thông tin",
                )
        if goal == "awaiting_payment":
            with at(3):
                dossier = services.request_fee(specialist, dossier)
        return dossier
    with at(3):
        dossier = services.forward(specialist, dossier)
    if goal == "review":
        return dossier
    with at(4):
        dossier = services.forward(assigner, dossier)
    if goal == "approval":
        return dossier
    if goal == "overdue_apology":
        new_date = get_calendar().add_working_days(timezone.localdate(), 2)
        with at(5):
            return services.apologize(
                approver,
                dossier,
                timezone.make_aware(dt.datetime.combine(new_date, dt.time(16))),
                "Cần thêm thời gian thẩm định nội dung trang thông tin",
            )
    with at(5):
        dossier = services.approve(approver, dossier, "Đã cấp giấy phép", result_file)
    if goal == "result_ready":
        return dossier
    with at(6):
        mode = "online" if dossier.applicant_user_id and result_file else "counter"
        dossier = services.return_result(officer, dossier, mode)
    if goal == "returned":
        return dossier
    with at(7):
        return services.evaluate(officer, dossier, "very_satisfied" if i % 2 else "satisfied")


def load(stdout=None):
    """Create the demo dossiers once."""
    from egov.core.audit import record_event

    if Dossier.objects.filter(applicant_email__endswith=MARK).exists():
        if stdout is not None:
            stdout.write("  demo dossiers already loaded: nothing to change")
        return {"created": 0}
    with transaction.atomic():
        if not User.objects.filter(username="congdan.demo").exists():
            citizen = User.objects.create_user(
                "congdan.demo",
                password=DEMO_PASSWORD,
                kind=User.Kind.CITIZEN,
                full_name="Nguyễn Văn Dân",
                email=f"congdan{MARK}",
            )
            record_event("user.create", citizen, changes={"username": citizen.username})
        people = _people()
        for i, plan in enumerate(PLANS):
            _play(i, plan, people)
    from .deadlines import check_deadlines

    check_deadlines()
    if stdout is not None:
        stdout.write(f"  created {len(PLANS)} demo dossiers")
    return {"created": len(PLANS)}

"""The official one-stop forms as PDF, and the tracking book as PDF or XLSX.

Forms of Circular 01/2018/TT-VPCP (forms 01–06) and of Circular 03/2025/TT-VPCP (forms 01–07,
from 15 September 2025), chosen by the date the dossier started under (received, else submitted,
else created): an old dossier keeps the forms of its regime. Sources and what remains to verify:
``REGIMES`` below and ``SOURCES.md`` next to this file.

The layout follows Decree 30/2020/NĐ-CP: Times New Roman metrics (Tinos, shipped by the npm
package ``@fontsource/tinos`` and embedded in the PDF), 13 pt, A4 with margins top/bottom 20 mm,
left 30 mm, right 15 mm.

``render_form(dossier, name)`` raises ``FormNotApplicable`` when the form does not exist in the
dossier's regime (the message names the form, the day the dossier started and the circular that
has the form) or does not apply to the dossier in its state (the API answers 409 with it).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FORMS = ("receipt", "supplement", "refusal", "apology", "control-sheet", "stop-notice")
TRACKING_BOOK = "tracking-book"


class FormNotApplicable(Exception):
    """The form does not apply to the dossier in its state (e.g. no apology was issued)."""


# --- legal regimes, as data -----------------------------------------------------------------
@dataclass(frozen=True)
class Regime:
    """One set of official forms, valid for dossiers that started between two dates."""

    key: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    numbers: dict
    titles: dict
    desk: str  # what the one-stop desk is called in the forms
    # Forms whose content differs from the shared template: form → template name.
    templates: dict = field(default_factory=dict)

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def number(self, form: str) -> str:
        return self.numbers[form]

    def template(self, form: str, default: str) -> str:
        return self.templates.get(form, default)


# Sources (what each one shows: SOURCES.md next to this file), researched in stored copies of
# public pages; the official gazette texts (vbpl.vn, congbao.chinhphu.vn) were not available,
# so whatever no source states is marked (verify).
#
# [1] https://hethongphapluat.com/thong-tu-03-2025-tt-vpcp-huong-dan-nghi-dinh-118-2025-nd-cp-thuc-hien-thu-tuc-hanh-chinh-theo-co-che-mot-cua-mot-cua-lien-thong-tai-bo-phan-mot-cua-va-cong-dich-vu-cong-quoc-gia-do-van-phong-chinh-phu-ban-hanh.html
#     full text, heading: “Số: 03/2025/TT-VPCP – Hà Nội, ngày 15 tháng 9 năm 2025”; cites
#     “Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025”; scope: the one-stop desks, “các
#     biểu mẫu trong giải quyết thủ tục hành chính”, dossier codes, sector codes.
# [2] https://thuviennhadat.vn/phap-luat/tai-file-word-bieu-mau-thong-tu-03-2025-tt-vpcp-ve-giai-quyet-thu-tuc-hanh-chinh-tai-bo-phan-mot-cua-708489.html
#     Appendix I of Circular 03/2025: forms 01–07 and their titles (below), “từ ngày 15/9/2025”.
# [3] https://hethongphapluat.vn/quyet-dinh-128-2025-qd-ubnd-ve-quy-che-hoat-dong-cua-trung-tam-phuc-vu-hanh-chinh-cong-tinh-thanh-hoa.html
#     Thanh Hóa Decision 128/2025/QĐ-UBND (09/10/2025) cites Circular 03/2025 “ngày 15 tháng 9
#     năm 2025” and Decree 118/2025 “ngày 09 tháng 6 năm 2025”.
# [4] https://news.laodong.vn/thoi-su/ubnd-cap-tinh-quyet-dinh-thanh-lap-trung-tam-phuc-vu-hanh-chinh-cong-tu-172025-1529264.ldo
#     Decree 118/2025: service centres at province and commune level from 1 July 2025.
# [5] A public GitHub repository (a Thanh Hóa one-stop system, React component PhieuHuongDan):
#     “Theo Mẫu số 02, ban hành kèm theo Thông tư số 01/2018/TT-VPCP, ngày 23/11/2018”.
#
# Verified: Circular 03/2025 issued 15/09/2025 [1][3]; its forms 01–07 and their titles [2],
# the same list in an independent write-up (SOURCES.md); Decree 118/2025 issued 09/06/2025
# [1][3]; Circular 01/2018 issued 23/11/2018 [5].
# (verify) Circular 03/2025 in force on 15/09/2025: [2] says its forms apply from that day, but
#   the article on entry into force was not read. Until then (1 July – 14 September 2025: Decree
#   118/2025 in force, Circular 03/2025 not yet issued) dossiers keep the 2018 set of forms,
#   which is what desks could use; whether Circular 01/2018 formally lapsed with Decree 61/2018
#   on 1 July 2025 was not checked.
# (verify) Decree 118/2025 in force 1 July 2025 [4] (indirect), replacing Decree 61/2018 and
#   107/2021; Decree 61/2018 dated 23/04/2018 and in force 21/08/2018 (no source found);
#   Circular 01/2018 in force 08/01/2019 (no source found: before that date dossiers fall back to
#   the first set anyway).
# (verify) The body of every 2025 form: Appendix I itself was not read. Forms 01–03 and 06–07
#   reuse the 2018 layouts; form 04 (apology and request to extend the time) and form 05 (notice
#   of stopping) have their own drafts.
REGIMES = [
    # Circular 01/2018/TT-VPCP of 23/11/2018, guiding Decree 61/2018/NĐ-CP.
    Regime(
        "2018",
        legal_basis="Thông tư số 01/2018/TT-VPCP",
        valid_from=dt.date(2019, 1, 8),  # (verify) in force 08/01/2019
        valid_to=dt.date(2025, 9, 14),  # the day before Circular 03/2025 (verify)
        numbers={
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "control-sheet": "05",
            TRACKING_BOOK: "06",
        },
        titles={
            "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "control-sheet": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            TRACKING_BOOK: "SỔ THEO DÕI HỒ SƠ",
        },
        desk="Bộ phận tiếp nhận và trả kết quả",
    ),
    # Circular 03/2025/TT-VPCP of 15/09/2025, guiding Decree 118/2025/NĐ-CP: Appendix I, forms
    # 01–07 [2]. Form 04 now asks to extend the processing time, form 05 is new.
    Regime(
        "2025",
        legal_basis="Thông tư số 03/2025/TT-VPCP",
        valid_from=dt.date(2025, 9, 15),  # issued 15/09/2025 [1][3]; in force that day (verify)
        valid_to=None,
        numbers={
            "receipt": "01",
            "supplement": "02",
            "refusal": "03",
            "apology": "04",
            "stop-notice": "05",
            "control-sheet": "06",
            TRACKING_BOOK: "07",
        },
        titles={
            "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "apology": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            "stop-notice": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            "control-sheet": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
            TRACKING_BOOK: "SỔ THEO DÕI HỒ SƠ",
        },
        desk="Bộ phận Một cửa",
        templates={"apology": "dossiers/forms/apology_2025.html"},
    ),
]


def regime_on(day: dt.date) -> Regime:
    """The regime in force on ``day`` (the earliest before all, the latest after all)."""
    for regime in REGIMES:
        if regime.covers(day):
            return regime
    return REGIMES[0] if day < REGIMES[0].valid_from else REGIMES[-1]


def started_on(dossier) -> dt.date:
    """The day (Vietnam time) the dossier started: received, else submitted, else created."""
    started = dossier.received_at or dossier.submitted_at or dossier.created_at or timezone.now()
    return timezone.localdate(started)


def regime_for(dossier) -> Regime:
    """The regime the dossier started under: received, else submitted, else created."""
    return regime_on(started_on(dossier))


# --- Vietnamese formatting ------------------------------------------------------------------
KIND_LABELS = {
    "original": "Bản chính",
    "certified_copy": "Bản sao chứng thực",
    "copy": "Bản sao",
    "present": "Bản chính để xuất trình",
}
TIMELINESS_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
ID_LABELS = {
    "cccd": "Số định danh cá nhân",
    "passport": "Số hộ chiếu",
    "tax": "Mã số thuế",
}
RETURN_LABELS = {
    "counter": "{desk}",
    "post": "Qua dịch vụ bưu chính công ích, đến địa chỉ của người nộp hồ sơ",
    "online": "Trực tuyến, vào kho dữ liệu của tổ chức, cá nhân trên Cổng Dịch vụ công",
}
TIME_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def dmy(moment) -> str:
    """10/03/2025 (Vietnam time)."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = _local(moment)
    return moment.strftime("%d/%m/%Y")


def hm_dmy(moment: dt.datetime | None) -> str:
    """“09 giờ 30 phút, ngày 10/03/2025” (Vietnam time)."""
    if moment is None:
        return ""
    moment = _local(moment)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def place_date(moment, place: str | None = None) -> str:
    """“Đắk Nông, ngày 10 tháng 3 năm 2025”: days below 10 and months 1–2 take a leading zero
    (Decree 30/2020/NĐ-CP, appendix I)."""
    place = place or settings.EGOV_PROVINCE_NAME
    day = timezone.localdate(moment) if isinstance(moment, dt.datetime) else moment
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def vnd(amount) -> str:
    """50000 → “50.000 đồng”."""
    return f"{int(amount or 0):,}".replace(",", ".") + " đồng"


def number(value) -> str:
    """Decimal 5.00 → “5”, 0.50 → “0,5”."""
    value = Decimal(value or 0).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def padded(value) -> str:
    """Counts below 10 take a leading zero, as in official documents: 1 → “01”."""
    return f"{int(value or 0):02d}"


def person(user) -> str:
    return user.get_full_name() if user is not None else ""


def lookup_url(dossier) -> str:
    """The public look-up address printed on the receipt and carried by its QR code."""
    base = settings.EGOV_PUBLIC_URL.rstrip("/")
    return f"{base}/tra-cuu/?{urlencode({'code': dossier.code})}"


def qr_data_uri(payload: str) -> str:
    """A QR code (not a micro QR: phones and scanners read it) as an SVG data URI."""
    import segno

    return segno.make_qr(payload, error="m").svg_data_uri(scale=4, border=2)


# --- who, which agency -----------------------------------------------------------------------
def _event(dossier, action: str):
    from egov.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            object_type=dossier._meta.label_lower,
            object_id=str(dossier.pk),
            action=f"dossier.{action}",
        )
        .select_related("actor", "agency")
        .order_by("-seq")
        .first()
    )


def _receiving_officer(dossier):
    event = _event(dossier, "receive")
    if event is not None and event.actor is not None:
        return event.actor
    first = dossier.handovers.select_related("from_user").first()
    return first.from_user if first is not None else None


def header(agency) -> dict:
    """The issuing agency block: its governing agency (cơ quan chủ quản) above, in capitals;
    none for a People's Committee, which has no governing agency line."""
    from egov.core.models import AgencyKind

    organisation = agency.organisation()
    parent = organisation.parent
    governing = ""
    if parent is not None and organisation.kind != AgencyKind.PEOPLES_COMMITTEE:
        governing = parent.organisation().name.upper()
    return {"governing": governing, "name": organisation.name.upper(), "agency": organisation}


def _applicant(dossier) -> dict:
    is_organisation = dossier.applicant_id_type == "tax"
    return {
        "name": dossier.applicant_name,
        "address_as": "Quý cơ quan, tổ chức" if is_organisation else "Ông/Bà",
        "id_label": ID_LABELS.get(dossier.applicant_id_type, "Số giấy tờ tùy thân"),
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def _items(rows) -> list[dict]:
    return [
        {
            "name": row["name"],
            "kind": KIND_LABELS.get(row.get("kind") or "original", row.get("kind") or ""),
            "count": padded(row.get("count") or 1),
        }
        for row in rows
    ]


def _statutory_time(version) -> str:
    return f"{number(version.time_value)} {TIME_UNITS.get(version.time_unit, '')}".strip()


def _require(regime: Regime, form: str, dossier=None) -> None:
    """Raise ``FormNotApplicable`` when ``form`` is not part of ``regime``, naming the form, the
    day the dossier started and the set(s) of forms that have it."""
    if form in regime.numbers:
        return
    elsewhere = [other for other in REGIMES if form in other.numbers]
    title = elsewhere[0].titles[form].capitalize() if elsewhere else form
    others = "; ".join(f"{other.legal_basis} (Mẫu số {other.number(form)})" for other in elsewhere)
    raise FormNotApplicable(
        _(
            "“%(title)s” is not a form of %(regime)s, the set of forms that applies to this "
            "dossier (it started on %(day)s); it exists only under %(others)s."
        )
        % {
            "title": title,
            "regime": regime.legal_basis,
            "day": dmy(started_on(dossier)) if dossier is not None else "",
            "others": others,
        }
    )


def desk_name(agency, regime: Regime) -> str:
    """The one-stop desk as the forms name it: a service centre by its own name, otherwise the
    desk of the agency (“Bộ phận Một cửa – Sở Tư pháp”)."""
    from egov.core.models import AgencyKind

    if agency.kind == AgencyKind.SERVICE_CENTER:
        return agency.name
    return f"{regime.desk} – {agency.name}"


def _base_context(dossier, form: str, regime: Regime, agency) -> dict:
    _require(regime, form, dossier)
    version = dossier.procedure_version
    receiving = dossier.receiving_agency.organisation()
    return {
        "form": form,
        "regime": regime,
        "form_number": regime.number(form),
        "title": regime.titles[form],
        "header": header(agency),
        "dossier": dossier,
        "procedure_name": version.name,
        "procedure_code": version.procedure.code,
        "request": dossier.request_summary or version.name,
        "applicant": _applicant(dossier),
        "receiving": receiving,
        "desk": desk_name(receiving, regime),
        "competent": dossier.competent_agency.organisation(),
    }


# --- the forms ----------------------------------------------------------------------------
def _receipt(dossier, regime):
    if dossier.received_at is None or not dossier.code:
        raise FormNotApplicable(
            _("The receipt exists only once the dossier has been received at the desk.")
        )
    version = dossier.procedure_version
    context = _base_context(dossier, "receipt", regime, dossier.receiving_agency)
    receiving = context["receiving"]
    where = RETURN_LABELS.get(dossier.return_mode or "counter", RETURN_LABELS["counter"])
    # A fee by table is printed whole (each case and its amount): the officer has not yet
    # decided which case applies when the receipt is printed.
    fees = [
        {"name": fee.name, "amount": fee.amount_text if fee.is_table else vnd(fee.amount)}
        for fee in version.fees.all()
    ]
    received = dossier.documents.filter(is_result=False)
    context.update(
        place_date=place_date(dossier.received_at),
        documents=_items({"name": d.name, "kind": d.kind, "count": d.count} for d in received),
        sets=padded(dossier.sets),
        statutory_time=_statutory_time(version),
        received_at=hm_dmy(dossier.received_at),
        due_at=hm_dmy(dossier.due_at),
        return_place=where.format(desk=context["desk"]),
        return_address=receiving.address if (dossier.return_mode or "counter") == "counter" else "",
        fees=fees,
        book_volume=timezone.localdate(dossier.received_at).year,
        book_number=dossier.tracking_number or "",
        officer=person(_receiving_officer(dossier)),
        lookup_url=lookup_url(dossier),
        lookup_base=f"{settings.EGOV_PUBLIC_URL.rstrip('/')}/tra-cuu/",
        qr=qr_data_uri(lookup_url(dossier)),
    )
    return "dossiers/forms/receipt.html", context


def _supplement(dossier, regime):
    request = dossier.supplements.select_related("requested_by").order_by("-requested_at").first()
    if request is None:
        raise FormNotApplicable(_("No supplement has been requested for this dossier."))
    agency = dossier.competent_agency if request.during_processing else dossier.receiving_agency
    context = _base_context(dossier, "supplement", regime, agency)
    context.update(
        place_date=place_date(request.requested_at),
        request_number=request.number,
        items=_items(request.items),
        reason=request.reason,
        officer=person(request.requested_by),
        contact_phone=context["header"]["agency"].phone,
        requested_at=hm_dmy(request.requested_at),
    )
    return "dossiers/forms/supplement.html", context


def _refusal(dossier, regime):
    from ..workflow import State

    if dossier.state != State.REFUSED:
        raise FormNotApplicable(
            _("The refusal form applies only to a dossier that was refused at the desk.")
        )
    event = _event(dossier, "refuse")
    context = _base_context(dossier, "refusal", regime, dossier.receiving_agency)
    context.update(
        place_date=place_date(event.occurred_at if event else dossier.updated_at),
        legal_ground=dossier.procedure_version.legal_basis,
        reason=dossier.stop_reason,
        officer=person(event.actor if event else None),
    )
    return "dossiers/forms/refusal.html", context


def _head_of(agency, user) -> str:
    """The signer's name under “THỦ TRƯỞNG CƠ QUAN” when ``user`` leads ``agency``, else blank
    (the head signs by hand)."""
    from egov.core.models import Position, Role

    if user is None:
        return ""
    leads = (
        Position.objects.valid_on()
        .filter(user=user, agency=agency, role=Role.AGENCY_LEADER)
        .exists()
    )
    return person(user) if leads else ""


def _apology(dossier, regime):
    apology = dossier.apologies.select_related("issued_by").order_by("-issued_at").first()
    if apology is None:
        raise FormNotApplicable(_("No apology has been issued for this dossier."))
    context = _base_context(dossier, "apology", regime, dossier.competent_agency)
    context.update(
        place_date=place_date(apology.issued_at),
        received_on=dmy(dossier.received_at),
        statutory_time=_statutory_time(dossier.procedure_version),
        original_due=hm_dmy(apology.original_due_at),
        new_appointment=hm_dmy(apology.new_appointment_at),
        reason=apology.reason.rstrip("."),
        signer=_head_of(context["competent"], apology.issued_by),
    )
    return "dossiers/forms/apology.html", context


def _control_sheet(dossier, regime):
    if dossier.received_at is None or not dossier.code:
        raise FormNotApplicable(
            _("The control sheet exists only once the dossier has been received at the desk.")
        )
    context = _base_context(dossier, "control-sheet", regime, dossier.receiving_agency)
    rows = []
    handovers = dossier.handovers.select_related("from_agency", "to_agency", "from_user", "to_user")
    for handover in handovers:
        giver = handover.from_agency.name if handover.from_agency else ""
        if handover.to_agency is not None:
            receiver = handover.to_agency.name
        else:
            receiver = f"Tổ chức, cá nhân ({dossier.applicant_name})"
        rows.append(
            {
                "giver_agency": giver,
                "receiver_agency": receiver,
                "at": hm_dmy(handover.at),
                "giver": person(handover.from_user),
                "receiver": person(handover.to_user)
                if handover.to_user
                else ("" if handover.to_agency else dossier.applicant_name),
                "result": TIMELINESS_LABELS.get(handover.timeliness, ""),
                "note": handover.note,
            }
        )
    coordinating = [task.agency.name for task in dossier.tasks.select_related("agency")]
    coordinating += list(dossier.procedure_version.coordinating_external or [])
    context.update(
        rows=rows,
        coordinating=list(dict.fromkeys(coordinating)),
        received_at=hm_dmy(dossier.received_at),
        due_at=hm_dmy(dossier.due_at),
    )
    return "dossiers/forms/control_sheet.html", context


def _stop_notice(dossier, regime):
    from ..workflow import State

    _require(regime, "stop-notice", dossier)
    if dossier.state != State.STOPPED:
        raise FormNotApplicable(
            _("The stop notice applies only to a dossier whose processing was stopped.")
        )
    event = _event(dossier, "stop")
    agency = (event.agency if event and event.agency else None) or dossier.competent_agency
    context = _base_context(dossier, "stop-notice", regime, agency)
    context.update(
        place_date=place_date(event.occurred_at if event else dossier.updated_at),
        received_on=dmy(dossier.received_at or dossier.submitted_at or dossier.created_at),
        was_received=dossier.received_at is not None,
        reason=dossier.stop_reason.rstrip("."),
        signer=_head_of(context["header"]["agency"], event.actor if event else None),
    )
    return "dossiers/forms/stop_notice.html", context


BUILDERS = {
    "receipt": _receipt,
    "supplement": _supplement,
    "refusal": _refusal,
    "apology": _apology,
    "control-sheet": _control_sheet,
    "stop-notice": _stop_notice,
}


def render_form(dossier, name: str) -> bytes:
    """The official form ``name`` (one of ``FORMS``) of ``dossier`` as PDF."""
    if name not in BUILDERS:
        raise ValueError(f"Unknown form {name!r}; expected one of {', '.join(FORMS)}.")
    regime = regime_for(dossier)
    _require(regime, name, dossier)  # before the state checks: the clearer answer
    template, context = BUILDERS[name](dossier, regime)
    return render_pdf(regime.template(name, template), context)


# --- the tracking book (sổ theo dõi hồ sơ) -------------------------------------------------
BOOK_COLUMNS = [  # (heading, width in mm on landscape A4: 252 mm between the margins)
    ("STT", 8),
    ("Mã hồ sơ", 39),
    ("Tên thủ tục hành chính", 27),
    ("Số lượng hồ sơ (bộ)", 9),
    ("Tên tổ chức, cá nhân", 19),
    ("Địa chỉ, số điện thoại", 21),
    ("Cơ quan chủ trì giải quyết", 17),
    ("Nhận hồ sơ", 16),
    ("Hẹn trả kết quả", 16),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 16),
    ("Nhận kết quả từ cơ quan giải quyết", 16),
    ("Trả kết quả cho tổ chức, cá nhân", 16),
    ("Ký nhận", 11),
    ("Ghi chú", 21),
]
DATE_COLUMNS = range(7, 12)  # 0-based: received … returned


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def tracking_rows(agency, date_from: dt.date, date_to: dt.date) -> list[list]:
    """One row per dossier received by ``agency`` from ``date_from`` to ``date_to`` (Vietnam
    dates, inclusive), in the order of the book; dates as aware datetimes."""
    from ..models import Dossier, Handover
    from ..workflow import State

    dossiers = (
        Dossier.objects.filter(
            receiving_agency=agency,
            received_at__gte=_local_midnight(date_from),
            received_at__lt=_local_midnight(date_to + dt.timedelta(days=1)),
        )
        .select_related("procedure_version", "competent_agency")
        .order_by("received_at", "id")
    )
    sent = {}
    handovers = Handover.objects.filter(dossier__in=dossiers, from_agency=agency).exclude(
        to_agency=agency
    )
    for handover in handovers.exclude(to_agency__isnull=True).order_by("at", "id"):
        sent.setdefault(handover.dossier_id, handover.at)
    rows = []
    for index, dossier in enumerate(dossiers, start=1):
        contact = ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
        if dossier.state == State.STOPPED:
            note = f"Dừng giải quyết: {dossier.stop_reason}"
        elif dossier.new_appointment_at:
            note = f"Đã xin lỗi, hẹn lại {hm_dmy(dossier.new_appointment_at)}"
        else:
            note = TIMELINESS_LABELS.get(dossier.timeliness, "")
        rows.append(
            [
                dossier.tracking_number or index,
                dossier.code,
                dossier.procedure_version.name,
                dossier.sets,
                dossier.applicant_name,
                contact,
                dossier.competent_agency.name,
                dossier.received_at,
                dossier.due_at,
                sent.get(dossier.pk),
                dossier.finished_at,
                dossier.returned_at,
                "",
                note,
            ]
        )
    return rows


def render_tracking_book(agency, date_from: dt.date, date_to: dt.date, fmt: str = "pdf") -> bytes:
    """Sổ theo dõi hồ sơ (form 06 of 2018, 07 of 2025) of a receiving agency for a period, as
    PDF or XLSX. The regime is the one in force on ``date_to``."""
    if fmt not in ("pdf", "xlsx"):
        raise ValueError("The tracking book is rendered as “pdf” or “xlsx”.")
    if date_to < date_from:
        raise ValueError("The period ends before it starts.")
    regime = regime_on(date_to)
    rows = tracking_rows(agency, date_from, date_to)
    context = {
        "regime": regime,
        "form_number": regime.number(TRACKING_BOOK),
        "title": regime.titles[TRACKING_BOOK],
        "header": header(agency),
        "period": f"Từ ngày {dmy(date_from)} đến ngày {dmy(date_to)}",
    }
    if fmt == "xlsx":
        return _tracking_xlsx(rows, context)
    shown = [
        [
            dmy(value) if isinstance(value, dt.datetime) else ("" if value is None else value)
            for value in row
        ]
        for row in rows
    ]
    columns = [{"title": title, "width": width} for title, width in BOOK_COLUMNS]
    context.update(columns=columns, rows=shown, landscape=True)
    return render_pdf("dossiers/forms/tracking_book.html", context)


def _tracking_xlsx(rows: list[list], context: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi ho so"
    last = get_column_letter(len(BOOK_COLUMNS))
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def put(cells: str, value, style: Font, align: Alignment = centre) -> None:
        """Write ``value`` in the first cell of the range ``cells``, merged if wider."""
        if ":" in cells:
            sheet.merge_cells(cells)
        cell = sheet[cells.split(":")[0]]
        cell.value, cell.font, cell.alignment = value, style, align

    # Header as on paper: agency on the left, national motto on the right, form number above.
    head = context["header"]
    put(f"{last}1", f"Mẫu số {context['form_number']}", bold, Alignment(horizontal="right"))
    if head["governing"]:
        put("A2:F2", head["governing"], font)
        put("A3:F3", head["name"], bold)
    else:
        put("A2:F2", head["name"], bold)
    put(f"H2:{last}2", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    put(f"H3:{last}3", "Độc lập - Tự do - Hạnh phúc", bold)
    put(f"A5:{last}5", context["title"], Font(name="Times New Roman", size=14, bold=True))
    put(f"A6:{last}6", context["period"], Font(name="Times New Roman", size=12, italic=True))

    header_row = 8
    for index, (title, width) in enumerate(BOOK_COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index, value=title)
        cell.font, cell.alignment, cell.border = bold, centre, border
        sheet.column_dimensions[get_column_letter(index)].width = round(width * 0.6) + 2
    for offset, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if isinstance(value, dt.datetime):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = sheet.cell(row=header_row + offset, column=index + 1, value=value)
            cell.font, cell.alignment, cell.border = font, wrap, border
            if index in DATE_COLUMNS:
                cell.number_format = "dd/mm/yyyy hh:mm"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- PDF rendering ---------------------------------------------------------------------------
FONT_PACKAGE = "@fontsource/tinos"
# Fontsource splits the font by script; WeasyPrint mixes up glyphs of same-named faces, so each
# subset gets its own family and the font stack falls back from one to the next per character.
FONT_SUBSETS = (("latin", "Tinos"), ("vietnamese", "Tinos Vietnamese"), ("latin-ext", "Tinos Ext"))
FONT_STACK = (
    ", ".join(f"'{family}'" for _s, family in FONT_SUBSETS)
    + ", 'Times New Roman', 'Liberation Serif', serif"
)


def font_dir() -> Path:
    return Path(settings.NODE_MODULES) / FONT_PACKAGE / "files"


def font_faces() -> str:
    """@font-face rules for the shipped Tinos (regular, bold, italic, bold italic)."""
    directory = font_dir()
    if not directory.is_dir():
        logger.warning(
            "Font package %s is missing (run `npm ci`): forms fall back to system fonts.",
            FONT_PACKAGE,
        )
        return ""
    rules = []
    for subset, family in FONT_SUBSETS:
        for weight in (400, 700):
            for style in ("normal", "italic"):
                path = directory / f"tinos-{subset}-{weight}-{style}.woff"
                rules.append(
                    f"@font-face {{ font-family: '{family}'; font-weight: {weight}; "
                    f"font-style: {style}; src: url('{path.as_uri()}') format('woff'); }}"
                )
    return "\n".join(rules)


def _fetcher():
    """Resources only from the font directory and data: URIs (the QR code): a form never
    reaches the network or other files, whatever the dossier's text contains."""
    from weasyprint import URLFetcher

    root = font_dir().resolve()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"Forms may not load {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    context = {"font_stack": FONT_STACK, "landscape": False, **context}
    html = render_to_string(template, context)
    fetcher = _fetcher()
    font_config = FontConfiguration()
    fonts = CSS(string=font_faces(), font_config=font_config, url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[fonts], font_config=font_config)

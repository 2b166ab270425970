"""What applicants are told about: the events, the dossier actions that cause them, and the
values their message templates may use.

Templates are Django template text rendered without HTML escaping (e-mail and SMS are plain
text) by an engine that has only the built-in tags and filters and no template loader, so an
administrator's template cannot include files or load tag libraries.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECEIVED = "received"
SUPPLEMENT_REQUESTED = "supplement_requested"
REFUSED = "refused"
FEE_DUE = "fee_due"
PAUSED = "paused_for_supplement"
APOLOGY = "apology"
RESULT_READY = "result_ready"
RESULT_RETURNED = "result_returned"
EVALUATION_INVITATION = "evaluation_invitation"

EVENT_LABELS = {
    RECEIVED: _("Dossier received"),
    SUPPLEMENT_REQUESTED: _("Supplement requested"),
    REFUSED: _("Refused to receive"),
    FEE_DUE: _("Fee due"),
    PAUSED: _("Paused for a supplement"),
    APOLOGY: _("Apology with a new appointment"),
    RESULT_READY: _("Result ready"),
    RESULT_RETURNED: _("Result returned"),
    EVALUATION_INVITATION: _("Invitation to rate the service"),
}
EVENT_CHOICES = list(EVENT_LABELS.items())

# Dossier action (egov.dossiers.services, the ``dossier_changing`` signal) -> events.
ACTION_EVENTS: dict[str, tuple[str, ...]] = {
    "receive": (RECEIVED,),
    "request_supplement": (SUPPLEMENT_REQUESTED,),
    "refuse": (REFUSED,),
    "request_fee": (FEE_DUE,),
    "pause_for_supplement": (PAUSED,),
    "apologize": (APOLOGY,),
    "approve": (RESULT_READY,),
    "return_result": (RESULT_RETURNED, EVALUATION_INVITATION),
}

# Variables every template may use, with what they hold (shown to administrators).
VARIABLES = {
    "code": _("dossier code"),
    "procedure": _("procedure name"),
    "applicant_name": _("applicant's name"),
    "agency": _("receiving agency (one-stop desk)"),
    "agency_address": _("its address"),
    "agency_phone": _("its phone"),
    "received_at": _("date received, dd/mm/yyyy HH:MM"),
    "appointment": _("appointment for the result, dd/mm/yyyy HH:MM"),
    "lookup_url": _("look-up page of the dossier"),
    "secret_hint": _("first characters of the look-up secret printed on the receipt"),
    "items": _("missing documents: each has name, kind, count"),
    "reason": _("reason given by the officer"),
    "supplement_number": _("number of the supplement request"),
    "amount": _("fee in VND (a whole number)"),
    "amount_text": _("fee written as 1.500.000 đồng"),
    "pay_url": _("payment page"),
    "old_appointment": _("appointment before the apology"),
    "new_appointment": _("new appointment, dd/mm/yyyy HH:MM"),
    "result_note": _("what the result is"),
    "collect_at": _("where to collect the result"),
    "download_url": _("link to download the result (online results)"),
    "return_mode": _("how the result was returned"),
    "evaluation_url": _("page where the applicant rates the service"),
}

KIND_LABELS = {"original": "bản chính", "certified_copy": "bản sao chứng thực", "copy": "bản sao"}

_engine = Engine(
    autoescape=False,  # plain text: e-mail bodies and SMS, not HTML
    loaders=[],
    libraries={},
    string_if_invalid="",
)


def compile_template(text: str):
    """The compiled template; raises ``TemplateSyntaxError`` with Django's message."""
    return _engine.from_string(text or "")


def render(text: str, context: dict) -> str:
    """Render template ``text`` with ``context`` (plain text, trailing blanks removed)."""
    rendered = compile_template(text).render(Context(context, autoescape=False))
    lines = [line.rstrip() for line in rendered.replace("\r\n", "\n").split("\n")]
    # Template tags on their own line leave blank lines: keep at most one in a row.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def syntax_error(text: str) -> str:
    """The syntax error of a template, or "" when it compiles."""
    try:
        compile_template(text)
    except TemplateSyntaxError as error:
        return str(error)
    return ""


def moment(value) -> str:
    """dd/mm/yyyy HH:MM in the province's time zone; "" for nothing."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def vnd(amount: int | None) -> str:
    """1500000 -> "1.500.000 đồng" (the Vietnamese thousands separator is a dot)."""
    return f"{int(amount or 0):,}".replace(",", ".") + " đồng"


def public_url(path: str) -> str:
    return f"{settings.EGOV_PUBLIC_URL.rstrip('/')}{path}"


def dossier_context(dossier, changes: dict | None = None) -> dict:
    """The values templates use for ``dossier`` (``changes``: those of the audit event)."""
    from urllib.parse import urlencode

    changes = changes or {}
    agency = dossier.receiving_agency
    supplement = dossier.supplements.order_by("-requested_at", "-pk").first()
    apology = dossier.apologies.order_by("-issued_at", "-pk").first()
    code = dossier.code or ""
    lookup = public_url("/tra-cuu/?" + urlencode({"code": code})) if code else ""
    # An applicant with a portal account follows, pays and rates on her dossier's page there;
    # others use the public look-up with the secret from the receipt.
    online = bool(code and dossier.applicant_user_id)
    page = public_url(reverse("portal:dossier", args=[code])) if online else lookup
    amount = changes.get("amount", dossier.fee_amount)
    if amount is None:
        amount = dossier.procedure_version.total_fee()
    has_files = dossier.documents.filter(is_result=True).exclude(file="").exists()
    items = supplement.items if supplement else changes.get("items") or []
    return {
        "dossier": dossier,
        "code": code,
        "procedure": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name,
        "agency": agency.name if agency else "",
        "agency_address": getattr(agency, "address", "") if agency else "",
        "agency_phone": getattr(agency, "phone", "") if agency else "",
        "received_at": moment(dossier.received_at),
        "appointment": moment(dossier.new_appointment_at or dossier.due_at),
        "lookup_url": page,
        "secret_hint": (dossier.lookup_secret or "")[:2] + "…",
        "items": [
            {
                "name": i.get("name", ""),
                "kind": KIND_LABELS.get(i.get("kind"), i.get("kind", "")),
                "count": i.get("count", 1),
            }
            for i in items
        ],
        "reason": (
            changes.get("reason")
            or (supplement.reason if supplement else "")
            or (apology.reason if apology else "")
            or dossier.stop_reason
        ),
        "supplement_number": supplement.number if supplement else "",
        "amount": int(amount or 0),
        "amount_text": vnd(amount),
        "pay_url": public_url(reverse("payments:pay", args=[code])) if online else page,
        "old_appointment": moment(apology.original_due_at) if apology else "",
        "new_appointment": moment(apology.new_appointment_at if apology else None),
        "result_note": dossier.result_note,
        "collect_at": ", ".join(
            p for p in [agency.name if agency else "", getattr(agency, "address", "")] if p
        ),
        "download_url": page if has_files else "",
        "return_mode": dossier.get_return_mode_display() if dossier.return_mode else "",
        "evaluation_url": page,
    }


def sample_context() -> dict:
    """Values for previewing a template in the admin: a made-up dossier."""
    return {
        "code": "000.00.21.H16-250310-0001",
        "procedure": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "applicant_name": "Nguyễn Văn An",
        "agency": "Trung tâm Phục vụ hành chính công tỉnh",
        "agency_address": "Số 1 đường Tôn Đức Thắng, Gia Nghĩa",
        "agency_phone": "0261 3544 555",
        "received_at": "10/03/2025 09:30",
        "appointment": "17/03/2025 09:30",
        "lookup_url": public_url("/tra-cuu/?code=000.00.21.H16-250310-0001"),
        "secret_hint": "K7…",
        "items": [
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "kind": "bản chính", "count": 1},
            {"name": "Căn cước công dân", "kind": "bản sao chứng thực", "count": 1},
        ],
        "reason": "Hồ sơ còn thiếu giấy tờ theo quy định",
        "supplement_number": "000.00.21.H16-250310-0001/HDHS",
        "amount": 200000,
        "amount_text": vnd(200000),
        "pay_url": public_url("/thanh-toan/?code=000.00.21.H16-250310-0001"),
        "old_appointment": "17/03/2025 09:30",
        "new_appointment": "20/03/2025 16:00",
        "result_note": "Phiếu lý lịch tư pháp số 123/STP",
        "collect_at": "Trung tâm Phục vụ hành chính công tỉnh, Số 1 đường Tôn Đức Thắng, Gia Nghĩa",
        "download_url": public_url("/tra-cuu/?code=000.00.21.H16-250310-0001"),
        "return_mode": "Trực tuyến",
        "evaluation_url": public_url("/tra-cuu/?code=000.00.21.H16-250310-0001"),
    }

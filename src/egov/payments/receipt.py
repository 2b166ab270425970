"""Biên lai thu phí, lệ phí: the receipt of a fee paid online, as PDF.

Rendered like the one-stop forms (``egov.dossiers.documents.forms``: WeasyPrint, the shipped
Tinos font, the layout of Decree 30/2020/NĐ-CP). The collecting agency is the competent agency,
the one that asked for the fee. The amount is written in figures and in words.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.text import fold
from egov.dossiers.documents.forms import dmy, header, place_date, render_pdf

from . import money
from .models import Payment, PaymentStatus

GATEWAY_NAMES = {"vnpay": "Cổng thanh toán VNPAY"}
KIND_NAMES = {"fee": "Phí", "charge": "Lệ phí"}


def _kind_label(line: dict) -> str:
    """“Phí” or “Lệ phí” before the line's name, unless the name already says it."""
    label = KIND_NAMES.get(line.get("kind") or "", "")
    return "" if not label or fold(line["name"]).startswith(fold(label)) else label


class ReceiptNotAvailable(Exception):
    """There is no receipt for a payment that was not paid."""


def render_receipt(payment: Payment) -> bytes:
    """The receipt of ``payment`` as PDF (paid, or paid then refunded)."""
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        raise ReceiptNotAvailable(_("A receipt exists only for a paid fee."))
    dossier = payment.dossier
    version = dossier.procedure_version
    paid_at = payment.paid_at or payment.updated_at
    local = timezone.localtime(paid_at)
    lines = [
        {
            "number": index,
            "name": line["name"],
            "kind": _kind_label(line),
            "amount": money.figures(line["amount"]),
        }
        for index, line in enumerate(payment.lines, start=1)
    ]
    context = {
        "title": "BIÊN LAI THU PHÍ, LỆ PHÍ",
        "header": header(dossier.competent_agency),
        "place_date": place_date(paid_at),
        "number": payment.txn_ref,
        "payer": payment.payer_name,
        "payer_id": dossier.applicant_id_number,
        "payer_address": dossier.applicant_address,
        "dossier_code": dossier.code,
        "procedure": version.name,
        "procedure_code": version.procedure.code,
        "lines": lines,
        "total": money.figures(payment.amount),
        "total_words": money.in_words(payment.amount),
        "gateway": GATEWAY_NAMES.get(payment.gateway, payment.gateway),
        "bank": payment.bank_code,
        "transaction_no": payment.transaction_no,
        "paid_on": dmy(paid_at),
        "paid_time": f"{local:%H:%M}",
        "refunded": money.figures(payment.refunded_amount) if payment.refunded_amount else "",
        "refunded_words": money.in_words(payment.refunded_amount)
        if payment.refunded_amount
        else "",
        "collector": dossier.competent_agency.organisation().name,
    }
    return render_pdf("payments/receipt_pdf.html", context)

"""The only way payments change: start, IPN, return, reconciliation, refund.

Each function runs in one transaction, locks the payment row it changes and writes one audit
event per change of state. A payment becomes paid only on the gateway's word, signed: its IPN
call or, when that never came, its answer to a query (``reconcile_pending``). The dossier then
leaves "awaiting payment" through ``egov.dossiers.services.confirm_payment``, called with no
actor: the platform itself confirms, on the gateway's signed word, and the dossier's audit
event says "system".
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core import permissions as perms
from egov.core.audit import record_event
from egov.core.requestcontext import current_request_context
from egov.core.text import normalize_text
from egov.dossiers.models import Dossier
from egov.dossiers.workflow import State

from . import protocol
from .gateways import Callback, GatewayError, get_gateway
from .models import GatewayMessage, Payment, PaymentStatus, Refund

log = logging.getLogger(__name__)


class PaymentRefused(Exception):
    """The payment cannot start (wrong person, wrong state, nothing to pay); nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _setting(name: str, default):
    return getattr(settings, name, default)


def _ip() -> str | None:
    return current_request_context().ip


def _event(action: str, payment: Payment, actor=None, reason: str = "", **changes) -> None:
    if "before" in changes:  # a change of state: from → to, as the dossiers record it
        changes = {"from": changes.pop("before"), "to": payment.status, **changes}
    record_event(
        f"payment.{action}",
        payment,
        actor=actor,
        reason=reason,
        agency=payment.dossier.competent_agency,
        changes={"dossier": payment.dossier.code, "txn_ref": payment.txn_ref, **changes},
    )


def _log(kind: str, payment: Payment | None, params: dict, **fields) -> GatewayMessage:
    return GatewayMessage.objects.create(
        payment=payment,
        kind=kind,
        txn_ref=str(params.get("vnp_TxnRef", payment.txn_ref if payment else ""))[:100],
        at=timezone.now(),
        params=params,
        ip=_ip(),
        **fields,
    )


# --- the amount ---------------------------------------------------------------------------------
def requested_fee(dossier: Dossier) -> tuple[int, list[dict]]:
    """What the applicant must pay now, and its lines (name, kind, amount).

    The amount the officer stated when asking for the fee (``Dossier.fee_amount``, set by
    ``request_fee``), else the procedure's catalogue fees (``ProcedureVersion.total_fee``). When
    the stated amount is the catalogue's, the catalogue's lines are shown; otherwise one line
    with the stated amount.
    """
    version = dossier.procedure_version
    fees = list(version.fees.all())
    lines = [{"name": f.name, "kind": f.kind, "amount": min(f.amounts)} for f in fees]
    catalogue = sum(line["amount"] for line in lines)
    amount = catalogue if dossier.fee_amount is None else dossier.fee_amount
    if amount != catalogue:
        name = "; ".join(f.name for f in fees) or _("Fees and charges")
        lines = [{"name": name, "kind": "", "amount": amount}]
    return amount, lines


def _new_txn_ref(now: dt.datetime) -> str:
    """Unique, digits only (every gateway accepts it): GMT+7 time and 6 random digits."""
    return f"{protocol.format_date(now)[2:]}{secrets.randbelow(10**6):06d}"


def return_url() -> str:
    return settings.EGOV_PUBLIC_URL.rstrip("/") + reverse("payments:return")


# --- starting ---------------------------------------------------------------------------------
@transaction.atomic
def start_payment(user, dossier: Dossier) -> tuple[Payment, str]:
    """The applicant starts paying the dossier's fee: a new pending payment and the gateway
    address to send her to.

    Only the dossier's applicant, only while it awaits payment, never twice once paid. Each
    attempt is a new transaction reference (a gateway refuses a reference twice); attempts
    left pending are settled by reconciliation.
    """
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
    if user is None or not user.is_authenticated or dossier.applicant_user_id != user.pk:
        raise PermissionDenied(_("Only the applicant of this dossier pays its fee online."))
    if dossier.state != State.AWAITING_PAYMENT:
        raise PaymentRefused(
            _("This dossier does not wait for a fee payment (it is “%(state)s”).")
            % {"state": dossier.get_state_display()}
        )
    if dossier.payments.filter(status=PaymentStatus.PAID, confirmed_dossier=True).exists():
        raise PaymentRefused(_("The fee of this dossier has already been paid."))
    amount, lines = requested_fee(dossier)
    if amount <= 0:
        raise PaymentRefused(_("This dossier has no fee to pay."))
    now = timezone.now()
    gateway = get_gateway()
    payment = Payment(
        dossier=dossier,
        payer=user,
        payer_name=dossier.applicant_name,
        gateway=gateway.name,
        txn_ref=_new_txn_ref(now),
        amount=amount,
        lines=lines,
        description=f"Thanh toan phi, le phi ho so {dossier.code}",
        created_at=now,
        expires_at=now + dt.timedelta(minutes=_setting("EGOV_PAYMENT_EXPIRE_MINUTES", 15)),
        client_ip=_ip(),
    )
    url, params = gateway.payment_url(
        txn_ref=payment.txn_ref,
        amount=amount,
        description=payment.description,
        return_url=return_url(),
        ip=payment.client_ip or "",
        created_at=payment.created_at,
        expires_at=payment.expires_at,
    )
    payment.request_params = params
    payment.save()
    _log(GatewayMessage.Kind.REQUEST, payment, params, outcome="sent")
    _event("start", payment, actor=user, amount=amount, gateway=gateway.name)
    return payment, url


# --- the gateway's word -------------------------------------------------------------------------
def _settle(payment: Payment, *, paid: bool, cancelled: bool, via: str, facts: dict) -> None:
    """Record the outcome of a pending payment (lock held by the caller) and, once paid, let
    the dossier leave "awaiting payment"."""
    before = payment.status
    for name, value in facts.items():
        setattr(payment, name, value)
    payment.settled_by = via
    if paid:
        payment.status = PaymentStatus.PAID
        payment.paid_at = payment.paid_at or timezone.now()
    else:
        payment.status = PaymentStatus.CANCELLED if cancelled else PaymentStatus.FAILED
    payment.save()
    _event(
        payment.status,
        payment,
        before=before,
        via=via,
        response_code=payment.response_code,
        transaction_no=payment.transaction_no,
        amount=payment.amount,
    )
    if paid:
        _confirm_dossier(payment)


def _confirm_dossier(payment: Payment) -> None:
    from egov.dossiers import services as dossiers

    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=payment.dossier_id)
    if dossier.state != State.AWAITING_PAYMENT:
        # Paid twice, or after the dossier moved on: kept as paid, shown to staff to refund.
        log.warning("payment %s paid but dossier %s is %s", payment, dossier, dossier.state)
        return
    # No actor: the platform confirms on the gateway's signed word (the dossier's transition
    # table checks the person only when there is one).
    dossiers.confirm_payment(None, dossier, reference=payment.txn_ref)
    payment.confirmed_dossier = True
    payment.save(update_fields=["confirmed_dossier", "updated_at"])


def _facts(callback: Callback) -> dict:
    return {
        "response_code": callback.response_code[:4],
        "transaction_no": callback.transaction_no[:40],
        "bank_code": callback.bank_code[:20],
        "bank_tran_no": callback.bank_tran_no[:40],
        "card_type": callback.card_type[:20],
        "paid_at": callback.pay_date if callback.succeeded else None,
    }


@transaction.atomic
def handle_ipn(params: dict) -> dict:
    """The gateway's server-to-server notice (IPN). Returns the JSON answer it expects.

    97 when the signature is wrong, 01 for an unknown reference, 04 when the amount differs,
    02 when the payment was already settled (a repeated notice changes nothing), else 00 after
    recording the outcome. Every call is logged, valid or not.
    """
    gateway = get_gateway()
    callback = gateway.check_callback(params)
    if not callback.signature_ok:
        _log(GatewayMessage.Kind.IPN, None, callback.params, signature_ok=False, outcome="97")
        return protocol.IPN_INVALID_SIGNATURE
    payment = Payment.objects.select_for_update().filter(txn_ref=callback.txn_ref).first()
    if payment is None:
        _log(GatewayMessage.Kind.IPN, None, callback.params, signature_ok=True, outcome="01")
        return protocol.IPN_NOT_FOUND
    if callback.amount != payment.amount:
        _log(GatewayMessage.Kind.IPN, payment, callback.params, signature_ok=True, outcome="04")
        return protocol.IPN_INVALID_AMOUNT
    if payment.status != PaymentStatus.PENDING:
        _log(GatewayMessage.Kind.IPN, payment, callback.params, signature_ok=True, outcome="02")
        return protocol.IPN_ALREADY_CONFIRMED
    _settle(
        payment,
        paid=callback.succeeded,
        cancelled=callback.cancelled,
        via="ipn",
        facts=_facts(callback),
    )
    _log(GatewayMessage.Kind.IPN, payment, callback.params, signature_ok=True, outcome="00")
    return protocol.IPN_OK


@dataclass
class ReturnResult:
    """What the return page shows: the payment (None if unknown or forged) and the outcome the
    gateway reported to the browser."""

    payment: Payment | None
    signature_ok: bool
    succeeded: bool
    cancelled: bool
    message: str

    @property
    def confirmed(self) -> bool:
        return self.payment is not None and self.payment.status == PaymentStatus.PAID


@transaction.atomic
def handle_return(params: dict) -> ReturnResult:
    """The browser comes back from the gateway. Shows the outcome; changes no payment (only
    the IPN or reconciliation does: the browser's word can be replayed or forged)."""
    callback = get_gateway().check_callback(params)
    payment = Payment.objects.filter(txn_ref=callback.txn_ref).select_related("dossier").first()
    ok = callback.signature_ok and payment is not None and callback.amount == payment.amount
    _log(
        GatewayMessage.Kind.RETURN,
        payment if ok else None,
        callback.params,
        signature_ok=callback.signature_ok,
        outcome=callback.response_code[:100] if ok else "rejected",
    )
    return ReturnResult(
        payment=payment if ok else None,
        signature_ok=callback.signature_ok,
        succeeded=ok and callback.succeeded,
        cancelled=ok and callback.cancelled,
        message=callback.message if ok else "",
    )


# --- reconciliation -----------------------------------------------------------------------------
@dataclass
class ReconcileReport:
    checked: int = 0
    paid: int = 0
    failed: int = 0
    cancelled: int = 0
    still_pending: int = 0
    errors: int = 0

    def __str__(self):
        return (
            f"{self.checked} checked: {self.paid} paid, {self.failed} failed, "
            f"{self.cancelled} abandoned, {self.still_pending} still pending, "
            f"{self.errors} errors"
        )


def reconcile_pending(older_than_minutes: int | None = None, now=None) -> ReconcileReport:
    """Đối soát: ask the gateway about every payment pending for more than N minutes
    (``EGOV_PAYMENT_RECONCILE_AFTER_MINUTES``) and settle those it knows the outcome of.

    Idempotent: a payment settled meanwhile (its IPN came) is skipped; an unreachable gateway
    leaves everything as it was for the next run. A transaction the gateway never saw is
    marked abandoned (cancelled) once its time to pay is over.
    """
    minutes = (
        _setting("EGOV_PAYMENT_RECONCILE_AFTER_MINUTES", 15)
        if older_than_minutes is None
        else older_than_minutes
    )
    now = now or timezone.now()
    report = ReconcileReport()
    gateway = get_gateway()
    candidates = Payment.objects.filter(
        status=PaymentStatus.PENDING, created_at__lte=now - dt.timedelta(minutes=minutes)
    ).order_by("created_at")
    for payment_id in candidates.values_list("pk", flat=True):
        report.checked += 1
        try:
            outcome = _reconcile_one(gateway, payment_id, now)
        except GatewayError as error:
            log.warning("reconciliation of payment %s: %s", payment_id, error)
            outcome = "errors"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _reconcile_one(gateway, payment_id: int, now: dt.datetime) -> str:
    payment = Payment.objects.get(pk=payment_id)
    # The query runs outside the lock: a slow gateway never holds the row.
    lookup = gateway.query(
        txn_ref=payment.txn_ref, created_at=payment.created_at, ip=payment.client_ip or ""
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("dossier").get(pk=payment_id)
        _log(
            GatewayMessage.Kind.QUERY,
            payment,
            lookup.request,
            answer=lookup.raw,
            signature_ok=lookup.response_code != protocol.API_BAD_CHECKSUM,
            outcome=f"{lookup.response_code}/{lookup.transaction_status}",
        )
        if payment.status != PaymentStatus.PENDING:
            return _count_of(payment)
        payment.reconciled_at = now
        if lookup.ok and lookup.transaction_status == protocol.TXN_SUCCESS:
            if lookup.amount != payment.amount:
                payment.reconciliation_note = _(
                    "The gateway reports another amount (%(amount)s đồng): check by hand."
                ) % {"amount": lookup.amount}
                payment.save(update_fields=["reconciled_at", "reconciliation_note", "updated_at"])
                return "errors"
            payment.reconciliation_note = _("Paid (confirmed by transaction query).")
            _settle(
                payment,
                paid=True,
                cancelled=False,
                via="querydr",
                facts={
                    "response_code": protocol.SUCCESS,
                    "transaction_no": lookup.transaction_no[:40],
                    "bank_code": lookup.bank_code[:20],
                    "paid_at": lookup.pay_date,
                },
            )
            return "paid"
        if lookup.ok and lookup.transaction_status not in (protocol.TXN_PENDING, ""):
            payment.reconciliation_note = _(
                "The gateway reports the payment failed (%(code)s)."
            ) % {"code": lookup.transaction_status}
            _settle(
                payment,
                paid=False,
                cancelled=False,
                via="querydr",
                facts={"response_code": lookup.transaction_status[:4]},
            )
            return "failed"
        if lookup.response_code == protocol.API_NOT_FOUND and now >= payment.expires_at:
            payment.reconciliation_note = _(
                "Unknown to the gateway after the time to pay: abandoned."
            )
            _settle(payment, paid=False, cancelled=True, via="querydr", facts={})
            return "cancelled"
        payment.reconciliation_note = (
            _("Still pending at the gateway.")
            if lookup.ok or lookup.response_code == protocol.API_NOT_FOUND
            else _("The gateway answered %(code)s.") % {"code": lookup.response_code}
        )
        payment.save(update_fields=["reconciled_at", "reconciliation_note", "updated_at"])
        pending = lookup.ok or lookup.response_code == protocol.API_NOT_FOUND
        return "still_pending" if pending else "errors"


def _count_of(payment: Payment) -> str:
    """The report's column for a payment that was settled while we asked (its IPN came)."""
    return {
        PaymentStatus.PAID: "paid",
        PaymentStatus.CANCELLED: "cancelled",
    }.get(payment.status, "failed")


# --- refunds -------------------------------------------------------------------------------
@transaction.atomic
def refund(actor, payment: Payment, amount: int, reason: str) -> Refund:
    """Hoàn tiền: return ``amount`` đồng of a paid payment to the payer through the gateway.

    Only a reception officer or the leader of the receiving or competent agency; a reason is
    required; at most what was paid and not yet refunded. The gateway's answer is recorded
    either way (``Refund.status``); the payment's refunded total grows only when it accepts,
    and it becomes "refunded" once refunded in full.
    """
    payment = Payment.objects.select_for_update().select_related("dossier").get(pk=payment.pk)
    if not perms.can(actor, "refund", payment):
        raise PermissionDenied(_("You may not refund payments of this dossier."))
    reason = normalize_text(reason)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("A reason is required.")]
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    if payment.refundable <= 0:
        errors["amount"] = [_("Only a paid payment can be refunded, and only once in full.")]
    elif not 0 < amount <= payment.refundable:
        errors["amount"] = [
            _("Refund between 1 and %(max)s đồng.") % {"max": f"{payment.refundable:,}"}
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    full = amount == payment.amount and payment.refunded_amount == 0
    # The gateway is called with the payment row locked, on purpose: two officers refunding
    # at once must not both return the same money.
    try:
        result = get_gateway().refund(
            txn_ref=payment.txn_ref,
            amount=amount,
            full=full,
            transaction_no=payment.transaction_no,
            created_at=payment.created_at,
            by=actor.username,
            reason=reason,
            ip=_ip() or "",
        )
    except GatewayError as error:
        log.warning("refund of payment %s: %s", payment, error)
        record = Refund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason,
            status=Refund.Status.ERROR,
            message=str(error)[:300],
            requested_by=actor,
            requested_at=now,
        )
        _event("refund_failed", payment, actor, reason, amount=amount, error="unreachable")
        return record
    _log(
        GatewayMessage.Kind.REFUND,
        payment,
        result.request,
        answer=result.raw,
        signature_ok=result.response_code != protocol.API_BAD_CHECKSUM,
        outcome=result.response_code,
    )
    record = Refund.objects.create(
        payment=payment,
        amount=amount,
        reason=reason,
        status=Refund.Status.DONE if result.ok else Refund.Status.REJECTED,
        response_code=result.response_code[:4],
        message=result.message[:300],
        transaction_no=result.transaction_no[:40],
        requested_by=actor,
        requested_at=now,
    )
    if not result.ok:
        _event("refund_failed", payment, actor, reason, amount=amount, code=result.response_code)
        return record
    before = payment.status
    payment.refunded_amount += amount
    if payment.refunded_amount >= payment.amount:
        payment.status = PaymentStatus.REFUNDED
    payment.save()
    _event(
        "refund",
        payment,
        actor,
        reason,
        amount=amount,
        refunded=payment.refunded_amount,
        before=before,
        status=payment.status,
    )
    return record

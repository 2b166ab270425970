"""Pages of online fee payment: the applicant's pay page, the return from the gateway, the IPN
endpoint, the receipt, and the staff's list of payments with their reconciliation.

Views change payments only through ``services``; a refused action shows its reason and changes
nothing.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.core import permissions as perms
from egov.core.web.access import forbidden, staff_required
from egov.dossiers.models import Dossier
from egov.dossiers.workflow import State

from . import money, protocol, services
from .models import Payment, PaymentStatus
from .receipt import render_receipt

log = logging.getLogger(__name__)


def _applicant_dossier(request, code: str) -> Dossier:
    dossier = get_object_or_404(
        Dossier.objects.select_related("procedure_version", "competent_agency"), code=code
    )
    if dossier.applicant_user_id != request.user.pk:
        raise Http404  # another person's dossier does not exist for her
    return dossier


# --- the applicant -----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def pay(request, code: str):
    """Nộp phí, lệ phí: the amount and its lines; the button sends the applicant to the gateway."""
    dossier = _applicant_dossier(request, code)
    if request.method == "POST":
        try:
            _payment, url = services.start_payment(request.user, dossier)
        except services.PaymentRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("payments:pay", code=dossier.code)
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        return redirect(url)
    amount, lines = services.requested_fee(dossier)
    response = render(
        request,
        "payments/pay.html",
        {
            "dossier": dossier,
            "awaiting": dossier.state == State.AWAITING_PAYMENT,
            "amount": money.figures(amount),
            "amount_words": money.in_words(amount),
            "lines": [{**line, "amount": money.figures(line["amount"])} for line in lines],
            "payments": dossier.payments.all(),
        },
    )
    # The pay button's form is answered by a redirect to the gateway: the browser follows it
    # only if this page's CSP lets its forms lead there (form-action covers redirects).
    response._csp_update = {"form-action": [_origin(settings.EGOV_PAYMENT_GATEWAY_URL)]}
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@require_GET
def payment_return(request):
    """The gateway sends the browser back here: the outcome as the gateway told it; the
    payment is marked paid only by the IPN or by reconciliation."""
    result = services.handle_return(request.GET.dict())
    status = 200 if result.payment is not None else 400
    return render(
        request,
        "payments/return.html",
        {
            "result": result,
            "payment": result.payment,
            "amount": money.figures(result.payment.amount) if result.payment else "",
        },
        status=status,
    )


@csrf_exempt
@require_GET
def ipn(request):
    """VNPay's IPN: a server-to-server GET with the signed result; answers JSON."""
    try:
        answer = services.handle_ipn(request.GET.dict())
    except Exception:  # the gateway must always get an answer; the error is logged
        log.exception("IPN call failed: %s", request.GET.get("vnp_TxnRef", ""))
        answer = protocol.IPN_UNKNOWN_ERROR
    return JsonResponse(answer)


@login_required
@require_GET
def receipt(request, txn_ref: str):
    """Biên lai thu phí, lệ phí (PDF), for the payer and the dossier's agencies."""
    payment = get_object_or_404(
        Payment.objects.select_related("dossier", "dossier__procedure_version"), txn_ref=txn_ref
    )
    if not perms.can(request.user, "view", payment):
        raise Http404
    if payment.status not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return forbidden(request, _("A receipt exists only for a paid fee."))
    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.txn_ref}.pdf"'
    return response


# --- staff -------------------------------------------------------------------------------------
STATUS_FILTERS = [s for s, _label in PaymentStatus.choices]


@staff_required
@require_GET
def staff_list(request):
    """Payments of the dossiers of one's agencies, with their reconciliation."""
    payments = perms.scope(request.user, Payment.objects.select_related("dossier"))
    status = request.GET.get("status", "")
    if status in STATUS_FILTERS:
        payments = payments.filter(status=status)
    elif status == "attention":
        payments = payments.filter(status=PaymentStatus.PAID, confirmed_dossier=False)
    rows = list(payments[:200])
    total = payments.filter(status__in=[PaymentStatus.PAID, PaymentStatus.REFUNDED]).aggregate(
        paid=Sum("amount"), refunded=Sum("refunded_amount")
    )
    return render(
        request,
        "payments/staff_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": PaymentStatus.choices,
            "paid_total": money.figures(total["paid"] or 0),
            "refunded_total": money.figures(total["refunded"] or 0),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, txn_ref: str):
    """One payment: what the gateway said, its refunds; the refund form for those who may."""
    payment = get_object_or_404(
        perms.scope(request.user, Payment.objects.select_related("dossier")), txn_ref=txn_ref
    )
    errors = {}
    if request.method == "POST":
        try:
            record = services.refund(
                request.user,
                payment,
                request.POST.get("amount", ""),
                request.POST.get("reason", ""),
            )
        except PermissionDenied as refusal:
            return forbidden(request, str(refusal))
        except ValidationError as error:
            errors = error.message_dict
        else:
            if record.status == record.Status.DONE:
                messages.success(request, _("The refund was made."))
            else:
                messages.error(
                    request,
                    _("The gateway did not refund: %(message)s")
                    % {"message": record.message or record.response_code},
                )
            return redirect("payments:staff_detail", txn_ref=payment.txn_ref)
    return render(
        request,
        "payments/staff_detail.html",
        {
            "payment": payment,
            "amount": money.figures(payment.amount),
            "refundable": payment.refundable,
            "may_refund": perms.can(request.user, "refund", payment) and payment.refundable > 0,
            "errors": errors,
            "form": request.POST if errors else {},
            "refunds": payment.refunds.select_related("requested_by"),
            "exchanges": payment.messages.all(),
        },
        status=400 if errors else 200,
    )


@staff_required
@require_POST
def reconcile_now(request):
    """Run reconciliation now (system administrators; the scheduler runs it anyway)."""
    if not request.user.is_system_admin:
        return forbidden(request, _("Only a system administrator runs reconciliation by hand."))
    report = services.reconcile_pending()
    messages.info(request, str(report))
    return redirect("payments:staff_list")

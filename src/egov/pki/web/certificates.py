"""Certificate pages: holders see and ask for their certificates; agency administrators see
counts per agency, decide requests and suspend, reinstate, revoke or renew certificates.

Pages read through ``queries`` (narrowed by the permission rules) and change things only through
``services``; a refused action shows its reason and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egov.core import permissions as perms
from egov.core.models import Agency
from egov.core.web.access import forbidden, staff_required

from .. import queries, services
from ..models import Certificate, CertificateRequest, KeyStorage
from .certificate_forms import ActionForm, DecisionForm, RequestForm
from .sign_forms import usable_certificates

LIST_LIMIT = 200
STATUS_BADGES = {
    Certificate.Status.ACTIVE: "text-bg-success",
    Certificate.Status.SUSPENDED: "text-bg-warning",
    Certificate.Status.REVOKED: "text-bg-danger",
    Certificate.Status.EXPIRED: "text-bg-secondary",
}


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, services.NotAllowedNow):
        return error.message
    return str(error)


def _rows(certificates):
    return [(c, STATUS_BADGES.get(c.effective_status, "text-bg-light")) for c in certificates]


@staff_required
def overview(request):
    """Chứng thư số: mine, my requests, and for administrators their agencies' counts,
    requests to decide, certificates expiring soon and the list by status."""
    user = request.user
    own = Certificate.objects.filter(user=user).select_related("agency").order_by("-created_at")
    own_requests = CertificateRequest.objects.filter(holder=user).select_related("agency")[:20]
    agencies = queries.administered_agencies(user)
    context = {
        "own": _rows(own),
        "own_requests": own_requests,
        "is_admin": agencies.exists(),
        # Her personal certificate or a seal of her agency: the signing page lists both.
        "can_sign": bool(usable_certificates(user)),
        "warning_days": settings.EGOV_PKI_EXPIRY_WARNING_DAYS,
        "statuses": Certificate.Status.choices,
    }
    status = request.GET.get("status", "")
    agency = None
    if request.GET.get("agency"):
        agency = Agency.objects.filter(code=request.GET["agency"]).first()
    visible = queries.visible_certificates(user, status=status, agency=agency).exclude(user=user)
    context.update(
        {
            "visible": _rows(visible[:LIST_LIMIT]),
            "more": visible[LIST_LIMIT : LIST_LIMIT + 1].exists(),
            "status": status,
            "agency_filter": agency,
        }
    )
    if context["is_admin"]:
        counts = [c for c in queries.certificate_counts(agencies) if c.issued or c.pending_requests]
        context.update(
            {
                "counts": counts,
                "to_decide": queries.requests_to_decide(user)[:LIST_LIMIT],
                "expiring": queries.expiring_certificates(user)[:LIST_LIMIT],
                "decision_form": DecisionForm(),
            }
        )
    return render(request, "pki/certificates/overview.html", context)


@staff_required
def detail(request, pk: int):
    """One certificate: holder, names, validity, status and its history, allowed actions."""
    cert = get_object_or_404(
        Certificate.objects.select_related("user", "agency", "unit", "issuer"), pk=pk
    )
    if not perms.can(request.user, "view", cert):
        raise Http404
    actions = []
    if perms.can(request.user, "revoke", cert) and cert.effective_status == "active":
        actions += ["suspend", "revoke"]
    if cert.effective_status == "suspended":
        if perms.can(request.user, "manage", cert):
            actions.append("unsuspend")
        if perms.can(request.user, "revoke", cert):
            actions.append("revoke")
    if (
        cert.holder_kind in ("official", "agency")
        and cert.status != Certificate.Status.REVOKED
        and cert.key_storage != KeyStorage.EXTERNAL
        and (cert.user_id == request.user.pk or perms.can(request.user, "manage", cert))
    ):
        actions.append("renew")
    return render(
        request,
        "pki/certificates/detail.html",
        {
            "cert": cert,
            "badge": STATUS_BADGES.get(cert.effective_status, "text-bg-light"),
            "history": cert.status_changes.all(),
            "actions": actions,
            "form": ActionForm(),
            "ocsp_url": f"{settings.EGOV_PUBLIC_URL.rstrip('/')}/pki/ocsp",
        },
    )


@staff_required
@require_POST
def act(request, pk: int):
    """Suspend, reinstate, revoke or renew; the page shows the outcome or the refusal."""
    cert = get_object_or_404(Certificate, pk=pk)
    if not perms.can(request.user, "view", cert):
        raise Http404
    form = ActionForm(request.POST)
    target = reverse("pki:certificate", args=[cert.pk])
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return HttpResponseRedirect(target)
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    try:
        if action == "suspend":
            services.suspend_certificate(request.user, cert, comment)
            messages.success(request, _("The certificate is suspended and listed on the CRL."))
        elif action == "unsuspend":
            services.unsuspend_certificate(request.user, cert, comment)
            messages.success(request, _("The certificate is active again."))
        elif action == "revoke":
            reason = form.cleaned_data["reason_code"]
            services.revoke_certificate(request.user, cert, reason or 0, comment)
            messages.success(request, _("The certificate is revoked."))
        else:
            services.renew_certificate(request.user, cert, reason=comment)
            messages.success(
                request, _("A renewal request is waiting for an administrator's approval.")
            )
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except (ValidationError, services.NotAllowedNow) as error:
        messages.error(request, _error_text(error))
    return HttpResponseRedirect(target)


@staff_required
@require_http_methods(["GET", "POST"])
def new_request(request):
    """Đề nghị cấp chứng thư số."""
    form = RequestForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_certificate(
                request.user,
                kind=data["kind"],
                holder=data.get("holder") or request.user,
                agency=data.get("agency"),
                key_storage=data["key_storage"],
                csr_pem=data["csr_pem"],
                reason=data["reason"],
            )
        except PermissionDenied as error:
            return forbidden(request, str(error))
        except (ValidationError, services.NotAllowedNow) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your request is recorded and waits for approval."))
            return redirect("pki:certificates")
    return render(
        request,
        "pki/certificates/request_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@require_POST
def decide(request, pk: int):
    """Approve (and issue) or reject a request."""
    certificate_request = get_object_or_404(CertificateRequest, pk=pk)
    if not perms.can(request.user, "view", certificate_request):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("pki:certificates")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_request(request.user, certificate_request)
            messages.success(request, _("The request is approved and the certificate issued."))
        else:
            services.reject_request(request.user, certificate_request, form.cleaned_data["reason"])
            messages.success(request, _("The request is rejected."))
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except (ValidationError, services.NotAllowedNow) as error:
        messages.error(request, _error_text(error))
    return redirect("pki:certificates")

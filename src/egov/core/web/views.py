"""Core pages: log-in and second factor, the home page per role, the agency directory."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import permissions as perms
from ..audit import record_event
from ..models import Agency, Role
from ..ratelimit import limit_posts_per_address
from ..text import fold
from .forms import LoginForm, OtpForm


@method_decorator(limit_posts_per_address("login", "EGOV_LOGIN_RATE_PER_MINUTE"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event("auth.login", self.request.user, actor=self.request.user)
        return response


def _safe_next(request, default="core:home"):
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _qr_data_uri(text: str) -> str:
    svg = segno.make(text, error="m").svg_inline(scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: show the QR code, confirm with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("core:otp_verify")
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_event("auth.otp_enrolled", request.user, actor=request.user)
            messages.success(request, _("Your authenticator app is enrolled."))
            return redirect(_safe_next(request))
        form.add_error("otp", _("The code is not correct. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/otp_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Ask for the current code of an enrolled authenticator."""
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        record_event("auth.otp_failed", request.user, actor=request.user)
        form.add_error("otp", _("The code is not correct. Check the time on your phone."))
    return render(request, "core/otp_verify.html", {"form": form})


# What each role finds on its home page; later apps add their own entries.
ROLE_HOME = {
    Role.RECEPTION: _("Receive dossiers at the counter and return results."),
    Role.SPECIALIST: _("Appraise the dossiers and documents assigned to you."),
    Role.UNIT_LEADER: _("Assign work in your unit and review it."),
    Role.AGENCY_LEADER: _("Follow your agency's work and sign."),
    Role.CLERK: _("Register incoming documents, number and release outgoing ones."),
    Role.AGENCY_ADMIN: _("Manage your agency's staff, units and roles."),
    Role.SYSTEM_ADMIN: _("Administer the platform: agencies, calendar, audit trail."),
}


def home(request):
    """The home page: the official's positions and what each role does. Citizens and
    visitors land on the public service portal instead."""
    if not request.user.is_authenticated or request.user.kind != request.user.Kind.STAFF:
        return redirect("portal:home")
    positions = request.user.active_positions().order_by("agency__path", "role")
    cards = [{"position": p, "task": ROLE_HOME.get(p.role, "")} for p in positions]
    return render(request, "core/home.html", {"cards": cards})


@login_required
def agency_directory(request):
    """The agency tree, searchable without accents (htmx refreshes the table as one types)."""
    query = request.GET.get("q", "")
    agencies = perms.scope(request.user, Agency.objects.valid_on().select_related("parent"))
    if query:
        agencies = agencies.filter(search_text__contains=fold(query))
    template = (
        "core/_agency_rows.html" if request.headers.get("HX-Request") else "core/agencies.html"
    )
    return render(request, template, {"agencies": agencies[:500], "q": query})

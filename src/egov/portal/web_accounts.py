"""Pages of citizen and business accounts (/tai-khoan/): register, verify, log in and out,
forgotten password, profile, log-in with the identity provider. Staff keep /login/."""

from __future__ import annotations

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egov.core.ratelimit import limit_posts_per_address

from . import accounts, oidc
from .forms_accounts import (
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendForm,
    ResetRequestForm,
    ResetWithCodeForm,
    SetPasswordForm,
    VerifyForm,
    add_service_errors,
    mark_invalid,
)

logger = logging.getLogger("egov.portal.accounts")

PENDING_KEY = "accounts_pending_identifier"
RESET_KEY = "accounts_reset_identifier"
NEXT_KEY = "accounts_oidc_next"
TEMPLATES = "portal/accounts/"
_rate_limited = limit_posts_per_address("accounts", "EGOV_LOGIN_RATE_PER_MINUTE")


def _render(request, name, context, form=None):
    status = 200
    if form is not None and form.is_bound and form.errors:
        mark_invalid(form)
        status = 400
    return render(request, TEMPLATES + name, {"form": form, **context}, status=status)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _common(request) -> dict:
    return {
        "oidc_enabled": oidc.is_configured(),
        "oidc_provider": oidc.provider_name(),
        "next": _safe_next(request, ""),
    }


def portal_login_required(view):
    """Citizens and businesses only; others are sent to the portal log-in (or staff home)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:login')}?{query}")
        if request.user.kind not in accounts.PORTAL_KINDS:
            return redirect("core:home")
        return view(request, *args, **kwargs)

    return wrapper


# --- register and verify --------------------------------------------------------------------------
@_rate_limited
@require_http_methods(["GET", "POST"])
def register(request):
    """Đăng ký: the account is created inactive and a code goes to the e-mail or phone."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.register_account(
                kind=data["kind"],
                full_name=data["full_name"],
                identifier=data["identifier"],
                password=data["password1"],
                citizen_id=data["citizen_id"],
                organisation_name=data["organisation_name"],
                tax_code=data["tax_code"],
            )
        except ValidationError as exc:
            if "password" in getattr(exc, "error_dict", {}):
                exc.error_dict["password1"] = exc.error_dict.pop("password")
            add_service_errors(form, exc)
        else:
            request.session[PENDING_KEY] = user.email or user.phone
            messages.success(request, _sent_message(user.email or user.phone))
            return redirect("accounts:verify")
    return _render(request, "register.html", _common(request), form)


def _sent_message(destination: str) -> str:
    if "@" in destination:
        return _("We sent a 6-digit code to %(to)s. Check your e-mail (also the spam folder).") % {
            "to": destination
        }
    return _("We sent a 6-digit code by SMS to %(to)s.") % {"to": destination}


@_rate_limited
@require_http_methods(["GET", "POST"])
def verify(request):
    """Xác minh: enter the code received; the account becomes active."""
    initial = {"identifier": request.session.get(PENDING_KEY, "")}
    form = VerifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.verify_account(form.cleaned_data["identifier"], form.cleaned_data["code"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session.pop(PENDING_KEY, None)
            messages.success(request, _("Your account is verified. You can log in now."))
            query = urlencode({"identifier": form.cleaned_data["identifier"]})
            return redirect(f"{reverse('accounts:login')}?{query}")
    return _render(
        request,
        "verify.html",
        {**_common(request), "resend_form": ResendForm(initial=initial)},
        form,
    )


@_rate_limited
@require_POST
def resend(request):
    """Gửi lại mã: a new verification code (at most one a minute per address)."""
    form = ResendForm(request.POST)
    if form.is_valid():
        try:
            user = accounts.resend_verification_code(form.cleaned_data["identifier"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            request.session[PENDING_KEY] = user.email or user.phone
            messages.success(request, _sent_message(user.email or user.phone))
    else:
        messages.error(request, _("Enter your e-mail address or mobile phone number."))
    return redirect("accounts:verify")


# --- log-in and log-out ---------------------------------------------------------------------------
@_rate_limited
@require_http_methods(["GET", "POST"])
def login_view(request):
    """Đăng nhập: e-mail or phone and password; the platform's lockout (django-axes) applies,
    counted under the account's user name whichever way the number is written."""
    if request.user.is_authenticated and request.user.kind in accounts.PORTAL_KINDS:
        return redirect(_safe_next(request, reverse("accounts:profile")))
    form = LoginForm(request.POST or None, initial={"identifier": request.GET.get("identifier")})
    if request.method == "POST" and form.is_valid():
        username = accounts.username_for_login(form.cleaned_data["identifier"])
        password = form.cleaned_data["password"]
        user = authenticate(request, username=username, password=password)
        if user is not None and user.kind in accounts.PORTAL_KINDS:
            login(request, user)
            accounts.record_login(user, "password")
            return redirect(_safe_next(request, reverse("accounts:profile")))
        if getattr(request, "axes_locked_out", False):
            return _render(request, "login.html", _common(request), form)  # axes answers
        if user is None and accounts.awaiting_verification(username, password):
            request.session[PENDING_KEY] = form.cleaned_data["identifier"]
            messages.warning(
                request, _("Your account is not verified yet: enter the code we sent you.")
            )
            return redirect("accounts:verify")
        form.add_error(
            None,
            _("Wrong e-mail, phone number or password. Check them and try again."),
        )
    return _render(request, "login.html", _common(request), form)


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


# --- forgotten password ---------------------------------------------------------------------------
@_rate_limited
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Quên mật khẩu: a link by e-mail or a code by SMS; the answer never tells whether an
    account exists."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def link_for(uid, token):
            path = reverse("accounts:password_reset_link", args=[uid, token])
            return settings.EGOV_PUBLIC_URL.rstrip("/") + path

        try:
            ident = accounts.request_password_reset(form.cleaned_data["identifier"], link_for)
        except ValidationError as exc:
            add_service_errors(form, exc if hasattr(exc, "error_dict") else _on("identifier", exc))
        else:
            if ident.is_email:
                messages.success(
                    request,
                    _(
                        "If an account uses %(to)s, we sent it a link to choose a new password. "
                        "Check your e-mail (also the spam folder)."
                    )
                    % {"to": ident.value},
                )
                return redirect("accounts:login")
            request.session[RESET_KEY] = ident.value
            messages.success(
                request,
                _("If an account uses %(to)s, we sent it a 6-digit code by SMS.")
                % {"to": ident.value},
            )
            return redirect("accounts:password_reset_code")
    return _render(request, "password_reset.html", _common(request), form)


def _on(field: str, exc: ValidationError) -> ValidationError:
    return ValidationError({field: exc.messages})


@_rate_limited
@require_http_methods(["GET", "POST"])
def password_reset_code(request):
    """Đặt lại mật khẩu bằng mã SMS."""
    form = ResetWithCodeForm(
        request.POST or None, initial={"identifier": request.session.get(RESET_KEY, "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.reset_password_with_code(
                data["identifier"], data["code"], data["new_password1"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc if hasattr(exc, "error_dict") else _on("identifier", exc))
        else:
            request.session.pop(RESET_KEY, None)
            messages.success(request, _("Your password is changed. Log in with the new one."))
            return redirect("accounts:login")
    return _render(request, "password_reset_code.html", _common(request), form)


@_rate_limited
@require_http_methods(["GET", "POST"])
def password_reset_link(request, uidb64, token):
    """Đặt lại mật khẩu from the e-mailed link (valid once, for PASSWORD_RESET_TIMEOUT)."""
    user = accounts.user_for_reset_link(uidb64, token)
    if user is None:
        return render(request, TEMPLATES + "password_reset_invalid.html", status=400)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.reset_password_with_link(user, form.cleaned_data["new_password1"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your password is changed. Log in with the new one."))
            return redirect("accounts:login")
    return _render(request, "password_reset_link.html", _common(request), form)


# --- profile --------------------------------------------------------------------------------------
@portal_login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Hồ sơ tài khoản: name, citizen ID, date of birth, address (business: name, tax code)."""
    user = request.user
    record = accounts.get_profile(user)
    business = user.kind == user.Kind.BUSINESS
    initial = {
        "full_name": user.full_name,
        **{name: getattr(record, name) for name in accounts.PROFILE_FIELDS},
    }
    form = ProfileForm(request.POST or None, initial=initial, business=business)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "full_name"}
        try:
            accounts.update_profile(user, full_name=form.cleaned_data["full_name"], **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return _render(request, "profile.html", {"profile": record, "business": business}, form)


# --- OpenID Connect -------------------------------------------------------------------------------
@require_GET
def oidc_start(request):
    """To the identity provider's log-in page."""
    if not oidc.is_configured():
        return redirect("accounts:login")
    request.session[NEXT_KEY] = _safe_next(request, "")
    try:
        return oidc.start(request)
    except oidc.OidcError:
        logger.exception("OpenID Connect: could not start the log-in")
        messages.error(request, _("The identity provider cannot be reached. Try again later."))
        return redirect("accounts:login")


@require_GET
def oidc_callback(request):
    """Back from the identity provider: verify the ID token, find or create the account."""
    if not oidc.is_configured():
        return redirect("accounts:login")
    try:
        issuer, claims = oidc.finish(request)
        result = accounts.login_with_oidc(issuer, claims, oidc.citizen_id_claim())
    except (oidc.OidcError, ValidationError) as exc:
        logger.warning("OpenID Connect log-in refused: %s", exc)
        messages.error(
            request,
            _("The log-in with the identity provider failed. Try again or log in another way."),
        )
        return redirect("accounts:login")
    user = result.user
    next_url = request.session.pop(NEXT_KEY, "") or reverse("accounts:profile")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    accounts.record_login(user, "oidc")
    if result.created:
        messages.success(request, _("Your account was created from your identity provider."))
    return redirect(next_url)

"""Request id, client address and the second-factor requirement."""

import ipaddress
import re
import time
import uuid

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.ipv6 import clean_ipv6_address

from .requestcontext import RequestContext, reset_request_context, set_request_context
from .security import requires_second_factor

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _valid_ip(value: str | None) -> str | None:
    """``value`` if it is an IP address (normalised as the database stores it), else None."""
    value = (value or "").strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # Django's own normal form, the one GenericIPAddressField stores (and the hash covers).
    return clean_ipv6_address(value) if address.version == 6 else str(address)


def client_ip(request) -> str | None:
    """The client address, seen through ``EGOV_TRUSTED_PROXY_HOPS`` reverse proxies.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so with N proxies the
    N-th entry from the right is the client; entries further left are whatever the client
    chose to write and are never believed. Proxies write "unknown" or garbage when they do not
    know the address: that is ignored (the proxy's own address is kept) rather than breaking
    the request being audited.
    """
    hops = getattr(settings, "EGOV_TRUSTED_PROXY_HOPS", 0)
    if hops:
        entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = _valid_ip(entries[-hops]) if len(entries) >= hops else None
        if forwarded:
            return forwarded
    return _valid_ip(request.META.get("REMOTE_ADDR"))


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from the caller).

    The id is put in the logs, the audit trail and the ``X-Request-ID`` response header, so a
    citizen's complaint ("error at 10:32") can be traced to one line of log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_context(
            RequestContext(request_id=request_id, ip=client_ip(request), request=request)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class SecondFactorRequiredMiddleware:
    """Leaders and administrators must confirm a TOTP code before using the web UI.

    Someone without a device yet is sent to enrol one; someone with a device, to enter a code.
    The API enforces the same rule when it issues tokens.
    """

    EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/", "/pki/", "/exchange/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and requires_second_factor(user)
            and not user.is_verified()
        ):
            exempt = {reverse("core:otp_setup"), reverse("core:otp_verify"), reverse("core:logout")}
            if request.path not in exempt:
                from django_otp import devices_for_user

                has_device = any(True for _d in devices_for_user(user, confirmed=True))
                target = "core:otp_verify" if has_device else "core:otp_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Slide a session's idle timeout forward, writing the session at most once per
    ``EGOV_SESSION_REFRESH_SECONDS`` (60).

    Django's ``SESSION_SAVE_EVERY_REQUEST`` wrote the session row on every page view: one
    UPDATE and one commit (a WAL flush) per request, for every official and citizen signed in.
    Here the session is re-saved (its expiry moved to now + ``SESSION_COOKIE_AGE``) only when
    its last refresh is older than the interval, so it still expires after
    ``SESSION_COOKIE_AGE`` of inactivity, give or take at most the interval.

    Placed after ``SessionMiddleware``: its response phase runs first, and the session
    middleware then saves what was marked modified.
    """

    KEY = "_egov_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None:
            return response  # no session, or one flushed by this request (log-out)
        now = int(time.time())
        if session.modified:
            # Saved by this request anyway (a log-in, a message): note the refresh for free.
            # An emptied session is not saved at all; do not give it content.
            if session.keys():
                session[self.KEY] = now
            return response
        last = int(session.get(self.KEY, 0))  # loads the session if the view did not
        if session.session_key is None:
            return response  # expired or unknown: loading dropped it; do not revive it
        if now - last >= getattr(settings, "EGOV_SESSION_REFRESH_SECONDS", 60):
            session[self.KEY] = now
        return response

"""Log-in with an OpenID Connect provider (e.g. the national identity platform), by settings.

Authorization code flow with PKCE (S256) and a nonce, the provider found by discovery
(``<issuer>/.well-known/openid-configuration``); the ID token is verified by Authlib: signature
against the provider's JWKS (algorithms it announces), ``iss``, ``aud``, ``exp``, ``iat`` and
``nonce``. Settings (all optional; the log-in button shows only when the first two are set):

- ``EGOV_OIDC_ISSUER``: the provider's issuer URL;
- ``EGOV_OIDC_CLIENT_ID`` / ``EGOV_OIDC_CLIENT_SECRET``: the portal's registration there (no
  secret: a public client, PKCE only);
- ``EGOV_OIDC_SCOPES``: default ``openid profile email phone``;
- ``EGOV_OIDC_CITIZEN_ID_CLAIM``: the claim carrying the 12-digit citizen ID (``citizen_id``);
- ``EGOV_OIDC_PROVIDER_NAME``: the name on the button;
- ``EGOV_OIDC_TIMEOUT``: seconds for each call to the provider (10).
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.urls import reverse

logger = logging.getLogger("egov.portal.oidc")

DEFAULT_SCOPES = "openid profile email phone"


class OidcError(Exception):
    """The log-in with the provider failed (refused, forged, expired, unreachable...)."""


def is_configured() -> bool:
    return bool(getattr(settings, "EGOV_OIDC_ISSUER", "") and _client_id())


def _client_id() -> str:
    return getattr(settings, "EGOV_OIDC_CLIENT_ID", "") or ""


def issuer() -> str:
    return (getattr(settings, "EGOV_OIDC_ISSUER", "") or "").rstrip("/")


def provider_name() -> str:
    return getattr(settings, "EGOV_OIDC_PROVIDER_NAME", "") or ""


def citizen_id_claim() -> str:
    return getattr(settings, "EGOV_OIDC_CITIZEN_ID_CLAIM", "citizen_id") or "citizen_id"


def _scopes() -> str:
    scopes = (getattr(settings, "EGOV_OIDC_SCOPES", DEFAULT_SCOPES) or DEFAULT_SCOPES).split()
    if "openid" not in scopes:  # without it there is no ID token, hence no nonce to check
        scopes.insert(0, "openid")
    return " ".join(scopes)


@functools.lru_cache(maxsize=4)
def _client(issuer_url: str, client_id: str, client_secret: str, scopes: str, timeout: int):
    """One Authlib client per configuration; it keeps the discovery document and the JWKS
    (fetched again when a token names an unknown key, i.e. after the provider rotated keys)."""
    from authlib.integrations.django_client import OAuth

    oauth = OAuth()
    return oauth.register(
        name="egov_oidc",
        client_id=client_id,
        client_secret=client_secret or None,
        server_metadata_url=f"{issuer_url}/.well-known/openid-configuration",
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": (
                getattr(settings, "EGOV_OIDC_TOKEN_AUTH_METHOD", "")
                or ("client_secret_basic" if client_secret else "none")
            ),
            "default_timeout": timeout,
        },
    )


def client():
    return _client(
        issuer(),
        _client_id(),
        getattr(settings, "EGOV_OIDC_CLIENT_SECRET", "") or "",
        _scopes(),
        int(getattr(settings, "EGOV_OIDC_TIMEOUT", 10)),
    )


def callback_url() -> str:
    """Registered at the provider; built from the public address, not the request's Host."""
    return settings.EGOV_PUBLIC_URL.rstrip("/") + reverse("accounts:oidc_callback")


def _checked_issuer(app) -> str:
    """The issuer the discovery document announces; it must be the configured one."""
    announced = str(app.load_server_metadata().get("issuer", ""))
    if announced.rstrip("/") != issuer():
        raise OidcError(f"the discovery document names issuer {announced!r}, not {issuer()!r}")
    return announced


def start(request):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE verifier
    are kept in the session)."""
    import requests

    app = client()
    try:
        _checked_issuer(app)
        return app.authorize_redirect(request, callback_url())
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise OidcError(f"could not reach the identity provider: {exc}") from exc


def finish(request) -> tuple[str, dict]:
    """Exchange the code and verify the ID token; returns ``(issuer, claims)``.

    Raises :class:`OidcError` for anything wrong: an error answer, a state or nonce that does
    not match, a token signed by another key, expired, or for another audience or issuer.
    """
    import requests
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    app = client()
    try:
        announced = _checked_issuer(app)
        token = app.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": announced},
                "aud": {"essential": True, "value": _client_id()},
            },
            leeway=int(getattr(settings, "EGOV_OIDC_LEEWAY_SECONDS", 60)),
        )
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError) as exc:
        raise OidcError(f"{type(exc).__name__}: {exc}") from exc
    claims = token.get("userinfo")
    if not claims:
        raise OidcError("the provider returned no ID token")
    return announced, dict(claims)

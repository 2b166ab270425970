"""A small OpenID Connect provider for the tests, speaking the real protocol over HTTP.

It stands for the national identity platform (or any standard provider): discovery document,
authorization endpoint (the person is "logged in" at once as ``provider.person``), token
endpoint (client_secret_basic, authorization code, PKCE S256) and JWKS; ID tokens are RS256
JWTs signed with a key generated when the provider starts. ``provider.tamper`` makes the next
ID tokens wrong in one way, to check that the portal refuses them:

- ``"foreign_key"``: signed by another key that claims the provider's key id (a forgery);
- ``"expired"``: ``exp`` an hour ago;
- ``"nonce"``: a nonce other than the one the portal sent;
- ``"audience"``: issued for another client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


class FakeOidcProvider:
    def __init__(self, client_id: str = "egov-portal", client_secret: str = "s3cret-of-portal"):  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        self.person: dict = {"sub": "vneid-0001", "name": "Nguyễn Thị Bình"}
        self.tamper: str | None = None
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.authorize_requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeOidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- protocol -------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email", "phone"],
            "claims_supported": ["sub", "name", "email", "email_verified", "phone_number"],
        }

    def authorize(self, query: dict) -> tuple[int, dict]:
        """Validate the authentication request and send the browser back with a code."""
        self.authorize_requests.append(query)
        redirect_uri = query.get("redirect_uri", "")
        if not redirect_uri:
            return 400, {}
        problems = []
        if query.get("response_type") != "code":
            problems.append("response_type")
        if query.get("client_id") != self.client_id:
            problems.append("client_id")
        if "openid" not in query.get("scope", "").split():
            problems.append("scope")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problems.append("pkce")
        if not query.get("nonce") or not query.get("state"):
            problems.append("nonce/state")
        if problems:
            answer = {"error": "invalid_request", "error_description": ",".join(problems)}
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = {
                "redirect_uri": redirect_uri,
                "nonce": query["nonce"],
                "challenge": query["code_challenge"],
                "person": dict(self.person),
            }
            answer = {"code": code}
        answer["state"] = query.get("state", "")
        return 302, {"Location": f"{redirect_uri}?{urlencode(answer)}"}

    def token(self, headers, form: dict) -> tuple[int, dict]:
        """Exchange a code: client authentication, one use, same redirect URI, PKCE."""
        self.token_requests.append(form)
        auth = headers.get("Authorization", "")
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if auth != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not verifier or challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant["nonce"], grant["person"]),
        }

    def id_token(self, nonce: str, person: dict) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": nonce,
            **person,
        }
        key = self.key
        if self.tamper == "foreign_key":
            key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif self.tamper == "nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif self.tamper == "audience":
            claims["aud"] = "another-client"
        return jwt.encode({"alg": "RS256", "kid": "key-1", "typ": "JWT"}, claims, key)

    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}

    # --- HTTP -------------------------------------------------------------------------------
    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _send(self, status: int, body: dict | None = None, headers: dict | None = None):
                payload = json.dumps(body or {}).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.discovery())
                elif url.path == "/jwks":
                    self._send(200, provider.jwks())
                elif url.path == "/authorize":
                    status, headers = provider.authorize(query)
                    self._send(status, None, headers)
                else:
                    self._send(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                if urlsplit(self.path).path == "/token":
                    status, answer = provider.token(self.headers, form)
                    self._send(status, answer)
                else:
                    self._send(404, {"error": "not_found"})

        return Handler

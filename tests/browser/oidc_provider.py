"""A small OpenID Connect provider on loopback, for signing in for real in the browser tests.

It speaks just enough OIDC for Streamlit's `st.login` (Authlib underneath): discovery, an authorize
page listing its test users (one button each), the authorization-code grant with PKCE (S256) and
client_secret_basic or client_secret_post, RS256 ID tokens signed with a fresh key (joserfc, which
Authlib depends on) and a JWKS endpoint. Codes are single-use; redirect URIs must be registered.
Nothing here is fit for anything but tests: there are no passwords, and users pick themselves.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class OidcProvider:
    """Test users by e-mail -> extra claims (name, groups...); one registered client."""

    users: dict[str, dict[str, object]]
    client_id: str = "affiliate-insights"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    redirect_uris: set[str] = field(default_factory=set)
    tokens_issued: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self._codes: dict[str, dict[str, object]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the protocol --------------------------------------------------------------------------------

    def metadata(self) -> dict[str, object]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "groups"],
        }

    def authorize_error(self, params: dict[str, str]) -> str | None:
        if params.get("client_id") != self.client_id:
            return "unknown client_id"
        if params.get("redirect_uri") not in self.redirect_uris:
            return f"redirect_uri {params.get('redirect_uri')!r} is not registered"
        if params.get("response_type") != "code":
            return "only response_type=code is supported"
        if "openid" not in params.get("scope", "").split():
            return "the openid scope is required"
        return None

    def issue_code(self, params: dict[str, str], email: str) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {**params, "email": email, "issued_at": time.time()}
        return code

    def exchange(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict[str, object]]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None or time.time() - grant["issued_at"] > 60:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant.get("code_challenge"):
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        email = str(grant["email"])
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": hashlib.sha256(email.encode()).hexdigest()[:16],
            "iat": now,
            "exp": now + 300,
            "email": email,
            "email_verified": True,
            **self.users[email],
        }
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self._key)
        self.tokens_issued.append(claims)
        access_token = secrets.token_urlsafe(24)
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def jwks(self) -> dict[str, object]:
        return {"keys": [self._key.as_dict(private=False)]}

    def login_page(self, params: dict[str, str]) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in params.items()
        )
        buttons = "".join(
            f'<p><button type="submit" name="login_as" value="{html.escape(email)}">Sign in as {html.escape(email)}'
            "</button></p>"
            for email in self.users
        )
        return (
            "<!doctype html><html><head><title>Test identity provider</title></head><body>"
            f'<h1>Test identity provider</h1><form method="post" action="/authorize">{hidden}{buttons}</form>'
            "</body></html>"
        )


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows failures
            pass

        def _send(self, status: int, body: str | dict, content_type: str = "application/json") -> None:
            data = (json.dumps(body) if isinstance(body, dict) else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            return {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            params = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._send(200, provider.metadata())
            elif url.path == "/jwks":
                self._send(200, provider.jwks())
            elif url.path == "/authorize":
                error = provider.authorize_error(params)
                if error:
                    self._send(400, f"<p>{html.escape(error)}</p>", "text/html")
                else:
                    self._send(200, provider.login_page(params), "text/html; charset=utf-8")
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:  # noqa: N802
            form = self._form()
            if self.path == "/authorize":
                email = form.pop("login_as", "")
                error = provider.authorize_error(form) or ("" if email in provider.users else "unknown user")
                if error:
                    self._send(400, f"<p>{html.escape(error)}</p>", "text/html")
                    return
                query = {"code": provider.issue_code(form, email)}
                if "state" in form:
                    query["state"] = form["state"]
                self.send_response(302)
                self.send_header("Location", f"{form['redirect_uri']}?{urlencode(query)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/token":
                status, body = provider.exchange(form, self.headers.get("Authorization"))
                self._send(status, body)
            else:
                self._send(404, {"error": "not_found"})

    return Handler

"""Is sign-in configured? Read from the [auth] section of .streamlit/secrets.toml, as Streamlit reads it.

Streamlit's OpenID Connect support (`st.login`) needs `redirect_uri` and `cookie_secret` in [auth], and
for each identity provider `client_id`, `client_secret` and `server_metadata_url`: either in [auth]
itself (the default provider) or in an [auth.<name>] section per provider. The app opens in local
mode only when there is no [auth] section at all; a half-written one is refused, never ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from analytics.core.errors import SignInConfigError

SHARED_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
DEFAULT_PROVIDER = "default"
# cookie_secret signs the sign-in cookie: Streamlit warns below 14 bytes; we ask for a real secret.
MIN_COOKIE_SECRET_CHARACTERS = 32


def providers(auth: Mapping[str, object]) -> list[str]:
    """The identity providers of an [auth] section: "default" for keys in [auth] itself, then each [auth.<name>]."""
    named = [name for name, value in auth.items() if isinstance(value, Mapping) and name != "client_kwargs"]
    return ([DEFAULT_PROVIDER] if any(key in auth for key in PROVIDER_KEYS) else []) + named


def sign_in_problems(auth: Mapping[str, object] | None) -> list[str]:
    """What is missing or wrong in an [auth] section (an empty list when sign-in can work)."""
    if not auth:
        return ["there is no [auth] section in .streamlit/secrets.toml"]
    problems = [f"[auth] has no {key}" for key in SHARED_KEYS if not auth.get(key)]
    redirect_uri = str(auth.get("redirect_uri") or "")
    if redirect_uri and not redirect_uri.endswith("/oauth2callback"):
        problems.append("[auth] redirect_uri must end with /oauth2callback")
    if auth.get("cookie_secret") and len(str(auth["cookie_secret"])) < MIN_COOKIE_SECRET_CHARACTERS:
        problems.append(f"[auth] cookie_secret is shorter than {MIN_COOKIE_SECRET_CHARACTERS} characters")
    found = providers(auth)
    if not found:
        problems.append("no identity provider: [auth] needs client_id, client_secret and server_metadata_url")
    for name in found:
        section = auth if name == DEFAULT_PROVIDER else auth[name]
        where = "[auth]" if name == DEFAULT_PROVIDER else f"[auth.{name}]"
        if "_" in name:
            problems.append(f"{where}: a provider name may not contain an underscore")
        problems += [f"{where} has no {key}" for key in PROVIDER_KEYS if not section.get(key)]  # type: ignore[union-attr]
    return problems


def check_sign_in(auth: Mapping[str, object] | None, require_sign_in: bool) -> bool:
    """True when sign-in is configured, False for local mode; SignInConfigError when the app must not open."""
    if not auth and not require_sign_in:
        return False
    problems = sign_in_problems(auth)
    if not problems:
        return True
    if not auth:
        raise SignInConfigError(
            "This deployment requires sign-in (AFFILIATE_REQUIRE_SIGN_IN), but sign-in is not configured: "
            'add an [auth] section to .streamlit/secrets.toml (see the README, "Sign-in"). '
            "The app stays closed until then."
        )
    raise SignInConfigError(
        "Sign-in is only partly configured, so the app stays closed rather than open to everyone: "
        + "; ".join(problems)
        + '. See the README, "Sign-in".'
    )

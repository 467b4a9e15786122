"""Who is using the app: Streamlit's OpenID Connect sign-in (`st.login`), or local mode without it.

Sign-in is configured by an [auth] section in .streamlit/secrets.toml (README, "Sign-in"). Without
one, the app is a single local user with every role, and the sidebar says so on every page. With
one, a person signs in with the identity provider; their name, e-mail and groups come from the
provider's signed ID token (`st.user`, kept by Streamlit in a signed cookie), and their roles from
the server's role file and group mapping (analytics.auth.roles), never from the URL or a widget.

app.py calls `signed_in_identity()` once per run, before the navigation; each page that changes
data or shows more than the dashboard calls `require_page(action)` itself as well, so that a page
opened by its URL checks the role even if the menu would have hidden it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NoReturn

import streamlit as st

from analytics.auth.roles import Identity, RoleRules, identity_from_claims, local_identity, require
from analytics.auth.sign_in import DEFAULT_PROVIDER, check_sign_in, providers
from analytics.core.errors import AnalyticsError, PermissionDenied
from ui.data import settings
from ui.text import literal

LOCAL_BANNER = "**Local mode:** sign-in is not configured; you have every role."


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def auth_section() -> dict | None:
    """The [auth] section of the secrets, as plain dicts (None when there is none)."""
    if not st.secrets.load_if_toml_exists():
        return None
    section = st.secrets.get("auth")
    return _plain(section) if section else None


def current_identity() -> Identity | None:
    """The person using this session; None when sign-in is configured and nobody is signed in yet.

    SignInConfigError when sign-in is required or half configured; RoleFileError when the roles cannot be read.
    """
    config = settings()
    if not check_sign_in(auth_section(), config.require_sign_in):
        return local_identity()
    if not st.user.get("is_logged_in"):
        return None
    return identity_from_claims(st.user.to_dict(), RoleRules.from_settings(config))


def identity_now(drawn: Identity) -> Identity:
    """For a button's callback that changes data: who clicks, read again now from the claims and the role file.

    A callback's arguments were captured when the page was drawn; a role revoked since (or a sign-out) must not
    still commit or undo. PermissionDenied when nobody, or somebody else, is signed in now; the roles checked
    afterwards (analytics.uploads.ownership) are those of the returned identity, the current ones.
    """
    now = current_identity()
    if now is None or now.label != drawn.label:
        raise PermissionDenied(
            drawn.label,
            "record",
            f"Sorry, {drawn.label} is no longer signed in in this session. Nothing was changed. Sign in again.",
        )
    return now


def signed_in_identity() -> Identity:
    """For app.py: the identity of this run, with the sign-in screen or a refusal instead when there is none."""
    try:
        identity = current_identity()
    except AnalyticsError as error:
        message = str(error)
        _closed(lambda: st.error(message, icon="🔒"))
    if identity is None:
        _closed(_sign_in_screen)
    if not identity.may("view"):
        _closed(lambda: _no_role_screen(identity))
    _sidebar_identity(identity)
    return identity


def require_page(action: str) -> Identity:
    """For a page: the identity, when it may do `action`; otherwise a polite refusal, and the page stops here."""
    try:
        identity = current_identity()
    except AnalyticsError as error:
        st.error(literal(str(error)), icon="🔒")  # names from the sign-in claims, shown as text
        st.stop()
    if identity is None:
        st.info("Please sign in first.", icon="🔒")
        st.stop()
    try:
        require(identity, action)
    except PermissionDenied as refusal:
        st.warning(literal(str(refusal)), icon="🔒")
        st.stop()
    return identity


def visible_to(identity: Identity, action: str) -> Literal["visible", "hidden"]:
    """A page's menu visibility: shown to those who may use it. Hiding is a courtesy; the page checks too."""
    return "visible" if identity.may(action) else "hidden"


def _closed(screen) -> NoReturn:
    """Show one screen instead of the app, under a navigation of that screen alone, and end the run."""
    st.navigation([st.Page(screen, title="ICMA Affiliate Insights", url_path="welcome")], position="hidden").run()
    st.stop()


def _sign_in_screen() -> None:
    st.title("ICMA Affiliate Insights")
    st.write(
        "The dashboard shows membership figures that are not public. Please sign in with your organisation's "
        "account; what you may see and change depends on the role ICMA has given you."
    )
    for provider in providers(auth_section() or {}):
        label = "Sign in" if provider == DEFAULT_PROVIDER else f"Sign in with {provider.title()}"
        st.button(
            label,
            type="primary",
            key=f"auth_sign_in_{provider}",
            on_click=st.login,
            args=(() if provider == DEFAULT_PROVIDER else (provider,)),
        )


def _no_role_screen(identity: Identity) -> None:
    st.title("ICMA Affiliate Insights")
    st.warning(
        f"You are signed in as {identity.label}, but you do not hold a role in ICMA Affiliate Insights yet, so "
        "there is nothing to show you. If you should have access, ask an administrator to add you.",
        icon="🔒",
    )
    st.button("Sign out", key="auth_sign_out_no_role", on_click=st.logout)


def _sidebar_identity(identity: Identity) -> None:
    with st.sidebar:
        if identity.is_local:
            st.info(LOCAL_BANNER, icon="🔓")
            return
        roles = ", ".join(identity.role_names)
        st.caption(f"Signed in as **{literal(identity.name or identity.label)}** ({literal(identity.label)}) · {roles}")
        st.button("Sign out", key="auth_sign_out", on_click=st.logout)

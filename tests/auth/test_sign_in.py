"""Sign-in configuration: local mode only without [auth]; required or half-written sign-in keeps the app closed."""

from __future__ import annotations

import pytest

from analytics.auth.sign_in import check_sign_in, providers, sign_in_problems
from analytics.core.errors import SignInConfigError
from analytics.core.settings import Settings

SECRET = "x" * 40
DEFAULT = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": SECRET,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}
NAMED = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": SECRET,
    "microsoft": {"client_id": "id", "client_secret": "s", "server_metadata_url": "https://m/.well-known"},
    "google": {"client_id": "id", "client_secret": "s", "server_metadata_url": "https://g/.well-known"},
}


def test_no_auth_section_is_local_mode_unless_sign_in_is_required():
    assert check_sign_in(None, require_sign_in=False) is False
    assert check_sign_in({}, require_sign_in=False) is False
    with pytest.raises(SignInConfigError, match="requires sign-in"):
        check_sign_in(None, require_sign_in=True)


@pytest.mark.parametrize("auth", [DEFAULT, NAMED])
def test_a_complete_section_is_sign_in(auth):
    assert sign_in_problems(auth) == []
    assert check_sign_in(auth, require_sign_in=False) is True
    assert check_sign_in(auth, require_sign_in=True) is True


def test_providers_are_the_default_one_and_each_named_section():
    assert providers(DEFAULT) == ["default"]
    assert providers(NAMED) == ["microsoft", "google"]
    assert providers({**DEFAULT, "client_kwargs": {"prompt": "login"}}) == ["default"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"cookie_secret": None}, "[auth] has no cookie_secret"),
        ({"cookie_secret": "short"}, "shorter than 32 characters"),
        ({"redirect_uri": "http://localhost:8501/"}, "must end with /oauth2callback"),
        ({"client_secret": None}, "[auth] has no client_secret"),
    ],
)
def test_a_half_written_section_keeps_the_app_closed_even_when_sign_in_is_optional(change, problem):
    auth = {key: value for key, value in {**DEFAULT, **change}.items() if value is not None}
    assert any(problem in found for found in sign_in_problems(auth))
    with pytest.raises(SignInConfigError, match="only partly configured"):
        check_sign_in(auth, require_sign_in=False)


def test_a_named_provider_missing_a_key_is_named():
    auth = {**NAMED, "okta": {"client_id": "id"}}
    assert "[auth.okta] has no client_secret" in sign_in_problems(auth)


def test_require_sign_in_is_read_from_the_environment():
    assert Settings.from_environment({}).require_sign_in is False
    assert Settings.from_environment({"AFFILIATE_REQUIRE_SIGN_IN": "true"}).require_sign_in is True
    assert Settings.from_environment({"AFFILIATE_REQUIRE_SIGN_IN": "0"}).require_sign_in is False

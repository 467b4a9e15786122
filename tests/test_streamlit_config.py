"""The app's Streamlit settings (.streamlit/config.toml) hold what hardening needs, in the form the installed
Streamlit reads: no error details for users, uploads capped at the app's own limit, loopback unless configured,
no built-in table export that would bypass the app's neutralising of formulas."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config as streamlit_config

from analytics.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_users_see_no_error_details_in_a_form_streamlit_does_not_deprecate():
    value = CONFIG["client"]["showErrorDetails"]
    assert value == "none"  # not true/false: both are deprecated, and false still shows the traceback
    assert value in {"full", "stacktrace", "type", "none"}


def test_the_upload_endpoint_accepts_no_more_than_the_app_itself():
    assert CONFIG["server"]["maxUploadSize"] == Settings().max_upload_megabytes


def test_the_server_listens_on_loopback_unless_configured():
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_tables_offer_no_built_in_export():
    assert CONFIG["client"]["disableDataExport"] is True


@pytest.mark.parametrize(
    ("section", "name"), [(section, name) for section, values in CONFIG.items() for name in values]
)
def test_every_key_is_a_streamlit_option_that_is_not_deprecated(section, name):
    option = streamlit_config._config_options_template[f"{section}.{name}"]  # noqa: SLF001 - no public listing
    assert not option.deprecated, f"{section}.{name} is deprecated: {option.deprecation_text}"


def test_streamlit_reads_the_values_as_set(monkeypatch):
    monkeypatch.chdir(ROOT)
    streamlit_config.get_config_options(force_reparse=True)
    try:
        assert streamlit_config.get_option("client.showErrorDetails") == "none"
        assert streamlit_config.get_option("server.maxUploadSize") == Settings().max_upload_megabytes
        assert streamlit_config.get_option("server.address") == "127.0.0.1"
    finally:
        streamlit_config.get_config_options(force_reparse=True)

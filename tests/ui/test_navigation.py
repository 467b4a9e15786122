"""ui.navigation.PAGES: the pages are declared once, and the app, the links, the tests and the benchmark read it."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from analytics.auth.roles import ACTIONS, Identity, Role
from analytics.core.links import goal_link, profile_link
from bench.pages import discover_pages
from tests.apptest import run_page
from tests.conftest import ROOT
from ui.navigation import PAGES, PROFILE, page_entry, profile_links


def test_every_page_script_is_declared_once_and_every_declared_page_exists():
    scripts = [entry.script for entry in PAGES]
    assert sorted(scripts) == sorted(f"pages/{path.name}" for path in (ROOT / "pages").glob("*.py"))
    assert len({entry.url_path for entry in PAGES}) == len(PAGES)
    assert [entry.url_path for entry in PAGES if entry.is_default] == ["overview"]
    assert all(entry.action in ACTIONS for entry in PAGES)


def test_the_menu_shows_a_page_to_those_who_may_use_it():
    from ui.navigation import navigation_pages

    viewer = Identity(email="viewer@example.org", name="Viewer", roles=frozenset({Role.VIEWER}))
    shown = {entry.url_path: page.visibility for entry, page in zip(PAGES, navigation_pages(viewer), strict=True)}
    assert shown["overview"] == "visible"
    assert (shown["upload"], shown["roles"]) == ("hidden", "hidden")


def test_the_app_navigates_the_declared_pages(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "membership")
    assert not app.exception
    assert app.title[0].value == page_entry("membership").title


def test_the_benchmark_and_the_browser_tests_read_the_same_pages():
    assert [(page.script, page.url_path, page.title) for page in discover_pages()] == [
        (entry.script, entry.url_path, entry.title) for entry in PAGES
    ]


def test_an_unknown_address_is_no_page():
    with pytest.raises(KeyError):
        page_entry("no-such-page")


def test_profile_links_keep_the_as_of_date():
    links = profile_links(pd.Series(["state-ca", "intl-gbr-solace"]), dt.date(2026, 11, 27))
    assert links.tolist() == [
        f"{PROFILE.url_path}?id=state-ca&as_of=2026-11-27",
        f"{PROFILE.url_path}?id=intl-gbr-solace&as_of=2026-11-27",
    ]


def test_the_links_of_e_mails_and_the_pack_open_declared_pages():
    # analytics.core.links cannot read PAGES (core imports nothing of ui): it must name the same pages.
    for link in (profile_link("state-ca"), goal_link("G0001", "Cal-ICMA", "Grow dual membership")):
        assert page_entry(link.url_path).script == link.page
    assert (
        profile_link("state-ca").path
        == profile_links(pd.Series(["state-ca"]), dt.date(2026, 11, 27))[0].split("&as_of=")[0]
    )


def test_the_readmes_example_links_open_pages_that_exist():
    """The README's `/overview?...` opened "Page not found": the Overview's address is `/`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"`/([a-z_]*)(?:\?[^`]*)?`", text)
    assert examples
    addresses = {"" if entry.is_default else entry.url_path for entry in PAGES}
    assert sorted(set(examples) - addresses) == []

"""The coverage maps in headless Chromium, from a fresh server on the bundled data: shapes drawn, offline.

AppTest sees a plotly figure only as JSON; whether plotly.js found the outlines (served by the app
from static/topojson/) and drew a shape for every country and state shows only in a browser. Each
drawn shape is a `path.choroplethlocation` whose d3 datum names its location.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.domain.coverage import SMALL_COUNTRIES
from tests.browser.conftest import ARTIFACTS, ROOT

DRAWN_LOCATIONS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot =>
    Array.from(plot.querySelectorAll('path.choroplethlocation'))
        .filter(path => (path.getAttribute('d') || '').length > 20)
        .map(path => path.__data__ && path.__data__.loc))"""


def bundled_affiliates() -> pd.DataFrame:
    path = ROOT / "data" / "affiliates.csv"
    if not path.exists():
        pytest.skip("bundled sample data not generated yet")
    return pd.read_csv(path)


def open_coverage(browser_page) -> list[list[str]]:
    browser_page.open("/coverage")
    browser_page.page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    browser_page.wait_until_idle()
    return browser_page.page.evaluate(DRAWN_LOCATIONS_JS)


def test_coverage_maps_draw_every_affiliated_country_and_every_state_offline(browser_page):
    affiliates = bundled_affiliates()
    international = affiliates[affiliates["affiliate_type"].eq("international")]
    is_candidate = international["status"].eq("candidate")
    expected_countries = set(international.loc[~is_candidate, "country_iso3"]) - SMALL_COUNTRIES
    candidate_only_countries = set(international.loc[is_candidate, "country_iso3"]) - expected_countries
    association_states = set(affiliates.loc[affiliates["affiliate_type"].eq("state"), "state_code"])

    world, usa = open_coverage(browser_page)
    browser_page.screenshot("coverage-page")
    for index, name in enumerate(("coverage-world-map", "coverage-us-map")):
        browser_page.page.locator(".js-plotly-plot").nth(index).screenshot(path=str(ARTIFACTS / f"{name}.png"))

    assert len(world) >= len(expected_countries)
    assert expected_countries <= set(world)
    assert candidate_only_countries == {"FRA", "MEX"} and not candidate_only_countries & set(world)
    assert association_states <= set(usa)
    assert len(usa) == 51  # every state and DC: those without an association are drawn grey
    assert browser_page.external_requests == []
    assert browser_page.streamlit_errors() == []
    assert browser_page.page_errors == []


def test_clicking_a_state_opens_its_association_profile(browser_page):
    affiliates = bundled_affiliates()
    states = affiliates[affiliates["affiliate_type"].eq("state")].drop_duplicates("state_code", keep=False)
    state_code = "TX" if "TX" in set(states["state_code"]) else states["state_code"].iloc[0]
    affiliate_id = states.loc[states["state_code"].eq(state_code), "affiliate_id"].iloc[0]
    open_coverage(browser_page)

    page = browser_page.page
    us_map = page.locator(".js-plotly-plot").nth(1)
    us_map.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    handle = us_map.evaluate_handle(
        "(plot, code) => Array.from(plot.querySelectorAll('path.choroplethlocation'))"
        ".find(path => path.__data__ && path.__data__.loc === code)",
        state_code,
    )
    box = handle.as_element().bounding_box()
    # The middle of the state's bounding box: a point inside the shape for a compact state such as TX.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/affiliate?id={affiliate_id}*", timeout=30_000)
    browser_page.wait_until_idle()
    browser_page.screenshot(f"affiliate-from-map-{state_code.lower()}")
    assert affiliates.set_index("affiliate_id").loc[affiliate_id, "name"] in page.inner_text("h1")
    assert browser_page.external_requests == []
    assert browser_page.streamlit_errors() == []

"""Every view is a link, and links inside the app stay in the same tab (headless Chromium, a fresh server).

A view opened from its address in a fresh context shows what the same view reached by clicking shows; the goal
status thresholds travel from page to page in the address; a table row opens its goal in the same tab.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

THRESHOLDS = "as_of=2026-11-27&goals_at_risk_below=50&goals_off_track_below=20"


def metric(browser_page, label: str) -> str:
    card = browser_page.page.locator("[data-testid=stMetric]").filter(has_text=label).first
    return card.locator("[data-testid=stMetricValue]").inner_text()


def test_the_thresholds_travel_in_the_link_and_a_fresh_context_shows_the_same(browser, server, browser_page):
    browser_page.open(f"/?{THRESHOLDS}", timeout_ms=120_000)
    on_the_overview = metric(browser_page, "Goals on track")
    browser_page.page.locator("[data-testid=stSidebarNav] a").filter(has_text="Goals").first.click()
    browser_page.page.wait_for_url(re.compile(r"/goals\?"))
    browser_page.wait_until_idle(120_000)
    assert "goals_at_risk_below=50" in browser_page.page.url
    assert "goals_off_track_below=20" in browser_page.page.url
    by_clicking = metric(browser_page, "On track")
    assert by_clicking == on_the_overview

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = context.new_page()
        fresh.goto(f"{server.url}/goals?{THRESHOLDS}", wait_until="domcontentloaded")
        fresh.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
        fresh.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=120_000)
        card = fresh.locator("[data-testid=stMetric]").filter(has_text="On track").first
        assert card.locator("[data-testid=stMetricValue]").inner_text() == by_clicking
    finally:
        context.close()


def test_a_row_of_the_at_risk_table_opens_its_goal_in_the_same_tab(browser_page):
    browser_page.open("/?as_of=2026-11-27", timeout_ms=120_000)
    page = browser_page.page
    pages_before = len(page.context.pages)
    addresses: list[str] = []
    page.on("framenavigated", lambda frame: addresses.append(frame.url) if frame == page.main_frame else None)
    table = page.locator(".st-key-overview_at_risk_table [data-testid=stDataFrame]").first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    # The first row's selection box: the row marker column, below the header (35 px) in a 72 px row.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 36)
    page.wait_for_url(re.compile(r"/goals\?.*goals_subject=One"), timeout=120_000)
    browser_page.wait_until_idle(120_000)
    assert len(page.context.pages) == pages_before  # no new tab
    # The row's link names its goal; the page may drop it from the address afterwards when it is the page's own
    # default choice (a bound widget keeps only what differs from its default), so the goal is read from the
    # address the click opened, and the page must show that goal.
    opened = next(parse_qs(urlsplit(url).query) for url in addresses if "goals_goal=" in url)
    goal = opened["goals_goal"][0]
    assert " — " in goal
    assert page.get_by_role("combobox", name="Goal").input_value() == goal
    assert page.get_by_text("Liaison:").first.is_visible()


# Every page with a full set of its own choices (none at its default, so each must stay in the address).
FULL_ADDRESSES = {
    "overview": {"as_of": "2026-06-30", "type": "State associations", "goals_at_risk_below": "80"},
    "goals": {
        "as_of": "2026-06-30",
        "goals_subject": "An area of emphasis",
        "goals_matrix_by": "ICMA region",
        "goals_status": "at risk",
        "goals_off_track_below": "30",
    },
    "changes": {"as_of": "2026-11-27", "since": "2026-06-30"},
    "calendar": {
        "as_of": "2026-11-27",
        "calendar_representation": "With ICMA representation",
        "calendar_horizon": "Everything upcoming",
    },
    "coverage": {
        "as_of": "2026-11-27",
        "coverage_window": "24",
        "coverage_colour": "Agreement status",
        "coverage_world_view": "Europe",
        "coverage_tab": "By affiliate",
        "coverage_measure": "Share also in ICMA",
    },
    "affiliate": {"as_of": "2026-11-27", "id": "state-ca"},
    "membership": {
        "as_of": "2026-11-27",
        "membership_by": "Affiliate type",
        "membership_measure": "Share also in ICMA",
    },
}

# What a page shows, in words: its headings, cards, the choices in its controls and the size of its tables.
SHOWN = """() => {
  const text = (nodes) => Array.from(nodes, (node) => node.innerText.trim());
  const main = document.querySelector('[data-testid=stMain]');
  return {
    headings: text(main.querySelectorAll('h1, h2, h3')),
    cards: text(main.querySelectorAll('[data-testid=stMetric]')),
    boxes: Array.from(main.querySelectorAll('input[role=combobox]'), (box) => `${box.ariaLabel}=${box.value}`),
    chosen: text(main.querySelectorAll('[aria-checked=true], [aria-selected=true], [aria-pressed=true]')),
    tables: Array.from(main.querySelectorAll('[role=grid]'), (grid) => grid.getAttribute('aria-rowcount')),
  };
}"""


def shown_at(browser, address: str) -> tuple[dict, str]:
    """What a fresh context (a new visitor) sees at `address`, and the address the page settles on."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(address, wait_until="domcontentloaded")
        # The page has run when its cards or tables are drawn and the app is idle.
        page.wait_for_selector(
            "[data-testid=stMain] :is([data-testid=stMetric], [role=grid])", state="attached", timeout=120_000
        )
        # ... and what it shows has stopped changing for three seconds (tables draw after the script ends).
        shown, same = None, 0
        for _ in range(90):
            page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=120_000)
            page.wait_for_timeout(1_000)
            now = page.evaluate(SHOWN)
            same = same + 1 if now == shown else 0
            if same == 3:
                break
            shown = now
        return shown, page.url
    finally:
        context.close()


def test_every_page_opened_from_its_full_address_shows_the_same_to_a_new_visitor(browser, server):
    for url_path, params in FULL_ADDRESSES.items():
        first, settled = shown_at(browser, f"{server.url}/{url_path}?{urlencode(params)}")
        kept = {key: values[-1] for key, values in parse_qs(urlsplit(settled).query).items()}
        assert kept == params, f"{url_path}: the page changed its address {params} to {kept}"
        again, _ = shown_at(browser, settled)
        assert again == first, url_path


def test_a_bar_of_goals_by_status_lists_those_goals(browser_page):
    browser_page.open("/?as_of=2026-11-27", timeout_ms=120_000)
    page = browser_page.page
    chart = page.locator(".st-key-overview_status_chart .js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    area, status, count = chart.evaluate("(plot) => [...plot._fullData[0].customdata[0], plot._fullData[0].x[0]]")
    bar = chart.locator(".trace.bars").first.locator(".point path").first.bounding_box()
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.wait_for_url(re.compile(r"/goals\?.*goals_status="), timeout=120_000)
    browser_page.wait_until_idle(120_000)
    shown = parse_qs(urlsplit(page.url).query)
    assert shown["goals_area"] == [area]
    assert shown["goals_status"] == [status.replace("_", " ")]
    captions = page.locator("[data-testid=stCaptionContainer]").all_inner_texts()
    assert any(re.fullmatch(rf"{count} of \d+ goals\.", caption.strip()) for caption in captions), captions

"""Every page at 1440x900 and at 390x844 in headless Chromium, and the briefing pack's HTML: each chart's legend,
titles and labels inside its drawn area; on a phone no text under 11 px and nothing wider than the screen;
axe-core finds no critical or serious violation in the app's own content; heading levels never skip.

Screenshots of every page at both sizes go to tests/artifacts/ (a11y-<page>-<width>.png).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import discover_pages
from tests.browser.conftest import ARTIFACTS, ROOT

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
DESKTOP, PHONE = (1440, 900), (390, 844)
WITHOUT_CHARTS = {"upload", "roles", "my_work"}
PAGES = [("/", "home", True)] + [
    (page.browser_path, page.url_path, page.url_path not in WITHOUT_CHARTS) for page in discover_pages()
]
SMALLEST_TEXT_PX = 11
# axe-core findings inside Streamlit's own widgets, which the app cannot change: the rule, the widget's container
# (a node of the finding inside it is Streamlit's), and the reason. Findings anywhere else fail the test.
STREAMLIT_WIDGET_FINDINGS: dict[str, tuple[str, str]] = {
    "svg-img-alt": (
        "[data-testid=stMetric]",
        "st.metric's sparkline (chart_data) is a Vega chart whose point marks have role img and no name; the card's "
        "label and value, beside it, say the same in words",
    ),
}

# Every chart box (the plot container) and the boxes of what must lie inside it: the legend, the title, the axis
# titles and tick labels, and the colour bar.
CHART_PARTS_SCRIPT = """
() => [...document.querySelectorAll('.js-plotly-plot')].map((plot) => {
  const svg = plot.querySelector('.main-svg');
  const box = (svg || plot).getBoundingClientRect();
  const parts = [];
  for (const [kind, selector] of [['legend', 'g.legend'], ['title', '.gtitle'], ['axis title', '.xtitle, .ytitle'],
                                  ['tick label', '.xtick text, .ytick text'], ['colour bar', '.colorbar']]) {
    for (const element of plot.querySelectorAll(selector)) {
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      parts.push({kind, text: (element.textContent || '').slice(0, 40),
                  left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    }
  }
  const title = plot.querySelector('.gtitle');
  return {title: title ? title.textContent : '', left: box.left, top: box.top, right: box.right,
          bottom: box.bottom, parts};
})
"""

# Visible text smaller than the smallest size: every element with a text node of its own.
SMALL_TEXT_SCRIPT = """
(smallest) => {
  const small = [];
  for (const element of document.querySelectorAll('body *')) {
    const own = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!own) continue;
    const r = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    if (element.closest('[data-testid=stSidebar][aria-expanded=false], [data-testid=stSidebar][data-collapsed=true]'))
      continue;
    const size = parseFloat(style.fontSize);
    if (size < smallest) small.push(`${size}px: ${element.textContent.trim().slice(0, 50)}`);
  }
  return small;
}
"""

# Whether the page scrolls sideways, and which visible elements reach past the screen's edges outside a box that
# scrolls or clips them itself (a table that scrolls sideways is fine).
OVERFLOW_SCRIPT = """
() => {
  const width = window.innerWidth;
  const clips = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (['auto', 'scroll', 'hidden', 'clip'].includes(overflow)) {
        const r = node.getBoundingClientRect();
        if (r.left >= -1 && r.right <= width + 1) return true;
      }
    }
    return false;
  };
  const wide = [];
  for (const element of document.querySelectorAll('[data-testid=stMain] *')) {
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 1 || r.left < -1) && !clips(element)) {
      wide.push(`${element.tagName.toLowerCase()}.${element.className && element.className.baseVal !== undefined
        ? element.className.baseVal : element.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 10)};
}
"""

# The visible headings of the page's main part and of its sidebar (a landmark of its own, opening at h2).
HEADINGS_SCRIPT = """
(region) => [...document.querySelectorAll(`${region} :is(h1, h2, h3, h4, h5, h6)`)]
  .filter((h) => h.getBoundingClientRect().height > 0 && h.textContent.trim())
  .map((h) => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])
"""

AXE_SCRIPT = """
async (widgets) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const inWidget = (id, target) => {
    const element = document.querySelector(target[target.length - 1]);
    return Boolean(widgets[id] && element && element.closest(widgets[id]));
  };
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter((n) => !inWidget(v.id, n.target))
                  .map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))}));
}
"""


def outside(part: dict, box: dict, tolerance: float = 1.0) -> bool:
    return (
        part["left"] < box["left"] - tolerance
        or part["top"] < box["top"] - tolerance
        or part["right"] > box["right"] + tolerance
        or part["bottom"] > box["bottom"] + tolerance
    )


def parts_outside_their_chart(page) -> list[str]:
    return [
        f"{chart['title'][:50]!r}: {part['kind']} {part['text']!r} at "
        f"{part['left']:.0f},{part['top']:.0f}..{part['right']:.0f},{part['bottom']:.0f} outside "
        f"{chart['left']:.0f},{chart['top']:.0f}..{chart['right']:.0f},{chart['bottom']:.0f}"
        for chart in page.evaluate(CHART_PARTS_SCRIPT)
        for part in chart["parts"]
        if outside(part, chart)
    ]


def skipped_heading_levels(page) -> list[str]:
    skips = []
    for region, first in (("[data-testid=stMain]", 1), ("[data-testid=stSidebar]", 2)):
        previous = first - 1
        for level, text in page.evaluate(HEADINGS_SCRIPT, region):
            if level > previous + 1:
                skips.append(f"{region}: h{level} {text!r} after h{previous}")
            previous = level
    return skips


def serious_axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    widgets = {rule: selector for rule, (selector, _reason) in STREAMLIT_WIDGET_FINDINGS.items()}
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + "; ".join(f"{node['target']} {node['html']}" for node in violation["nodes"][:4])
        for violation in page.evaluate(AXE_SCRIPT, widgets)
        if violation["impact"] in ("critical", "serious") and violation["nodes"]
    ]


def screenshot_whole_page(page, name: str) -> None:
    """The whole page in one picture: Streamlit scrolls inside its main part, so the window is made as tall as it."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height), 16_000)})
    page.wait_for_timeout(1000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def sized_page(browser, server):
    """A function that opens a page at a given viewport size (requests elsewhere blocked, as in browser_page)."""
    contexts = []

    def open_at(path: str, size: tuple[int, int], wait_for_chart: bool):
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith((server.url, "data:", "blob:", "about:"))
                else route.abort()
            ),
        )
        page.goto(f"{server.url}{path}", wait_until="domcontentloaded", timeout=60_000)
        page.wait_for_selector("[data-testid=stApp]", timeout=60_000)
        if wait_for_chart:
            page.wait_for_selector(".js-plotly-plot .main-svg >> visible=true", timeout=60_000)
        page.wait_for_timeout(300)
        page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=60_000)
        page.wait_for_timeout(1000)  # plotly redraws once after Streamlit's layout settles
        return page

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1440", "390"])
@pytest.mark.parametrize(("path", "name", "has_chart"), PAGES, ids=[name for _, name, _ in PAGES])
def test_page_reads_at_a_glance_and_passes_axe(sized_page, path, name, has_chart, size):
    page = sized_page(path, size, has_chart)
    problems = {
        "chart parts outside their chart": parts_outside_their_chart(page),
        "skipped heading levels": skipped_heading_levels(page),
        "axe critical or serious": serious_axe_violations(page),
    }
    if size == PHONE:
        sidebar = page.locator("[data-testid=stSidebar]")
        problems["sidebar open on a phone"] = [] if sidebar.get_attribute("aria-expanded") != "true" else ["open"]
        problems["text under 11 px"] = page.evaluate(SMALL_TEXT_SCRIPT, SMALLEST_TEXT_PX)[:10]
        overflow = page.evaluate(OVERFLOW_SCRIPT)
        problems["wider than the screen"] = (
            [] if overflow["scrollWidth"] <= overflow["innerWidth"] and not overflow["wide"] else [json.dumps(overflow)]
        )
    screenshot_whole_page(page, f"a11y-{name}-{size[0]}")
    found = {kind: found for kind, found in problems.items() if found}
    assert not found, "\n".join(f"{kind}:\n  " + "\n  ".join(items) for kind, items in found.items())


def test_every_chart_has_an_accessible_name_from_its_title(sized_page):
    page = sized_page("/coverage", DESKTOP, True)
    names = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].map((chart) => {
             const named = chart.closest('[aria-label]') || chart.querySelector('[aria-label]');
             return named ? named.getAttribute('aria-label') : '';
           })"""
    )
    assert names and all(name.startswith("Chart: ") and len(name) > len("Chart: .") for name in names), names


def test_the_briefing_pack_keeps_its_legends_inside_its_charts(browser, tmp_path):
    pack = tmp_path / "pack.html"
    subprocess.run(
        [sys.executable, "-m", "analytics", "briefing", "--as-of", "2025-06-30", "--format", "html", "--out", pack],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "AFFILIATE_DATA_DIR": str(ROOT / "data")},
    )
    for width, height in (DESKTOP, PHONE, (703, 1000)):  # 703 px: the A4 print width
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(pack.as_uri())
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].every((p) => p._fullLayout)", timeout=60_000
        )
        page.wait_for_timeout(500)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"a11y-briefing-{width}.png"), full_page=True)
        assert page.locator(".js-plotly-plot").count() >= 2
        assert parts_outside_their_chart(page) == []
        context.close()

"""Names from data shown as plain text in the browser: a hostile event name on the calendar (its list and its
charts) and a hostile column header in the Upload preview are written out, never turned into an image, a link
or markup, and the address they name is never asked for."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator

import pytest

from bench.server import Server, start_server
from tests.browser.conftest import ROOT, _require_browser

TRAP = "127.0.0.1:9/"  # the discard port: nothing listens, so a request to it is only seen, never answered
HOSTILE = f'![x](http://{TRAP}x.png) <a href="http://{TRAP}">click</a> <b>bold</b>'


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """A fresh server on the bundled data plus one event with a hostile name (overrides conftest's server)."""
    _require_browser()
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data_dir, ignore=shutil.ignore_patterns("store"))
    with (data_dir / "events.csv").open(encoding="utf-8", newline="") as file:
        columns = next(csv.reader(file))
    event = {
        "event_id": "E2023-hostile",
        "name": HOSTILE,
        "organizer": HOSTILE,
        "event_type": "affiliate",
        "start_on": "2023-10-24",
        "end_on": "2023-10-25",
        "date_precision": "day",
        "is_cancelled": "false",
        "country_name": "Slovakia",
        "country_iso3": "SVK",
        "confidence": "low",
        "is_sample": "false",
    }
    with (data_dir / "events.csv").open("a", encoding="utf-8", newline="") as file:
        csv.DictWriter(file, fieldnames=columns, restval="", lineterminator="\n").writerow(event)
    running = start_server(data_dir)
    yield running
    running.stop()


def trapped(browser_page) -> list[str]:
    """Every request the page made to the hostile name's address (asked for, then blocked by the fixture)."""
    return [url for url in browser_page.external_requests if TRAP in url]


def test_a_hostile_event_name_is_plain_text_on_the_calendar_and_in_its_charts(browser_page):
    browser_page.open("/calendar?calendar_month=2023-10&as_of=2023-10-01&calendar_horizon=Everything+upcoming")
    page = browser_page.page
    month = page.locator(".st-key-calendar_month_chart .js-plotly-plot")
    month.locator(".main-svg").first.wait_for()
    year = page.locator(".st-key-calendar_year_chart .js-plotly-plot")
    year.scroll_into_view_if_needed()
    year.locator(".main-svg").first.wait_for()
    browser_page.wait_until_idle()
    browser_page.screenshot("hostile-name-calendar")
    assert page.locator(f'img[src*="{TRAP}"], a[href*="{TRAP}"]').count() == 0
    agenda = page.locator("[data-testid=stMarkdownContainer]", has_text="![x](http")
    assert agenda.count() >= 1  # the agenda writes the name as it is
    assert "<b>bold</b>" in agenda.first.inner_text()
    ticks = " ".join(year.locator(".ytick text").all_text_contents())
    assert '<a href="http://' in ticks or "![x](http://" in ticks  # the timeline's name, cut, shown as written
    bars = " ".join(month.locator("text.bartext").all_text_contents())
    assert "![x](http://" in bars
    assert month.locator("a").count() == 0 and year.locator("a").count() == 0  # no link drawn in a chart
    assert trapped(browser_page) == []


def test_a_hostile_header_is_plain_text_in_the_upload_preview(browser_page, tmp_path):
    upload = tmp_path / "members.csv"
    upload.write_text(
        f'affiliate,date,members,icma members,"{HOSTILE.replace(chr(34), chr(39))}"\nCal-ICMA,2025-11-30,1020,610,x\n',
        encoding="utf-8",
    )
    browser_page.open("/upload", wait_for_chart=False)
    page = browser_page.page
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(upload))
    page.get_by_text("How the file was read").wait_for(timeout=60_000)
    browser_page.wait_until_idle()
    browser_page.screenshot("hostile-header-upload")
    notes = page.locator("[data-testid=stCaptionContainer]", has_text="![x](http")
    assert notes.count() >= 1  # "columns not used: ..." names the header as it is
    assert page.locator(f'img[src*="{TRAP}"], a[href*="{TRAP}"]').count() == 0
    assert trapped(browser_page) == []

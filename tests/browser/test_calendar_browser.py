"""The Event calendar in headless Chromium: the month grid and the map draw, offline, and .ics files download."""

from __future__ import annotations

from icalendar import Calendar

MONTH_VIEW = "/calendar?month=2023-10&as_of=2023-10-01"


def test_month_view_draws_the_calendar_grid_offline(browser_page):
    browser_page.open(MONTH_VIEW)
    page = browser_page.page
    month = page.locator(".st-key-calendar_month_chart .js-plotly-plot")
    month.locator(".main-svg").first.wait_for()
    browser_page.screenshot("calendar-month-2023-10")
    assert browser_page.streamlit_errors() == []
    assert browser_page.page_errors == []
    assert browser_page.external_requests == []
    assert "October 2023" in month.locator(".gtitle").text_content()
    assert month.locator(".shapelayer path").count() == 42  # six Monday-first weeks of day cells
    bar_labels = month.locator("text.bartext").all_text_contents()
    assert "Solace Summit 2023" in bar_labels
    assert "SCMA Professional Conference 2023" in bar_labels
    weekdays = month.locator(".xtick text").all_text_contents()
    assert weekdays[0] == "Mon" and weekdays[-1] == "Sun"  # short names, level, that fit a phone


def test_map_draws_its_countries_from_the_apps_own_outlines(browser_page):
    browser_page.open(MONTH_VIEW)
    world = browser_page.page.locator(".st-key-calendar_map_chart .js-plotly-plot")
    world.scroll_into_view_if_needed()
    outlines = world.locator(".geo .layer.countries path").first
    outlines.wait_for(state="attached", timeout=30_000)
    assert len(outlines.get_attribute("d") or "") > 1000  # country borders drawn from /app/static/topojson/
    assert world.locator(".scattergeo path.point").count() >= 5  # a marker per country with upcoming events
    assert browser_page.external_requests == []


def test_one_event_downloads_as_a_valid_ics_file(browser_page, tmp_path):
    browser_page.open(MONTH_VIEW)
    page = browser_page.page
    button = page.locator(".st-key-calendar_ics_all button")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename == "icma_affiliate_events_as_of_2023-10-01.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    calendar = Calendar.from_ical(target.read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert "Solace Summit 2023" in summaries
    assert "Taituarā Conference 2023" in summaries
    assert browser_page.external_requests == []

"""The Goals page in headless Chromium: the briefing pack and a long list's download are built when clicked, from
every goal (the page itself receives only the first rows)."""

from __future__ import annotations

import csv
import datetime as dt
import html as html_text
import io
from pathlib import Path

from analytics.domain.goals import at_risk_list, goal_status
from analytics.store.reader import open_store

AS_OF = "2026-06-30"
DATA = Path(__file__).resolve().parents[2] / "data"  # what the module's server serves


def download(browser_page, key: str):
    page = browser_page.page
    button = page.locator(f".st-key-{key} button")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as download_info:
        button.click()
    return download_info.value


def test_the_briefing_and_the_goal_list_download_hold_every_goal(browser_page, tmp_path):
    browser_page.open(f"/goals?as_of={AS_OF}")
    browser_page.page.locator(".st-key-goals_briefing_html button").wait_for(timeout=60_000)
    store = open_store(DATA)
    goals = store.table("goals")
    statuses = goal_status(goals, store.table("goal_checkins"), dt.date.fromisoformat(AS_OF))
    attention = at_risk_list(statuses.merge(goals[["goal_id", "title"]], on="goal_id"))

    briefing = download(browser_page, "goals_briefing_html")
    assert briefing.suggested_filename == f"goals_briefing_{AS_OF}.html"
    briefing.save_as(tmp_path / "briefing.html")
    html = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    assert "<html" in html and html_text.escape(attention["title"].iloc[-1]) in html  # the list's last goal too

    listed = download(browser_page, "goals_list_csv")
    listed.save_as(tmp_path / "goals.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "goals.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(statuses) > 200  # the page shows 200; the download holds every goal
    at_risk = download(browser_page, "goals_at_risk_csv")
    at_risk.save_as(tmp_path / "at_risk.csv")
    at_risk_rows = list(csv.DictReader(io.StringIO((tmp_path / "at_risk.csv").read_text(encoding="utf-8-sig"))))
    assert len(at_risk_rows) == len(attention)
    assert browser_page.streamlit_errors() == []
    assert browser_page.page_errors == []

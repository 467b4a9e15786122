"""The "What changed" page, and the alert rules on the Goals page."""

from __future__ import annotations

from tests.apptest import metric_values, run_page


def test_the_page_shows_what_changed_in_the_window_of_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "changes", {"as_of": "2026-11-30", "since": "2025-12-31"})
    assert not app.exception
    metrics = metric_values(app)
    assert (metrics["Goals changed"], metrics["Goals worse"]) == ("1", "0")  # G0003 reached its target
    assert metrics["Due for renewal"] == "1"  # Solace's agreement, due 2026-12-31
    titles = [header.value for header in app.header]
    assert titles[:3] == ["Goals whose status changed", "Agreements", "Membership by region"]
    goals_table = next(frame.value for frame in app.dataframe if "Why before" in frame.value.columns)
    assert goals_table["Affiliate"].tolist() == ["Solace"] and "reached" in goals_table["Why now"].iloc[0]
    assert any("after 2025-12-31 up to and including 2026-11-30" in caption.value for caption in app.caption)


def test_the_default_window_starts_at_the_previous_month_end(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "changes", {"as_of": "2026-11-27"})
    assert not app.exception
    assert str(app.date_input(key="since").value) == "2026-10-31"


def test_the_goals_page_shows_the_alert_rules(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "goals", {"as_of": "2026-11-30"})
    assert not app.exception
    rules = next(frame.value for frame in app.dataframe if "Fires when" in frame.value.columns)
    assert rules["Rule"].tolist() == ["goal_off_track", "renewal_window", "silent_affiliate", "membership_drop"]

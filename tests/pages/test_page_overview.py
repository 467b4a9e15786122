"""The Overview page, run by AppTest on the tiny data folder and on the bundled sample data."""

from __future__ import annotations

import json

import pytest

from tests.apptest import metric_values, run_page
from tests.conftest import ROOT, add_tiny_candidate


def test_overview_shows_network_and_health_figures(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27"})
    assert not app.exception
    metrics = metric_values(app)
    assert metrics["State associations"] == "1 of 43"
    assert metrics["International affiliates"] == "1 of 39"
    assert metrics["Countries covered"] == "1"
    assert metrics["Renewals due in 6 months"] == "1"
    assert metrics["ICMA members"] == "13,100"
    assert metrics["Affiliate members"] == "1,620"
    assert any("Sample data" in caption.value for caption in app.caption)


def test_a_candidate_is_never_counted_as_an_affiliate(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, add_tiny_candidate(tiny_data_dir), query={"as_of": "2026-11-27"})
    assert not app.exception
    metrics = metric_values(app)
    assert metrics["International affiliates"] == "1 of 39"
    assert metrics["Countries covered"] == "1"


@pytest.mark.skipif(not (ROOT / "data" / "affiliates.csv").exists(), reason="bundled sample data not generated yet")
def test_overview_counts_the_bundled_network_against_the_stated_agreements(monkeypatch, bundled_data_dir):
    metrics = metric_values(run_page(monkeypatch, bundled_data_dir))
    assert metrics["State associations"] == "38 of 43"
    assert metrics["International affiliates"] == "33 of 39"  # the 4 candidates are not counted
    assert metrics["National and equity affiliates"] == "8"


def test_overview_filters_come_from_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27", "region": "West Coast"})
    metrics = metric_values(app)
    assert metrics["State associations"] == "1 of 43"
    assert metrics["International affiliates"] == "0 of 39"
    assert metrics["Affiliate members"] == "1,100"


def test_overview_as_of_in_the_past_uses_only_what_was_known(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2025-11-30"})
    metrics = metric_values(app)
    assert metrics["ICMA members"] == "12,950"
    assert metrics["Affiliate members"] == "1,510"


def test_overview_lists_goals_at_risk_with_their_reason(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27"})
    tables = [frame.value for frame in app.dataframe]
    at_risk = next(table for table in tables if "Why" in table.columns)
    assert set(at_risk["Affiliate"]) <= {"Cal-ICMA", "Solace"}
    assert all(reason for reason in at_risk["Why"])


def test_overview_shows_a_clear_message_for_a_broken_folder(monkeypatch, tiny_data_dir):
    path = tiny_data_dir / "goal_checkins.csv"
    path.write_text(path.read_text().replace("2026-03-31", "31/03/2026"))
    app = run_page(monkeypatch, tiny_data_dir)
    assert not app.exception
    assert "problem" in app.error[0].value
    problems = app.dataframe[0].value
    assert problems.iloc[0]["file"] == "goal_checkins.csv"
    assert problems.iloc[0]["row"] == 3
    assert problems.iloc[0]["column"] == "reported_on"


def test_overview_with_no_matching_affiliate_is_a_friendly_message(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, query={"region": "Southeast"})
    assert not app.exception
    assert "No affiliate matches" in app.info[0].value


@pytest.mark.parametrize("missing", ["events.csv", "affiliates.csv"])
def test_overview_names_a_missing_file(monkeypatch, tiny_data_dir, missing):
    (tiny_data_dir / missing).unlink()
    app = run_page(monkeypatch, tiny_data_dir)
    assert not app.exception
    assert missing.removesuffix(".csv") in app.error[0].value


def test_affiliate_members_change_in_a_year_is_like_for_like(monkeypatch, tiny_data_dir):
    # Solace started reporting in November 2025: its members count in the total, not in the change.
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27"})
    cards = {metric.label: metric for metric in app.metric}
    assert cards["Affiliate members"].value == "1,620"
    assert cards["Affiliate members"].delta == "+10.0% in a year"  # Cal-ICMA alone: 1,000 -> 1,100
    assert "like for like" in cards["Affiliate members"].proto.help
    assert "for up to 12 months" in cards["Affiliate members"].proto.help
    # Cal-ICMA: 60% both years, a change of nothing: in words and grey, no arrow (it was "+0.0 pts", or red "-0.0")
    assert cards["Share also in ICMA"].delta == "no change in a year"
    assert (cards["Share also in ICMA"].proto.color, cards["Share also in ICMA"].proto.direction) == (2, 2)
    assert any("for up to 12 months" in caption.value for caption in app.caption)


def test_the_at_risk_table_has_its_six_columns_in_view_with_the_why_wrapped(monkeypatch, tiny_data_dir):
    """At 1440 px only Affiliate and Area were in view; Goal, Status, Why and Liaison needed a sideways scroll."""
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27"})
    table = next(frame for frame in app.dataframe if "Why" in frame.value.columns)
    shown = ["Affiliate", "Status", "Area of emphasis", "Goal", "Why", "Liaison"]
    assert table.value.columns.tolist() == shown
    widths = {name: column.get("width") for name, column in json.loads(table.proto.columns).items()}
    assert all(isinstance(widths[name], int) for name in shown)
    assert sum(widths[name] for name in shown) <= 960  # the page's width at 1440 px with the sidebar open
    assert table.proto.row_height > 64  # st.dataframe wraps text only in rows taller than 4rem


def test_the_next_events_say_per_row_whether_they_are_real_or_sample(monkeypatch, tiny_data_dir):
    """Real and sample events met in one list with one notice saying event dates are real."""
    app = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-27"})
    events = next(frame.value for frame in app.dataframe if "Dates" in frame.value.columns).set_index("Event")
    assert events.loc["Solace Summit 2026", "Data"] == "sample"
    assert events.loc["Cal-ICMA Annual Conference 2027", "Data"] == "sample"
    notice = next(caption.value for caption in app.caption if "Sample data" in caption.value)
    assert "every event marked “sample”, dates included" in notice

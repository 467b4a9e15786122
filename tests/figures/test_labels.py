"""analytics.figures.labels: one declaration of every column's label and kind, read by pages and exports."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.core.settings import Settings
from analytics.figures.briefing import goal_table, trends_table
from analytics.figures.calendar_charts import event_listing
from analytics.figures.labels import COLUMN_LABELS, KINDS, column_label, label_text, labelled, labels_by_text


def test_every_label_has_a_known_kind_and_a_link_text_only_on_links():
    assert {entry.kind for entry in COLUMN_LABELS.values()} <= set(KINDS)
    assert all(entry.link_text is None or entry.kind.endswith("link") for entry in COLUMN_LABELS.values())


def test_two_names_share_a_label_only_when_they_hold_the_same_kind_of_value():
    kinds_by_text: dict[str, set[str]] = {}
    for name, entry in COLUMN_LABELS.items():
        kinds_by_text.setdefault(label_text(name, Settings()), set()).add(entry.kind)
    assert {text: kinds for text, kinds in kinds_by_text.items() if len(kinds) > 1} == {}


def test_a_label_naming_a_setting_reads_it_and_needs_it():
    assert label_text("is_inactive", Settings(inactive_after_months=9)) == "No activity in 9 months"
    assert "9 months" in column_label("is_inactive", Settings(inactive_after_months=9)).help
    with pytest.raises(ValueError, match="names a setting"):
        label_text("is_inactive")


def test_labelled_leaves_labels_and_data_headers_and_refuses_the_rest():
    frame = pd.DataFrame({"Affiliate": ["Solace"], "share_icma": [0.09], "state": ["1 at risk"]})
    assert labelled(frame, data_columns=("state",)).columns.tolist() == ["Affiliate", "Share also in ICMA", "state"]
    assert frame.columns.tolist() == ["Affiliate", "share_icma", "state"]  # not changed
    with pytest.raises(ValueError, match="'state'"):
        labelled(frame)


def test_the_tables_built_here_carry_declared_labels_only():
    statuses = pd.DataFrame(
        {
            "affiliate_name": ["Cal-ICMA"],
            "title": ["Grow dual membership"],
            "status_label": ["at risk"],
            "is_stale": [False],
            "reason": ["behind"],
            "latest_narrative": [None],
            "liaison_name": ["Avery Stone"],
            "area_of_emphasis": ["Ethics"],
            "expected_pct": [0.5],
            "actual_pct": [0.3],
            "latest_reported_on": [pd.Timestamp("2026-03-31")],
            "goal_id": ["G0001"],
        }
    )
    portfolio = pd.DataFrame(
        {
            "month_end": [pd.Timestamp("2026-10-31")],
            "area_of_emphasis": ["Ethics"],
            **{name: [1] for name in ("count_goals_started", "count_achieved", "count_on_track", "count_at_risk")},
            **{name: [0] for name in ("count_off_track", "count_overdue", "count_stale")},
            "share_on_track": [0.5],
        }
    )
    events = pd.DataFrame(
        {
            "name": ["Cal-ICMA Annual Conference"],
            "start_on": [pd.Timestamp("2027-03-10")],
            "end_on": [pd.Timestamp("2027-03-12")],
            "date_precision": ["day"],
            "city": ["Monterey"],
            "country_name": ["United States"],
            "website": [None],
            "is_cancelled": [False],
            "is_sample": [False],
            "organizer": ["Cal-ICMA"],
        }
    )
    headers = set(labels_by_text(Settings()))
    for table in (goal_table(statuses), trends_table(portfolio), event_listing(events)):
        assert set(table.columns) <= headers
    assert goal_table(statuses)["Goal id"].tolist() == ["G0001"]
    assert trends_table(portfolio).columns.tolist()[-2:] == ["Stale goals", "Share on track"]

"""What changed between two dates, on the tiny folder's tables and a few hand-written rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.domain import alerts, changes, goals
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.store.ledger import BATCH_COLUMNS
from analytics.store.reader import Store
from tests.conftest import write_tiny_data

SINCE, AS_OF = dt.date(2025, 12, 31), dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    return Store(write_tiny_data(tmp_path_factory.mktemp("tiny") / "data"))


def results_for(
    store: Store, since: dt.date, as_of: dt.date, rules: goals.GoalStatusRules | None = None
) -> dict[str, pd.DataFrame]:
    """The results of alerts.QUERIES (what changed's and the alerts'), and every goal and check-in in scope, which
    what_changed does not read, for judging every goal in pandas."""
    params = {
        "regions": [],
        "types": [],
        "as_of": as_of,
        "renewal_window_months": 6,
        "max_carry_months": MAX_CARRY_MONTHS,
    }
    names = (*alerts.QUERIES, "goals_in_scope", "goal_checkins_in_scope")
    bound = changes.query_params(params, since, rules or goals.GoalStatusRules())
    return {name: store.query(name, **bound) for name in names}


def changed_in_pandas(
    results: dict[str, pd.DataFrame],
    since: dt.date,
    as_of: dt.date,
    rules: goals.GoalStatusRules | None = None,
) -> set[str]:
    """The goals whose goals.goal_status differs on the two dates, every goal in scope judged in pandas."""
    rules = rules or goals.GoalStatusRules()
    before = goals.goal_status(results["goals_in_scope"], results["goal_checkins_in_scope"], since, rules)
    now = goals.goal_status(results["goals_in_scope"], results["goal_checkins_in_scope"], as_of, rules)
    return set(before.loc[before["status"].astype(str) != now["status"].astype(str), "goal_id"])


def no_batches() -> pd.DataFrame:
    return pd.DataFrame(columns=BATCH_COLUMNS)


@pytest.fixture(scope="module")
def found(store) -> changes.Changes:
    return changes.what_changed(results_for(store, SINCE, AS_OF), no_batches(), SINCE, AS_OF, renewal_window_months=6)


def test_goals_that_changed_are_those_whose_goal_status_differs_worst_first(store, found):
    differ = changed_in_pandas(results_for(store, SINCE, AS_OF), SINCE, AS_OF)
    assert set(found.goals["goal_id"]) == differ and differ
    ranks = found.goals["status_now"].astype(str).map(changes.WORST_FIRST.index)
    assert ranks.is_monotonic_increasing
    g3 = found.goals.set_index("goal_id").loc["G0003"]
    assert (str(g3["status_before"]), str(g3["status_now"])) == ("off_track", "achieved")
    assert g3["direction"] == "better" and "reached" in g3["reason_now"]
    # the check-in behind the change is listed, and only check-ins of the window
    assert found.checkins["checkin_id"].tolist() == ["C000004"]


def test_agreements_new_renewed_lapsed_and_due_in_the_window():
    agreements = pd.DataFrame(
        {
            "agreement_id": ["A-old", "A-renewed", "A-new", "A-lapsing", "A-due"],
            "affiliate_id": ["x", "x", "y", "z", "w"],
            "liaison_id": ["L"] * 5,
            "signed_on": pd.to_datetime(["2020-01-01", "2026-02-01", "2026-03-01", "2021-01-01", "2022-01-01"]),
            "renewal_due_on": pd.to_datetime(["2026-01-15", "2031-02-01", "2031-03-01", "2026-06-30", "2027-04-30"]),
        }
    )
    affiliates = pd.DataFrame({"affiliate_id": ["x", "y", "z", "w"], "name": ["X", "Y", "Z", "W"]})
    frame = changes.agreement_changes(agreements, affiliates, SINCE, AS_OF, renewal_window_months=6)
    assert dict(zip(frame["agreement_id"], frame["change"], strict=True)) == {
        "A-lapsing": "lapsed",
        "A-due": "due_for_renewal",
        "A-new": "new",
        "A-renewed": "renewed",
    }
    # A-old lapsed on 2026-01-15 but was replaced before: its affiliate's current agreement is active
    assert frame.loc[frame["agreement_id"] == "A-new", "affiliate_name"].item() == "Y"


def test_membership_is_like_for_like_between_the_two_month_ends(found):
    by_affiliate = found.membership_by_affiliate.set_index("affiliate_id")
    assert by_affiliate.loc["state-ca", "members_before"] == 1010  # carried from 2025-11-30 to 2025-12-31
    assert by_affiliate.loc["state-ca", "members"] == 1100
    assert found.membership_total.change == (1100 - 1010) + (520 - 500)
    regions = found.membership_by_region.set_index("icma_region")
    assert regions.loc["West Coast", "change"] == 90 and regions.loc["International", "change"] == 20


def test_activities_events_and_silence_in_the_window(found):
    assert found.activities["activity_id"].tolist() == ["A000002"]  # A000001 is after the as-of date
    assert found.events["event_id"].tolist() == ["E2026-icma-annual"]
    # Solace's only counted activity is in December 2026, the NFBPA has none: no contact in the window
    assert found.silent["affiliate_id"].tolist() == ["natl-nfbpa", "intl-gbr-solace"]
    assert found.silent["icma_region"].tolist() == ["National", "International"]


def test_uploads_corrections_and_undos_in_the_window_from_the_ledger():
    ledger = pd.DataFrame(
        {
            "batch_id": ["b1", "b2", "b3"],
            "kind": ["membership", "goal_checkins", "events"],
            "status": ["committed", "undone", "committed"],
            "committed_at": pd.to_datetime(["2026-03-01T10:00Z", "2026-04-01T10:00Z", "2025-12-31T23:00Z"]),
            "committed_by": ["a", "b", "c"],
            "undone_at": pd.to_datetime([None, "2026-05-02T08:00Z", None], utc=True),
            "undone_by": [None, "d", None],
            "file_name": ["m.csv", "c.csv", "e.csv"],
            "rows_loaded": [10, 2, 1],
            "rows_replaced": [0, 2, 0],
        }
    )
    frame = changes.uploads_in_window(ledger, SINCE, AS_OF)
    assert list(zip(frame["batch_id"], frame["what"], strict=True)) == [
        ("b1", "upload"),
        ("b2", "correction"),
        ("b2", "undone"),
    ]


def test_a_window_where_nothing_happened_is_empty(store):
    since, as_of = dt.date(2017, 1, 31), dt.date(2017, 2, 28)
    quiet = changes.what_changed(results_for(store, since, as_of), no_batches(), since, as_of, renewal_window_months=6)
    assert quiet.is_empty and quiet.goals.empty and quiet.agreements.empty


def test_the_window_must_run_forwards(store):
    with pytest.raises(ValueError, match="must be before"):
        changes.what_changed(results_for(store, AS_OF, SINCE), no_batches(), AS_OF, SINCE, renewal_window_months=6)


@settings(max_examples=25, deadline=None)
@given(
    since=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 6, 30)),
    days=st.integers(min_value=1, max_value=500),
)
def test_a_goal_is_listed_exactly_when_its_status_differs_on_the_two_dates(store, since, days):
    as_of = since + dt.timedelta(days=days)
    results = results_for(store, since, as_of)
    listed, _ = changes.goal_changes(results["goals_in_scope"], results["goal_checkins_in_scope"], since, as_of)
    assert set(listed["goal_id"]) == changed_in_pandas(results, since, as_of)


@settings(max_examples=25, deadline=None)
@given(
    since=st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 6, 30)),
    days=st.integers(min_value=1, max_value=500),
    off_track=st.integers(min_value=0, max_value=100),
    gap=st.integers(min_value=0, max_value=100),
)
def test_what_changed_reads_in_sql_the_goals_pandas_finds_changed(store, since, days, off_track, gap):
    """The store's goals_changed_in_scope (goal statuses judged in SQL) gives what_changed the goals, and their
    check-ins, whose goals.goal_status differs on the two dates: the same list as every goal judged in pandas."""
    as_of = since + dt.timedelta(days=days)
    rules = goals.GoalStatusRules(at_risk_below=min(off_track + gap, 100) / 100, off_track_below=off_track / 100)
    results = results_for(store, since, as_of, rules)
    found = changes.what_changed(results, no_batches(), since, as_of, renewal_window_months=6, rules=rules)
    full, full_checkins = changes.goal_changes(
        results["goals_in_scope"], results["goal_checkins_in_scope"], since, as_of, rules
    )
    assert set(found.goals["goal_id"]) == changed_in_pandas(results, since, as_of, rules)
    pd.testing.assert_frame_equal(found.goals, full)
    pd.testing.assert_frame_equal(found.checkins, full_checkins)


def test_what_changed_of_the_bundled_data_lists_the_goals_pandas_finds_changed(bundled_store):
    """On the bundled data (hundreds of goals, every status), for windows of a day, a month and a year ending on
    the sample's last check-in, under the default thresholds and stricter ones."""
    as_of = dt.date(2026, 11, 30)
    for since in (dt.date(2026, 11, 29), dt.date(2026, 10, 31), dt.date(2025, 11, 30)):
        for rules in (goals.GoalStatusRules(), goals.GoalStatusRules(at_risk_below=0.95, off_track_below=0.5)):
            results = results_for(bundled_store, since, as_of, rules)
            found = changes.what_changed(results, no_batches(), since, as_of, renewal_window_months=6, rules=rules)
            expected = changed_in_pandas(results, since, as_of, rules)
            assert set(found.goals["goal_id"]) == expected and expected, (since, rules)
            assert set(found.checkins["goal_id"]) <= expected


def test_previous_month_end_is_the_default_since():
    assert changes.previous_month_end(dt.date(2026, 1, 15)) == dt.date(2025, 12, 31)


def test_goal_changes_give_the_status_and_reason_goal_status_gives_on_each_date(bundled_data_dir):
    bundled = Store(bundled_data_dir)
    goal_rows = bundled.query("goals_in_scope", regions=[], types=[])
    checkins = bundled.query("goal_checkins_in_scope", regions=[], types=[], as_of=AS_OF)
    changed, _ = changes.goal_changes(goal_rows, checkins, SINCE, AS_OF)
    assert len(changed) >= 10  # the bundled goals move between these dates
    for day, status, reason in ((SINCE, "status_before", "reason_before"), (AS_OF, "status_now", "reason_now")):
        judged = goals.goal_status(goal_rows, checkins, day).set_index("goal_id").loc[changed["goal_id"]]
        assert changed[status].astype(str).tolist() == judged["status"].astype(str).tolist()
        assert changed[reason].tolist() == judged["reason"].tolist()

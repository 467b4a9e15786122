"""What the Coverage page reads of the store is what analytics.domain.coverage computes of the rows themselves.

The page's membership measures, of the snapshots membership_snapshots_latest_and_year_before picks, are those of
every snapshot. The activity score, made of the store's counts (the query activity_counts_in_window) by
`coverage.activity_score_of_counts`, is `coverage.activity_score` of the activities themselves: the same counts per
type, score, level and latest activity for every affiliate, on the bundled data and on random activities
(hypothesis), and the same coverage frame.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.core.schema import ACTIVITY_STATUSES, ACTIVITY_TYPES
from analytics.domain import coverage
from analytics.figures import maps
from analytics.store.reader import MACROS_DIR, query_text

SCOPES = [([], []), (["West Coast"], []), ([], ["international"]), (["National"], ["state", "national"])]


def counts_params(as_of: date, window_months: int) -> dict:
    return {
        "as_of": as_of,
        "window_start": coverage.window_start_on(as_of, window_months),
        "activity_types": list(coverage.ACTIVITY_WEIGHTS),
    }


def assert_same_scores(got: pd.DataFrame, activities: pd.DataFrame, as_of: date, window_months: int) -> None:
    """The score of the store's counts against activity_score of `activities`: equal on every affiliate the counts
    name, and the others without a counted activity (score 0, no last activity)."""
    expected = coverage.activity_score(activities, as_of, window_months).set_index("affiliate_id")
    scored = got.set_index("affiliate_id")
    pd.testing.assert_frame_equal(scored, expected.loc[scored.index], check_dtype=False, check_index_type=False)
    others = expected.drop(index=scored.index)
    assert others["activity_score"].eq(0).all()
    assert others["last_activity_on"].isna().all()


@pytest.mark.parametrize("regions, types", SCOPES)
@pytest.mark.parametrize(
    "as_of, window_months", [(date(2026, 11, 27), 12), (date(2025, 6, 30), 3), (date(2024, 2, 29), 36)]
)
def test_the_stores_counts_score_every_bundled_affiliate_as_activity_score_does(
    bundled_store, regions, types, as_of, window_months
):
    params = {"regions": regions, "types": types}
    in_scope = bundled_store.query("affiliate_details_in_scope", **params, as_of=as_of)["affiliate_id"]
    activities = bundled_store.table("activities")
    activities = activities[activities["affiliate_id"].isin(in_scope)]
    counts = bundled_store.query("activity_counts_in_window", **params, **counts_params(as_of, window_months))
    assert len(counts) > 0
    expected_counts = coverage.activity_counts(activities, as_of, window_months)
    key = ["affiliate_id", "activity_type"]
    pd.testing.assert_frame_equal(
        counts.sort_values(key).reset_index(drop=True).astype({"last_activity_on": "datetime64[us]"}),
        expected_counts.sort_values(key).reset_index(drop=True).astype({"last_activity_on": "datetime64[us]"}),
        check_dtype=False,
    )
    assert_same_scores(coverage.activity_score_of_counts(counts), activities, as_of, window_months)


def test_the_coverage_frame_of_the_stores_counts_is_the_coverage_of_the_activities(bundled_store):
    as_of, window_months = date(2026, 11, 27), 12
    params = {"regions": [], "types": [], "as_of": as_of}
    frames = (
        bundled_store.query("affiliate_details_in_scope", **params),
        bundled_store.query("agreements_in_scope", **params),
    )
    windows = {"renewal_window_months": 6, "inactive_after_months": 12}
    liaisons = bundled_store.table("liaisons")
    counts = bundled_store.query(
        "activity_counts_in_window", regions=[], types=[], **counts_params(as_of, window_months)
    )
    got = coverage.coverage_of_scores(
        frames[0], frames[1], coverage.activity_score_of_counts(counts), liaisons, as_of, **windows
    )
    expected = coverage.affiliate_coverage(
        frames[0], frames[1], bundled_store.table("activities"), liaisons, as_of, window_months, **windows
    )
    pd.testing.assert_frame_equal(got, expected)
    assert got["activity_score"].gt(0).any() and got["is_inactive"].any()


def test_no_counts_score_every_named_affiliate_zero():
    empty = pd.DataFrame({column: [] for column in coverage.ACTIVITY_COUNT_COLUMNS})
    scores = coverage.activity_score_of_counts(empty, ["b", "a"])
    assert list(scores["affiliate_id"]) == ["a", "b"]
    assert scores["activity_score"].eq(0).all() and scores["activity_level"].eq("none").all()
    assert scores["last_activity_on"].isna().all()


@pytest.mark.parametrize("regions, types", SCOPES)
@pytest.mark.parametrize("as_of", [date(2026, 11, 27), date(2025, 3, 31), date(2024, 2, 29), date(2019, 1, 1)])
def test_the_snapshots_the_store_picks_give_every_snapshots_membership_measures(bundled_store, regions, types, as_of):
    params = {"regions": regions, "types": types, "as_of": as_of}
    in_scope = bundled_store.query("affiliate_details_in_scope", **params)["affiliate_id"]
    membership = bundled_store.table("membership")
    picked = bundled_store.query("membership_snapshots_latest_and_year_before", **params)
    expected = maps.membership_measures(membership[membership["affiliate_id"].isin(in_scope)], as_of)
    pd.testing.assert_frame_equal(maps.membership_measures(picked, as_of), expected, check_dtype=False)
    assert len(picked) < len(membership)


# --- random activities ------------------------------------------------------------------------------------------

START = date(2025, 1, 1)
AFFILIATES = pd.DataFrame(
    {
        "affiliate_id": ["A0", "A1", "A2"],
        "icma_region": ["West Coast", "International", None],
        "affiliate_type": ["state", "international", "national"],
    }
)


@st.composite
def random_activities(draw) -> pd.DataFrame:
    """Activities of three affiliates, of every type and status, on any day (several on one day included)."""
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, 2),
                st.sampled_from(ACTIVITY_TYPES),
                st.sampled_from(ACTIVITY_STATUSES),
                st.one_of(st.sampled_from([0, 100]), st.integers(-800, 800)),
            ),
            max_size=25,
        )
    )
    return pd.DataFrame(
        [
            {
                "activity_id": f"X{position % 7}-{position}",
                "affiliate_id": f"A{affiliate}",
                "activity_type": activity_type,
                "status": status,
                "occurred_on": pd.Timestamp(START + timedelta(days=day)),
                "title": f"title {position}",
            }
            for position, (affiliate, activity_type, status, day) in enumerate(rows)
        ],
        columns=["activity_id", "affiliate_id", "activity_type", "status", "occurred_on", "title"],
    )


def counting_connection(activities: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.register("affiliate_frame", AFFILIATES)
    connection.register("activity_frame", activities)
    connection.execute("CREATE TABLE affiliates AS SELECT * FROM affiliate_frame")
    connection.execute(
        "CREATE TABLE activities AS SELECT activity_id::VARCHAR AS activity_id, affiliate_id::VARCHAR AS affiliate_id, "
        "activity_type::VARCHAR AS activity_type, status::VARCHAR AS status, CAST(occurred_on AS DATE) AS occurred_on, "
        "title::VARCHAR AS title FROM activity_frame"
    )
    for macro in ("scope_region", "is_in_scope", "scoped_affiliates"):
        connection.execute((MACROS_DIR / f"{macro}.sql").read_text(encoding="utf-8"))
    return connection


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    activities=random_activities(),
    day=st.integers(-100, 900),
    window_months=st.integers(1, 24),
    scope=st.sampled_from(SCOPES[:3]),
)
def test_the_stores_counts_score_random_activities_as_activity_score_does(activities, day, window_months, scope):
    as_of = START + timedelta(days=day)
    regions, types = scope
    bound = {"regions": regions, "types": types, **counts_params(as_of, window_months)}
    counts = counting_connection(activities).execute(query_text("activity_counts_in_window"), bound).df()
    region_ok = AFFILIATES["icma_region"].fillna("National").isin(regions) | (not regions)
    type_ok = AFFILIATES["affiliate_type"].isin(types) | (not types)
    in_scope = AFFILIATES.loc[region_ok & type_ok, "affiliate_id"]
    assert_same_scores(
        coverage.activity_score_of_counts(counts),
        activities[activities["affiliate_id"].isin(in_scope)],
        as_of,
        window_months,
    )

"""Goal status judged in the store (the macro goal_statuses_on over the rollups goal_terms and goal_checkin_days) is
`analytics.domain.goals.goal_status`, the one definition: the same figures and statuses for every goal, on the
bundled data and on random goals and check-ins (hypothesis); and the counts, portfolio and at-risk rows pages build
on it are what the domain's functions give over goal_status.
"""

from __future__ import annotations

import string
from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.domain import goals
from analytics.store.reader import MACROS_DIR
from analytics.store.rollup import rollup_text
from ui.goal_status import count_chosen

FIGURES = ["expected_value", "expected_pct", "latest_value", "actual_pct", "pct_of_expected"]
SCOPES = [([], []), (["West Coast"], []), ([], ["international"]), (["National"], ["state", "national"])]
DATES = [date(2019, 1, 1), date(2024, 2, 29), date(2025, 6, 30), date(2026, 11, 27)]
RULES = [goals.GoalStatusRules(), goals.GoalStatusRules(at_risk_below=0.75, off_track_below=0.4)]


def status_params(rules: goals.GoalStatusRules) -> dict:
    return {
        "at_risk_below": rules.at_risk_below,
        "off_track_below": rules.off_track_below,
        "tolerance": goals.THRESHOLD_TOLERANCE,
        "attention_statuses": list(goals.ATTENTION_STATUSES),
    }


def statuses_sql(connection, regions, types, on_dates, rules) -> pd.DataFrame:
    sql = (
        "SELECT * FROM goal_statuses_on($regions, $types, $on_dates, $at_risk_below, $off_track_below, $tolerance) "
        "ORDER BY goal_id, as_of_on"
    )
    params = {key: value for key, value in status_params(rules).items() if key != "attention_statuses"}
    return connection.execute(sql, {"regions": regions, "types": types, "on_dates": on_dates, **params}).df()


def assert_same_status(judged: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The store's rows for one date against goal_status's, goal by goal."""
    assert sorted(judged["goal_id"]) == sorted(expected["goal_id"])
    both = expected.merge(judged, on="goal_id", suffixes=("", "_sql"))
    for column in FIGURES:
        np.testing.assert_array_equal(both[column].to_numpy(float), both[f"{column}_sql"].to_numpy(float), column)
    assert both["latest_reported_on"].equals(pd.to_datetime(both["latest_reported_on_sql"]).astype("datetime64[ns]"))
    assert list(both["status"].astype(str)) == list(both["status_sql"])
    assert list(both["is_stale"]) == list(both["is_stale_sql"].astype(bool))


@pytest.mark.parametrize("rules", RULES)
@pytest.mark.parametrize("regions, types", SCOPES)
def test_the_store_judges_every_bundled_goal_as_goal_status_does(bundled_store, regions, types, rules):
    scope = {"regions": regions, "types": types}
    goal_rows = bundled_store.query("goals_in_scope", **scope)
    assert len(goal_rows) or regions == ["National"]
    bundled_store.query("goal_status_counts_in_scope", **scope, as_of=DATES[0], **status_params(rules))
    with bundled_store.cursor() as cursor:
        judged = statuses_sql(cursor, regions, types, DATES, rules)
    for as_of in DATES:
        checkins = bundled_store.query("goal_checkins_in_scope", **scope, as_of=as_of)
        expected = goals.goal_status(goal_rows, checkins, as_of, rules, with_reasons=False)
        assert_same_status(judged[judged["as_of_on"] == pd.Timestamp(as_of)], expected)


@pytest.mark.parametrize("rules", RULES)
def test_counts_portfolio_and_at_risk_rows_are_the_domains_over_goal_status(bundled_store, rules):
    scope, as_of = {"regions": [], "types": []}, date(2026, 11, 27)
    params = {**scope, "as_of": as_of, **status_params(rules)}
    goal_rows = bundled_store.query("goals_in_scope", **scope)
    checkins = bundled_store.query("goal_checkins_in_scope", **scope, as_of=as_of)
    status = goals.goal_status(goal_rows, checkins, as_of, rules)
    with_context = status.merge(goal_rows.drop(columns=["direction", "baseline_value", "target_value"]), on="goal_id")

    counts = bundled_store.query("goal_status_counts_in_scope", **params)
    assert counts["count_goals"].sum() == len(goal_rows)
    pd.testing.assert_frame_equal(
        goals.status_matrix_of_counts(counts, "area_of_emphasis", "affiliate_type"),
        goals.status_matrix(with_context, "area_of_emphasis", "affiliate_type"),
    )
    by_status = counts.groupby("status")["count_goals"].sum()
    assert goals.share_on_track_of_counts(by_status) == goals.share_on_track(status)
    assert counts["count_stale"].sum() == status["is_stale"].sum()

    month_ends = [pd.Timestamp(day) for day in pd.date_range("2025-01-31", periods=12, freq="ME")]
    by_month = bundled_store.query(
        "goal_status_counts_by_month", **params, month_ends=[day.date() for day in month_ends]
    )
    for by in ("area_of_emphasis", None):
        expected = goals.portfolio_over_time(goal_rows, checkins, month_ends, rules, by=by)
        got = goals.portfolio_of_counts(by_month, month_ends, by=by)
        key = ["month_end", by] if by else ["month_end"]
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True)
        )

    attention = goals.at_risk_list(with_context)
    shown = bundled_store.query("goals_needing_attention", **params, limit=7)
    assert list(shown["goal_id"]) == list(attention["goal_id"].head(7))
    every = bundled_store.query("goals_needing_attention", **params, limit=None)
    assert list(every["goal_id"]) == list(attention["goal_id"])
    assert set(every.columns) >= set(goal_rows.columns)


# --- random goals -----------------------------------------------------------------------------------------------

START = date(2024, 1, 1)
REGIONS = ["West Coast", "International", None]
TYPES = ["state", "international", "national"]


@st.composite
def goals_and_checkins(draw):
    """Goals of three affiliates (one per type), either direction, targets at, beyond or short of the baseline,
    terms of zero days or years, and check-ins on any day (several on one day included)."""
    goal_count = draw(st.integers(1, 8))
    value = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)
    rows = []
    for number in range(goal_count):
        baseline = draw(value)
        target = draw(st.one_of(st.just(baseline), value))
        start = START + timedelta(days=draw(st.integers(-400, 400)))
        rows.append(
            {
                "goal_id": f"G{number}",
                "affiliate": draw(st.integers(0, 2)),
                "area_of_emphasis": draw(st.sampled_from(["Ethics", "ICMA Governance"])),
                "direction": draw(st.sampled_from(["increase", "decrease"])),
                "baseline_value": baseline,
                "target_value": target,
                "start_on": start,
                "due_on": start + timedelta(days=draw(st.integers(-5, 1500))),
                "reporting_interval_months": draw(st.integers(1, 12)),
            }
        )
    checkin_rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, goal_count - 1),
                # A few days so that one goal often has two check-ins on one day, and any day besides.
                st.one_of(st.sampled_from([0, 30, 400]), st.integers(-500, 2000)),
                value,
                st.text(string.digits, max_size=3),
            ),
            max_size=20,
        )
    )
    checkins = [
        {
            "checkin_id": f"C{suffix}-{position}",
            "goal_id": f"G{goal}",
            "reported_on": START + timedelta(days=day),
            "value": reported,
        }
        for position, (goal, day, reported, suffix) in enumerate(checkin_rows)
    ]
    return pd.DataFrame(rows), pd.DataFrame(checkins, columns=["checkin_id", "goal_id", "reported_on", "value"])


def judging_connection(goal_rows: pd.DataFrame, checkin_rows: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    """An in-memory database with the staging views goal status reads (goals, agreements, affiliates, goal_checkins)
    as tables of these rows, the two rollups made by their own SQL, and the macros goal_statuses_on calls."""
    connection = duckdb.connect()
    affiliates = pd.DataFrame({"affiliate_id": ["A0", "A1", "A2"], "icma_region": REGIONS, "affiliate_type": TYPES})
    agreements = pd.DataFrame({"agreement_id": ["AG0", "AG1", "AG2"], "affiliate_id": ["A0", "A1", "A2"]})
    goal_table = goal_rows.assign(agreement_id="AG" + goal_rows["affiliate"].astype(str)).drop(columns="affiliate")
    connection.register("goal_frame", goal_table)
    connection.register("checkin_frame", checkin_rows)
    connection.register("affiliate_frame", affiliates)
    connection.register("agreement_frame", agreements)
    connection.execute("CREATE TABLE affiliates AS SELECT * FROM affiliate_frame")
    connection.execute("CREATE TABLE agreements AS SELECT * FROM agreement_frame")
    connection.execute(
        "CREATE TABLE goals AS SELECT * REPLACE (CAST(start_on AS DATE) AS start_on, CAST(due_on AS DATE) AS due_on, "
        "CAST(reporting_interval_months AS INTEGER) AS reporting_interval_months) FROM goal_frame"
    )
    connection.execute(
        "CREATE TABLE goal_checkins AS SELECT checkin_id::VARCHAR AS checkin_id, goal_id::VARCHAR AS goal_id, "
        "CAST(reported_on AS DATE) AS reported_on, CAST(value AS DOUBLE) AS value FROM checkin_frame"
    )
    for rollup in ("goal_terms", "goal_checkin_days"):
        connection.execute(f"CREATE TABLE {rollup} AS {rollup_text(rollup)}")
    for macro in ("scope_region", "is_in_scope", "goal_statuses_on"):
        connection.execute((MACROS_DIR / f"{macro}.sql").read_text(encoding="utf-8"))
    return connection


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=goals_and_checkins(),
    days=st.lists(st.integers(-500, 2000), min_size=1, max_size=3, unique=True),
    thresholds=st.tuples(st.floats(0, 1.5), st.floats(0, 1.5)).map(sorted),
    scope=st.sampled_from(SCOPES),
)
def test_the_store_judges_random_goals_as_goal_status_does(case, days, thresholds, scope):
    goal_rows, checkins = case
    rules = goals.GoalStatusRules(off_track_below=thresholds[0], at_risk_below=thresholds[1])
    connection = judging_connection(goal_rows, checkins)
    regions, types = scope
    # Any days, and the days a status turns on for the first goal: its start, its first report due, its due date.
    first = goal_rows.iloc[0]
    first_report_due = (
        pd.Timestamp(first["start_on"]) + pd.DateOffset(months=int(first["reporting_interval_months"]))
    ).date()
    boundaries = {first["start_on"], first_report_due, first["due_on"], first["due_on"] + timedelta(days=1)}
    on_dates = sorted({START + timedelta(days=day) for day in days} | boundaries)
    judged = statuses_sql(connection, regions, types, on_dates, rules)
    in_scope = goal_rows[
        [
            (not regions or (REGIONS[a] or "National") in regions) and (not types or TYPES[a] in types)
            for a in goal_rows["affiliate"]
        ]
    ]
    # As the check-in queries list them: by goal, date and checkin_id (of two on one day, the later id counts).
    listed = checkins.sort_values(["goal_id", "reported_on", "checkin_id"], kind="stable")
    for as_of in on_dates:
        counted = listed[pd.to_datetime(listed["reported_on"]) <= pd.Timestamp(as_of)]
        expected = goals.goal_status(in_scope, counted, as_of, rules, with_reasons=False)
        assert_same_status(judged[judged["as_of_on"] == pd.Timestamp(as_of)], expected)


# --- what the Goals page reads: its goal list and an area's progress ---------------------------------------------


def query_text(name: str) -> str:
    return (MACROS_DIR.parent / "queries" / f"{name}.sql").read_text(encoding="utf-8")


def progress_sql(connection, regions, types, area, month_ends, rules) -> pd.DataFrame:
    params = {key: value for key, value in status_params(rules).items() if key != "attention_statuses"}
    bound = {"regions": regions, "types": types, "area": area, "month_ends": month_ends, **params}
    rows = connection.execute(
        query_text("goal_progress_by_month"), bound | {"on_track_statuses": list(goals.ON_TRACK_STATUSES)}
    ).df()
    return rows.astype({"month_end": "datetime64[ns]", "count_goals_started": "int64", "count_on_track": "int64"})


def assert_same_progress(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("rules", RULES)
def test_an_areas_progress_in_the_store_is_progress_by_month(bundled_store, rules):
    scope, as_of = {"regions": [], "types": []}, date(2026, 11, 27)
    goal_rows = bundled_store.query("goals_in_scope", **scope)
    checkins = bundled_store.query("goal_checkins_in_scope", **scope, as_of=as_of)
    month_ends = [day.date() for day in pd.date_range("2023-01-31", periods=46, freq="ME")]
    for area in sorted(goal_rows["area_of_emphasis"].unique()):
        members = goal_rows[goal_rows["area_of_emphasis"] == area]
        expected = goals.progress_by_month(
            members, checkins[checkins["goal_id"].isin(members["goal_id"])], month_ends, rules
        )
        got = bundled_store.query(
            "goal_progress_by_month",
            **scope,
            **status_params(rules),
            as_of=as_of,
            area=area,
            month_ends=month_ends,
            on_track_statuses=list(goals.ON_TRACK_STATUSES),
        ).astype({"month_end": "datetime64[ns]"})
        assert_same_progress(got, expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=goals_and_checkins(),
    days=st.lists(st.integers(-500, 2000), min_size=1, max_size=4, unique=True),
    thresholds=st.tuples(st.floats(0, 1.5), st.floats(0, 1.5)).map(sorted),
    area=st.sampled_from(["Ethics", "ICMA Governance"]),
)
def test_an_areas_progress_of_random_goals_is_progress_by_month(case, days, thresholds, area):
    goal_rows, checkins = case
    rules = goals.GoalStatusRules(off_track_below=thresholds[0], at_risk_below=thresholds[1])
    month_ends = sorted({START + timedelta(days=day) for day in days})
    got = progress_sql(judging_connection(goal_rows, checkins), [], [], area, month_ends, rules)
    members = goal_rows[goal_rows["area_of_emphasis"] == area]
    listed = checkins.sort_values(["goal_id", "reported_on", "checkin_id"], kind="stable")
    expected = goals.progress_by_month(members, listed[listed["goal_id"].isin(members["goal_id"])], month_ends, rules)
    if members.empty:  # no row per month end: the store has no goal to group
        assert got.empty
    else:
        assert_same_progress(got, expected)


@pytest.mark.parametrize(
    "choices",
    [
        {},
        {"area": "Ethics"},
        {"status": "at_risk"},
        {"only_stale": True},
        {"affiliate_type": "state", "area": "Ethics"},
    ],
)
def test_the_goal_list_is_the_goals_chosen_in_status_order(bundled_store, choices):
    scope, as_of, rules = {"regions": [], "types": []}, date(2026, 11, 27), goals.GoalStatusRules()
    goal_rows = bundled_store.query("goals_in_scope", **scope)
    checkins = bundled_store.query("goal_checkins_in_scope", **scope, as_of=as_of)
    statuses = goals.goal_status(goal_rows, checkins, as_of, rules).merge(
        goal_rows[["goal_id", "area_of_emphasis", "affiliate_type"]], on="goal_id"
    )
    kept = pd.Series(True, index=statuses.index)
    for column, value in (("area_of_emphasis", choices.get("area")), ("affiliate_type", choices.get("affiliate_type"))):
        if value is not None:
            kept &= statuses[column] == value
    if "status" in choices:
        kept &= statuses["status"].astype(str) == choices["status"]
    if choices.get("only_stale"):
        kept &= statuses["is_stale"]
    expected = statuses[kept].sort_values(["status", "pct_of_expected", "goal_id"])["goal_id"].tolist()
    no_choice = {"area": None, "affiliate_type": None, "icma_region": None, "affiliate_id": None, "status": None}
    bound = {**scope, "as_of": as_of, **status_params(rules), **no_choice, "only_stale": False, **choices}
    listed = bundled_store.query("goals_chosen_in_scope", **bound, statuses=list(goals.STATUSES), limit=None)
    assert listed["goal_id"].tolist() == expected
    assert expected  # every choice above lists some bundled goal
    head = bundled_store.query("goals_chosen_in_scope", **bound, statuses=list(goals.STATUSES), limit=9)
    assert head["goal_id"].tolist() == expected[:9]
    counts = bundled_store.query("goal_status_counts_in_scope", **scope, as_of=as_of, **status_params(rules))
    assert count_chosen(counts, choices) == len(expected)

"""Goal status: the rules at their boundaries with hand-written goals, and properties for any goals."""

from __future__ import annotations

import argparse
import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.cli import goals as goals_cli
from analytics.core.errors import AnalyticsError, DataValidationError
from analytics.domain.goals import (
    STATUSES,
    GoalStatusRules,
    at_risk_list,
    expected_path,
    goal_status,
    goals_with_context,
    latest_checkins,
    portfolio_over_time,
    prepare_goals,
    progress_by_month,
    reasons_for,
    status_matrix,
)

D = dt.date


def make_goals(*rows: dict) -> pd.DataFrame:
    """Goals with sensible defaults: G1 grows 0 -> 100 members over the ten days from 2026-01-01."""
    defaults = {
        "agreement_id": "AG-1",
        "area_of_emphasis": "Ethics",
        "title": "A goal",
        "metric": "members",
        "unit": "members",
        "direction": "increase",
        "baseline_value": 0.0,
        "target_value": 100.0,
        "start_on": "2026-01-01",
        "due_on": "2026-01-11",
        "reporting_interval_months": 3,
        "is_sample": True,
    }
    frame = pd.DataFrame([{**defaults, "goal_id": f"G{number}", **row} for number, row in enumerate(rows, start=1)])
    return frame.astype({"start_on": "datetime64[ns]", "due_on": "datetime64[ns]"})


def make_checkins(*rows: tuple[str, str, float]) -> pd.DataFrame:
    """Check-ins from (goal_id, reported_on, value) tuples."""
    frame = pd.DataFrame(rows, columns=["goal_id", "reported_on", "value"])
    frame.insert(0, "checkin_id", [f"C{number}" for number in range(1, len(frame) + 1)])
    return frame.astype({"reported_on": "datetime64[ns]", "value": float})


def status_of(goals: pd.DataFrame, checkins: pd.DataFrame, as_of: dt.date, **kwargs) -> list[str]:
    return goal_status(goals, checkins, as_of, **kwargs)["status"].astype(str).tolist()


def reason_of(goals: pd.DataFrame, checkins: pd.DataFrame, as_of: dt.date) -> list[str]:
    return goal_status(goals, checkins, as_of)["reason"].tolist()


# --- thresholds -----------------------------------------------------------------------------------


def test_exactly_on_a_threshold_gets_the_better_status():
    # Halfway through the term 50% is expected; 45% is exactly 0.90 of that, 35% exactly 0.70.
    goals = make_goals({}, {}, {}, {})
    checkins = make_checkins(
        ("G1", "2026-01-05", 45.0), ("G2", "2026-01-05", 44.9), ("G3", "2026-01-05", 35.0), ("G4", "2026-01-05", 34.9)
    )
    result = goal_status(goals, checkins, D(2026, 1, 6))
    assert result["expected_pct"].tolist() == [0.5] * 4
    assert result["pct_of_expected"].round(6).tolist() == [0.9, 0.898, 0.7, 0.698]
    assert result["status"].astype(str).tolist() == ["on_track", "at_risk", "at_risk", "off_track"]


def test_thresholds_are_data():
    goals = make_goals({})
    checkins = make_checkins(("G1", "2026-01-05", 45.0))
    strict = GoalStatusRules(at_risk_below=0.95, off_track_below=0.92)
    assert status_of(goals, checkins, D(2026, 1, 6), rules=strict) == ["off_track"]
    assert GoalStatusRules(at_risk_below=0.8) == GoalStatusRules(0.8, 0.7)
    assert GoalStatusRules() == GoalStatusRules(at_risk_below=0.90, off_track_below=0.70)


@pytest.mark.parametrize(
    "thresholds",
    [{"at_risk_below": 0.6, "off_track_below": 0.7}, {"off_track_below": -0.1}],
)
def test_rules_that_make_no_sense_are_refused(thresholds):
    with pytest.raises(AnalyticsError):
        GoalStatusRules(**thresholds)


# --- the rules before, during and after the term ----------------------------------------------------


def test_a_goal_not_yet_started():
    goals = make_goals({"start_on": "2027-01-01", "due_on": "2027-12-31"})
    result = goal_status(goals, make_checkins(), D(2026, 11, 27))
    assert result["status"].astype(str).tolist() == ["not_started"]
    assert result["reason"].tolist() == ["starts on 2027-01-01: not started"]
    assert result["expected_pct"].tolist() == [0.0]
    assert not result["is_stale"].any()


def test_past_due_is_achieved_when_the_target_was_reached_and_overdue_otherwise():
    goals = make_goals(
        {"target_value": 500.0, "start_on": "2025-01-01", "due_on": "2025-12-31"},
        {"target_value": 500.0, "start_on": "2025-01-01", "due_on": "2025-12-31"},
    )
    checkins = make_checkins(("G1", "2025-03-31", 500.0), ("G2", "2025-11-30", 400.0))
    result = goal_status(goals, checkins, D(2026, 1, 15))
    assert result["status"].astype(str).tolist() == ["achieved", "overdue"]
    assert result["reason"].tolist() == [
        "target 500 members reached on 2025-03-31: achieved",
        "due 2025-12-31, reported 80% on 2025-11-30: overdue",
    ]
    assert result["expected_value"].tolist() == [500.0, 500.0]


def test_a_falling_metric_counts_progress_downwards():
    # Member lapse rate from 12% to 8%: 10% halfway is exactly on track, 11% is a quarter of the way.
    lapse_rate = {"direction": "decrease", "unit": "percent", "baseline_value": 12.0, "target_value": 8.0}
    goals = make_goals(lapse_rate, lapse_rate, lapse_rate, lapse_rate)
    checkins = make_checkins(
        ("G1", "2026-01-06", 10.0), ("G2", "2026-01-06", 11.0), ("G3", "2026-01-06", 8.0), ("G4", "2026-01-06", 13.0)
    )
    result = goal_status(goals, checkins, D(2026, 1, 6))
    assert result["expected_value"].tolist() == [10.0] * 4
    assert result["actual_pct"].tolist() == [0.5, 0.25, 1.0, -0.25]
    assert result["status"].astype(str).tolist() == ["on_track", "off_track", "achieved", "off_track"]
    assert result["reason"][2] == "target 8% reached on 2026-01-06: achieved"


def test_a_started_goal_whose_first_check_in_is_not_yet_due_is_on_track():
    goals = make_goals({}, {})
    result = goal_status(goals, make_checkins(), D(2026, 1, 6))
    assert result["actual_pct"].tolist() == [0.0, 0.0]
    assert result["latest_value"].isna().all() and result["latest_reported_on"].isna().all()
    assert result["status"].astype(str).tolist() == ["on_track", "on_track"]
    assert result["reason"][0] == "started on 2026-01-01, first check-in due by 2026-04-01: on track"
    assert not result["is_stale"].any()


def test_a_started_goal_without_check_ins_past_its_first_interval_is_at_its_baseline():
    goals = make_goals({"due_on": "2027-01-01"})
    result = goal_status(goals, make_checkins(), D(2026, 5, 1))
    assert result["actual_pct"].tolist() == [0.0]
    assert result["status"].astype(str).tolist() == ["off_track"]
    assert result["reason"][0].startswith("expected 33% by 2026-05-01, no check-in yet: off track")
    assert result["is_stale"].tolist() == [True]


def test_on_the_start_date_nothing_is_expected_so_the_goal_is_on_track():
    result = goal_status(make_goals({}), make_checkins(), D(2026, 1, 1))
    assert result["status"].astype(str).tolist() == ["on_track"]
    assert result["reason"].tolist() == ["started on 2026-01-01, first check-in due by 2026-04-01: on track"]


def test_a_target_equal_to_the_baseline_does_not_divide_by_zero():
    hold = {"baseline_value": 50.0, "target_value": 50.0}
    goals = make_goals(hold, hold, hold)
    checkins = make_checkins(("G1", "2026-01-05", 50.0), ("G2", "2026-01-05", 49.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = goal_status(goals, checkins, D(2026, 1, 6))
    assert result["actual_pct"].tolist() == [1.0, 0.0, 0.0]
    # G3 has not reported, but its first check-in is not due yet
    assert result["status"].astype(str).tolist() == ["achieved", "off_track", "on_track"]
    assert np.isfinite(result["expected_value"]).all()


def test_a_term_of_zero_days_is_expected_in_full_on_its_day():
    goals = make_goals({"start_on": "2026-01-01", "due_on": "2026-01-01"})
    assert goal_status(goals, make_checkins(), D(2026, 1, 1))["expected_pct"].tolist() == [1.0]


# --- staleness ------------------------------------------------------------------------------------


def test_stale_after_one_reporting_interval_without_a_check_in():
    goals = make_goals({"start_on": "2025-01-01", "due_on": "2027-12-31"})
    checkins = make_checkins(("G1", "2025-10-31", 40.0))
    assert goal_status(goals, checkins, D(2026, 1, 31))["is_stale"].tolist() == [False]  # exactly 3 months
    result = goal_status(goals, checkins, D(2026, 2, 1))
    assert result["is_stale"].tolist() == [True]
    assert result["reason"][0].endswith("; no check-in since 2025-10-31 (reports every 3 months): stale")


def test_months_are_added_to_month_ends_by_the_calendar():
    goals = make_goals({"start_on": "2025-01-01", "due_on": "2027-12-31"})
    checkins = make_checkins(("G1", "2025-11-30", 40.0))
    assert goal_status(goals, checkins, D(2026, 2, 28))["is_stale"].tolist() == [False]
    assert goal_status(goals, checkins, D(2026, 3, 1))["is_stale"].tolist() == [True]


def test_a_goal_never_reported_on_is_stale_one_interval_after_its_start():
    goals = make_goals({"start_on": "2025-01-01", "due_on": "2027-12-31", "reporting_interval_months": 1})
    assert goal_status(goals, make_checkins(), D(2025, 2, 1))["is_stale"].tolist() == [False]
    result = goal_status(goals, make_checkins(), D(2025, 2, 2))
    assert result["is_stale"].tolist() == [True]
    assert result["reason"][0].endswith("no check-in since 2025-01-01 (reports every month): stale")


def test_achieved_and_not_started_goals_are_never_stale():
    goals = make_goals({"start_on": "2020-01-01"}, {"start_on": "2030-01-01", "due_on": "2030-12-31"})
    checkins = make_checkins(("G1", "2020-01-05", 100.0))
    assert goal_status(goals, checkins, D(2026, 1, 1))["is_stale"].tolist() == [False, False]


# --- as-of views and inputs -----------------------------------------------------------------------


def test_check_ins_after_the_as_of_date_are_ignored():
    goals = make_goals({})
    checkins = make_checkins(("G1", "2026-01-03", 20.0), ("G1", "2026-01-09", 100.0))
    result = goal_status(goals, checkins, D(2026, 1, 6))
    assert result["latest_value"].tolist() == [20.0]
    assert result["latest_reported_on"].tolist() == [pd.Timestamp("2026-01-03")]
    assert result["reason"].tolist() == ["expected 50% by 2026-01-06, reported 20% on 2026-01-03: off track"]


def test_the_inputs_are_not_changed_and_date_resolutions_and_types_do_not_matter():
    goals = make_goals({}, {"direction": "decrease", "baseline_value": 12.0, "target_value": 8.0})
    checkins = make_checkins(("G1", "2026-01-05", 45.0), ("G2", "2026-01-02", 11.0))
    goals_before, checkins_before = goals.copy(), checkins.copy()
    expected = goal_status(goals, checkins, D(2026, 1, 6))
    pd.testing.assert_frame_equal(goals, goals_before)
    pd.testing.assert_frame_equal(checkins, checkins_before)

    goals_us = goals.astype({"start_on": "datetime64[us]", "due_on": "datetime64[us]"})
    checkins_s = checkins.astype({"reported_on": "datetime64[s]"})
    pd.testing.assert_frame_equal(goal_status(goals_us, checkins_s, pd.Timestamp("2026-01-06")), expected)


def test_unknown_goals_in_check_ins_are_ignored_and_repeated_goal_ids_refused():
    goals = make_goals({})
    checkins = make_checkins(("G9", "2026-01-05", 100.0))
    assert goal_status(goals, checkins, D(2026, 1, 6))["latest_value"].isna().all()
    with pytest.raises(AnalyticsError, match="unique"):
        goal_status(pd.concat([goals, goals]), checkins, D(2026, 1, 6))


def test_no_goals_is_an_empty_frame_with_every_column():
    result = goal_status(make_goals({}).iloc[:0], make_checkins(), D(2026, 1, 6))
    assert result.empty and "reason" in result.columns and "status" in result.columns


# --- views ----------------------------------------------------------------------------------------


def test_portfolio_counts_statuses_per_area_at_each_month_end():
    goals = make_goals(
        {"start_on": "2026-01-01", "due_on": "2026-12-31"},
        {"start_on": "2026-01-01", "due_on": "2026-12-31", "area_of_emphasis": "Advocacy for the Profession"},
        {"start_on": "2026-03-01", "due_on": "2026-12-31"},
    )
    checkins = make_checkins(("G1", "2026-02-15", 100.0))
    result = portfolio_over_time(goals, checkins, [D(2026, 2, 28), D(2026, 1, 31)])
    ethics = result[result["area_of_emphasis"] == "Ethics"].set_index("month_end")
    assert ethics.loc["2026-01-31", ["count_on_track", "count_off_track", "count_not_started"]].tolist() == [1, 0, 1]
    assert ethics.loc["2026-02-28", ["count_achieved", "count_not_started", "count_goals_started"]].tolist() == [
        1,
        1,
        1,
    ]
    assert ethics.loc["2026-02-28", "share_on_track"] == 1.0
    overall = portfolio_over_time(goals, checkins, [D(2026, 3, 31)], by=None)
    # G2 and G3 have not reported, but their first check-ins (due April and June) are not late yet
    assert overall[["count_achieved", "count_on_track", "count_goals_started"]].iloc[0].tolist() == [1, 2, 3]
    later = portfolio_over_time(goals, checkins, [D(2026, 4, 30)], by=None)
    assert later[["count_achieved", "count_off_track", "count_on_track"]].iloc[0].tolist() == [1, 1, 1]


def test_portfolio_share_is_empty_before_any_goal_started():
    result = portfolio_over_time(make_goals({}), make_checkins(), [D(2025, 12, 31)], by=None)
    assert result["count_goals_started"].tolist() == [0]
    assert result["share_on_track"].isna().all()


def context_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    agreements = pd.DataFrame({"agreement_id": ["AG-1", "AG-2"], "affiliate_id": ["state-ca", "intl-gbr-solace"]})
    affiliates = pd.DataFrame(
        {
            "affiliate_id": ["state-ca", "intl-gbr-solace"],
            "name": ["Cal-ICMA", "Solace"],
            "affiliate_type": ["state", "international"],
            "icma_region": ["West Coast", "International"],
            "status": ["current", "current"],
        }
    )
    return agreements, affiliates


def test_status_matrix_counts_every_cell_and_status():
    goals = goals_with_context(make_goals({}, {}, {"agreement_id": "AG-2"}), *context_tables())
    checkins = make_checkins(("G1", "2026-01-05", 100.0))
    with_status = goals.merge(goal_status(goals, checkins, D(2026, 1, 6)), on="goal_id")
    matrix = status_matrix(with_status)
    assert len(matrix) == 1 * 2 * len(STATUSES)
    assert matrix["count_goals"].sum() == 3
    counted = matrix[matrix["count_goals"] > 0].astype({"status": str})
    assert counted[["affiliate_type", "status", "count_goals"]].values.tolist() == [
        ["international", "on_track", 1],
        ["state", "achieved", 1],
        ["state", "on_track", 1],
    ]


def test_at_risk_list_puts_the_worst_first_and_keeps_the_reason():
    goals = make_goals(
        {},
        {},
        {},
        {"start_on": "2025-01-01", "due_on": "2025-12-31"},
        {},
    )
    checkins = make_checkins(
        ("G1", "2026-01-05", 40.0),  # 0.8 at risk
        ("G2", "2026-01-05", 10.0),  # 0.2 off track
        ("G3", "2026-01-05", 50.0),  # on track
        ("G4", "2025-12-01", 95.0),  # overdue at 0.95
        ("G5", "2026-01-05", 30.0),  # 0.6 off track
    )
    result = at_risk_list(goal_status(goals, checkins, D(2026, 1, 6)))
    assert result["goal_id"].tolist() == ["G2", "G5", "G4", "G1"]
    assert result["reason"][0] == "expected 50% by 2026-01-06, reported 10% on 2026-01-05: off track"


def test_expected_path_is_a_line_over_the_term_and_flat_outside_it():
    goal = make_goals({"baseline_value": 100.0, "target_value": 200.0}).iloc[0]
    path = expected_path(
        goal, [D(2025, 12, 1), D(2026, 1, 1), pd.Timestamp("2026-01-06"), D(2026, 1, 11), D(2027, 1, 1)]
    )
    assert path["expected_value"].tolist() == [100.0, 100.0, 150.0, 200.0, 200.0]
    assert path["expected_pct"].tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]
    assert path["as_of"].iloc[2] == pd.Timestamp("2026-01-06")


def test_latest_checkins_keeps_each_goals_last_report():
    checkins = make_checkins(("G1", "2026-01-05", 40.0), ("G1", "2026-01-03", 20.0), ("G2", "2026-01-02", 5.0))
    result = latest_checkins(checkins)
    assert result[["goal_id", "value"]].values.tolist() == [["G1", 40.0], ["G2", 5.0]]


def test_progress_by_month_averages_the_goals_started_by_each_month_end():
    goals = make_goals({}, {"start_on": "2026-02-01", "due_on": "2026-02-11"})
    checkins = make_checkins(("G1", "2026-01-06", 150.0))
    result = progress_by_month(goals, checkins, [D(2026, 1, 31), D(2026, 2, 6)])
    assert result["count_goals_started"].tolist() == [1, 2]
    assert result["mean_actual_pct"].tolist() == [1.0, 0.5]  # an overshoot counts as 1
    assert result["mean_expected_pct"].tolist() == [1.0, 0.75]
    assert result["count_on_track"].tolist() == [1, 2]  # G2's first check-in is not due yet: on track


# --- the goals command ----------------------------------------------------------------------------


def test_the_table_is_aligned_with_one_line_per_goal():
    goals = goals_with_context(make_goals({}, {"agreement_id": "AG-2"}), *context_tables())
    checkins = make_checkins(("G1", "2026-01-05", 45.0))
    with_status = goals.merge(goal_status(goals, checkins, D(2026, 1, 6)), on="goal_id")
    lines = goals_cli.format_table(goals_cli.goal_report(with_status)).splitlines()
    assert lines[0].split() == ["Goal", "Affiliate", "Area", "Expected", "Reported", "Status", "Reason"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].startswith("G1    Cal-ICMA ") and "on track" in lines[2] and " 45%" in lines[2]
    assert lines[3].startswith("G2    Solace ") and "first check-in due by" in lines[3]
    reason_column = lines[0].index("Reason")
    assert all(line[reason_column - 2 : reason_column] == "  " for line in lines[2:])


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="goals")
    goals_cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_the_command_prints_every_goal_from_the_data_folder(tiny_data_dir, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    assert goals_cli.run(parse(["--as-of", "2026-11-27"])) == 0
    output = capsys.readouterr().out
    assert "G0001" in output and "G0002" in output and "G0003" in output
    assert "target 8% reached on 2026-06-30: achieved" in output

    assert goals_cli.run(parse(["--as-of", "2026-11-27", "--format", "csv"])) == 0
    frame = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert len(frame) == 3 and {"affiliate_name", "status", "reason"} <= set(frame.columns)


def test_the_command_refuses_a_bad_date_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        parse(["--as-of", "2026-13-01"])
    assert exit_.value.code == 2
    assert "use YYYY-MM-DD" in capsys.readouterr().err


def test_the_command_reports_a_missing_data_folder_with_exit_code_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tmp_path / "nowhere"))
    assert goals_cli.run(parse([])) == 1
    assert "does not exist" in capsys.readouterr().err


# --- properties -----------------------------------------------------------------------------------

START = pd.Timestamp("2024-01-01")
STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}


@st.composite
def increasing_goal_with_checkins(draw):
    """One increasing goal, check-ins on distinct days, and an as-of date."""
    baseline = draw(st.floats(0, 1000, allow_nan=False))
    distance = draw(st.floats(1, 1000, allow_nan=False))
    term_days = draw(st.integers(0, 1500))
    goal = make_goals(
        {
            "baseline_value": baseline,
            "target_value": baseline + distance,
            "start_on": START,
            "due_on": START + pd.Timedelta(days=term_days),
            "reporting_interval_months": draw(st.integers(1, 12)),
        }
    )
    days = draw(st.lists(st.integers(-100, 1700), min_size=0, max_size=6, unique=True))
    values = draw(st.lists(st.floats(-500, 2500, allow_nan=False), min_size=len(days), max_size=len(days)))
    checkins = make_checkins(
        *[("G1", START + pd.Timedelta(days=day), value) for day, value in zip(days, values, strict=True)]
    )
    as_of = (START + pd.Timedelta(days=draw(st.integers(-100, 1800)))).date()
    return goal, checkins, as_of


@settings(deadline=None, max_examples=80)
@given(increasing_goal_with_checkins(), st.floats(0, 3000, allow_nan=False))
def test_lowering_the_latest_value_never_improves_the_status(case, decrease):
    goal, checkins, as_of = case
    counted = checkins[checkins["reported_on"] <= pd.Timestamp(as_of)]
    if counted.empty:
        return
    lowered = checkins.copy()
    latest = counted["reported_on"].idxmax()
    lowered.loc[latest, "value"] = lowered.loc[latest, "value"] - decrease
    before = status_of(goal, checkins, as_of)[0]
    after = status_of(goal, lowered, as_of)[0]
    assert STATUS_RANK[after] >= STATUS_RANK[before]


@settings(deadline=None, max_examples=80)
@given(increasing_goal_with_checkins(), st.lists(st.tuples(st.integers(1, 500), st.floats(-1e4, 1e4)), max_size=5))
def test_check_ins_later_than_the_as_of_date_change_nothing(case, later):
    goal, checkins, as_of = case
    extra = make_checkins(*[("G1", pd.Timestamp(as_of) + pd.Timedelta(days=day), value) for day, value in later])
    with_later = pd.concat([checkins, extra], ignore_index=True)
    pd.testing.assert_frame_equal(goal_status(goal, with_later, as_of), goal_status(goal, checkins, as_of))


@settings(deadline=None, max_examples=80)
@given(increasing_goal_with_checkins(), st.integers(0, 800))
def test_expected_pct_stays_within_0_and_1_and_never_falls_over_time(case, days_later):
    goal, checkins, as_of = case
    earlier = goal_status(goal, checkins, as_of)["expected_pct"].iloc[0]
    later = goal_status(goal, checkins, as_of + dt.timedelta(days=days_later))["expected_pct"].iloc[0]
    assert 0.0 <= earlier <= later <= 1.0


@settings(deadline=None, max_examples=30)
@given(
    st.lists(
        st.tuples(st.integers(0, 1000), st.integers(0, 1000), st.sampled_from(["Ethics", "ICMA Governance"])),
        min_size=1,
        max_size=10,
    ),
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2000), st.floats(0, 200)), max_size=15),
    st.lists(st.integers(0, 2000), min_size=1, max_size=5),
)
def test_portfolio_counts_add_up_to_the_goals_started_by_each_month_end(goal_specs, checkin_specs, month_end_days):
    goals = make_goals(
        *[
            {
                "start_on": START + pd.Timedelta(days=start),
                "due_on": START + pd.Timedelta(days=start + length),
                "area_of_emphasis": area,
            }
            for start, length, area in goal_specs
        ]
    )
    checkins = make_checkins(
        *[(f"G{goal % len(goals) + 1}", START + pd.Timedelta(days=day), value) for goal, day, value in checkin_specs]
    )
    month_ends = [START + pd.Timedelta(days=day) for day in month_end_days]
    result = portfolio_over_time(goals, checkins, month_ends)
    started_statuses = [f"count_{status}" for status in STATUSES if status != "not_started"]
    for row in result.itertuples(index=False):
        in_group = goals[goals["area_of_emphasis"] == row.area_of_emphasis]
        started = int((in_group["start_on"] <= row.month_end).sum())
        assert sum(getattr(row, column) for column in started_statuses) == row.count_goals_started == started
        assert row.count_goals_started + row.count_not_started == len(in_group)
    # The same counts as goal_status on each date.
    for month_end in month_ends:
        counts = goal_status(goals, checkins, month_end)["status"].value_counts()
        totals = result[result["month_end"] == month_end]
        for status in STATUSES:
            assert totals[f"count_{status}"].sum() == counts.get(status, 0)


def test_status_without_reasons_matches_and_reasons_for_writes_only_the_rows_shown():
    goals = make_goals({}, {"direction": "decrease", "baseline_value": 12.0, "target_value": 8.0}, {})
    checkins = make_checkins(("G1", "2026-01-05", 45.0), ("G2", "2026-01-05", 11.0), ("G3", "2026-01-05", 10.0))
    full = goal_status(goals, checkins, D(2026, 1, 6))
    quick = goal_status(goals, checkins, D(2026, 1, 6), with_reasons=False)
    assert "reason" not in quick.columns
    pd.testing.assert_frame_equal(quick, full.drop(columns="reason"))
    shown = reasons_for(quick[quick["goal_id"] == "G2"], goals, checkins, D(2026, 1, 6))
    assert shown["goal_id"].tolist() == ["G2"]
    assert shown["reason"].tolist() == full.loc[full["goal_id"] == "G2", "reason"].tolist()


def test_a_goals_frame_without_a_column_is_refused_naming_the_column():
    goals = make_goals({}).drop(columns="due_on")
    with pytest.raises(DataValidationError) as raised:
        goal_status(goals, make_checkins(), D(2026, 1, 6))
    assert [(problem.file, problem.column) for problem in raised.value.problems] == [("goals", "due_on")]


@st.composite
def goals_with_checkins(draw):
    """A few goals of either direction, check-ins of any of them (some on the same day), and dates to judge on."""
    specs = draw(
        st.lists(
            st.tuples(st.integers(0, 1000), st.integers(0, 1000), st.sampled_from(["increase", "decrease"])),
            min_size=1,
            max_size=8,
        )
    )
    goals = make_goals(
        *[
            {
                "direction": direction,
                "baseline_value": 100.0 if direction == "increase" else 12.0,
                "target_value": 200.0 if direction == "increase" else 8.0,
                "start_on": START + pd.Timedelta(days=start),
                "due_on": START + pd.Timedelta(days=start + length),
                "reporting_interval_months": 1 + start % 12,
            }
            for start, length, direction in specs
        ]
    )
    rows = draw(st.lists(st.tuples(st.integers(0, 20), st.integers(-50, 2100), st.floats(0, 250)), max_size=20))
    checkins = make_checkins(
        *[(f"G{goal % len(goals) + 1}", START + pd.Timedelta(days=day), value) for goal, day, value in rows]
    )
    days = draw(st.lists(st.integers(-50, 2200), min_size=len(goals), max_size=len(goals)))
    return goals, checkins, [(START + pd.Timedelta(days=day)).date() for day in days]


@settings(deadline=None, max_examples=60)
@given(goals_with_checkins())
def test_prepared_once_the_figures_are_those_of_each_call_preparing_its_own(case):
    goals, checkins, dates = case
    prepared = prepare_goals(goals, checkins)
    for as_of in dates[:2]:
        status = goal_status(goals, checkins, as_of)
        pd.testing.assert_frame_equal(goal_status(goals, checkins, as_of, prepared=prepared), status)
        shown = at_risk_list(status).iloc[::2]
        pd.testing.assert_frame_equal(
            reasons_for(shown, goals, checkins, as_of, prepared=prepared), reasons_for(shown, goals, checkins, as_of)
        )
    pd.testing.assert_frame_equal(
        portfolio_over_time(goals, checkins, dates, by=None, prepared=prepared),
        portfolio_over_time(goals, checkins, dates, by=None),
    )


def test_prepared_from_other_frames_is_refused():
    goals, checkins = make_goals({}), make_checkins(("G1", "2026-01-05", 150.0))
    with pytest.raises(AnalyticsError, match="prepared= was made from other goals"):
        goal_status(goals, checkins.copy(), D(2026, 1, 6), prepared=prepare_goals(goals, checkins))


@settings(deadline=None, max_examples=60)
@given(goals_with_checkins())
def test_a_date_per_goal_judges_each_goal_as_if_alone_on_its_date(case):
    goals, checkins, dates = case
    together = goal_status(goals, checkins, pd.Series(pd.to_datetime(dates), index=goals.index))
    alone = pd.concat(
        [goal_status(goals.iloc[[i]], checkins, as_of) for i, as_of in enumerate(dates)], ignore_index=True
    )
    pd.testing.assert_frame_equal(together, alone)

"""Checking goals and goal check-in files: agreements found from affiliates, words read, every problem reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analytics.core.schema import AREAS_OF_EMPHASIS
from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.checked import Checked
from analytics.uploads.checks.goals import AREAS_BY_KEY, area_key

TODAY = date(2026, 11, 27)
GOAL_HEADER = "Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due,Frequency\n"


def check(data_dir: Path, kind: str, text: str, **options) -> Checked:
    store = Store(data_dir)
    data = text.encode("utf-8")
    return uploads.check_file(data, f"{kind}.csv", kind, store, Settings(data_dir=data_dir), today=TODAY, **options)


def problems(checked: Checked) -> list[tuple]:
    return [tuple(row) for row in checked.report[["row", "column", "problem"]].itertuples(index=False)]


def commit(data_dir: Path, kind: str, text: str) -> uploads.CommitResult:
    store = Store(data_dir)
    checked = check(data_dir, kind, text)
    return uploads.commit(checked, text.encode("utf-8"), store, committed_by="Robin Analyst")


def test_a_goal_naming_its_affiliate_joins_the_agreement_in_force_on_its_start_date(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        "goals",
        GOAL_HEADER
        + "Cal-ICMA,Ethics,Train every new manager,managers trained,managers,0,40,2023-06-01,2024-12-31,\n"
        + "CA,Ethics,Train every council,councils trained,councils,0,10,2025-01-01,2026-12-31,\n",
    )
    assert checked.report.empty
    assert checked.rows["agreement_id"].tolist() == ["AG-state-ca-2019", "AG-state-ca-2024"]


def test_goal_words_numbers_and_defaults_are_read_as_people_write_them(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        "goals",
        GOAL_HEADER
        + "Solace,DEI,Close the speaker gap,gender gap in speakers,points,20%,5%,2025-01-01,2027-12-31,annual\n"
        + 'Solace,leadership,"Grow mentoring to 1,200 pairs",mentoring pairs,pairs,"1,000","1,200",2025-01-01,'
        + "2027-12-31,\n"
        + "Solace,Governance,Votes cast,members voting,percent,30,45,2025-01-01,2027-12-31,quarterly\n",
    )
    assert checked.report.empty
    rows = checked.rows.set_index("title")
    assert rows.loc[
        "Close the speaker gap", ["area_of_emphasis", "direction", "baseline_value", "target_value"]
    ].tolist() == [
        "Inclusiveness and Diversity Initiatives",
        "decrease",
        20.0,
        5.0,
    ]
    assert rows["reporting_interval_months"].tolist() == [12, 3, 3]
    assert rows.loc["Grow mentoring to 1,200 pairs", "area_of_emphasis"] == "Leadership and Professional Development"
    assert rows.loc["Grow mentoring to 1,200 pairs", "goal_id"] == (
        "G-intl-gbr-solace-2021-grow-mentoring-to-1-200-pairs"
    )


def test_every_goal_problem_names_its_row_column_and_reason(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        "goals",
        "Agreement,Affiliate,Area,Goal,Metric,Unit,Direction,Baseline,Target,Start,Due,Frequency\n"
        + "AG-state-ca-2024,Solace,Ethics,Wrong owner,x,x,,0,5,2025-01-01,2026-01-01,\n"
        + ",Cal-ICMA,Wellbeing,Unknown area,x,x,,0,5,2025-01-01,2026-01-01,\n"
        + ",Cal-ICMA,Ethics,Flat,x,x,,5,5,2025-01-01,2026-01-01,\n"
        + ",Cal-ICMA,Ethics,Backwards,x,x,increase,5,3,2025-01-01,2026-01-01,\n"
        + ",Cal-ICMA,Ethics,Reversed dates,x,x,,0,5,2025-01-01,2024-01-01,\n"
        + ",Cal-ICMA,Ethics,Too early,x,x,,0,5,2018-01-01,2019-12-31,weekly\n"
        + ",,Ethics,Nobody's,x,x,,0,5,2025-01-01,2026-01-01,\n"
        + ",Cal-ICMA,Ethics,,x,x,sideways,zero,5,2025-01-01,2026-01-01,0\n",
    )
    assert problems(checked) == [
        (2, "Agreement", "this agreement is another affiliate's than the one the row names"),
        (3, "Area", "not one of the six areas of emphasis (" + "; ".join(AREAS_OF_EMPHASIS) + ")"),
        (4, "Target", "equals the baseline: there is nothing to reach"),
        (5, "Target", "below the baseline, but the goal is to increase"),
        (6, "Due", "due on or before its start"),
        (7, "Affiliate", "this affiliate had no agreement yet on the goal's start date; name the agreement"),
        (7, "Frequency", "not a number of months (or monthly, quarterly, annual)"),
        (8, "Agreement", "a value is required (the goal's agreement, or its affiliate)"),
        (9, "Baseline", "not a number"),
        (9, "Direction", "not a direction (use increase or decrease)"),
        (9, "Frequency", "at least 1 month between check-ins"),
        (9, "Goal", "a value is required"),
    ]
    assert checked.rows.empty  # every row has a problem


def test_a_goals_file_naming_neither_agreement_nor_affiliate_is_refused_as_a_whole(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        "goals",
        "Area,Goal,Metric,Unit,Baseline,Target,Start,Due\nEthics,G,x,x,0,1,2025-01-01,2026-01-01\n",
    )
    assert problems(checked)[0][1:] == (
        pd.NA,
        "a goal needs its agreement or its affiliate, and no column names either",
    )
    assert not checked.can_commit_valid


def test_the_same_goal_twice_in_a_file_is_reported_in_both_rows(tiny_data_dir):
    row = "Solace,Ethics,Same goal,x,x,0,5,2025-01-01,2026-01-01,\n"
    checked = check(tiny_data_dir, "goals", GOAL_HEADER + row + row)
    assert problems(checked) == [
        (2, "Goal", "the same goal also stands in row 3"),
        (3, "Goal", "the same goal also stands in row 2"),
    ]


def test_a_stored_goal_uploaded_again_without_its_id_is_replaced_and_undo_restores_it(tiny_data_dir):
    before = Store(tiny_data_dir).table("goals").set_index("goal_id")
    result = commit(
        tiny_data_dir,
        "goals",
        GOAL_HEADER + "Cal-ICMA,Membership,Grow dual membership,dual members,members,100,250,2024-01-01,2027-12-31,3\n",
    )
    assert (result.rows_loaded, result.rows_replaced) == (1, 1)
    goals = Store(tiny_data_dir).table("goals").set_index("goal_id")
    assert len(goals) == len(before)
    assert goals.loc["G0001", "target_value"] == 250
    uploads.undo(tiny_data_dir, result.batch_id, "test")
    assert Store(tiny_data_dir).table("goals").set_index("goal_id").loc["G0001", "target_value"] == 200


def test_check_ins_name_their_goal_by_id_or_title_and_are_reported_by_whoever_commits(tiny_data_dir):
    text = "Goal;Date;Progress;Update\nG0002;30.09.2026;8;Three more trainings\nCut member lapse rate;2026-09-30;7%;\n"
    checked = check(tiny_data_dir, "goal_checkins", text)
    assert checked.report.empty
    assert checked.rows[["goal_id", "value"]].values.tolist() == [["G0002", 8.0], ["G0003", 7.0]]
    result = commit(tiny_data_dir, "goal_checkins", text)
    assert (result.rows_loaded, result.rows_replaced) == (2, 0)
    checkins = Store(tiny_data_dir).table("goal_checkins").set_index("checkin_id")
    assert checkins.loc["C-G0002-2026-09-30", ["value", "narrative", "reported_by", "is_sample"]].tolist() == [
        8.0,
        "Three more trainings",
        "Robin Analyst",
        False,
    ]


def test_every_check_in_problem_names_its_row_column_and_reason(tiny_data_dir):
    checked = check(
        tiny_data_dir,
        "goal_checkins",
        "Goal,Date,Value\n"
        + "G0001,2027-01-31,160\n"
        + "G0001,2023-12-31,90\n"
        + "Grow dual membershp,2026-06-30,150\n"
        + "G0002,2026-06-30,many\n"
        + "G0003,2026-09-30,7\n"
        + "g0003,2026-09-30,6.5\n"
        + "G0001,,\n",
    )
    assert problems(checked) == [
        (2, "Date", "the date is in the future"),
        (3, "Date", "before the goal started (2024-01-01)"),
        (4, "Goal", "unknown goal; did you mean Grow dual membership (G0001)?"),
        (5, "Value", "not a number"),
        (6, "Date", "the same goal and date also stands in row 7"),
        (7, "Date", "the same goal and date also stands in row 6"),
        (8, "Date", "a value is required"),
        (8, "Value", "a value is required"),
    ]


def test_a_check_in_for_a_stored_goal_and_date_replaces_that_check_in(tiny_data_dir):
    result = commit(tiny_data_dir, "goal_checkins", "goal_id,reported_on,value\nG0001,2025-03-31,135\n")
    assert result.rows_replaced == 1
    checkins = Store(tiny_data_dir).table("goal_checkins").set_index("checkin_id")
    assert len(checkins) == 4
    assert checkins.loc["C000001", "value"] == 135


def test_check_ins_may_follow_goals_uploaded_in_an_earlier_batch(tiny_data_dir):
    commit(
        tiny_data_dir,
        "goals",
        GOAL_HEADER + "Solace,Ethics,Ethics pledge,councils pledged,councils,0,30,2026-01-01,2027-12-31,\n",
    )
    result = commit(tiny_data_dir, "goal_checkins", "Goal,Date,Value\nEthics pledge,2026-06-30,12\n")
    assert result.rows_loaded == 1
    goal_id = "G-intl-gbr-solace-2021-ethics-pledge"
    assert set(Store(tiny_data_dir).table("goal_checkins")["goal_id"]) >= {goal_id}


def test_areas_are_matched_however_and_is_written():
    texts = ("Leadership & Professional Development", "membership development, engagement & support", "DEI")
    assert [AREAS_BY_KEY[area_key(text)] for text in texts] == [
        "Leadership and Professional Development",
        "Membership Development, Engagement, and Support",
        "Inclusiveness and Diversity Initiatives",
    ]


def test_european_numbers_and_marks_of_no_value_in_goals_and_check_ins(tiny_data_dir):
    goals = check(
        tiny_data_dir,
        "goals",
        "Affiliate;Area;Goal;Metric;Unit;Baseline;Target;Start;Due\n"
        "Solace;Ethics;Pledges;councils;councils;n/a;30;2026-01-01;2027-12-31\n"
        "Solace;Ethics;Share trained;members;percent;12,5;40,0;2026-01-01;2027-12-31\n",
    )
    assert problems(goals) == [(2, "Baseline", "a value is required")]
    assert goals.rows[["baseline_value", "target_value"]].values.tolist() == [[12.5, 40.0]]
    checkins = check(tiny_data_dir, "goal_checkins", "Goal,Date,Value,Narrative\nG0003,2026-09-30,-,N/A\n")
    assert problems(checkins) == [(2, "Value", "a value is required")]


def test_a_fraction_for_a_percent_goal_and_a_goal_after_its_agreement_ran_out_are_refused(tiny_data_dir):
    checkins = check(tiny_data_dir, "goal_checkins", "Goal,Date,Value\nG0003,2026-09-30,0.075\nG0003,2026-10-31,7.5\n")
    assert problems(checkins) == [
        (2, "Value", "looks like a fraction; this goal is measured in percent, so write 7.5 for 7.5%")
    ]
    goals = check(
        tiny_data_dir,
        "goals",
        "Agreement,Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due\n"
        "AG-state-ca-2019,,Ethics,Old terms,x,x,0,5,2025-01-01,2026-01-01\n"
        ",NFBPA,Ethics,After the lapse,x,x,0,5,2026-01-01,2027-01-01\n",
    )
    assert problems(goals) == [
        (
            2,
            "Agreement",
            "this agreement ran out on 2024-01-15, before the goal starts; name the agreement in force "
            "(or renew it first)",
        ),
        (
            3,
            "Affiliate",
            "its last agreement ran out on 2025-03-01, before the goal starts; name the agreement in "
            "force (or renew it first)",
        ),
    ]

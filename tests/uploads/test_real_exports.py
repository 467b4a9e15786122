"""Issue 13, reading: files as real systems export them are read right or refused with a clear message, and a
record is never replaced by another one silently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.checked import SLUG_CHARACTERS, record_id
from analytics.uploads.values import TOO_LARGE_NUMBER, parse_date_text
from tests.uploads.test_ingest import xlsx_bytes

TODAY = date(2026, 11, 27)
LONG = "International Conference of Local Government Managers and Administrators"


def check(data_dir: Path, kind: str, data: bytes, name: str = "upload.csv", **options):
    store = Store(data_dir)
    return uploads.check_file(data, name, kind, store, Settings(data_dir=data_dir), today=TODAY, **options)


def commit(data_dir: Path, kind: str, data: bytes, name: str = "upload.csv") -> uploads.CommitResult:
    checked = check(data_dir, kind, data, name)
    return uploads.commit(checked, data, Store(data_dir), committed_by="test")


def problems(checked) -> list[tuple]:
    return [
        (None if pd.isna(row) else int(row), None if pd.isna(column) else column, problem)
        for row, column, problem in checked.report[["row", "column", "problem"]].itertuples(index=False)
    ]


# 1. Ids made from names


def test_ids_of_long_names_differ_when_the_names_share_their_first_characters():
    first = record_id("E", "2027-03-04", slug_of=LONG + " (Spring)")
    second = record_id("E", "2027-03-04", slug_of=LONG + " (Autumn)")
    assert first != second
    assert len(first) <= len("E2027-03-04-") + SLUG_CHARACTERS
    assert record_id("E", "2026-05-14", slug_of="Solace Summit") == "E2026-05-14-solace-summit"
    assert record_id("E", "2027-03-04", slug_of=LONG + " (spring)") == first  # case is no new name


def test_a_second_event_sharing_a_long_names_start_does_not_replace_the_first(tiny_data_dir):
    spring = f"Event,Start\n{LONG} (Spring),2027-03-04\n".encode()
    autumn = f"Event,Start\n{LONG} (Autumn),2027-03-04\n".encode()
    commit(tiny_data_dir, "events", spring, "spring.csv")
    result = commit(tiny_data_dir, "events", autumn, "autumn.csv")
    assert (result.rows_loaded, result.rows_replaced) == (1, 0)
    names = set(Store(tiny_data_dir).table("events")["name"])
    assert {f"{LONG} (Spring)", f"{LONG} (Autumn)"} <= names


def test_two_goals_sharing_a_long_titles_start_in_one_file_are_two_goals(tiny_data_dir):
    header = "Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due\n"
    rows = "".join(
        f"Solace,Governance,{LONG} {part},members,members,10,20,2026-01-01,2026-12-31\n" for part in ("A", "B")
    )
    checked = check(tiny_data_dir, "goals", (header + rows).encode())
    assert problems(checked) == []
    assert checked.rows["goal_id"].nunique() == 2


def test_an_id_made_from_a_name_that_a_stored_record_of_another_name_holds_is_refused(tiny_data_dir):
    commit(tiny_data_dir, "events", b"event_id,Event,Start\nE2027-03-04-annual-meeting,Spring Forum,2027-03-04\n")
    checked = check(tiny_data_dir, "events", b"Event,Start\nAnnual Meeting,2027-03-04\n")
    [(row, column, problem)] = problems(checked)
    assert (row, column) == (2, "Event")
    assert "another stored event already has the id" in problem and "E2027-03-04-annual-meeting" in problem


# 2. Values stored wrong without a word


def test_a_two_digit_year_follows_excels_pivot():
    assert parse_date_text("06/15/98", None) == date(1998, 6, 15)
    assert parse_date_text("06/15/29", None) == date(2029, 6, 15)
    assert parse_date_text("06/15/30", None) == date(1930, 6, 15)
    assert parse_date_text("15-Jun-98", None) == date(1998, 6, 15)


def test_a_number_too_large_for_a_float_is_refused_in_check_ins(tiny_data_dir):
    checked = check(
        tiny_data_dir, "goal_checkins", b"Goal,Date,Value\nG0001,2026-10-01,1e400\nG0001,2026-11-01,-1E999\n"
    )
    assert [problem for _, column, problem in problems(checked) if column == "Value"] == [TOO_LARGE_NUMBER] * 2
    assert checked.rows.empty


def test_members_headed_twice_is_refused_naming_both_columns(tiny_data_dir):
    data = b"Affiliate,Members,Date,members ,ICMA members\nSolace,530,2026-01-31,529,41\n"
    [(row, _, problem)] = problems(check(tiny_data_dir, "membership", data))
    assert row is None and problem.startswith("columns 2 and 4 are all headed 'Members'")


def test_a_name_with_an_invisible_character_does_not_match_its_affiliate(tiny_data_dir):
    for hidden in ("\u202e", "\u2066", "\u200b", "\u200f", "\ufeff", "\x7f"):
        data = f"Affiliate,Date,Members,ICMA members\nSol{hidden}ace,2026-01-31,530,41\n".encode()
        [(row, column, problem)] = problems(check(tiny_data_dir, "membership", data))
        assert (row, column) == (2, "Affiliate") and f"U+{ord(hidden):04X}" in problem


def test_an_event_title_with_a_direction_override_is_refused_in_a_workbook(tiny_data_dir):
    data = xlsx_bytes([["Event", "Start"], ["Summit \u202egnp.exe", "2027-03-04"]])
    [(row, column, problem)] = problems(check(tiny_data_dir, "events", data, "events.xlsx"))
    assert (row, column) == (2, "Event") and "U+202E RIGHT-TO-LEFT OVERRIDE" in problem


# 3. Bounded in time and memory


def test_the_duplicate_key_report_names_the_first_other_row_and_counts_the_rest(tiny_data_dir):
    body = "".join("Solace,2026-01-31,530,41\n" for _ in range(8000))
    checked = check(tiny_data_dir, "membership", ("Affiliate,Date,Members,ICMA members\n" + body).encode())
    reasons = checked.report["problem"]
    assert len(reasons) == 8000 and reasons.str.len().max() < 100
    assert reasons.iloc[0] == "the same affiliate and date also stand in row 3 and 7,998 more rows"
    assert reasons.iloc[1] == "the same affiliate and date also stand in row 2 and 7,998 more rows"

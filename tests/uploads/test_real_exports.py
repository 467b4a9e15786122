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

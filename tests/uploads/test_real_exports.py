"""Issue 13, reading: files as real systems export them are read right or refused with a clear message, and a
record is never replaced by another one silently."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads import reading
from analytics.uploads.checked import SLUG_CHARACTERS, record_id
from analytics.uploads.checks import membership as membership_checks
from analytics.uploads.errors import IngestError
from analytics.uploads.kinds import upload_kind
from analytics.uploads.reading import Limits, read_source
from analytics.uploads.values import TOO_LARGE_NUMBER, parse_date_text
from tests.uploads.test_ingest import xlsx_bytes

TODAY = date(2026, 11, 27)
MEMBERSHIP = upload_kind("membership")
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


def test_blank_lines_are_skipped_while_rows_keep_the_line_numbers_a_person_sees():
    data = b"Affiliate,Date,Members,ICMA members\nSolace,2026-01-31,530,41\n" + b"\n \n\t\n" * 1_000_000
    data += b"Cal-ICMA,2026-01-31,1012,611\n\n\nNFBPA,2026-01-31,300,90\n"
    source = read_source(data, "blank.csv", Limits(max_bytes=10_000_000, max_rows=1000), MEMBERSHIP.synonyms)
    assert source.row_numbers.tolist() == [2, 3_000_003, 3_000_006]
    assert "3,000,002 blank lines skipped" in source.notes


def test_a_file_of_rows_between_blank_lines_past_the_row_limit_is_refused_before_it_is_parsed():
    data = b"Affiliate,Date,Members,ICMA members\n" + b"Solace,2026-01-31,530,41\n\n" * 5_000
    with pytest.raises(IngestError, match="lines that are not blank"):
        read_source(data, "many.csv", Limits(max_bytes=10_000_000, max_rows=1000), MEMBERSHIP.synonyms)


def test_a_carriage_return_inside_a_quoted_cell_is_part_of_the_cell():
    for end in (b"\n", b"\r\n"):
        data = end.join(
            [b"Affiliate,Date,Members,ICMA members,Notes", b'Solace,2026-01-31,530,41,"renewals\rslow"', b""]
        )
        source = read_source(data, "notes.csv", Limits(max_bytes=10_000_000, max_rows=1000), MEMBERSHIP.synonyms)
        assert source.cells.iloc[0].tolist() == ["Solace", "2026-01-31", "530", "41", "renewals\rslow"]


def test_a_parquet_file_whose_text_expands_past_the_limit_is_refused_before_it_is_expanded():
    buffer = io.BytesIO()
    value = "x" * 50_000
    table = pa.table({"affiliate": pa.array([value]).take([0] * 1000), "members": [1] * 1000})
    pq.write_table(table, buffer, compression="zstd")
    assert len(buffer.getvalue()) < 10_000
    with pytest.raises(IngestError, match="would expand to 0.1 GB when read"):
        read_source(buffer.getvalue(), "bomb.parquet", Limits(max_bytes=10_000, max_rows=1000), MEMBERSHIP.synonyms)


def test_a_failure_no_check_foresaw_is_a_message_naming_the_file(monkeypatch):
    def broken(*_):
        raise KeyError("xl/sharedStrings.xml")

    monkeypatch.setattr(reading, "_read_xlsx_grid", broken)
    data = xlsx_bytes([["Affiliate"], ["Solace"]])
    with pytest.raises(IngestError, match=r"^export\.xlsx: the file cannot be read \(KeyError"):
        read_source(data, "export.xlsx", Limits(max_bytes=10_000_000, max_rows=1000), MEMBERSHIP.synonyms)


# 5. Everyday headers


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Period Ending", "snapshot_on"),
        ("Membership Total", "members"),
        ("Dual (ICMA)", "icma_members"),
        ("ICMA Members (dual)", "icma_members"),
        ("Account Name", "affiliate_id"),
        ("Number of Members", "members"),
        ("Members, total", "members"),
    ],
)
def test_everyday_headers_are_matched(header, column):
    assert MEMBERSHIP.match([header]).sources == {column: 0}


def test_the_manual_mapping_shows_plain_labels():
    labels = MEMBERSHIP.choice_labels
    assert labels["snapshot_on"] == "Date (required)"
    assert labels["icma_members"] == "Members also in ICMA (required)"
    assert labels["new_members"] == "New members"
    assert not any("_" in label for label in labels.values())


HAND_MAPPED = {"Acct": "affiliate_id", "Headcount": "members", "Also ICMA": "icma_members"}


def test_a_mapping_by_hand_is_remembered_for_the_same_header_and_never_for_another(tiny_data_dir):
    november = b"Acct,As at,Headcount,Also ICMA\nSolace,2025-11-30,530,41\n"
    store = Store(tiny_data_dir)
    settings = Settings(data_dir=tiny_data_dir)
    checked = uploads.check_file(november, "nov.csv", "membership", store, settings, mapping=HAND_MAPPED, today=TODAY)
    first = uploads.commit(checked, november, store, committed_by="test")

    december = b"ACCT,As At,Headcount,Also ICMA\nSolace,2025-12-31,532,42\n"
    again = check(tiny_data_dir, "membership", december, "dec.csv")
    assert again.can_commit_all and again.match.by_hand == {"ACCT": "affiliate_id"} | {
        "Headcount": "members",
        "Also ICMA": "icma_members",
    }
    assert any(f"as in batch {first.batch_id}" in note for note in again.notes)

    other_shape = b"Acct,As at,Headcount,Also ICMA,Region\nSolace,2025-12-31,532,42,Europe\n"
    different = check(tiny_data_dir, "membership", other_shape, "other.csv")
    assert different.match.missing and not any("as in batch" in note for note in different.notes)

    uploads.undo(tiny_data_dir, first.batch_id, "test")
    assert check(tiny_data_dir, "membership", december, "dec.csv").match.missing  # forgotten with its batch


def test_a_column_no_header_names_is_found_by_its_cells_only_when_one_column_fits(tiny_data_dir):
    data = b"Affiliate,Stichtag,Members,ICMA members\nSolace,31.01.2026,530,41\nCal-ICMA,31.01.2026,1012,611\n"
    checked = check(tiny_data_dir, "membership", data)
    assert checked.can_commit_all and checked.match.sources["snapshot_on"] == 1
    assert any("'Stichtag' read as date: no header names it, and its cells are all dates" in n for n in checked.notes)

    two_dates = b"Affiliate,Stichtag,Erfasst,Members,ICMA members\nSolace,31.01.2026,02.02.2026,530,41\n"
    assert check(tiny_data_dir, "membership", two_dates).match.missing == ["snapshot_on"]  # never a guess

    one_count = b"Affiliate,Date,Mitglieder,ICMA members\nSolace,2026-01-31,530,41\n"
    assert check(tiny_data_dir, "membership", one_count).match.sources["members"] == 2


def test_a_check_failing_in_a_way_no_check_foresaw_is_a_message_naming_the_file(tiny_data_dir, monkeypatch):
    def broken(*_):
        raise IndexError("list index out of range")

    monkeypatch.setattr(membership_checks, "names_from_text", broken)
    with pytest.raises(
        IngestError, match=r"^odd\.csv: the file could not be checked as a membership file \(IndexError"
    ):
        check(
            tiny_data_dir, "membership", b"Affiliate,Date,Members,ICMA members\nSolace,2026-01-31,530,41\n", "odd.csv"
        )

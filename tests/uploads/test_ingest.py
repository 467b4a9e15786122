"""Reading and checking uploaded files: real types, encodings, headers, values, affiliates, the bad-file corpus."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.errors import IngestError
from analytics.uploads.kinds import upload_kind
from analytics.uploads.names import AffiliateResolver
from analytics.uploads.reading import Limits, detect_file_type, read_source
from analytics.uploads.values import parse_counts, parse_dates, parse_numbers

BAD_FILES = Path(__file__).resolve().parents[1] / "bad_files"
EXPECTED = {
    name: value for name, value in json.loads((BAD_FILES / "expected.json").read_text()).items() if name[0] != "_"
}
TODAY = date(2026, 11, 27)
LIMITS = Limits(max_bytes=10_000_000, max_rows=1000)
MEMBERSHIP = upload_kind("membership")
SYNONYMS = MEMBERSHIP.synonyms


def check(data: bytes, name: str, data_dir: Path, kind: str = "membership", **options):
    return uploads.check_file(data, name, kind, Store(data_dir), Settings(data_dir=data_dir), today=TODAY, **options)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- the corpus of bad files ------------------------------------------------------------------------


def test_every_bad_file_has_an_expected_report():
    on_disk = {path.name for path in BAD_FILES.iterdir() if path.name != "expected.json"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_its_expected_report(tiny_data_dir, name):
    expected = EXPECTED[name]
    data = (BAD_FILES / name).read_bytes()
    kind = expected.get("kind", "membership")
    if "refused" in expected:
        with pytest.raises(IngestError, match=re.escape(expected["refused"])):
            check(data, name, tiny_data_dir, kind=kind)
        return
    checked = check(data, name, tiny_data_dir, kind=kind)
    if "question" in expected:
        assert checked.question is not None
        assert expected["question"] in str(checked.question)
        assert checked.rows.empty
        return
    report = [
        [None if pd.isna(row) else int(row), None if pd.isna(column) else column, problem]
        for row, column, problem in checked.report[["row", "column", "problem"]].itertuples(index=False)
    ]
    assert report == expected.get("problems", [])
    if "stored" in expected:  # read right: these values of the valid rows, as text (a date as YYYY-MM-DD)
        for column, values in expected["stored"].items():
            as_text = [
                value.date().isoformat() if isinstance(value, pd.Timestamp) else str(value)
                for value in checked.rows[column]
            ]
            assert as_text == values
    else:
        assert not checked.can_commit_all


# -- file types, encodings, delimiters, headers ------------------------------------------------------


def test_file_type_comes_from_the_bytes_not_the_name():
    parquet = io.BytesIO()
    pq.write_table(pa.table({"a": [1]}), parquet)
    assert detect_file_type(parquet.getvalue(), "report.csv") == "parquet"
    assert detect_file_type(xlsx_bytes([["a"]]), "report.csv") == "xlsx"
    assert detect_file_type(b"a,b\n1,2\n", "report.txt") == "csv"


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("\ufeffaffiliate;date;members;icma\nSolace;2026-01-31;10;2\n".encode(), "UTF-8 text, semicolon"),
        (b"affiliate\tdate\tmembers\ticma\nSolace\t2026-01-31\t10\t2\n", "tab-separated"),
        ("affiliate,date,members,icma,notes\nSolace,2026-01-31,10,2,Société\n".encode("cp1252"), "Windows-1252"),
    ],
)
def test_csv_encodings_and_delimiters_are_found(data, note):
    source = read_source(data, "m.csv", LIMITS, SYNONYMS)
    assert any(note in text for text in source.notes)
    assert source.header[:2] == ["affiliate", "date"]
    assert source.cells.iloc[0, 0] == "Solace"


def test_excel_header_is_found_under_a_title_row():
    data = xlsx_bytes(
        [
            ["Membership report, January"],
            [None],
            ["State", "As of", "Total members", "Dual members"],
            ["CA", date(2026, 1, 31), 1234, 600],
        ]
    )
    source = read_source(data, "m.xlsx", LIMITS, SYNONYMS)
    assert source.header == ["State", "As of", "Total members", "Dual members"]
    assert source.row_numbers.tolist() == [4]
    assert source.cells.iloc[0].tolist() == ["CA", "2026-01-31", "1234", "600"]


def test_a_chosen_excel_sheet_is_read_and_an_unknown_one_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(["nothing here"])
    workbook.create_sheet("Data").append(["affiliate", "date", "members", "icma members"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = read_source(buffer.getvalue(), "m.xlsx", LIMITS, SYNONYMS, sheet="Data")
    assert source.header[0] == "affiliate"
    assert source.sheet_names == ("Sheet", "Data")
    with pytest.raises(IngestError, match="no sheet 'Other'"):
        read_source(buffer.getvalue(), "m.xlsx", LIMITS, SYNONYMS, sheet="Other")


def test_parquet_over_the_row_limit_is_refused_from_its_metadata():
    buffer = io.BytesIO()
    pq.write_table(pa.table({"members": list(range(2000))}), buffer)
    with pytest.raises(IngestError, match="2,000 rows; the limit is 1,000"):
        read_source(buffer.getvalue(), "m.parquet", LIMITS, SYNONYMS)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(IngestError, match="max_upload_megabytes"):
        read_source(b"a,b\n" * 100, "m.csv", Limits(max_bytes=100, max_rows=10), SYNONYMS)


def test_a_csv_over_the_row_limit_is_refused():
    data = ("affiliate,date,members,icma\n" + "Solace,2026-01-31,1,1\n" * 20).encode()
    with pytest.raises(IngestError, match="max_upload_rows"):
        read_source(data, "m.csv", Limits(max_bytes=10_000, max_rows=10), SYNONYMS)


# -- columns and values ----------------------------------------------------------------------------


def test_columns_match_by_synonym_and_manual_mapping():
    match = MEMBERSHIP.match(["ST", "As of", "Members", "Nb ICMA", "Comment"])
    assert match.sources == {"affiliate_id": 0, "snapshot_on": 1, "members": 2}
    assert match.missing == ["icma_members"]
    assert match.unmatched == ["Nb ICMA", "Comment"]
    mapped = MEMBERSHIP.match(["ST", "As of", "Members", "Nb ICMA"], {"Nb ICMA": "icma_members"})
    assert mapped.missing == []


def test_counts_read_thousands_separators_and_spaces():
    counts, reasons = parse_counts(pd.Series(["1,234", "1 234", "12\u00a0345", "7", "", "2.5", "-1", "lots"]))
    assert counts.tolist()[:4] == [1234, 1234, 12345, 7]
    assert reasons.tolist()[4:] == [pd.NA, "not a whole number", "a count cannot be negative", "not a number"]


def test_counts_read_dots_as_thousands_and_marks_of_no_value_as_blank():
    counts, reasons = parse_counts(pd.Series(["1.234", "12.345.678", "n/a", "-", "N/A", "12,5"]))
    assert counts.tolist()[:2] == [1234, 12345678]
    assert counts.iloc[2:].isna().all()
    assert reasons.tolist()[2:] == [pd.NA, pd.NA, pd.NA, "not a whole number"]


def test_numbers_read_decimal_commas_percentages_and_thousands():
    values = pd.Series(["1,234", "1.234", "1.234,5", "12,5", "45%", "-3.5", "n/a", "—", "abc"])
    numbers, reasons, blank = parse_numbers(values)
    assert numbers.iloc[:6].tolist() == [1234.0, 1.234, 1234.5, 12.5, 45.0, -3.5]
    assert blank.tolist() == [False] * 6 + [True, True, False]
    assert reasons.tolist()[-1] == "not a number" and reasons.iloc[:-1].isna().all()


def test_a_mark_of_no_value_is_blank_required_or_not(tiny_data_dir):
    data = b"affiliate,date,members,icma members,new members\nCal-ICMA,2026-01-31,N/A,2,-\nSolace,2026-01-31,10,2,n/a\n"
    checked = check(data, "marks.csv", tiny_data_dir)
    assert checked.report[["row", "column", "value", "problem"]].values.tolist() == [
        [2, "members", "N/A", "a value is required"]
    ]
    assert checked.rows["new_members"].isna().all()


def test_dates_in_iso_us_and_european_forms():
    dates, reasons, question = parse_dates(pd.Series(["2026-01-31", "31/01/2026", "31.01.2026", "31 Jan 2026"]), None)
    assert set(dates.dt.date) == {date(2026, 1, 31)}
    assert reasons.isna().all() and question is None
    us, _, _ = parse_dates(pd.Series(["01/31/2026", "02/01/2026"]), None)
    assert us.dt.date.tolist() == [date(2026, 1, 31), date(2026, 2, 1)]


def test_ambiguous_day_month_order_is_a_question_until_answered():
    values = pd.Series(["03/04/2026", "05/06/2026"])
    dates, _, question = parse_dates(values, None)
    assert question is not None and dates.isna().all()
    answered, reasons, question = parse_dates(values, "day_first")
    assert question is None and reasons.isna().all()
    assert answered.dt.date.tolist() == [date(2026, 4, 3), date(2026, 6, 5)]


def test_affiliates_found_by_id_name_acronym_state_ignoring_case_and_accents(tiny_data_dir):
    store = Store(tiny_data_dir)
    resolver = AffiliateResolver.from_tables(store.table("affiliates"), store.table("states"))
    for text in ("state-ca", "Cal-ICMA", "cal icma", "CA", "California", "Cälifornia"):
        assert resolver.resolve(text) == ("state-ca", None), text
    assert resolver.resolve("nfbpa")[0] == "natl-nfbpa"
    found, reason = resolver.resolve("Solase")
    assert found is None and "Solace (intl-gbr-solace)" in reason


def test_a_quoted_line_break_in_a_large_csv_stays_in_its_cell():
    """Arrow reads large files in blocks: a block boundary must never fall inside a quoted cell."""
    record = "Solace,2026-01-31,1,1,plain\n"
    body = record * 60_000 + 'Solace,2026-01-31,1,1,"two\nlines"\n' + record * 60_000
    source = read_source(
        ("affiliate,date,members,icma,notes\n" + body).encode(), "m.csv", Limits(10**8, 10**6), SYNONYMS
    )
    assert source.grid.num_rows == 120_001
    assert source.cells.iloc[60_000, 4] == "two\nlines"
    assert source.row_numbers.iloc[60_001] == 60_003  # a row number counts records, not lines


def test_a_good_file_with_synonyms_and_a_title_row_passes_every_check(tiny_data_dir):
    data = (
        b"Membership export\n\nState,Date,Total members,Dual members,New,Lapsed\n"
        b'CA,2026-01-31,"1,100",650,5,1\nSolace,31/01/2026,510,44,,\n'
    )
    checked = check(data, "export.csv", tiny_data_dir)
    assert checked.report.empty
    assert checked.rows["row_number"].tolist() == [4, 5]
    assert checked.rows["affiliate_id"].tolist() == ["state-ca", "intl-gbr-solace"]
    assert checked.rows["members"].tolist() == [1100, 510]
    assert checked.can_commit_all


def test_rejected_rows_keep_their_cells_and_problems(tiny_data_dir):
    data = (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    checked = check(data, "unknown_affiliate.csv", tiny_data_dir)
    assert len(checked.rows) == 1 and checked.can_commit_valid
    rejected = checked.rejected_rows.iloc[0]
    assert rejected["affiliate"] == "Solase" and rejected["row_number"] == 2
    assert "unknown affiliate" in rejected["problem"]


def test_a_parquet_file_is_read_with_its_types(tiny_data_dir):
    buffer = io.BytesIO()
    table = pa.table(
        {
            "Affiliate": ["Solace", "CA"],
            "As of": pa.array([date(2026, 1, 31), date(2026, 2, 28)], pa.date32()),
            "Members": pa.array([510, 1100], pa.int64()),
            "Dual members": pa.array([44.0, 650.0], pa.float64()),
        }
    )
    pq.write_table(table, buffer)
    checked = check(buffer.getvalue(), "export.parquet", tiny_data_dir)
    assert checked.report.empty
    assert checked.rows["row_number"].tolist() == [1, 2]
    assert checked.rows["snapshot_on"].dt.date.tolist() == [date(2026, 1, 31), date(2026, 2, 28)]
    assert checked.rows["icma_members"].tolist() == [44, 650]


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_integers_and_dates_give_the_report_their_text_gives(tiny_data_dir):
    affiliates = ["CA", "Solace", "CA", "Solace", "CA"]
    dates = [date(2026, 1, 31), date(2026, 1, 31), date(2026, 2, 28), None, date(2026, 12, 31)]
    members = [1100, -5, 1200, 510, None]
    icma = [650, 44, 1300, 44, 600]
    typed = pa.table(
        {
            "Affiliate": affiliates,
            "Date": pa.array(dates, pa.date32()),
            "Members": pa.array(members, pa.int32()),
            "ICMA members": pa.array(icma, pa.int64()),
            "New": pa.array([1, 2, None, -1, 0], pa.int16()),
        }
    )
    as_text = pa.table({name: typed[name].cast(pa.string()) for name in typed.column_names})
    from_types = check(parquet_bytes(typed), "typed.parquet", tiny_data_dir)
    from_text = check(parquet_bytes(as_text), "text.parquet", tiny_data_dir)
    assert len(from_types.report) == 6
    pd.testing.assert_frame_equal(from_types.report, from_text.report)
    pd.testing.assert_frame_equal(from_types.rows, from_text.rows)
    pd.testing.assert_frame_equal(from_types.rejected_rows, from_text.rejected_rows)
    negative = from_types.report[from_types.report["column"] == "Members"].iloc[0]
    assert (negative["row"], negative["value"], negative["problem"]) == (2, "-5", "a count cannot be negative")


def test_a_parquet_count_column_of_integers_reports_what_its_csv_form_reports(tiny_data_dir):
    typed = pa.table(
        {
            "Affiliate": ["CA", "Solace"],
            "Date": pa.array([date(2026, 1, 31)] * 2, pa.date32()),
            "Members": pa.array([1100, -3], pa.int64()),
            "Dual members": pa.array([650, 2], pa.int64()),
        }
    )
    csv_text = b"Affiliate,Date,Members,Dual members\nCA,2026-01-31,1100,650\nSolace,2026-01-31,-3,2\n"
    from_parquet = check(parquet_bytes(typed), "typed.parquet", tiny_data_dir)
    from_csv = check(csv_text, "typed.csv", tiny_data_dir)
    assert from_parquet.report.to_dict("records") == [
        {"row": 2, "column": "Members", "value": "-3", "problem": "a count cannot be negative"}
    ]
    # CSV rows are numbered from the header line, Parquet rows from the first record
    assert from_csv.report.assign(row=from_csv.report["row"] - 1).equals(from_parquet.report)


def test_parquet_timestamps_at_midnight_are_dates():
    buffer = io.BytesIO()
    pq.write_table(pa.table({"date": pa.array([pd.Timestamp("2026-01-31")], pa.timestamp("ms"))}), buffer)
    source = read_source(buffer.getvalue(), "m.parquet", LIMITS, SYNONYMS)
    assert source.cells.iloc[0, 0] == "2026-01-31"


def test_excel_percentage_cells_read_as_shown_and_hidden_sheets_are_passed_over():
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    hidden.title = "lookup"
    hidden.sheet_state = "hidden"
    hidden.append(["code", "meaning"])
    sheet = workbook.create_sheet("Check-ins")
    sheet.append(["Goal", "Date", "Value"])
    sheet.append(["G0003", date(2026, 6, 30), 0.33])
    sheet.append(["G0003", date(2026, 9, 30), 0.075])
    sheet.append(["G0001", date(2026, 9, 30), 5])  # a number in the same column, not formatted as a percentage
    for row in (2, 3):
        sheet.cell(row=row, column=3).number_format = "0.0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = read_source(buffer.getvalue(), "checkins.xlsx", LIMITS, upload_kind("goal_checkins").synonyms)
    assert source.cells[2].tolist() == ["33%", "7.5%", "5"]
    assert source.notes[:2] == (
        "read from sheet 'Check-ins'",
        "the workbook's sheets: lookup, Check-ins (choose another to read it instead)",
    )


def test_totals_and_notes_under_the_table_are_skipped_and_said(tiny_data_dir):
    data = (
        b"affiliate,date,members,icma members\n"
        b"Cal-ICMA,2026-01-31,1000,600\nSolace,2026-01-31,500,40\n"
        b"Total,,1500,640\nSource: AMS export 2026-02-02,,,\n"
    )
    checked = check(data, "totals.csv", tiny_data_dir)
    assert checked.report.empty and len(checked.rows) == 2
    assert "row(s) 4, 5 skipped: a total, or a note under the table" in checked.notes


def test_an_event_whose_name_starts_with_total_is_not_a_totals_row(tiny_data_dir):
    data = b"Event,Start\nSolace Summit 2027,2027-03-04\nTotal Leadership Summit,2027-05-01\n"
    checked = uploads.check_file(
        data, "events.csv", "events", Store(tiny_data_dir), Settings(data_dir=tiny_data_dir), today=TODAY
    )
    assert checked.rows["name"].tolist() == ["Solace Summit 2027", "Total Leadership Summit"]


def test_dates_with_a_time_or_a_zone_are_read_and_years_before_1900_refused(tiny_data_dir):
    zoned = pa.table(
        {
            "affiliate": ["Cal-ICMA", "Solace"],
            "date": pa.array([datetime(2026, 1, 31), datetime(2026, 2, 28)], pa.timestamp("us", tz="UTC")),
            "members": [1000, 500],
            "icma members": [600, 40],
        }
    )
    buffer = io.BytesIO()
    pq.write_table(zoned, buffer)
    assert check(buffer.getvalue(), "zoned.parquet", tiny_data_dir).report.empty
    data = b"affiliate,date,members,icma members\nCal-ICMA,2026-01-31T08:30:00Z,1000,600\nSolace,1850-01-31,500,40\n"
    checked = check(data, "times.csv", tiny_data_dir)
    assert checked.rows["snapshot_on"].dt.date.tolist() == [date(2026, 1, 31)]
    assert checked.report[["row", "problem"]].values.tolist() == [[3, "a year before 1900: is the year right?"]]


def test_a_count_too_large_to_store_is_refused_from_text_and_from_parquet(tiny_data_dir):
    data = b"affiliate,date,members,icma members\nCal-ICMA,2026-01-31,2147483648,600\n"
    assert check(data, "big.csv", tiny_data_dir).report["problem"].tolist() == [
        "too large for a count (at most 2,147,483,647)"
    ]
    table = pa.table({"affiliate": ["Solace"], "date": ["2026-01-31"], "members": [2**40], "icma members": [4]})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    assert check(buffer.getvalue(), "big.parquet", tiny_data_dir).report["problem"].tolist() == [
        "too large for a count (at most 2,147,483,647)"
    ]

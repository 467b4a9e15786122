"""The store: staging views, named queries with bound parameters, and row-level validation."""

from __future__ import annotations

import argparse
import json
import threading
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.cli import check
from analytics.core.errors import AnalyticsError, DataFolderError, DataValidationError, UnknownQueryError
from analytics.store.reader import CACHE_FOLDERS_KEPT as STORE_CACHE_FOLDERS_KEPT
from analytics.store.reader import (
    QUERIES_DIR,
    Store,
    folder_fingerprint,
    frame_of,
    open_store,
    query_parameters,
    query_text,
)
from tests.store.bound import every_parameter

AS_OF = date(2026, 11, 27)
EVERYTHING = every_parameter([], [], AS_OF, since=date(2025, 1, 1))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_staging_views_have_schema_types(tiny_data_dir):
    goals = Store(tiny_data_dir).table("goals")
    assert str(goals["start_on"].dtype).startswith("datetime64")
    assert goals["baseline_value"].dtype == "float64"
    assert goals["is_sample"].dtype == "bool"


def test_tiny_folder_is_valid_and_counted(tiny_data_dir):
    store = open_store(tiny_data_dir)
    assert store.count_rows()["membership"] == 5
    assert store.count_rows()["affiliates"] == 3


def test_every_query_file_starts_with_a_comment_saying_what_a_row_is():
    for path in QUERIES_DIR.glob("*.sql"):
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("-- One row per"), path.name


def test_every_query_runs_on_tiny_data(tiny_data_dir):
    store = Store(tiny_data_dir)
    for path in QUERIES_DIR.glob("*.sql"):
        result = store.query(path.stem, **EVERYTHING)
        assert isinstance(result, pd.DataFrame), path.stem


def test_membership_by_month_sums_latest_snapshot_per_affiliate(tiny_data_dir):
    months = Store(tiny_data_dir).query("membership_by_month", **EVERYTHING)
    november = months[months["month_end_on"] == pd.Timestamp("2025-11-30")].iloc[0]
    assert november["members"] == 1010 + 500
    assert november["count_affiliates_reporting"] == 2
    assert months["members"].dtype == "int64"


def test_membership_by_month_respects_region_and_as_of(tiny_data_dir):
    store = Store(tiny_data_dir)
    west = store.query("membership_by_month", **{**EVERYTHING, "regions": ["West Coast"]})
    assert west["members"].tolist() == [1000] + [1010] * 11 + [1100]  # Nov 2025 carried to Sep 2026
    earlier = store.query("membership_by_month", **{**EVERYTHING, "as_of": date(2025, 11, 30)})
    assert earlier["month_end_on"].max() == pd.Timestamp("2025-11-30")


def test_current_agreements_derive_status_from_dates(tiny_data_dir):
    agreements = Store(tiny_data_dir).query("current_agreements", **EVERYTHING).set_index("affiliate_id")
    assert agreements.loc["state-ca", "agreement_id"] == "AG-state-ca-2024"
    assert agreements.loc["state-ca", "status"] == "active"
    assert agreements.loc["intl-gbr-solace", "status"] == "due_for_renewal"
    assert agreements.loc["natl-nfbpa", "status"] == "lapsed"


def test_upcoming_events_skip_past_ones_and_filter_by_scope(tiny_data_dir):
    store = Store(tiny_data_dir)
    upcoming = store.query("upcoming_events", **EVERYTHING)
    assert upcoming["event_id"].tolist() == ["E2026-solace-summit", "E2027-cal-icma"]
    international = store.query("upcoming_events", **{**EVERYTHING, "regions": ["International"]})
    assert international["event_id"].tolist() == ["E2026-solace-summit"]


def test_checkins_after_as_of_are_not_returned(tiny_data_dir):
    checkins = Store(tiny_data_dir).query("goal_checkins_in_scope", **{**EVERYTHING, "as_of": date(2025, 12, 31)})
    assert checkins["reported_on"].max() <= pd.Timestamp("2025-12-31")
    assert "C000004" not in checkins["checkin_id"].tolist()


def test_query_parameters_are_bound_not_formatted(tiny_data_dir):
    hostile = ["West Coast') OR 1=1 --"]
    result = Store(tiny_data_dir).query("affiliates_in_scope", **{**EVERYTHING, "regions": hostile})
    assert result.empty


def test_unknown_query_and_missing_parameter_are_clear(tiny_data_dir):
    store = Store(tiny_data_dir)
    with pytest.raises(UnknownQueryError, match="known queries"):
        store.query("no_such_query")
    with pytest.raises(UnknownQueryError):
        query_text("../store")
    assert query_parameters("upcoming_events") == {"regions", "types", "as_of", "limit"}
    with pytest.raises(AnalyticsError, match="needs parameter"):
        store.query("upcoming_events", regions=[], types=[])


def test_concurrent_queries_from_threads_all_succeed(tiny_data_dir):
    store = Store(tiny_data_dir)
    failures = []

    def run() -> None:
        try:
            for _ in range(20):
                store.query("membership_by_month", **EVERYTHING)
        except Exception as error:  # collected and asserted below
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


# -- bad input: each names the file, the row and the column ------------------------------------


def test_missing_folder(tmp_path):
    with pytest.raises(DataFolderError, match="does not exist"):
        Store(tmp_path / "nowhere")


def test_missing_file(tiny_data_dir):
    (tiny_data_dir / "events.csv").unlink()
    with pytest.raises(DataFolderError, match="'events' is missing"):
        Store(tiny_data_dir)


def test_table_stored_twice(tiny_data_dir):
    (tiny_data_dir / "events.parquet").write_bytes(b"")
    with pytest.raises(DataFolderError, match="stored twice"):
        Store(tiny_data_dir)


def test_unreadable_file_is_named(tiny_data_dir):
    (tiny_data_dir / "membership.csv").unlink()
    (tiny_data_dir / "membership.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(DataFolderError, match="membership.parquet: cannot be read"):
        Store(tiny_data_dir)


def test_missing_column(tiny_data_dir):
    replace_in(tiny_data_dir / "goals.csv", "reporting_interval_months,", "interval,")
    with pytest.raises(DataValidationError) as caught:
        Store(tiny_data_dir)
    (problem,) = caught.value.problems
    assert (problem.file, problem.column) == ("goals.csv", "reporting_interval_months")
    assert "missing" in problem.reason


def test_bad_date_names_row_and_column(tiny_data_dir):
    replace_in(tiny_data_dir / "goal_checkins.csv", "2026-03-31", "31/03/2026")
    problems = Store(tiny_data_dir).validate()
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("goal_checkins.csv", 3, "reported_on", "31/03/2026")
    ]
    assert "date" in problems[0].reason


def test_duplicate_key(tiny_data_dir):
    replace_in(tiny_data_dir / "activities.csv", "A000003", "A000002")
    problems = Store(tiny_data_dir).validate()
    assert [(p.file, p.row, p.column) for p in problems] == [("activities.csv", 4, "activity_id")]
    assert "duplicate" in problems[0].reason and "row(s) 3" in problems[0].reason


def test_duplicate_compound_key(tiny_data_dir):
    replace_in(tiny_data_dir / "membership.csv", "state-ca,2026-10-31", "state-ca,2025-11-30")
    problems = Store(tiny_data_dir).validate()
    assert [(p.file, p.row) for p in problems] == [("membership.csv", 4)]


def test_unknown_affiliate(tiny_data_dir):
    replace_in(tiny_data_dir / "membership.csv", "intl-gbr-solace,2025-11-30", "intl-gbr-nobody,2025-11-30")
    problems = Store(tiny_data_dir).validate()
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("membership.csv", 5, "affiliate_id", "intl-gbr-nobody")
    ]
    assert "no affiliates row" in problems[0].reason


def test_negative_count_and_icma_members_above_members(tiny_data_dir):
    replace_in(tiny_data_dir / "membership.csv", "state-ca,2025-10-31,1000,600", "state-ca,2025-10-31,-1,600")
    reasons = {(p.row, p.column): p.reason for p in Store(tiny_data_dir).validate()}
    assert "at least 0" in reasons[(2, "members")]
    assert "also in ICMA" in reasons[(2, "icma_members")]


def test_value_outside_allowed_list(tiny_data_dir):
    replace_in(tiny_data_dir / "goals.csv", ",Ethics,", ",Ethic,")
    (problem,) = Store(tiny_data_dir).validate()
    assert (problem.row, problem.column, problem.value) == (3, "area_of_emphasis", "Ethic")


def test_open_store_refuses_a_broken_folder_and_the_message_names_the_place(tiny_data_dir):
    replace_in(tiny_data_dir / "goal_checkins.csv", "2026-03-31", "not a date")
    with pytest.raises(DataValidationError) as caught:
        open_store(tiny_data_dir)
    assert "goal_checkins.csv, row 3, column 'reported_on'" in str(caught.value)


def test_parquet_rows_are_numbered_from_one(tiny_data_dir):
    frame = pd.read_csv(tiny_data_dir / "membership.csv")
    frame.loc[1, "affiliate_id"] = "nobody"
    frame.to_parquet(tiny_data_dir / "membership.parquet")
    (tiny_data_dir / "membership.csv").unlink()
    (problem,) = Store(tiny_data_dir).validate()
    assert (problem.file, problem.row) == ("membership.parquet", 2)


# -- opening cheaply: checks remembered, CSVs read once into Parquet -----------------------------


def count_validations(monkeypatch) -> list[int]:
    """Patch Store.validate to count its calls (it still validates)."""
    calls: list[int] = []
    validate = Store.validate

    def counted(self):
        calls.append(1)
        return validate(self)

    monkeypatch.setattr(Store, "validate", counted)
    return calls


def test_open_store_validates_each_state_of_the_files_once(tiny_data_dir, monkeypatch):
    calls = count_validations(monkeypatch)
    first = open_store(tiny_data_dir)
    open_store(tiny_data_dir)
    assert len(calls) == 1
    record = tiny_data_dir / "store" / "checks" / f"{first.files_key}.json"
    assert json.loads(record.read_text(encoding="utf-8"))["passed"] is True

    replace_in(tiny_data_dir / "activities.csv", "Article in PM magazine", "Article in PM")
    assert open_store(tiny_data_dir).count_rows()["activities"] == 3
    assert len(calls) == 2


def test_a_failed_check_is_remembered_with_its_problems(tiny_data_dir, monkeypatch):
    replace_in(tiny_data_dir / "goal_checkins.csv", "2026-03-31", "not a date")
    with pytest.raises(DataValidationError) as first:
        open_store(tiny_data_dir)
    calls = count_validations(monkeypatch)
    with pytest.raises(DataValidationError) as second:
        open_store(tiny_data_dir)
    assert calls == []
    assert second.value.problems == first.value.problems
    assert "goal_checkins.csv, row 3, column 'reported_on'" in str(second.value)


def test_the_check_command_always_validates(tiny_data_dir, monkeypatch, capsys):
    open_store(tiny_data_dir)
    calls = count_validations(monkeypatch)
    for _ in range(2):
        assert check.run(argparse.Namespace(data_dir=tiny_data_dir)) == 0
    assert len(calls) == 2


def test_csv_tables_are_read_from_a_parquet_copy(tiny_data_dir):
    store = Store(tiny_data_dir)
    cached = tiny_data_dir / "store" / "cache" / store.files_key / "activities.parquet"
    assert cached.is_file()
    assert pd.read_parquet(cached)["activity_id"].tolist() == ["A000001", "A000002", "A000003"]
    assert not list(cached.parent.glob("*.tmp"))
    assert Store(tiny_data_dir).table("activities")["activity_id"].tolist() == ["A000001", "A000002", "A000003"]


def test_changed_csv_gets_a_new_parquet_copy_and_old_copies_are_pruned(tiny_data_dir):
    keys = []
    for number in range(STORE_CACHE_FOLDERS_KEPT + 2):
        replace_in(tiny_data_dir / "liaisons.csv", "Avery Stone", f"Avery Stone {number}")
        store = Store(tiny_data_dir)
        keys.append(store.files_key)
        assert store.table("liaisons")["name"].iloc[0].startswith(f"Avery Stone {number}")
    kept = {path.name for path in (tiny_data_dir / "store" / "cache").iterdir()}
    assert len(set(keys)) == len(keys)
    assert keys[-1] in kept and keys[0] not in kept
    assert len(kept) <= STORE_CACHE_FOLDERS_KEPT


def test_a_folder_whose_store_cannot_be_written_still_opens_and_checks_once(tiny_data_dir, monkeypatch):
    (tiny_data_dir / "store").write_text("not a folder", encoding="utf-8")  # nothing can be made under it
    calls = count_validations(monkeypatch)
    assert open_store(tiny_data_dir).count_rows()["membership"] == 5
    assert open_store(tiny_data_dir).table("membership")["members"].sum() == 1000 + 1010 + 1100 + 500 + 520
    assert len(calls) == 1


def test_folder_fingerprint_follows_the_files(tiny_data_dir):
    before = folder_fingerprint(tiny_data_dir)
    assert folder_fingerprint(tiny_data_dir) == before
    replace_in(tiny_data_dir / "events.csv", "Birmingham", "Coventry")
    assert folder_fingerprint(tiny_data_dir) != before


# -- membership carried forward: stocks count with the latest snapshot, flows only when reported --------


def with_membership(data_dir: Path, rows: str) -> Store:
    """The folder with its membership replaced by `rows` (CSV lines without the header)."""
    header = "affiliate_id,snapshot_on,members,icma_members,new_members,lapsed_members\n"
    (data_dir / "membership.csv").write_text(header + rows, encoding="utf-8")
    return Store(data_dir)


MONTHLY_AND_QUARTERLY = """state-ca,2026-01-31,1000,600,10,0
state-ca,2026-02-28,1010,606,10,0
state-ca,2026-03-31,1020,612,10,0
state-ca,2026-04-30,1030,618,10,0
state-ca,2026-05-31,1040,624,10,0
state-ca,2026-06-30,1050,630,10,0
intl-gbr-solace,2026-01-31,500,50,30,0
intl-gbr-solace,2026-04-30,510,51,30,0
"""


def test_a_quarterly_reporter_is_carried_between_its_reports(tiny_data_dir):
    store = with_membership(tiny_data_dir, MONTHLY_AND_QUARTERLY)
    months = store.query("membership_by_month", **{**EVERYTHING, "as_of": date(2026, 6, 30)})
    assert months["members"].tolist() == [1500, 1510, 1520, 1540, 1550, 1560]
    assert months["count_affiliates_counted"].tolist() == [2] * 6
    assert months["count_affiliates_reporting"].tolist() == [2, 1, 1, 2, 1, 1]
    assert months["icma_members"].tolist() == [650, 656, 662, 669, 675, 681]
    assert months["new_members"].tolist() == [40, 10, 10, 40, 10, 10]  # flows are not carried


def test_a_month_end_after_the_as_of_date_is_not_shown(tiny_data_dir):
    store = with_membership(tiny_data_dir, MONTHLY_AND_QUARTERLY)
    months = store.query("membership_by_month", **{**EVERYTHING, "as_of": date(2026, 6, 29)})
    assert months["month_end_on"].max() == pd.Timestamp("2026-05-31")


def test_an_affiliate_silent_for_thirteen_months_stops_counting(tiny_data_dir):
    rows = "intl-gbr-solace,2025-01-31,500,50,5,0\n" + "".join(
        f"state-ca,{month_end:%Y-%m-%d},1000,600,0,0\n"
        for month_end in pd.date_range("2025-01-31", periods=15, freq="ME")
    )
    months = with_membership(tiny_data_dir, rows).query(
        "membership_by_month", **{**EVERYTHING, "as_of": date(2026, 3, 31)}
    )
    by_month = months.set_index("month_end_on")
    assert by_month.loc["2026-01-31", "members"] == 1500  # twelve months after its snapshot: still counted
    assert by_month.loc["2026-02-28", "members"] == 1000  # thirteen: it has stopped reporting
    assert by_month.loc["2026-02-28", "count_affiliates_counted"] == 1


def test_a_late_reporter_does_not_make_the_latest_month_drop(tiny_data_dir):
    rows = """state-ca,2026-08-31,1000,600,0,0
state-ca,2026-09-30,1010,606,0,0
state-ca,2026-10-31,1020,612,0,0
intl-gbr-solace,2026-08-31,500,50,0,0
intl-gbr-solace,2026-09-30,505,50,0,0
"""
    months = with_membership(tiny_data_dir, rows).query("membership_by_month", **EVERYTHING)
    assert months["members"].tolist() == [1500, 1515, 1525]
    october = months.iloc[-1]
    assert (october["count_affiliates_reporting"], october["count_affiliates_counted"]) == (1, 2)


def test_groups_carry_forward_like_the_network_total(tiny_data_dir):
    store = with_membership(tiny_data_dir, MONTHLY_AND_QUARTERLY)
    params = {**EVERYTHING, "as_of": date(2026, 6, 30)}
    months = store.query("membership_by_month", **params)
    groups = store.query("membership_by_group_month", **params)
    for grouping in ("icma_region", "affiliate_type"):
        totals = groups[groups["grouping"] == grouping].groupby("month_end_on")[["members", "new_members"]].sum()
        assert totals["members"].tolist() == months["members"].tolist(), grouping
        assert totals["new_members"].tolist() == months["new_members"].tolist(), grouping
    solace = groups[(groups["grouping"] == "affiliate_name") & (groups["group"] == "Solace")]
    assert solace["members"].tolist() == [500, 500, 500, 510, 510, 510]


def test_growth_a_year_before_is_what_the_affiliate_counted_then(tiny_data_dir):
    rows = """state-ca,2025-08-31,900,500,0,0
state-ca,2026-10-31,1100,660,0,0
intl-gbr-solace,2024-08-31,400,40,0,0
intl-gbr-solace,2026-10-31,520,45,0,0
"""
    growth = with_membership(tiny_data_dir, rows).query("membership_growth_by_affiliate", **EVERYTHING)
    growth = growth.set_index("affiliate_id")
    assert growth.loc["state-ca", "members_year_before"] == 900  # August 2025, carried to October 2025
    assert pd.isna(growth.loc["intl-gbr-solace", "members_year_before"])  # 14 months old by October 2025


def test_year_on_year_names_the_affiliates_counted_at_each_month_end(tiny_data_dir):
    rows = """state-ca,2025-10-31,1000,600,0,0
state-ca,2026-10-31,1100,660,0,0
intl-gbr-solace,2026-02-28,500,40,0,0
intl-gbr-solace,2026-10-31,520,45,0,0
natl-nfbpa,2025-09-30,300,30,0,0
"""
    affiliates = with_membership(tiny_data_dir, rows).query("membership_year_on_year_by_affiliate", **EVERYTHING)
    affiliates = affiliates.set_index("affiliate_id")
    assert affiliates["month_end_on"].unique().tolist() == [pd.Timestamp("2026-10-31")]
    assert affiliates.loc["state-ca", ["members", "members_year_before"]].tolist() == [1100, 1000]
    assert pd.isna(affiliates.loc["intl-gbr-solace", "members_year_before"])  # started reporting this year
    assert pd.isna(affiliates.loc["natl-nfbpa", "members"])  # thirteen months silent by October 2026
    assert affiliates.loc["natl-nfbpa", "members_year_before"] == 300


def test_duckdb_runs_within_the_memory_limit_and_threads_of_the_settings(tiny_data_dir, monkeypatch):
    monkeypatch.setenv("AFFILIATE_DUCKDB_MEMORY_LIMIT", "256MB")
    monkeypatch.setenv("AFFILIATE_DUCKDB_THREADS", "1")
    store = Store(tiny_data_dir)
    with store.cursor() as cursor:
        limit, threads = cursor.execute("SELECT current_setting('memory_limit'), current_setting('threads')").fetchone()
    assert (limit, threads) == ("244.1 MiB", 1)


def test_a_memory_limit_duckdb_cannot_read_is_an_error_in_words(tiny_data_dir, monkeypatch):
    monkeypatch.setenv("AFFILIATE_DUCKDB_MEMORY_LIMIT", "a lot")
    with pytest.raises(AnalyticsError, match="AFFILIATE_DUCKDB_MEMORY_LIMIT"):
        Store(tiny_data_dir)


def test_one_owners_goals_and_check_ins_are_those_of_the_scope_that_are_theirs(tiny_data_dir):
    store = Store(tiny_data_dir)
    for owner_id in ("L001", "L002", "L003"):
        params = {**EVERYTHING, "owner_id": owner_id}
        in_scope = store.query("goals_in_scope", **params)
        mine = in_scope[in_scope["owner_id"] == owner_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(store.query("goals_of_owner_in_scope", **params), mine)
        checkins = store.query("goal_checkins_in_scope", **params)
        theirs = checkins[checkins["goal_id"].isin(mine["goal_id"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(store.query("goal_checkins_of_owner_in_scope", **params), theirs)
        assert len(mine) > 0


def test_query_results_read_as_pandas_types_with_missing_values_kept():
    """frame_of: dates as datetime64, SUM's HUGEINT as float, integers with NULLs still integers, text missing as NA."""
    connection = duckdb.connect()
    frame = frame_of(
        connection.sql(
            "SELECT * FROM (VALUES (DATE '2026-11-27', 3::HUGEINT, 2021, 'Ohio', 7),"
            " (NULL, NULL, NULL, NULL, 8)) AS t(on_date, total, since, name, plain)"
        )
    )
    assert str(frame["on_date"].dtype) == "datetime64[us]"
    assert frame["on_date"].iloc[0] == pd.Timestamp("2026-11-27") and pd.isna(frame["on_date"].iloc[1])
    assert str(frame["total"].dtype) == "float64" and frame["total"].iloc[0] == 3.0
    assert str(frame["since"].dtype) == "Int32" and frame["since"].iloc[0] == 2021 and pd.isna(frame["since"].iloc[1])
    assert str(frame["plain"].dtype) == "int32"
    assert pd.api.types.is_string_dtype(frame["name"]) and frame["name"].iloc[0] == "Ohio"
    assert pd.isna(frame["name"].iloc[1])
    assert list(frame.columns) == ["on_date", "total", "since", "name", "plain"]


def test_one_affiliates_liaisons_and_one_liaisons_affiliates_are_their_rows_of_the_whole_list(tiny_data_dir):
    store = Store(tiny_data_dir)
    everyone = store.query("affiliate_liaisons")
    for affiliate_id in everyone["affiliate_id"].unique():
        theirs = everyone[everyone["affiliate_id"] == affiliate_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(store.query("liaisons_of_affiliate", affiliate_id=affiliate_id), theirs)
    for liaison_id in everyone["liaison_id"].unique():
        theirs = everyone[everyone["liaison_id"] == liaison_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(store.query("affiliates_of_liaison", liaison_id=liaison_id), theirs)
    assert store.query("liaisons_of_affiliate", affiliate_id="no-such-affiliate").empty
    assert len(everyone) > 2 and everyone["affiliate_id"].nunique() > 1

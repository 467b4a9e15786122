"""Rollups: the queries over them give what the raw computation over the snapshots gives, in every state.

The raw computation is the query as it was before the rollup (tests/store/raw/<query>.sql: the carried
totals summed from every snapshot); the query over the rollup must return the same frame, on the bundled
data, on random data (hypothesis), after a commit and an undo, and for a store opened before a commit.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.core.settings import Settings
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.store import ledger
from analytics.store.reader import Store, frame_of, query_parameters, query_rollups
from analytics.store.rollup import rollup_names, rollup_text
from analytics.uploads import pipeline as uploads
from tests.conftest import TINY_TABLES

RAW = Path(__file__).resolve().parent / "raw"
# The queries that read a rollup, each with its raw computation in RAW.
ROLLED_UP = ("membership_by_month", "membership_by_group_month")
SCOPES = [
    ([], []),
    (["West Coast"], []),
    ([], ["international"]),
    (["National", "West Coast"], ["state", "national"]),
    (["Nowhere"], []),
]


def raw_result(store: Store, name: str, **params) -> pd.DataFrame:
    """The query's result computed from the snapshots, as before the rollup (its macros read membership_month_reports,
    itself a rollup: test_every_rollup_is_what_its_sql_gives checks that one against its SQL)."""
    store.rollup("membership_month_reports")
    sql = (RAW / f"{name}.sql").read_text(encoding="utf-8")
    with store.cursor() as cursor:
        return frame_of(cursor.sql(sql, params={key: params[key] for key in query_parameters(name)}))


def assert_as_raw(store: Store, **params) -> None:
    for name in ROLLED_UP:
        pd.testing.assert_frame_equal(store.query(name, **params), raw_result(store, name, **params))
    assert_rollups_are_their_sql(store)


def assert_rollups_are_their_sql(store: Store) -> None:
    """Every rollup as kept holds exactly the rows its SELECT gives over the store's views."""
    for name in rollup_names():
        kept = store.rollup(name)
        with store.cursor() as cursor:
            computed = frame_of(cursor.sql(rollup_text(name)))
        columns = list(computed.columns)
        pd.testing.assert_frame_equal(
            kept.sort_values(columns).reset_index(drop=True), computed.sort_values(columns).reset_index(drop=True)
        )


def params(regions=(), types=(), as_of=date(2026, 11, 27), max_carry_months=MAX_CARRY_MONTHS) -> dict:
    return {
        "regions": list(regions),
        "types": list(types),
        "as_of": as_of,
        "max_carry_months": max_carry_months,
        "limit": 2,
    }


def test_every_rolled_up_query_has_its_raw_computation_and_reads_a_rollup():
    assert sorted(path.stem for path in RAW.glob("*.sql")) == sorted(ROLLED_UP)
    assert all("membership_reports_by_group_month" in query_rollups(name) for name in ROLLED_UP)


@pytest.mark.parametrize("regions, types", SCOPES)
@pytest.mark.parametrize("as_of", [date(2026, 11, 27), date(2025, 6, 30), date(2024, 2, 29), date(2019, 1, 1)])
def test_rollups_equal_the_raw_computation_on_the_bundled_data(bundled_data_dir, regions, types, as_of):
    store = Store(bundled_data_dir)
    assert_as_raw(store, **params(regions, types, as_of))
    assert_as_raw(store, **params(regions, types, as_of, max_carry_months=2))


AFFILIATES = ["state-ca", "intl-gbr-solace", "natl-nfbpa"]
snapshot = st.tuples(
    st.sampled_from(AFFILIATES),
    st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31)),
    st.integers(min_value=0, max_value=5000),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=50),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    snapshots=st.lists(snapshot, max_size=25, unique_by=lambda row: (row[0], row[1])),
    as_of=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 3, 31)),
    max_carry_months=st.integers(min_value=0, max_value=14),
    scope=st.sampled_from(SCOPES),
)
def test_rollups_equal_the_raw_computation_on_random_snapshots(snapshots, as_of, max_carry_months, scope):
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        for name, text in TINY_TABLES.items():
            (data_dir / f"{name}.csv").write_text(text, encoding="utf-8")
        lines = [
            f"{affiliate},{on:%Y-%m-%d},{members},{members * share // 100},{new},{new // 2}"
            for affiliate, on, members, share, new in snapshots
        ]
        header = "affiliate_id,snapshot_on,members,icma_members,new_members,lapsed_members\n"
        (data_dir / "membership.csv").write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
        assert_as_raw(Store(data_dir), **params(*scope, as_of, max_carry_months))


TODAY = date(2026, 11, 27)
# Replaces Cal-ICMA's November 2025 snapshot, adds Solace's December 2025 and a year of NFBPA's.
UPLOAD = "affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n" + "".join(
    f"NFBPA,{date(2025, month, 1) + timedelta(days=27):%Y-%m-%d},{300 + month},90\n" for month in range(1, 13)
)


def commit(data_dir: Path, data: str = UPLOAD) -> str:
    store = Store(data_dir)
    checked = uploads.check_file(data.encode(), "m.csv", "membership", store, Settings(data_dir=data_dir), today=TODAY)
    return uploads.commit(checked, data.encode(), store, committed_by="test").batch_id


def fresh_rebuild(data_dir: Path) -> Store:
    """A store whose rollups are made again from the rows: every kept rollup deleted first."""
    shutil.rmtree(ledger.StoreLayout(data_dir).root / "rollups", ignore_errors=True)
    return Store(data_dir)


def test_a_commit_and_an_undo_leave_rollups_equal_to_a_fresh_rebuild(tiny_data_dir):
    before = Store(tiny_data_dir).query("membership_by_month", **params())
    batch_id = commit(tiny_data_dir)
    after_commit = Store(tiny_data_dir)
    assert_as_raw(after_commit, **params())
    committed = after_commit.query("membership_by_month", **params())
    assert not committed.equals(before)  # the commit shows
    pd.testing.assert_frame_equal(committed, fresh_rebuild(tiny_data_dir).query("membership_by_month", **params()))

    uploads.undo(tiny_data_dir, batch_id, "test")
    after_undo = Store(tiny_data_dir)
    assert_as_raw(after_undo, **params())
    pd.testing.assert_frame_equal(after_undo.query("membership_by_month", **params()), before)
    pd.testing.assert_frame_equal(before, fresh_rebuild(tiny_data_dir).query("membership_by_month", **params()))


def test_a_reader_opened_before_a_commit_sees_the_rollups_of_its_own_rows(tiny_data_dir):
    """The old store makes its rollup only after the commit landed, and still from its own state."""
    reader = Store(tiny_data_dir)
    expected_before = raw_result(reader, "membership_by_month", **params())
    commit(tiny_data_dir)
    later = Store(tiny_data_dir)
    assert later.state_key != reader.state_key
    pd.testing.assert_frame_equal(reader.query("membership_by_month", **params()), expected_before)
    assert_as_raw(later, **params())
    assert not later.query("membership_by_month", **params()).equals(expected_before)
    # ... and the other way round: the new state's rollup made first, the old reader's next.
    reader_again = Store(tiny_data_dir, without_batches=frozenset(ledger.batches(tiny_data_dir)["batch_id"]))
    pd.testing.assert_frame_equal(reader_again.query("membership_by_month", **params()), expected_before)


def test_rollups_are_kept_per_state_and_read_again_by_the_next_store(tiny_data_dir):
    first = Store(tiny_data_dir)
    first.query("membership_by_month", **params())
    kept = sorted((ledger.StoreLayout(tiny_data_dir).root / "rollups" / first.state_key).glob("*.parquet"))
    assert [path.stem for path in kept] == ["membership_month_reports", "membership_reports_by_group_month"]
    modified = kept[0].stat().st_mtime_ns
    second = Store(tiny_data_dir)
    assert second.state_key == first.state_key
    pd.testing.assert_frame_equal(
        second.query("membership_by_month", **params()), first.query("membership_by_month", **params())
    )
    assert kept[0].stat().st_mtime_ns == modified  # read, not written again


def test_a_read_only_store_keeps_its_rollups_in_memory(tiny_data_dir, monkeypatch):
    monkeypatch.setattr(Store, "_state_dir", lambda self, kind, key: None)
    store = Store(tiny_data_dir)
    assert_as_raw(store, **params())
    assert not (ledger.StoreLayout(tiny_data_dir).root / "rollups").exists()

"""Committing uploads: seen everywhere at once, nothing lost, all or nothing, across processes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.export import export_bytes
from analytics.cli.main import main
from analytics.core.errors import AnalyticsError
from analytics.core.settings import Settings
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.store import ledger
from analytics.store.reader import Store, folder_fingerprint
from analytics.uploads import delta
from analytics.uploads import pipeline as uploads
from analytics.uploads.errors import UndoRefused, UploadRejected
from tests.conftest import uploads_written

ROOT = Path(__file__).resolve().parents[2]
BAD_FILES = Path(__file__).resolve().parents[1] / "bad_files"
EXPECTED = json.loads((BAD_FILES / "expected.json").read_text())
TODAY = date(2026, 11, 27)
# Replaces Cal-ICMA's November 2025 snapshot (1010 members) and adds Solace's December 2025.
GOOD = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n"
OTHER = b"affiliate,date,members,icma members\nNFBPA,2025-12-31,300,90\n"


def commit(data_dir: Path, data: bytes = GOOD, name: str = "upload.csv", **options) -> uploads.CommitResult:
    store = Store(data_dir)
    checked = uploads.check_file(data, name, "membership", store, Settings(data_dir=data_dir), today=TODAY)
    return uploads.commit(checked, data, store, committed_by="test", **options)


def membership(data_dir: Path) -> pd.DataFrame:
    frame = Store(data_dir).table("membership")
    return frame.sort_values(["affiliate_id", "snapshot_on"]).reset_index(drop=True)


def store_files(data_dir: Path) -> list[tuple[str, int]]:
    root = data_dir / "store"
    return sorted((str(path.relative_to(root)), path.stat().st_size) for path in root.rglob("*") if path.is_file())


def cli(data_dir: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        env={**os.environ, "AFFILIATE_DATA_DIR": str(data_dir), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_commit_is_seen_by_every_query_and_replaces_the_same_snapshot(tiny_data_dir):
    result = commit(tiny_data_dir)
    assert (result.status, result.rows_loaded, result.rows_replaced, result.rows_rejected) == ("committed", 2, 1, 0)
    rows = membership(tiny_data_dir)
    november = rows[(rows["affiliate_id"] == "state-ca") & (rows["snapshot_on"] == pd.Timestamp("2025-11-30"))]
    assert november["members"].tolist() == [1020]
    assert len(rows) == 6
    months = Store(tiny_data_dir).query(
        "membership_by_month", regions=[], types=[], as_of=TODAY, max_carry_months=MAX_CARRY_MONTHS
    )
    december = months[months["month_end_on"] == pd.Timestamp("2025-12-31")].iloc[0]
    assert december["members"] == 530 + 1020  # Solace's upload, and Cal-ICMA's uploaded November carried
    assert december["count_affiliates_reporting"] == 1


def test_the_ledger_records_the_batch_and_the_file_is_archived_under_its_hash(tiny_data_dir):
    result = commit(tiny_data_dir, name="../../etc/passwd.csv")
    batch = ledger.batches(tiny_data_dir).iloc[0]
    assert batch["batch_id"] == result.batch_id
    assert batch["file_name"] == "passwd.csv"
    assert batch["rows_in_file"] == batch["rows_loaded"] + batch["rows_rejected"]
    archived = tiny_data_dir / "store" / "archive" / batch["sha256"]
    assert archived.read_bytes() == GOOD
    assert not list((tiny_data_dir / "store").rglob("passwd*"))


def test_preview_shows_rows_added_replaced_and_totals_before_and_after(tiny_data_dir):
    store = Store(tiny_data_dir)
    checked = uploads.check_file(GOOD, "u.csv", "membership", store, Settings(data_dir=tiny_data_dir), today=TODAY)
    preview = uploads.preview(checked, store)
    assert (preview.rows_added, preview.rows_replaced) == (1, 1)
    assert preview.replaced[["members_before", "members_after"]].values.tolist() == [[1010, 1020]]
    totals = preview.totals.set_index("month_end_on")
    assert totals.loc[date(2025, 11, 30), "members_before"] == 1510
    assert totals.loc[date(2025, 11, 30), "members_after"] == 1520
    assert totals.loc[date(2025, 12, 31), "change"] == 530


# Files of the corpus that are read right ("stored" in expected.json) are no rejection.
@pytest.mark.parametrize("name", sorted(name for name in EXPECTED if name[0] != "_" and "stored" not in EXPECTED[name]))
def test_the_store_is_unchanged_after_every_rejection(tiny_data_dir, name):
    commit(tiny_data_dir)
    before = (membership(tiny_data_dir), store_files(tiny_data_dir))
    data = (BAD_FILES / name).read_bytes()
    try:
        commit(tiny_data_dir, data, name)
    except AnalyticsError:
        pass
    else:
        pytest.fail(f"{name} was committed")
    assert membership(tiny_data_dir).equals(before[0])
    assert store_files(tiny_data_dir) == before[1]


def test_uploading_the_same_file_again_changes_nothing_and_says_so(tiny_data_dir):
    first = commit(tiny_data_dir)
    files = store_files(tiny_data_dir)
    again = commit(tiny_data_dir)
    assert again.status == "already_loaded" and again.batch_id == first.batch_id
    assert "already loaded" in again.message
    assert store_files(tiny_data_dir) == files


def test_undo_restores_exactly_what_was_there_before(tiny_data_dir):
    original = membership(tiny_data_dir)
    first = commit(tiny_data_dir)
    after_first = membership(tiny_data_dir)
    second = commit(tiny_data_dir, b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1030,620\n", "b.csv")
    uploads.undo(tiny_data_dir, second.batch_id, "test")
    pd.testing.assert_frame_equal(membership(tiny_data_dir), after_first)
    uploads.undo(tiny_data_dir, first.batch_id, "test")
    pd.testing.assert_frame_equal(membership(tiny_data_dir), original)
    statuses = ledger.batches(tiny_data_dir).set_index("batch_id")["status"]
    assert statuses.to_dict() == {first.batch_id: "undone", second.batch_id: "undone"}
    with pytest.raises(UndoRefused, match="already undone"):
        uploads.undo(tiny_data_dir, first.batch_id)


def test_an_undone_file_can_be_loaded_again(tiny_data_dir):
    first = commit(tiny_data_dir)
    uploads.undo(tiny_data_dir, first.batch_id)
    again = commit(tiny_data_dir)
    assert again.status == "committed" and again.batch_id != first.batch_id


def test_only_valid_commits_the_valid_rows_and_keeps_the_rejected_ones(tiny_data_dir):
    data = (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    with pytest.raises(UploadRejected, match="commit only the valid rows"):
        commit(tiny_data_dir, data)
    result = commit(tiny_data_dir, data, only_valid=True, accept_warnings=True)  # 10 members: far from 1,010
    assert (result.rows_in_file, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    rejected = delta.rejected_rows(tiny_data_dir, result.batch_id)
    assert rejected["row_number"].tolist() == [2]
    assert json.loads(rejected.iloc[0]["cells_json"])["affiliate"] == "Solase"


def test_the_folder_fingerprint_changes_with_every_commit_and_undo(tiny_data_dir):
    before = folder_fingerprint(tiny_data_dir)
    result = commit(tiny_data_dir)
    committed = folder_fingerprint(tiny_data_dir)
    uploads.undo(tiny_data_dir, result.batch_id)
    assert len({before, committed, folder_fingerprint(tiny_data_dir)}) == 3


def test_orphan_rows_without_a_ledger_entry_are_invisible(tiny_data_dir):
    original = membership(tiny_data_dir)
    store = Store(tiny_data_dir)
    checked = uploads.check_file(GOOD, "u.csv", "membership", store, Settings(data_dir=tiny_data_dir), today=TODAY)
    delta.append(ledger.StoreLayout(tiny_data_dir).rows("membership"), delta.rows_table(checked, "orphan", "tester"))
    pd.testing.assert_frame_equal(membership(tiny_data_dir), original)


def test_a_process_killed_mid_commit_leaves_the_store_as_it_was(tiny_data_dir, tmp_path):
    original = membership(tiny_data_dir)
    upload = tmp_path / "upload.csv"
    upload.write_bytes(GOOD)
    process = cli(tiny_data_dir, "ingest", str(upload), **{uploads.PAUSE_BEFORE_LEDGER_VARIABLE: "60"})
    data_log = tiny_data_dir / "store" / "membership" / "_delta_log"
    deadline = time.monotonic() + 30
    while not list(data_log.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(data_log.glob("*.json")), "the data rows were never written"
    process.kill()
    process.wait()
    assert ledger.batches(tiny_data_dir).empty
    pd.testing.assert_frame_equal(membership(tiny_data_dir), original)
    assert commit(tiny_data_dir).status == "committed"  # and the same file loads afterwards


def test_two_concurrent_commits_from_two_processes_both_land_or_one_is_refused_clearly(tiny_data_dir, tmp_path):
    files = []
    for name, data in (("a.csv", GOOD), ("b.csv", OTHER)):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    # Both write their rows, wait, then commit their ledger rows at about the same moment.
    processes = [
        cli(tiny_data_dir, "ingest", str(path), **{uploads.PAUSE_BEFORE_LEDGER_VARIABLE: "1"}) for path in files
    ]
    outcomes = [(process.wait(timeout=120), *process.communicate()) for process in processes]
    landed = [code == 0 for code, _, _ in outcomes]
    for code, out, err in outcomes:
        assert code == 0 or "not committed" in err, (code, out, err)
    assert any(landed)
    assert len(ledger.batches(tiny_data_dir)) == sum(landed)
    rows = membership(tiny_data_dir)
    if all(landed):
        assert {"intl-gbr-solace", "natl-nfbpa"} <= set(
            rows[rows["snapshot_on"] == pd.Timestamp("2025-12-31")]["affiliate_id"]
        )


def test_cli_exit_codes_and_messages(tiny_data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    assert main(["ingest", str(BAD_FILES / "negative_count.csv")]) == 1
    assert "a count cannot be negative" in capsys.readouterr().out
    assert main(["ingest", str(good), "--dry-run"]) == 0
    assert "would add 1 and replace 1" in capsys.readouterr().out
    assert ledger.batches(tiny_data_dir).empty
    assert main(["ingest", str(good)]) == 0
    assert "committed batch" in capsys.readouterr().out
    assert main(["ingest", str(good)]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "missing.csv")]) == 2
    assert main(["ingest", str(BAD_FILES / "ambiguous_dates.csv")]) == 1
    assert "--date-order" in capsys.readouterr().out
    assert main(["batches"]) == 0
    batch_id = ledger.batches(tiny_data_dir).iloc[0]["batch_id"]
    assert batch_id in capsys.readouterr().out
    assert main(["undo", batch_id]) == 0
    assert main(["undo", "no-such-batch"]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["ingest", str(good), "--kind", "nonsense"])
    assert usage.value.code == 2


def test_exports_hold_the_uploads_and_neutralise_formulas(tiny_data_dir, tmp_path, monkeypatch):
    path = tiny_data_dir / "affiliates.csv"
    path.write_text(path.read_text().replace("Black public administrators", "=HYPERLINK(1)"))
    commit(tiny_data_dir)
    csv_text = export_bytes("affiliates", "csv", tiny_data_dir).decode()
    assert "'=HYPERLINK(1)" in csv_text
    exported = pd.read_csv(pd.io.common.BytesIO(export_bytes("membership", "csv", tiny_data_dir)))
    assert 1020 in exported["members"].tolist()
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    output = tmp_path / "membership.parquet"
    assert main(["export", "membership", "--format", "parquet", "--output", str(output)]) == 0
    assert len(pd.read_parquet(output)) == 6


# -- events ---------------------------------------------------------------------------------------

# A Solace event (affiliate named by acronym, country by ISO-3) and an ICMA one (no affiliate, country by name).
EVENTS = (
    b"Event,Start,End,Affiliate,City,Country,Website\n"
    b"Solace Leaders Forum 2027,2027-03-04,2027-03-05,Solace,Birmingham,GBR,https://solace.example\n"
    b"ICMA Regional Summit 2027,2027-05-10,,,Denver,United States,\n"
)


def commit_events(data_dir: Path, data: bytes = EVENTS, name: str = "events.csv") -> uploads.CommitResult:
    store = Store(data_dir)
    checked = uploads.check_file(data, name, "events", store, Settings(data_dir=data_dir))
    return uploads.commit(checked, data, store, committed_by="test")


def events(data_dir: Path) -> pd.DataFrame:
    return Store(data_dir).table("events").sort_values("event_id").reset_index(drop=True)


def test_an_events_file_lands_in_the_events_table_and_the_calendar_query(tiny_data_dir):
    result = commit_events(tiny_data_dir)
    assert (result.status, result.rows_loaded, result.rows_replaced) == ("committed", 2, 0)
    rows = events(tiny_data_dir).set_index("name")
    assert len(rows) == 5
    solace = rows.loc["Solace Leaders Forum 2027"]
    assert solace["event_id"] == "E2027-03-04-solace-leaders-forum-2027"
    assert (solace["affiliate_id"], solace["event_type"], solace["organizer"]) == (
        "intl-gbr-solace",
        "affiliate",
        "Solace",
    )
    assert (solace["country_iso3"], solace["country_name"]) == ("GBR", "United Kingdom")
    assert (solace["date_precision"], solace["confidence"], solace["is_cancelled"], solace["is_sample"]) == (
        "day",
        "high",
        False,
        False,
    )
    icma = rows.loc["ICMA Regional Summit 2027"]
    assert (icma["event_type"], icma["organizer"], icma["country_iso3"]) == ("icma", "ICMA", "USA")
    assert pd.isna(icma["end_on"]) and pd.isna(icma["affiliate_id"])
    calendar = Store(tiny_data_dir).query("events_in_scope", regions=[], types=[])
    assert {"Solace Leaders Forum 2027", "ICMA Regional Summit 2027"} <= set(calendar["name"])


@pytest.mark.parametrize(
    ("data", "row", "column", "problem"),
    [
        (b"Title,From,To\nSummit,2027-03-05,2027-03-04\n", 2, "To", "ends before it starts"),
        (b"Title,From,To\nSummit,2027-03-05,2027-03-06\nForum,,2027-04-01\n", 3, "From", "no date"),
        (b"Event,Start,Affiliate\nSummit,2027-03-05,Solacce\n", 2, "Affiliate", "unknown affiliate; did you mean"),
        (b"Event,Start\nSummit,2027-03-05\nSummit,5 March 2027\n", 2, "Event", "the same event also stands in row 3"),
    ],
)
def test_a_bad_events_file_names_the_row_and_column_and_stores_nothing(tiny_data_dir, data, row, column, problem):
    store = Store(tiny_data_dir)
    checked = uploads.check_file(data, "bad.csv", "events", store, Settings(data_dir=tiny_data_dir))
    first = checked.report.iloc[0]
    assert (first["row"], first["column"]) == (row, column)
    assert first["problem"].startswith(problem)
    before = events(tiny_data_dir)
    with pytest.raises(UploadRejected):
        uploads.commit(checked, data, store, committed_by="test")
    assert uploads_written(tiny_data_dir) == []
    pd.testing.assert_frame_equal(events(tiny_data_dir), before)


def test_an_events_file_without_a_start_column_is_refused_as_a_whole(tiny_data_dir):
    store = Store(tiny_data_dir)
    checked = uploads.check_file(
        b"Event,City\nSummit,Denver\n", "e.csv", "events", store, Settings(data_dir=tiny_data_dir)
    )
    assert checked.report.iloc[0]["problem"] == "required column (start date) is missing"
    assert checked.rows.empty


def test_re_uploading_events_is_idempotent_and_an_edited_event_replaces_the_earlier(tiny_data_dir):
    first = commit_events(tiny_data_dir)
    after_first = events(tiny_data_dir)
    again = commit_events(tiny_data_dir)
    assert (again.status, again.batch_id) == ("already_loaded", first.batch_id)
    pd.testing.assert_frame_equal(events(tiny_data_dir), after_first)
    edited = EVENTS.replace(b"Birmingham", b"Manchester")
    second = commit_events(tiny_data_dir, edited, "edited.csv")
    assert (second.rows_loaded, second.rows_replaced) == (2, 2)
    rows = events(tiny_data_dir)
    assert len(rows) == len(after_first)
    assert rows.set_index("name").loc["Solace Leaders Forum 2027", "city"] == "Manchester"


def test_an_uploaded_event_id_supersedes_the_bundled_event_and_undo_restores_it(tiny_data_dir):
    original = events(tiny_data_dir)
    data = (
        b"event_id,Event,Start,End,Affiliate\n"
        b"E2026-solace-summit,Solace Summit 2026 (moved),2026-12-09,2026-12-11,Solace\n"
    )
    result = commit_events(tiny_data_dir, data, "moved.csv")
    assert result.rows_replaced == 1
    moved = events(tiny_data_dir).set_index("event_id").loc["E2026-solace-summit"]
    assert (moved["name"], moved["start_on"]) == ("Solace Summit 2026 (moved)", pd.Timestamp("2026-12-09"))
    assert len(events(tiny_data_dir)) == len(original)
    uploads.undo(tiny_data_dir, result.batch_id, "test")
    pd.testing.assert_frame_equal(events(tiny_data_dir), original)


def test_cli_ingests_events(tiny_data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Title,From,To\nSummit,2027-03-05,2027-03-04\n")
    assert main(["ingest", str(bad), "--kind", "events"]) == 1
    assert "row 2, column 'To': ends before it starts" in capsys.readouterr().out
    good = tmp_path / "events.csv"
    good.write_bytes(EVENTS)
    assert main(["ingest", str(good), "--kind", "events", "--dry-run"]) == 0
    assert "would add 2 and replace 0" in capsys.readouterr().out
    assert main(["ingest", str(good), "--kind", "events"]) == 0
    assert "committed batch" in capsys.readouterr().out
    assert "Solace Leaders Forum 2027" in set(events(tiny_data_dir)["name"])


def test_cli_ingests_goals_check_ins_and_activities_and_exports_them(tiny_data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    files = {
        "goals": b"Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due\n"
        b"NFBPA,Ethics,Ethics pledge,councils pledged,councils,0,30,2021-01-01,2024-12-31\n",
        "goal_checkins": b"Goal,Date,Value,Reported by\nEthics pledge,2022-06-30,12,Dana Cole\n",
        "activities": b"Affiliate,Type,Date,Title\nNFBPA,article,2022-07-01,Pledge story in PM Magazine\n",
    }
    for kind, data in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        assert main(["ingest", str(path), "--kind", kind]) == 0, capsys.readouterr().out
        assert "1 row(s) loaded" in capsys.readouterr().out
    assert list(ledger.batches(tiny_data_dir)["kind"]) == ["activities", "goal_checkins", "goals"]
    checkins = pd.read_csv(io.BytesIO(export_bytes("goal_checkins", "csv", tiny_data_dir)))
    assert (
        checkins.set_index("checkin_id").loc["C-G-natl-nfbpa-2020-ethics-pledge-2022-06-30", "reported_by"]
        == "Dana Cole"
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Affiliate,Type,Date,Title\nNFBPA,lunch,2022-07-01,Lunch\n")
    assert main(["ingest", str(bad), "--kind", "activities"]) == 1
    assert "row 2, column 'Type': not an activity type" in capsys.readouterr().out


def test_a_goals_batch_whose_goals_later_check_ins_name_is_undone_only_after_them(tiny_data_dir):
    settings = Settings(data_dir=tiny_data_dir)

    def commit_kind(kind: str, data: bytes) -> uploads.CommitResult:
        store = Store(tiny_data_dir)
        checked = uploads.check_file(data, f"{kind}.csv", kind, store, settings, today=TODAY)
        return uploads.commit(checked, data, store, committed_by="test")

    goals = commit_kind(
        "goals",
        b"Affiliate,Area,Goal,Metric,Unit,Baseline,Target,Start,Due\n"
        b"Solace,Ethics,Ethics pledge,councils,councils,0,30,2026-01-01,2027-12-31\n"
        b"Cal-ICMA,Ethics,Hold ethics trainings,trainings,events,0,15,2024-01-01,2026-12-31\n",
    )
    checkins = commit_kind("goal_checkins", b"Goal,Date,Value\nEthics pledge,2026-06-30,12\nG0002,2026-06-30,9\n")
    before = ledger.batches(tiny_data_dir)
    with pytest.raises(AnalyticsError, match=rf"1 check-ins of batch {checkins.batch_id} name G-intl-gbr-solace"):
        uploads.undo(tiny_data_dir, goals.batch_id, "test")
    pd.testing.assert_frame_equal(ledger.batches(tiny_data_dir), before)
    uploads.undo(tiny_data_dir, checkins.batch_id, "test")
    uploads.undo(tiny_data_dir, goals.batch_id, "test")
    assert set(ledger.batches(tiny_data_dir)["status"]) == {"undone"}


def test_cli_prints_the_rows_a_batch_refused(tiny_data_dir, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    data = (BAD_FILES / "unknown_affiliate.csv").read_bytes()
    result = commit(tiny_data_dir, data, "mixed.csv", only_valid=True, accept_warnings=True)
    assert main(["batches", "--rejected", result.batch_id]) == 0
    refused = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert refused[["row", "affiliate"]].values.tolist() == [[2, "Solase"]]
    assert main(["batches", "--rejected", "no-such-batch"]) == 2


def test_an_event_moved_by_a_few_days_replaces_the_stored_one(tiny_data_dir):
    result = commit_events(
        tiny_data_dir, b"Event,Start,End,Affiliate\nSolace Summit 2026,2026-12-09,2026-12-11,Solace\n"
    )
    assert result.rows_replaced == 1
    moved = events(tiny_data_dir).set_index("event_id").loc["E2026-solace-summit"]
    assert moved["start_on"] == pd.Timestamp("2026-12-09")


def test_an_event_naming_an_affiliate_of_another_country_or_a_bad_website_is_refused(tiny_data_dir):
    store = Store(tiny_data_dir)
    data = (
        b"Event,Start,Affiliate,Country,Website\n"
        b"Forum,2027-07-14,Cal-ICMA,United Kingdom,\n"
        b"Summit,2027-08-14,Solace,United Kingdom,javascript:alert(1)\n"
        b"Meeting,2027-09-14,Solace,United Kingdom,www.solace.org.uk\n"
    )
    checked = uploads.check_file(data, "e.csv", "events", store, Settings(data_dir=tiny_data_dir), today=TODAY)
    assert checked.report[["row", "column", "problem"]].values.tolist() == [
        [
            2,
            "Affiliate",
            "this affiliate is in United States but the event in United Kingdom; name the affiliate "
            "by its full name or acronym, or leave it blank",
        ],
        [3, "Website", "not a web address (use https://…)"],
    ]
    assert checked.rows["website"].tolist() == ["https://www.solace.org.uk"]


def test_columns_a_file_lacks_keep_the_stored_values_of_the_rows_it_replaces(tiny_data_dir):
    result = commit(tiny_data_dir)  # affiliate, date, members, ICMA members: no joiners or leavers
    assert result.rows_replaced == 1
    rows = membership(tiny_data_dir).set_index(["affiliate_id", "snapshot_on"])
    replaced = rows.loc[("state-ca", pd.Timestamp("2025-11-30"))]
    assert replaced[["members", "new_members", "lapsed_members"]].tolist() == [1020, 15, 5]
    assert pd.isna(rows.loc[("intl-gbr-solace", pd.Timestamp("2025-12-31")), "new_members"])

    moved = b"event_id,Event,Start,End\nE2026-solace-summit,Solace Summit 2026,2026-12-03,2026-12-05\n"
    commit_events(tiny_data_dir, moved, "moved.csv")
    event = events(tiny_data_dir).set_index("event_id").loc["E2026-solace-summit"]
    assert event[["affiliate_id", "event_type", "organizer", "city", "start_on"]].tolist() == [
        "intl-gbr-solace",
        "affiliate",
        "Solace",
        "Birmingham",
        pd.Timestamp("2026-12-03"),
    ]


def test_blank_cells_keep_the_stored_values_of_the_records_a_file_replaces(tiny_data_dir):
    data = b"affiliate,date,members,icma members,new members,lapsed members\nCal-ICMA,2025-11-30,1020,610,,\n"
    commit(tiny_data_dir, data, "blank-flows.csv")
    replaced = membership(tiny_data_dir).set_index(["affiliate_id", "snapshot_on"]).loc[("state-ca", "2025-11-30")]
    assert replaced[["members", "new_members", "lapsed_members"]].tolist() == [1020, 15, 5]

    template = (
        b"Event id,Event name,Start date,End date,Organizer,Affiliate,City,Country,Venue,Website,Notes\n"
        b"E2026-solace-summit,Solace Summit 2026,2026-12-03,2026-12-05,,,,,,,\n"
    )
    commit_events(tiny_data_dir, template, "template.csv")
    event = events(tiny_data_dir).set_index("event_id").loc["E2026-solace-summit"]
    assert event[["affiliate_id", "event_type", "organizer", "city", "country_iso3"]].tolist() == [
        "intl-gbr-solace",
        "affiliate",
        "Solace",
        "Birmingham",
        "GBR",
    ]


def test_cli_batches_csv_and_refused_rows_carry_no_live_formula(tiny_data_dir, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    data = b'affiliate,date,members,icma members,"=HYPERLINK(""http://x"")"\nSolase,2025-11-30,1,1,=1+1\nCal-ICMA,2025-11-30,1020,610,x\n'
    store = Store(tiny_data_dir)
    checked = uploads.check_file(
        data, "=cmd|calc!A0.csv", "membership", store, Settings(data_dir=tiny_data_dir), today=TODAY
    )
    result = uploads.commit(checked, data, store, committed_by="@SUM(1+1)", only_valid=True)
    assert main(["batches", "--format", "csv"]) == 0
    listed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert listed.loc[0, "file_name"].startswith("'=") and listed.loc[0, "committed_by"] == "'@SUM(1+1)"
    assert main(["batches", "--rejected", result.batch_id]) == 0
    refused = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert '\'=HYPERLINK("http://x")' in refused.columns
    assert refused.iloc[0, -1] == "'=1+1"

"""The runtime store on object storage (AFFILIATE_STORE_URL, AFFILIATE_STORAGE_OPTIONS), against an S3 emulator on
loopback (moto's server: tests/object_store.py). The Delta tables go through deltalake's object store, the archive
through pyarrow's; nothing shared is written to the local folder."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analytics.core.errors import AnalyticsError
from analytics.core.settings import Settings
from analytics.store import ledger
from analytics.store.location import StoreLocation
from analytics.store.reader import Store, folder_fingerprint
from analytics.uploads import pipeline as uploads

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 27)
GOOD = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\nSolace,2025-12-31,530,41\n"


def commit(data_dir: Path, data: bytes) -> uploads.CommitResult:
    store = Store(data_dir)
    checked = uploads.check_file(data, "upload.csv", "membership", store, Settings(data_dir=data_dir), today=TODAY)
    return uploads.commit(checked, data, store, committed_by="test")


def members_of(data_dir: Path, affiliate_id: str, snapshot_on: str) -> list[int]:
    rows = Store(data_dir).table("membership")
    return rows[(rows["affiliate_id"] == affiliate_id) & (rows["snapshot_on"] == snapshot_on)]["members"].tolist()


def test_a_commit_lands_in_the_bucket_is_seen_by_readers_and_undo_works(tiny_data_dir, s3_store):
    layout = ledger.StoreLayout(tiny_data_dir)
    assert layout.location.is_object_store and str(layout.ledger).startswith(s3_store["AFFILIATE_STORE_URL"])
    before = folder_fingerprint(tiny_data_dir)
    result = commit(tiny_data_dir, GOOD)

    assert members_of(tiny_data_dir, "state-ca", "2025-11-30") == [1020]
    after = folder_fingerprint(tiny_data_dir)
    assert after != before
    sha256 = ledger.batches(tiny_data_dir)["sha256"].iloc[0]
    assert layout.location.read_bytes(f"archive/{sha256}") == GOOD  # the raw file, under its hash
    local = tiny_data_dir / "store"
    assert not any((local / part).exists() for part in ("ledger", "archive", "membership"))  # only caches here

    uploads.undo(tiny_data_dir, result.batch_id, "test")
    assert members_of(tiny_data_dir, "state-ca", "2025-11-30") == [1010]
    assert folder_fingerprint(tiny_data_dir) not in {before, after}
    assert ledger.batches(tiny_data_dir)["status"].tolist() == ["undone"]


def cli(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        env={**os.environ, "AFFILIATE_DATA_DIR": str(data_dir)},  # the store's URL and options: this test's
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_commit_to_the_bucket_at_once_and_both_land(tiny_data_dir, s3_store, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("affiliate,date,members,icma members\nCal-ICMA,2025-12-31,1030,611\n")
    second.write_text("affiliate,date,members,icma members\nSolace,2025-12-31,531,42\n")
    processes = [cli(tiny_data_dir, "ingest", str(path)) for path in (first, second)]
    outcomes = [(process.wait(timeout=240), process.communicate()) for process in processes]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert sorted(ledger.batches(tiny_data_dir)["file_name"]) == ["first.csv", "second.csv"]
    assert members_of(tiny_data_dir, "state-ca", "2025-12-31") == [1030]
    assert members_of(tiny_data_dir, "intl-gbr-solace", "2025-12-31") == [531]
    listed = cli(tiny_data_dir, "batches")
    out, _ = listed.communicate(timeout=120)
    assert listed.returncode == 0 and "first.csv" in out and "second.csv" in out


def test_the_unsafe_rename_switch_and_other_schemes_are_refused(tmp_path):
    with pytest.raises(AnalyticsError, match="AWS_S3_ALLOW_UNSAFE_RENAME.*overwrite"):
        StoreLocation(tmp_path, "s3://bucket/store", (("AWS_S3_ALLOW_UNSAFE_RENAME", "true"),))
    with pytest.raises(AnalyticsError, match="not a folder nor"):
        StoreLocation(tmp_path, "ftp://example.org/store")


def test_the_store_location_comes_from_the_settings(tmp_path):
    settings = Settings.from_environment(
        {"AFFILIATE_STORE_URL": "s3://bucket/insights/store/", "AFFILIATE_STORAGE_OPTIONS": "AWS_REGION=eu-west-1"},
        secrets_file=None,
    )
    assert "eu-west-1" not in repr(settings)  # options may hold keys: never printed
    location = StoreLocation.of(tmp_path, settings)
    assert location.path("ledger") == "s3://bucket/insights/store/ledger"
    assert location.storage_options == {"AWS_REGION": "eu-west-1"}
    shared = StoreLocation.of(tmp_path, Settings.from_environment({"AFFILIATE_STORE_URL": str(tmp_path / "s")}, None))
    assert shared.path("ledger") == tmp_path / "s" / "ledger" and shared.storage_options is None
    default = StoreLocation.of(tmp_path, Settings.from_environment({}, secrets_file=None))
    assert default.path("archive") == tmp_path / "store" / "archive"

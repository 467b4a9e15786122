"""Upload: read, check and commit N membership rows from a CSV, Parquet or Excel file.

`prepare_upload` (in the main process) writes, once per source dataset and size, an upload file of
the dataset's first N membership snapshots (dated up to today) and a target folder holding the
dataset's other tables and the remaining membership rows, so every uploaded row is new.
`time_upload` (in a worker subprocess) then, `repeat` times, gives a fresh folder (symbolic links to
the target's files, an empty store) to exactly what `python -m analytics ingest FILE` runs:
`Store(folder)`, `uploads.check_file(...)` and `uploads.commit(...)`, timed from the file's bytes.

The first `Store` of a folder writes Parquet copies of the folder's CSV tables (activities, goals...),
once per state of those files; that is the folder's cost, not the upload's, so it is timed apart,
before the upload, which then opens the store as every later process does. Peak memory is the
process's resident peak (VmHWM, reset before each run: interpreter and libraries included).
"""

from __future__ import annotations

import gc
import re
import shutil
import statistics
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

MEMBERSHIP_COLUMNS = ["affiliate_id", "snapshot_on", "members", "icma_members", "new_members", "lapsed_members"]


def is_available() -> tuple[bool, str]:
    """Whether the upload pipeline (analytics.uploads, `python -m analytics ingest`) exists in this checkout."""
    try:
        from analytics.uploads import pipeline as uploads

        for name in ("check_file", "commit"):
            if not hasattr(uploads, name):
                return False, f"analytics.uploads.pipeline has no {name}()"
    except ImportError as error:
        return False, f"the upload pipeline is not available ({error})"
    return True, ""


def membership_rows(data_dir: Path) -> int:
    return pq.ParquetFile(data_dir / "membership.parquet").metadata.num_rows


def prepare_upload(source_dir: Path, rows: int, file_type: str, work_dir: Path) -> tuple[Path, Path]:
    """The upload file of `rows` membership rows and the target folder to commit it into (made once)."""
    base = work_dir / f"{source_dir.name}-{rows}"
    target = base / "target"
    upload_file = base / f"membership-{rows}.{file_type}"
    if not (target / "membership.parquet").is_file():
        membership = pq.read_table(source_dir / "membership.parquet", columns=MEMBERSHIP_COLUMNS)
        membership = membership.filter(pc.less_equal(membership["snapshot_on"], pa.scalar(date.today())))
        if membership.num_rows < rows:
            raise ValueError(f"{source_dir} holds only {membership.num_rows:,} membership rows; {rows:,} asked")
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for path in source_dir.iterdir():
            if path.suffix in (".csv", ".parquet") and path.stem != "membership":
                (target / path.name).symlink_to(path.resolve())
        pq.write_table(membership.slice(rows), target / "membership.parquet")
        pq.write_table(membership.slice(0, rows), base / "upload-rows.parquet")
    if not upload_file.is_file():
        table = pq.read_table(base / "upload-rows.parquet")
        partial = upload_file.with_suffix(".partial")
        if file_type == "csv":
            pa_csv.write_csv(table, partial, pa_csv.WriteOptions(quoting_style="needed"))
        elif file_type == "parquet":
            pq.write_table(table, partial)
        else:
            _write_xlsx(table, partial)
        partial.rename(upload_file)
    return upload_file, target


def _write_xlsx(table: pa.Table, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("membership")
    sheet.append(table.column_names)
    columns = [table[name].to_pylist() for name in table.column_names]
    for row in zip(*columns, strict=True):
        sheet.append(row)
    workbook.save(path)


def _fresh_folder(target: Path, run_dir: Path) -> Path:
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    for path in target.iterdir():
        (run_dir / path.name).symlink_to(path.resolve())
    return run_dir


def _reset_peak_memory() -> None:
    """Set the process's resident peak (VmHWM) to its current size (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_memory_megabytes() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def time_upload(upload_file: Path, target: Path, repeat: int) -> dict:
    """Seconds to check and to commit the file into a fresh copy of `target`, and peak memory, `repeat` times."""
    from analytics.core.settings import Settings
    from analytics.store.reader import Store
    from analytics.uploads import pipeline as uploads

    settings = Settings.from_environment({"AFFILIATE_DATA_DIR": str(target)})
    first_open_runs, check_runs, commit_runs, totals, peaks = [], [], [], [], []
    outcome = ""
    for attempt in range(repeat):
        folder = _fresh_folder(target, target.parent / f"run-{attempt}")
        opened_at = time.perf_counter()
        Store(folder)
        first_open_runs.append(time.perf_counter() - opened_at)
        gc.collect()
        _reset_peak_memory()
        started = time.perf_counter()
        data = upload_file.read_bytes()
        store = Store(folder)
        try:
            checked = uploads.check_file(data, upload_file.name, "membership", store, settings)
        except Exception as error:  # a failure of the pipeline is a result to report, not a crash of the run
            shutil.rmtree(folder, ignore_errors=True)
            return {"rows": None, "outcome": f"failed while checking: {type(error).__name__}: {error}"[:300]}
        checked_at = time.perf_counter()
        try:
            result = uploads.commit(checked, data, store, committed_by="bench")
            outcome = f"{result.status}: {result.rows_loaded:,} loaded, {result.rows_rejected:,} rejected"
        except uploads.UploadRejected as error:
            outcome = "rejected: " + str(error).splitlines()[0]
        finished = time.perf_counter()
        check_runs.append(checked_at - started)
        commit_runs.append(finished - checked_at)
        totals.append(finished - started)
        peaks.append(_peak_memory_megabytes())
        rows = checked.rows_in_file
        del data, store, checked
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "rows": rows,
        "total": totals,
        "median": statistics.median(totals),
        "first_open_median": statistics.median(first_open_runs),
        "check_median": statistics.median(check_runs),
        "commit_median": statistics.median(commit_runs),
        "peak_mb": max(peaks),
        "outcome": outcome,
    }

"""`python -m bench.hostile_files`: files shaped to make a reader slow or greedy, each read in a fresh process.

Each case builds its file in memory and times `uploads.check_file` on it (membership, the tiny test data
folder), in its own subprocess so that the peak resident memory (ru_maxrss, interpreter and libraries
included) is the case's own. Issue 13 measured these before the fix: 90 MB of blank lines took 61 s and
3.5 GB; a duplicate-key report of 1,000 / 4,000 / 8,000 rows sharing one key took 2.2 s / 35 s / 183 s.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HEADER = b"Affiliate,Date,Members,ICMA members\n"
ROW = b"Solace,2026-01-31,530,41\n"
CASES = {
    "90 MB of blank lines": lambda: HEADER + ROW + b"\n" * 90_000_000 + ROW.replace(b"Solace", b"Cal-ICMA"),
    "1,000 rows, one key": lambda: HEADER + ROW * 1_000,
    "4,000 rows, one key": lambda: HEADER + ROW * 4_000,
    "8,000 rows, one key": lambda: HEADER + ROW * 8_000,
    "3.5 M rows between blank lines": lambda: HEADER + (ROW + b"\n") * 3_500_000,
}


def run_case(name: str) -> str:
    from analytics.core.errors import AnalyticsError
    from analytics.core.settings import Settings
    from analytics.store.reader import Store
    from analytics.uploads import pipeline as uploads
    from tests.conftest import write_tiny_data

    folder = write_tiny_data(Path(tempfile.mkdtemp()) / "data")
    store, settings = Store(folder), Settings(data_dir=folder)
    data = CASES[name]()
    start = time.perf_counter()
    try:
        checked = uploads.check_file(data, "hostile.csv", "membership", store, settings, today=date(2026, 11, 27))
        outcome = f"{len(checked.rows):,} valid, {len(checked.report):,} problems"
    except AnalyticsError as error:
        outcome = f"refused: {str(error)[:70]}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return f"| {name} | {len(data) / 1e6:,.1f} MB | {seconds:.2f} s | {peak:,.0f} MB | {outcome} |"


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        print(run_case(sys.argv[2]))
        return
    print("| file | size | check_file | peak memory | outcome |\n|---|---|---|---|---|")
    for name in CASES:
        done = subprocess.run(
            [sys.executable, "-m", "bench.hostile_files", "--case", name], capture_output=True, text=True
        )
        print(done.stdout.strip() or f"| {name} | failed: {done.stderr.strip()[-200:]} |")


if __name__ == "__main__":
    main()

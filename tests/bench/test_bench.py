"""The benchmark keeps working: `python -m bench --quick` runs once and writes its tables.

No timing is asserted: a slow or busy machine never fails the suite (issue 7).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.pages import discover_pages

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_of_the_app_is_discovered():
    pages = discover_pages()
    assert [page.url_path for page in pages if page.is_default] == ["overview"]
    assert {"overview", "goals", "coverage"} <= {page.url_path for page in pages}
    assert all((ROOT / page.script).is_file() for page in pages)


@pytest.mark.slow
def test_quick_run_writes_a_results_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--datasets", str(tmp_path / "datasets")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "## Page script time (AppTest)" in text
    for page in discover_pages():
        assert f"| {page.url_path}" in text
    assert "| csv |" in text
    assert "cores" in text


def test_a_generated_dataset_is_made_once_and_reused_while_the_generator_is_unchanged(tmp_path, monkeypatch):
    import bench.__main__ as bench_main

    made = []
    monkeypatch.setattr(bench_main.subprocess, "run", lambda command, **options: made.append(command))
    (tmp_path / "scale-2").mkdir()
    folder = bench_main.dataset(2, tmp_path)
    assert folder == tmp_path / "scale-2" and len(made) == 1
    assert bench_main.dataset(2, tmp_path) == folder and len(made) == 1  # the marker names the generator: reused

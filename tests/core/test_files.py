"""Atomic file writes: the target is whole or as it was, and no temporary file is left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.core.errors import first_line
from analytics.core.files import write_atomically, write_bytes_atomically


def test_a_write_replaces_the_whole_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "record.json"
    target.write_text("old")
    assert write_bytes_atomically(target, b'{"passed": true}') == target
    assert target.read_bytes() == b'{"passed": true}'
    assert [path.name for path in tmp_path.iterdir()] == ["record.json"]


def test_a_writer_given_a_path_writes_through_the_temporary_file(tmp_path: Path) -> None:
    seen = []

    def write(temporary: Path) -> None:
        seen.append(temporary)
        temporary.write_text("rows", encoding="utf-8")

    write_atomically(tmp_path / "cache.parquet", write)
    assert seen[0].parent == tmp_path and seen[0].name.startswith(".cache.parquet.")
    assert (tmp_path / "cache.parquet").read_text(encoding="utf-8") == "rows"
    assert not seen[0].exists()


def test_a_failing_write_leaves_the_target_as_it_was_and_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "archive"
    target.write_bytes(b"whole")

    def half_then_fail(temporary: Path) -> None:
        temporary.write_bytes(b"ha")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_bytes() == b"whole"
    assert [path.name for path in tmp_path.iterdir()] == ["archive"]


def test_a_write_into_a_missing_folder_fails_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_bytes_atomically(tmp_path / "missing" / "file", b"data")
    assert list(tmp_path.iterdir()) == []


def test_first_line_of_an_error() -> None:
    assert first_line(ValueError("bad value\nat line 3")) == "bad value"
    assert first_line(OSError()) == "OSError"
    assert first_line(RuntimeError("  \n")) == "RuntimeError"

"""The command line's shared commands: check and docs (others are tested beside their modules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analytics.__main__ import main
from analytics.docs import MARKER, README, readme_with_reference, table_reference
from analytics.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent


def test_check_passes_on_the_bundled_data(capsys):
    assert main(["check", str(ROOT / "data")]) == 0
    output = capsys.readouterr().out
    for table in TABLES:
        assert table.name in output
    assert "OK" in output


def test_check_names_file_row_and_column_and_exits_1(tiny_data_dir, capsys):
    path = tiny_data_dir / "membership.csv"
    path.write_text(path.read_text().replace("intl-gbr-solace,2025-11-30", "intl-xyz,2025-11-30"))
    assert main(["check", str(tiny_data_dir)]) == 1
    errors = capsys.readouterr().err
    assert "membership.csv, row 5, column 'affiliate_id'" in errors
    assert "intl-xyz" in errors


def test_check_on_a_missing_folder_exits_1(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_check_honours_the_data_dir_environment_variable(tiny_data_dir):
    env = {"AFFILIATE_DATA_DIR": str(tiny_data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert str(tiny_data_dir) in result.stdout


def test_unknown_command_is_a_usage_error():
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "frobnicate"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_data_readme_table_reference_is_up_to_date():
    """data/README.md documents every table; regenerate with `python -m analytics docs`."""
    text = README.read_text(encoding="utf-8")
    assert MARKER in text
    assert text.split(MARKER, 1)[1].strip() == table_reference().split(MARKER, 1)[1].strip()


def test_table_reference_documents_every_column():
    reference = table_reference()
    for table in TABLES:
        assert f"### `{table.name}`" in reference
        for column in table.columns:
            assert f"| `{column.name}` |" in reference


def test_readme_with_reference_keeps_the_hand_written_part():
    updated = readme_with_reference(f"# Data\n\nHand-written.\n\n{MARKER}\nold reference\n")
    assert updated.startswith("# Data\n\nHand-written.")
    assert "old reference" not in updated

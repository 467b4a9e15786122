"""The command line: check, docs, and how ingest speaks about files it cannot check yet (other commands and
ingest's commits are tested beside their modules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from analytics.cli.docs import MARKER, README, readme_with_reference, table_reference
from analytics.cli.exit_codes import UsageError, exit_code
from analytics.cli.main import COMMANDS, main
from analytics.core.errors import DataFolderError, PermissionDenied
from analytics.core.schema import TABLES
from analytics.uploads.errors import IngestError, MappingError, UndoRefused, UnknownKindError, UploadConflictError

ROOT = Path(__file__).resolve().parents[2]
BAD_FILES = ROOT / "tests" / "bad_files"


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


def ingest(data_dir: Path, monkeypatch, path: Path, *options: str) -> int:
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(data_dir))
    return main(["ingest", str(path), *options])


def test_ingest_dry_run_gives_no_counts_while_a_required_column_is_missing(tiny_data_dir, monkeypatch, capsys):
    assert ingest(tiny_data_dir, monkeypatch, BAD_FILES / "missing_column.csv", "--dry-run") == 1
    output = capsys.readouterr().out
    assert "row(s) are checked once the required columns are matched" in output
    assert "0 valid" not in output


def test_ingest_dry_run_gives_no_counts_while_the_day_month_question_is_open(tiny_data_dir, monkeypatch, capsys):
    assert ingest(tiny_data_dir, monkeypatch, BAD_FILES / "ambiguous_dates.csv", "--dry-run") == 1
    output = capsys.readouterr().out
    assert "checked once the day/month order is given" in output
    assert "--date-order day-first" in output
    assert "0 valid" not in output and "0 problem(s)" not in output


def test_ingest_dry_run_of_a_header_only_file_says_it_has_no_data_rows(tiny_data_dir, monkeypatch, capsys):
    assert ingest(tiny_data_dir, monkeypatch, BAD_FILES / "header_only.csv", "--dry-run") == 1
    output = capsys.readouterr().out
    assert "dry run: the file has no data rows" in output
    assert "0 valid" not in output


def test_ingest_map_accepts_a_columns_label_as_well_as_its_name(tiny_data_dir, tmp_path, monkeypatch, capsys):
    path = tmp_path / "events.csv"
    path.write_bytes(b"Title,Dates\nSolace Leaders Forum 2027,2027-03-04\n")
    for column in ("start_on", "start date", "Start Date"):
        assert (
            ingest(tiny_data_dir, monkeypatch, path, "--kind", "events", "--map", f"Dates={column}", "--dry-run") == 0
        )
        assert "1 valid" in capsys.readouterr().out
    assert ingest(tiny_data_dir, monkeypatch, path, "--kind", "events", "--map", "dates=start_on", "--dry-run") == 0
    assert "1 valid" in capsys.readouterr().out  # the file's header matched as written elsewhere: case ignored


def test_ingest_map_to_an_unknown_column_is_a_usage_error_that_lists_the_kinds_columns(
    tiny_data_dir, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "events.csv"
    path.write_bytes(b"Title,Dates\nSolace Leaders Forum 2027,2027-03-04\n")
    assert ingest(tiny_data_dir, monkeypatch, path, "--kind", "events", "--map", "Dates=foo", "--dry-run") == 2
    error = capsys.readouterr().err
    assert "events has no column 'foo'" in error
    assert "start_on (start date)" in error and "name (event name)" in error


def test_ingest_map_of_a_header_the_file_does_not_have_is_a_usage_error(tiny_data_dir, tmp_path, monkeypatch, capsys):
    path = tmp_path / "events.csv"
    path.write_bytes(b"Title,From\nSolace Leaders Forum 2027,2027-03-04\n")
    assert ingest(tiny_data_dir, monkeypatch, path, "--kind", "events", "--map", "Dates=start_on") == 2
    error = capsys.readouterr().err
    assert "the file has no column 'Dates'; its columns: 'Title', 'From'" in error


def test_ingest_says_which_kind_a_file_looks_like_when_it_misses_the_chosen_kinds_columns(
    tiny_data_dir, tmp_path, monkeypatch, capsys
):
    files = {
        "events": b"Event,Start,End,Affiliate\nSummit,2027-03-04,2027-03-05,Solace\n",
        "activities": b"Affiliate,Type,Date,Title\nNFBPA,article,2022-07-01,Pledge story\n",  # events' columns too
        "goal_checkins": b"Goal,Date,Value\nEthics pledge,2022-06-30,12\n",
    }
    for kind, data in files.items():
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(data)
        assert ingest(tiny_data_dir, monkeypatch, path, "--kind", "membership") == 1
        assert f"choose that kind (--kind {kind})" in capsys.readouterr().out, kind
    assert ingest(tiny_data_dir, monkeypatch, tmp_path / "events.csv", "--kind", "membership", "--dry-run") == 1
    assert "this looks like an events file; choose that kind (--kind events)" in capsys.readouterr().out


def test_ingest_gives_no_kind_hint_when_the_file_is_of_the_chosen_kind_but_lacks_a_column(
    tiny_data_dir, monkeypatch, capsys
):
    assert ingest(tiny_data_dir, monkeypatch, BAD_FILES / "missing_column.csv") == 1
    assert "looks like" not in capsys.readouterr().out


def test_ingest_of_an_unknown_sheet_is_refused_naming_the_workbooks_sheets(
    tiny_data_dir, tmp_path, monkeypatch, capsys
):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Members"
    workbook.create_sheet("Notes")
    path = tmp_path / "members.xlsx"
    workbook.save(path)
    assert ingest(tiny_data_dir, monkeypatch, path, "--sheet", "Data") == 1
    assert "the workbook has no sheet 'Data'; its sheets: Members, Notes" in capsys.readouterr().out


def test_a_file_that_fits_the_chosen_kind_but_another_better_gets_the_hint(
    tiny_data_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    activities = tmp_path / "activities.csv"
    activities.write_text("Affiliate,Type,Date,Title,Status\nSolace,article,2026-03-01,Piece on ethics,done\n")
    main(["ingest", str(activities), "--kind", "events", "--dry-run"])
    assert "this looks like an activities file; choose that kind (--kind activities)" in capsys.readouterr().out
    events = tmp_path / "events.csv"
    events.write_text("Event,Start,End,Affiliate\nSolace Leaders Forum 2027,2027-03-04,2027-03-05,Solace\n")
    main(["ingest", str(events), "--kind", "events", "--dry-run"])
    assert "looks like" not in capsys.readouterr().out


def test_every_command_ends_through_the_one_exit_code_rule():
    for name, (module, _) in COMMANDS.items():
        assert getattr(module.run, "reports_errors", False), f"{name}: run is not wrapped in reporting_errors"


def test_the_exit_code_rule_refused_is_1_and_a_usage_error_is_2():
    for refused in (IngestError("x"), UploadConflictError("x"), UndoRefused("x"), DataFolderError("x")):
        assert exit_code(refused) == 1, refused
    assert exit_code(PermissionDenied("someone", "upload", "may not upload")) == 1
    for usage in (UsageError("x"), MappingError("x"), UnknownKindError("x")):
        assert exit_code(usage) == 2, usage


def test_ingest_of_a_data_folder_that_cannot_be_read_is_refused_with_1(tmp_path, monkeypatch, capsys):
    path = tmp_path / "members.csv"
    path.write_text("affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\n")
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tmp_path / "nowhere"))
    assert main(["ingest", str(path)]) == 1
    assert "ingest: data folder" in capsys.readouterr().err


def test_a_refused_commit_prints_its_report_then_what_to_type_next(tiny_data_dir, tmp_path, monkeypatch, capsys):
    path = tmp_path / "events.csv"
    path.write_text("Event,Start,End\nSolace Leaders Forum 2027,2027-03-04,2027-03-05\n")
    assert ingest(tiny_data_dir, monkeypatch, path) == 1
    output = capsys.readouterr().out
    assert output.index("rejected: nothing committed") < output.index("this looks like an events file")

"""The registry of upload kinds (analytics/uploads/kinds.py): one declaration per kind, every part of it there
and true to the schema, and nothing that reads it can be handed a kind it does not know."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.cli.ingest import hints
from analytics.cli.main import main
from analytics.core.schema import TABLES_BY_NAME, UPLOADABLE_TABLES
from analytics.core.settings import Settings
from analytics.store.reader import Store
from analytics.uploads import pipeline as uploads
from analytics.uploads.checked import REPORT_COLUMNS, Checked
from analytics.uploads.errors import UnknownKindError
from analytics.uploads.kinds import KINDS, KINDS_BY_NAME, UploadKind, likely_kind, upload_kind
from analytics.uploads.matching import TargetColumn
from analytics.uploads.names import normalise
from analytics.uploads.reading import SourceTable

TEXTS = ("label", "noun", "a_file", "title", "columns_help", "same_key")


def problems_of(kind: UploadKind) -> list[str]:
    """Every part a kind lacks or gets wrong; empty for a whole declaration."""
    table = TABLES_BY_NAME.get(kind.name)
    if table is None:
        return [f"{kind.name}: no schema table of that name"]
    found = []
    if not table.is_uploadable:
        found.append("its schema table is not marked is_uploadable")
    found += [f"empty {name}" for name in TEXTS if not str(getattr(kind, name) or "").strip()]
    if kind.a_file and not re.fullmatch(r"an? \S.* file", kind.a_file):
        found.append(f"a_file {kind.a_file!r} does not read 'a(n) ... file'")
    if not kind.columns:
        found.append("no columns")
    if kind.columns and not any(column.required for column in kind.columns):
        found.append("no required column (any file would fit it)")
    names = [column.name for column in kind.columns]
    found += [f"column {name} declared twice" for name, count in Counter(names).items() if count > 1]
    found += [f"column {column.name} has no label" for column in kind.columns if not column.label.strip()]
    feeders = {feeder for sources in kind.fed_by.values() for feeder in sources}
    found += [
        f"column {name} is neither a column of {kind.name} nor feeds one (fed_by)"
        for name in names
        if name not in table.column_names and name not in feeders
    ]
    claims: dict[str, set[str]] = {}
    for column in kind.columns:
        for text in (column.name, column.label, *column.synonyms):
            claims.setdefault(normalise(text), set()).add(column.name)
    found += [f"header {text!r} names {sorted(columns)}" for text, columns in claims.items() if len(columns) > 1]
    if not kind.preview_columns:
        found.append("no preview columns")
    found += [
        f"preview column {name} is not in {kind.name}"
        for name in kind.preview_columns
        if name not in table.column_names
    ]
    for stored, sources in kind.fed_by.items():
        if stored not in table.column_names:
            found.append(f"fed_by names {stored}, not a column of {kind.name}")
        found += [
            f"fed_by feeds {stored} from {source}, not a file column" for source in sources if source not in names
        ]
    found += [
        f"filled_by_committer {name} is not in {kind.name}"
        for name in kind.filled_by_committer
        if name not in table.column_names
    ]
    found += [f"{part} is not callable" for part in ("check", "reference") if not callable(getattr(kind, part))]
    if not kind.key:
        found.append(f"no key: {kind.name} in the schema needs one, to know which stored row a row replaces")
    return found


def test_every_uploadable_table_has_exactly_one_kind_and_every_kind_is_an_uploadable_table():
    names = [kind.name for kind in KINDS]
    assert sorted(names) == sorted(UPLOADABLE_TABLES)
    assert len(set(names)) == len(names)
    assert {kind.name: kind for kind in KINDS} == KINDS_BY_NAME


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_declares_every_part(kind):
    assert problems_of(kind) == []


BROKEN = {
    "an empty label": {"label": ""},
    "no noun": {"noun": " "},
    "a file named without an article": {"a_file": "events file"},
    "no page title": {"title": ""},
    "no columns": {"columns": ()},
    "no required column": {"columns": (TargetColumn("name", "event name", False, ("event",)),)},
    "a column of no table": {"columns": (TargetColumn("colour", "colour", True, ()),)},
    "a header two columns claim": {
        "columns": (TargetColumn("start_on", "start", True, ("date",)), TargetColumn("end_on", "end", False, ("date",)))
    },
    "a preview column not in the table": {"preview_columns": ("name", "attendance")},
    "no preview column": {"preview_columns": ()},
    "fed_by a column not in the schema": {"fed_by": {"colour": ("name",)}},
    "fed_by a column the file cannot have": {"fed_by": {"organizer": ("host",)}},
    "a check that is not callable": {"check": "check_events"},
    "no reference": {"reference": None},
    "a committer column not in the table": {"filled_by_committer": ("reported_by",)},
    "a name that is no table": {"name": "no_such_table"},
    "a table that is not uploadable": {"name": "liaisons"},
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_a_kind_that_lacks_a_part_or_gets_one_wrong_is_caught(change):
    assert problems_of(dataclasses.replace(KINDS_BY_NAME["events"], **change)) != []


def test_an_unknown_kind_is_a_typed_error_naming_the_known_ones(tiny_data_dir):
    with pytest.raises(UnknownKindError, match="supported: membership, events"):
        upload_kind("no_such_kind")
    with pytest.raises(UnknownKindError):
        uploads.check_file(b"a,b\n1,2\n", "x.csv", "liaisons", Store(tiny_data_dir), Settings(data_dir=tiny_data_dir))


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kinds_check_runs_on_its_template_and_gives_rows_in_its_schema_columns(kind, tiny_data_dir):
    store = Store(tiny_data_dir)
    assert kind.reference(store) is not None
    header_only = kind.template().to_csv(index=False).encode()
    checked = uploads.check_file(header_only, "t.csv", kind.name, store, Settings(data_dir=tiny_data_dir))
    assert checked.kind == kind.name
    assert list(checked.rows.columns) == ["row_number", *kind.table.column_names]
    assert checked.match.missing == [] and checked.match.unmatched == []
    assert checked.report["problem"].tolist() == ["the file has no data rows"]


def checked_as(kind: UploadKind, header: list[str]) -> Checked:
    """A file with this header (and no rows) as the check of `kind` leaves it, for likely_kind."""
    grid = pa.table({str(position): pa.array([], pa.string()) for position in range(len(header))})
    source = SourceTable("f.csv", "csv", "0" * 64, header, grid, pd.Series([], dtype="int64"))
    empty = pd.DataFrame(columns=REPORT_COLUMNS)
    return Checked(kind.name, source, kind.match(header), pd.DataFrame(), empty, pd.DataFrame())


HEADERS = sorted({text for kind in KINDS for column in kind.columns for text in (column.label, *column.synonyms)})


@settings(max_examples=200, deadline=None)
@given(
    chosen=st.sampled_from(KINDS),
    header=st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=12)), max_size=14, unique=True),
)
def test_likely_kind_only_ever_suggests_another_registered_kind(chosen, header):
    suggested = likely_kind(checked_as(chosen, header))
    assert suggested is None or (suggested in KINDS and suggested is not chosen)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_template_checked_as_any_other_kind_is_recognised_as_its_own(kind):
    header = list(kind.template().columns)
    for other in KINDS:
        if other is not kind:
            assert likely_kind(checked_as(other, header)) is kind, other.name
            assert (
                hints(checked_as(other, header))[0]
                == f"this looks like {kind.a_file}; choose that kind (--kind {kind.name})"
            )


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_the_command_suggests_every_kind_it_recognises(kind, tiny_data_dir, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("AFFILIATE_DATA_DIR", str(tiny_data_dir))
    path = tmp_path / f"{kind.name}.csv"
    path.write_text(kind.template().to_csv(index=False))
    other = next(other for other in KINDS if other is not kind)
    assert main(["ingest", str(path), "--kind", other.name]) == 1
    assert f"this looks like {kind.a_file}; choose that kind (--kind {kind.name})" in capsys.readouterr().out


def test_the_kinds_of_the_ledger_are_those_of_the_registry(tiny_data_dir):
    data = b"affiliate,date,members,icma members\nCal-ICMA,2025-11-30,1020,610\n"
    store = Store(tiny_data_dir)
    checked = uploads.check_file(
        data, "m.csv", "membership", store, Settings(data_dir=tiny_data_dir), today=date(2026, 11, 27)
    )
    assert uploads.commit(checked, data, store, committed_by="test").status == "committed"
    assert upload_kind(uploads.ledger.batches(tiny_data_dir).iloc[0]["kind"]) is KINDS_BY_NAME["membership"]


def test_docs_storage_names_every_module_of_uploads_and_every_kind():
    root = Path(__file__).resolve().parents[2]
    storage = (root / "docs" / "storage.md").read_text(encoding="utf-8")
    modules = sorted(path.name for path in (root / "analytics" / "uploads").glob("*.py") if path.name != "__init__.py")
    assert [name for name in modules if f"`{name}`" not in storage] == []
    assert [kind.name for kind in KINDS if f"--kind {kind.name}" not in storage] == []


def test_the_readme_upload_row_and_the_storage_layout_name_every_kind():
    # Found by adding a kind in a scratch branch: these lists are written by hand, and nothing else checks them.
    root = Path(__file__).resolve().parents[2]
    upload_row = next(
        line
        for line in (root / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| Upload data |")
    )
    storage = (root / "docs" / "storage.md").read_text(encoding="utf-8")
    assert [kind.label for kind in KINDS if kind.label.lower() not in upload_row.lower()] == []
    assert [kind.name for kind in KINDS if f"store/{kind.name}/" not in storage] == []

"""Column labels are declared once (analytics/figures/labels.py): every table on every page reads them.

Each page of the navigation (the upload page aside: it shows the uploaded file's own columns) is run on the
tiny data folder, and every column header of every table it shows must be a declared label, or a value of
the data where a table's columns are data (the goal status matrix's affiliate types, the roles page's roles).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analytics.auth.roles import Role
from analytics.core.schema import AFFILIATE_TYPES, ICMA_REGIONS
from analytics.core.settings import Settings
from analytics.figures.labels import COLUMN_LABELS, label_text, labels_by_text
from tests.apptest import run_page
from tests.conftest import ROOT
from ui.navigation import PAGES

LABELLED_PAGES = [entry for entry in PAGES if entry.url_path != "upload"]
QUERIES = {"affiliate": {"id": "state-ca"}, "goals": {"as_of": "2026-06-30"}}
# Headers that are values of the data, not labels: the status matrix's columns and the roles' policy table.
DATA_HEADERS = {*AFFILIATE_TYPES, *ICMA_REGIONS, *(role.value.capitalize() for role in Role)}


def headers_shown(app) -> list[str]:
    return [str(column) for frame in app.dataframe for column in frame.value.columns]


@pytest.fixture(scope="module")
def headers_by_page(tmp_path_factory) -> dict[str, list[str]]:
    from tests.conftest import write_tiny_data

    data_dir = write_tiny_data(tmp_path_factory.mktemp("labels") / "data")
    monkeypatch = pytest.MonkeyPatch()
    try:
        shown = {}
        for entry in LABELLED_PAGES:
            app = run_page(
                monkeypatch, data_dir, entry.url_path, {"as_of": "2026-11-27", **QUERIES.get(entry.url_path, {})}
            )
            assert not app.exception, entry.url_path
            shown[entry.url_path] = headers_shown(app)
            shown[f"{entry.url_path} blanks"] = [frame.proto.placeholder for frame in app.dataframe]
        return shown
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("entry", LABELLED_PAGES, ids=lambda entry: entry.url_path)
def test_every_column_header_on_a_page_is_a_declared_label(headers_by_page, entry):
    labels = set(labels_by_text(Settings.from_environment()))
    shown = headers_by_page[entry.url_path]
    assert shown, f"{entry.url_path} shows no table"
    assert sorted(set(shown) - labels - DATA_HEADERS) == []


@pytest.mark.parametrize("entry", LABELLED_PAGES, ids=lambda entry: entry.url_path)
def test_every_table_shows_a_blank_cell_as_a_dash(headers_by_page, entry):
    """Tables printed a literal "None" for a missing value (st.dataframe's default placeholder)."""
    assert set(headers_by_page[f"{entry.url_path} blanks"]) == {"–"}


def test_the_pages_show_a_good_part_of_the_labels(headers_by_page):
    shown = {header for page, headers in headers_by_page.items() if " " not in page for header in headers}
    assert len(shown & set(labels_by_text(Settings.from_environment()))) >= 60


def test_one_concept_reads_the_same_on_every_page(headers_by_page):
    shown = {header for page, headers in headers_by_page.items() if " " not in page for header in headers}
    # The labels the issue found written two ways; only the clearer one is left.
    left_behind = {"Share also ICMA", "Also ICMA", "Affiliate members", "Agreement (worst)", "Left", "Event attended"}
    assert left_behind.isdisjoint(shown)
    assert "No activity in a year" not in shown  # the setting's number now
    assert "Share also in ICMA" in set(headers_by_page["overview"]) & set(headers_by_page["coverage"])
    assert "Share also in ICMA" in set(headers_by_page["membership"]) & set(headers_by_page["affiliate"])


def test_two_names_share_a_label_only_when_they_hold_the_same_kind_of_value():
    kinds_by_text: dict[str, set[str]] = {}
    for name in COLUMN_LABELS:
        kinds_by_text.setdefault(label_text(name, Settings()), set()).add(COLUMN_LABELS[name].kind)
    assert {text: kinds for text, kinds in kinds_by_text.items() if len(kinds) > 1} == {}


def test_a_label_that_names_a_setting_reads_the_setting_in_force(monkeypatch, tiny_data_dir):
    monkeypatch.setenv("AFFILIATE_STALE_AFTER_MONTHS", "18")
    app = run_page(monkeypatch, tiny_data_dir, "coverage", {"as_of": "2026-11-27"})
    assert "No activity in 18 months" in headers_shown(app)
    assert "No activity in 12 months" not in headers_shown(app)


def calls_in(path: Path) -> set[str]:
    """The names a file calls: "st.dataframe", "download_buttons" (a method of anything else: "….rename")."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            names.add(f"{owner.id if isinstance(owner, ast.Name) else '…'}.{node.func.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.add(node.func.id)
    return names


@pytest.mark.parametrize("entry", LABELLED_PAGES, ids=lambda entry: entry.url_path)
def test_pages_show_and_download_tables_only_through_ui_labels(entry):
    calls = calls_in(ROOT / entry.script)
    assert "st.dataframe" not in calls, "show tables with ui.labels.show_table"
    assert "download_buttons" not in calls, "offer tables with ui.labels.download_table"
    assert "st.column_config" not in (ROOT / entry.script).read_text(encoding="utf-8"), "formats come from ui.labels"

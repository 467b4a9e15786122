"""What changed in words (analytics.figures.changes_report): tables under declared labels, cells by their kind."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.domain import alerts, changes
from analytics.domain.membership import MAX_CARRY_MONTHS
from analytics.figures import changes_report
from analytics.figures.labels import COLUMN_LABELS, label_text
from analytics.store.reader import Store
from tests.conftest import write_tiny_data

SINCE, AS_OF = dt.date(2025, 12, 31), dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def found(tmp_path_factory) -> changes.Changes:
    store = Store(write_tiny_data(tmp_path_factory.mktemp("tiny") / "data"))
    params = {
        "regions": [],
        "types": [],
        "as_of": AS_OF,
        "renewal_window_months": 6,
        "max_carry_months": MAX_CARRY_MONTHS,
    }
    results = {name: store.query(name, **changes.query_params(params, SINCE)) for name in alerts.QUERIES}
    ledger = pd.DataFrame(
        {
            "batch_id": ["b1"],
            "kind": ["goal_checkins"],
            "status": ["committed"],
            "committed_at": pd.to_datetime(["2026-03-01T10:00Z"]),
            "committed_by": ["analyst"],
            "undone_at": pd.to_datetime([None], utc=True),
            "undone_by": [None],
            "file_name": ["<checkins>.csv"],
            "rows_loaded": [1200],
            "rows_replaced": [0],
        }
    )
    return changes.what_changed(results, ledger, SINCE, AS_OF, renewal_window_months=6)


def test_every_section_names_its_columns_as_the_labels_declare_them(found):
    parts = changes_report.sections(found)
    assert all(not part.table.empty for part in parts)  # the tiny folder and the ledger row fill every part
    for part in parts:
        assert set(part.table.columns) <= set(COLUMN_LABELS), part.key
        assert len(part.links) == len(part.table)
    html = changes_report.sections_html(parts)
    for name in ("reason_now", "members_before", "agreement_change", "ledger_entry"):
        assert f">{label_text(name)}</th>" in html


def test_the_tables_keep_numbers_and_dates_for_the_page_to_format(found):
    by_key = {part.key: part.table for part in changes_report.sections(found)}
    regions = by_key["membership"].set_index("icma_region")
    assert regions.loc["West Coast", ["members_before", "members", "change"]].tolist() == [1010, 1100, 90]
    assert pd.api.types.is_datetime64_any_dtype(by_key["activities"]["occurred_on"])
    assert pd.api.types.is_datetime64_any_dtype(by_key["agreements"]["renewal_due_on"])


def test_in_words_formats_each_cell_by_its_kind_with_the_sign_of_a_change(found):
    by_key = {part.key: part.table for part in changes_report.sections(found)}
    regions = changes_report.in_words(by_key["membership"]).set_index(label_text("icma_region"))
    west = regions.loc["West Coast"]
    assert (west[label_text("members_before")], west[label_text("members")]) == ("1,010", "1,100")
    assert (west[label_text("change")], west[label_text("change_pct")]) == ("+90", "+8.9%")
    agreements = changes_report.in_words(by_key["agreements"])
    assert agreements[label_text("renewal_due_on")].tolist() == ["2026-12-31"]
    uploads = changes_report.in_words(by_key["uploads"])
    assert uploads[label_text("rows_loaded")].tolist() == ["1,200"]


def test_a_missing_value_is_a_dash_in_html_and_left_out_of_the_plain_text(found):
    [silent] = [part for part in changes_report.sections(found) if part.key == "silent"]
    assert silent.table["last_activity_on"].isna().all()  # no counted activity on record for either
    html = changes_report.table_html(silent)
    assert "<td" in html and "–</td>" in html
    text = changes_report.sections_text([silent])
    assert "- Solace: ICMA region International\n" in text


def test_text_from_data_is_escaped_in_the_html(found):
    [uploads] = [part for part in changes_report.sections(found) if part.key == "uploads"]
    html = changes_report.table_html(uploads)
    assert "&lt;checkins&gt;.csv" in html and "<checkins>" not in html

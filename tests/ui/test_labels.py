"""ui.labels: a table's columns under their labels, formatted by kind, and its downloads under the same labels."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analytics.figures.exports import to_excel_bytes
from ui.labels import ProfileLinks, column_formats, download_view, label, labelled
from ui.navigation import profile_link_of

ROWS = pd.DataFrame(
    {
        "affiliate_name": ["Cal-ICMA", "Solace", "NFBPA"],
        "profile": ["affiliate?id=state-ca", "affiliate?id=intl-gbr-solace", "affiliate?id=natl-nfbpa"],
        "members": [1100, 520, None],
        "share_icma": [0.6, 45 / 520, None],
        "renewal_due_on": pd.to_datetime(["2029-01-15", "2026-12-31", "2025-03-01"]),
        "relationship_since": [2005, 1987, None],
    }
)


def test_a_table_is_labelled_and_each_column_formatted_by_its_kind(monkeypatch):
    monkeypatch.delenv("AFFILIATE_STALE_AFTER_MONTHS", raising=False)
    view = labelled(ROWS)
    assert view.columns.tolist() == [
        "Affiliate",
        "Profile",
        "Members",
        "Share also in ICMA",
        "Renewal due",
        "Since",
    ]
    formats = column_formats(view)
    assert formats["Members"]["type_config"]["format"] == "localized"  # thousands separators
    assert formats["Share also in ICMA"]["type_config"]["format"] == "percent"
    assert formats["Since"]["type_config"]["format"] == "%d"  # a year, never "2,005"
    assert formats["Renewal due"]["type_config"]["type"] == "date"
    assert formats["Profile"]["type_config"]["display_text"] == "Profile ›"
    assert "Affiliate" not in formats  # plain text needs no format
    assert ROWS.columns[0] == "affiliate_name"  # the frame given is left as it was


def test_a_table_adds_its_own_presentation_to_the_format():
    formats = column_formats(labelled(ROWS), {"members": {"width": "small"}, "affiliate_name": {"pinned": True}})
    assert formats["Members"]["width"] == "small"
    assert formats["Members"]["type_config"]["format"] == "localized"
    assert formats["Affiliate"] == {"pinned": True}


def test_a_column_without_a_label_is_refused():
    with pytest.raises(ValueError, match="no label for the column 'members_typo'"):
        labelled(ROWS.rename(columns={"members": "members_typo"}))


def test_a_download_carries_the_labels_without_links_into_the_app_and_with_excel_formats():
    view, formats = download_view(ROWS)
    assert view.columns.tolist() == ["Affiliate", "Members", "Share also in ICMA", "Renewal due", "Since"]
    assert formats == {
        "Members": "#,##0",
        "Share also in ICMA": "0.0%",
        "Renewal due": "yyyy-mm-dd",
        "Since": "0",
    }
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"affiliates": view}, formats))).active
    headers = [cell.value for cell in sheet[1]]
    assert headers == view.columns.tolist()
    assert sheet.cell(row=2, column=2).number_format == "#,##0"
    assert sheet.cell(row=2, column=3).number_format == "0.0%"
    assert sheet.cell(row=2, column=4).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=2, column=1).number_format == "General"


def test_a_label_reads_the_setting_in_force(monkeypatch):
    monkeypatch.setenv("AFFILIATE_STALE_AFTER_MONTHS", "24")
    assert label("is_inactive") == "No activity in 24 months"
    assert labelled(pd.DataFrame({"is_inactive": ["yes"]})).columns.tolist() == ["No activity in 24 months"]


def test_a_change_reads_with_its_sign_on_the_page_and_in_the_workbook():
    changes = pd.DataFrame({"affiliate_name": ["A", "B"], "change": [1234, -5], "change_pct": [0.123, -0.0004]})
    formats = column_formats(labelled(changes))
    assert formats["Change %"]["type_config"]["format"] == "%+.1f%%"
    assert formats["Change"]["type_config"]["format"] == "localized"  # printf has no thousands separator
    view, excel = download_view(changes)
    assert excel == {"Change": "+#,##0;-#,##0;0", "Change %": "+0.0%;-0.0%;0.0%"}
    assert view["Change %"].tolist() == [0.123, -0.0004]  # downloads keep the share itself


def test_profile_links_are_those_of_each_rows_address_and_none_without_one():
    paths = pd.Series(["affiliate?id=state-ca&as_of=2026-11-27", None, "affiliate?id=natl-nfbpa"], index=[7, 3, 5])
    links = ProfileLinks(paths)
    assert len(links) == 3
    assert links[0] == profile_link_of("affiliate?id=state-ca&as_of=2026-11-27")
    assert dict(links[0].params) == {"id": "state-ca", "as_of": "2026-11-27"}
    assert links[1] is None
    assert links[-1] == profile_link_of("affiliate?id=natl-nfbpa")  # by position, whatever the frame's index
    assert links[1:] == [None, profile_link_of("affiliate?id=natl-nfbpa")]

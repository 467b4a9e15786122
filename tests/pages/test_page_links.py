"""Links inside the app stay in the same tab: no table shows a link column into the app (a LinkColumn opens a
new tab, a new session), and a table whose rows lead somewhere is selectable (ui.labels.show_table's links)."""

from __future__ import annotations

import json

import pytest

from tests.apptest import run_page

AS_OF = {"as_of": "2026-11-27"}
PAGES = {
    "overview": AS_OF,
    "goals": AS_OF,
    "coverage": AS_OF,
    "affiliate": {},  # the registry
    "changes": {"as_of": "2026-11-30", "since": "2025-12-31"},
}


def shown_columns(frame) -> list[str]:
    return list(frame.proto.column_order) or [str(column) for column in frame.value.columns]


def app_link_columns(frame) -> list[str]:
    """Shown link columns whose cells are addresses inside the app (relative: no scheme)."""
    config = json.loads(frame.proto.columns)
    links = [name for name, column in config.items() if column.get("type_config", {}).get("type") == "link"]
    return [
        name
        for name in links
        if name in shown_columns(frame)
        and frame.value[name].dropna().astype(str).map(lambda cell: "://" not in cell).any()
    ]


@pytest.mark.parametrize("page", list(PAGES))
def test_no_table_opens_a_page_of_the_app_in_a_new_tab(monkeypatch, tiny_data_dir, page):
    app = run_page(monkeypatch, tiny_data_dir, page, PAGES[page])
    assert not app.exception
    assert app.dataframe
    for frame in app.dataframe:
        assert app_link_columns(frame) == []
        if "Profile" in frame.value.columns:  # its rows open the profiles: by selection, in the same tab
            assert list(frame.proto.selection_mode) == [0]  # single row


@pytest.mark.parametrize(("page", "column"), [("overview", "Why"), ("goals", "Why"), ("affiliate", "Affiliate status")])
def test_the_rows_of_the_overview_and_goals_tables_lead_to_their_goal_or_profile(
    monkeypatch, tiny_data_dir, page, column
):
    """The Overview's and Goals' tables linked nowhere."""
    app = run_page(monkeypatch, tiny_data_dir, page, PAGES[page])
    tables = [frame for frame in app.dataframe if column in frame.value.columns]
    assert tables
    assert all(list(frame.proto.selection_mode) == [0] for frame in tables)


@pytest.mark.parametrize(
    ("page", "query", "key", "tab"),
    [
        ("coverage", {**AS_OF, "coverage_tab": "By affiliate"}, "coverage_tab", "By affiliate"),
        ("affiliate", {"id": "state-ca", "affiliate_activity_tab": "Work plan item"}, "affiliate_activity_tab", None),
    ],
)
def test_the_chosen_tab_comes_from_the_link(monkeypatch, tiny_data_dir, page, query, key, tab):
    """Tabs were not in the URL: a shared link opened the first one."""
    app = run_page(monkeypatch, tiny_data_dir, page, query)
    assert not app.exception
    assert app.session_state[key] == (tab or query[key])

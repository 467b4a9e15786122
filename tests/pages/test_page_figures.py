"""One fact, one number: each figure read from every page that shows it (AppTest on the tiny data folder)."""

from __future__ import annotations

import pytest

from tests.apptest import metric_values, run_page

AS_OF = "2026-11-27"
# Looser thresholds than the defaults (90% / 70%): some goals at risk by default are on track under them.
LOOSE = {"goals_at_risk_below": "50", "goals_off_track_below": "20"}


def goals_on_track(monkeypatch, data_dir, query: dict[str, str]) -> dict[str, str]:
    """The share of goals on track as each page that shows it says it."""
    overview = metric_values(run_page(monkeypatch, data_dir, query=query))
    goals_page = metric_values(run_page(monkeypatch, data_dir, "goals", query))
    return {"overview": overview["Goals on track"], "goals": goals_page["On track"]}


def test_goals_on_track_is_one_number_under_the_thresholds_in_force(monkeypatch, tiny_data_dir):
    """The Overview read the default thresholds while the Goals page read the link's (57% against 74%)."""
    default = goals_on_track(monkeypatch, tiny_data_dir, {"as_of": AS_OF})
    loose = goals_on_track(monkeypatch, tiny_data_dir, {"as_of": AS_OF, **LOOSE})
    assert default["overview"] == default["goals"]
    assert loose["overview"] == loose["goals"]
    assert loose["goals"] != default["goals"]  # the thresholds matter on this data


@pytest.mark.parametrize("page", ["overview", "goals", "changes", "affiliate"])
def test_the_thresholds_are_the_sidebars_and_travel_in_the_link(monkeypatch, tiny_data_dir, page):
    query = {"as_of": AS_OF, **LOOSE, **({"id": "state-ca"} if page == "affiliate" else {})}
    app = run_page(monkeypatch, tiny_data_dir, page, query)
    assert not app.exception
    assert (app.number_input(key="goals_at_risk_below").value, app.number_input(key="goals_off_track_below").value) == (
        50,
        20,
    )
    assert app.sidebar.number_input  # drawn in the sidebar, on every page


def test_the_profile_counts_statuses_under_the_thresholds_in_force(monkeypatch, tiny_data_dir):
    def statuses(query):
        app = run_page(monkeypatch, tiny_data_dir, "affiliate", {"id": "state-ca", "as_of": AS_OF, **query})
        table = next(frame.value for frame in app.dataframe if "Status" in frame.value.columns)
        return table["Status"].tolist()

    goals_page = run_page(monkeypatch, tiny_data_dir, "goals", {"as_of": AS_OF, **LOOSE})
    listed = [frame.value for frame in goals_page.dataframe if "Goal id" in frame.value.columns][-1]  # the list
    cal_icma = listed[listed["Affiliate"].eq("Cal-ICMA")]["Status"].str.replace(" (stale)", "").tolist()
    assert sorted(status.replace(" (stale)", "") for status in statuses(LOOSE)) == sorted(cal_icma)
    assert statuses(LOOSE) != statuses({})


def test_also_in_icma_is_a_share_where_it_is_a_share_and_a_count_where_it_is_a_count(monkeypatch, tiny_data_dir):
    """ "Also ICMA members" was a share on the Overview and a count on Membership."""
    overview = metric_values(run_page(monkeypatch, tiny_data_dir, query={"as_of": AS_OF}))
    members = metric_values(run_page(monkeypatch, tiny_data_dir, "membership", {"as_of": AS_OF}))
    assert "Also ICMA members" not in overview | members
    assert overview["Share also in ICMA"] == members["Share also in ICMA"]
    assert overview["Share also in ICMA"].endswith("%")
    assert not members["Members also in ICMA"].endswith("%")
    assert overview["Affiliate members"] == members["Affiliate members"]


def test_an_as_of_date_after_the_data_is_clamped_with_a_message(monkeypatch, tiny_data_dir):
    """As of 2030 the Overview showed 0 members next to "25.0% also ICMA"; the tiny data's latest report is
    dated 2026-10-31, so figures stop at 2026-11-30."""
    clamped = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2030-06-30"})
    last = run_page(monkeypatch, tiny_data_dir, query={"as_of": "2026-11-30"})
    assert not clamped.exception
    assert "figures are shown as of 2026-11-30, the end of the month after it, not 2030-06-30" in (
        clamped.warning[0].value
    )
    assert metric_values(clamped) == metric_values(last)
    assert metric_values(clamped)["Affiliate members"] != "0"
    assert not last.warning


@pytest.mark.parametrize("page", ["coverage", "membership", "goals", "changes", "calendar"])
def test_every_page_clamps_the_as_of_date_the_same_way(monkeypatch, tiny_data_dir, page):
    app = run_page(monkeypatch, tiny_data_dir, page, {"as_of": "2030-06-30", "since": "2026-06-30"})
    assert not app.exception
    assert any("figures are shown as of 2026-11-30" in warning.value for warning in app.warning)
    assert any("as of 2026-11-30" in caption.value for caption in app.caption)

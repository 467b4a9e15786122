"""The Coverage page, run by AppTest on the tiny data folder (and on the bundled sample data when present)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics.domain.coverage import SCORE_EXPLANATION
from analytics.figures import maps
from tests.apptest import metric_values, run_page
from tests.conftest import ROOT, add_tiny_candidate

AS_OF = {"as_of": "2026-11-27"}


def figures(app) -> list[dict]:
    return [json.loads(element.proto.spec) for element in app.get("plotly_chart")]


def table_with(app, column: str):
    return next(frame.value for frame in app.dataframe if column in frame.value.columns)


def test_coverage_shows_the_coverage_figures(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF)
    assert not app.exception
    assert metric_values(app) == {
        "Countries covered": "1",
        "International affiliates": "1 of 39",
        # Solace's only activity is after the as-of date; NFBPA has none.
        "Need attention": "2",
        "US states covered": "1",
        "State associations": "1 of 43",
        "Due for renewal in 6 months": "1",
    }
    assert any(SCORE_EXPLANATION in markdown.value for markdown in app.markdown)


def test_coverage_leaves_a_candidate_out_of_every_figure_and_table(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, add_tiny_candidate(tiny_data_dir), "coverage", AS_OF)
    assert not app.exception
    metrics = metric_values(app)
    assert (metrics["International affiliates"], metrics["Countries covered"]) == ("1 of 39", "1")
    world = figures(app)[0]
    locations = {location for trace in world["data"] for location in trace.get("locations") or []}
    assert "FRA" not in locations
    for frame in app.dataframe:
        assert not frame.value.astype(str).apply(lambda column: column.str.contains("UDiTE|European Union")).any().any()


def test_coverage_draws_a_world_map_and_a_us_map(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF)
    world, usa = figures(app)
    assert world["layout"]["geo"]["scope"] == "world"
    assert [trace["locations"] for trace in world["data"] if trace["type"] == "choropleth"] == [["GBR"]]
    assert usa["layout"]["geo"]["scope"] == "usa"
    drawn = {location for trace in usa["data"] if trace["type"] == "choropleth" for location in trace["locations"]}
    assert drawn == {"CA", "TX", "VT"}


def test_coverage_tables_carry_the_map_numbers_and_profile_links(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF)
    countries = table_with(app, "ISO-3")
    assert countries.iloc[0]["Country"] == "United Kingdom"
    assert countries.iloc[0]["Worst agreement status"] == "due for renewal"
    states = table_with(app, "ICMA region").set_index("State")
    assert states.loc["CA", "Members"] == 1100
    assert states.loc["CA", "Share also in ICMA"] == pytest.approx(0.6)
    assert states.loc["CA", "Profile"] == "affiliate?id=state-ca&as_of=2026-11-27"
    assert states.loc["VT", "Association"] == "no"
    national = table_with(app, "Serves")
    assert national.iloc[0]["Agreement status"] == "lapsed"
    assert pd.isna(national.iloc[0]["Members"])  # NFBPA has no membership snapshots
    international = table_with(app, "Liaison").set_index("Affiliate")
    assert international.loc["Solace", "Members"] == 520
    assert international.loc["Solace", "Share also in ICMA"] == pytest.approx(45 / 520)
    assert len(app.get("download_button")) >= 8


def test_coverage_filters_come_from_the_url(monkeypatch, tiny_data_dir):
    app = run_page(
        monkeypatch,
        tiny_data_dir,
        "coverage",
        {**AS_OF, "coverage_status": "lapsed", "coverage_measure": "Activity score"},
    )
    assert not app.exception
    metrics = metric_values(app)
    assert metrics["Countries covered"] == "0"
    assert metrics["State associations"] == "0 of 43"
    assert any("No international affiliate" in info.value for info in app.info)
    assert table_with(app, "Serves")["Affiliate"].tolist() == ["National Forum for Black Public Administrators"]


def test_coverage_world_map_can_be_coloured_by_agreement_status(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", {**AS_OF, "coverage_colour": "Agreement status"})
    world = figures(app)[0]
    assert [trace["name"] for trace in world["data"] if trace.get("showlegend", True)] == ["Due for renewal"]


def test_coverage_activity_window_changes_the_score(monkeypatch, tiny_data_dir):
    one_year = table_with(run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF), "ICMA region")
    three_years = table_with(
        run_page(monkeypatch, tiny_data_dir, "coverage", {**AS_OF, "coverage_window": "36"}), "ICMA region"
    )
    # Cal-ICMA: a work-plan item (2) in the last year, plus a 2024 publication (2) within three years.
    assert one_year.set_index("State").loc["CA", "Activity score"] == 2
    assert three_years.set_index("State").loc["CA", "Activity score"] == 4


def test_coverage_flags_low_confidence_facts(monkeypatch, tiny_data_dir):
    path = tiny_data_dir / "affiliates.csv"
    path.write_text(path.read_text().replace("https://example.org/nfbpa,high", "https://example.org/nfbpa,low"))
    app = run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF)
    assert table_with(app, "Serves").iloc[0]["Confidence"] == "⚠️ low"


def test_coverage_with_no_matching_affiliate_is_a_friendly_message(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", {"region": "Southeast"})
    assert not app.exception
    assert "No affiliate matches" in app.info[0].value


def test_coverage_names_a_broken_folder(monkeypatch, tiny_data_dir):
    (tiny_data_dir / "activities.csv").unlink()
    app = run_page(monkeypatch, tiny_data_dir, "coverage")
    assert not app.exception
    assert "activities" in app.error[0].value


@pytest.mark.skipif(not (ROOT / "data" / "affiliates.csv").exists(), reason="bundled sample data not generated yet")
def test_coverage_runs_on_the_bundled_sample_data(monkeypatch, bundled_data_dir):
    app = run_page(monkeypatch, bundled_data_dir, "coverage")
    assert not app.exception
    assert not app.error
    world, usa = figures(app)
    assert sum(len(trace.get("locations") or trace.get("lat") or []) for trace in world["data"]) >= 20


@pytest.mark.parametrize("folder", ["tiny", "bundled"])
def test_coverage_need_attention_card_counts_the_rows_of_its_list(monkeypatch, request, folder):
    """The card and the list under it read one definition (coverage.relationships_needing_attention): the card
    said 12 while the list had 23 rows when the card counted only the inactive relationships."""
    if folder == "bundled" and not (ROOT / "data" / "affiliates.csv").exists():
        pytest.skip("bundled sample data not generated yet")
    data_dir = request.getfixturevalue(f"{folder}_data_dir")
    app = run_page(monkeypatch, data_dir, "coverage", AS_OF)
    assert not app.exception
    listed = table_with(app, "Why it needs attention")
    assert metric_values(app)["Need attention"] == str(len(listed))
    assert listed["Why it needs attention"].str.len().gt(0).all()


def test_coverage_world_map_shows_the_part_of_the_world_in_the_url(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", {**AS_OF, "coverage_world_view": "Europe"})
    world = figures(app)[0]
    assert world["layout"]["title"]["text"].endswith("(Europe)")
    assert world["layout"]["geo"]["lonaxis"]["range"] == list(maps.WORLD_VIEWS["europe"][0])


# A 390 px phone leaves 358 px for a table (16 px of page margin each side), less 32 px for the selection boxes.
PHONE_TABLE_WIDTH = 390 - 2 * 16 - 32


def test_the_attention_table_shows_who_and_why_side_by_side_on_a_phone(monkeypatch, tiny_data_dir):
    app = run_page(monkeypatch, tiny_data_dir, "coverage", AS_OF)
    frame = next(frame for frame in app.dataframe if "Why it needs attention" in frame.value.columns)
    shown = list(frame.proto.column_order) or list(frame.value.columns)
    assert shown[:2] == ["Affiliate", "Why it needs attention"]
    widths = json.loads(frame.proto.columns)
    assert sum(widths[column]["width"] for column in shown[:2]) <= PHONE_TABLE_WIDTH

"""Coverage maps on tiny hand-written frames: what each figure draws, where, and what it says on hover."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.domain import coverage
from analytics.figures import maps

AS_OF = date(2025, 6, 30)

AFFILIATES = pd.DataFrame(
    [
        # India has two affiliates: one lively, one quiet; Malta is too small for the map.
        ("intl-ind-a", "India A", "international", "IND", "India", None, "International", 1990, "high"),
        ("intl-ind-b", "India B", "international", "IND", "India", None, "International", 2005, "low"),
        ("intl-mlt-x", "Malta X", "international", "MLT", "Malta", None, "International", None, "medium"),
        ("intl-gbr-s", "Solace", "international", "GBR", "United Kingdom", None, "International", 1987, "high"),
        ("state-ca", "Cal-ICMA", "state", "USA", "United States", "CA", "West Coast", 2005, "high"),
        ("state-tx", "TCMA", "state", "USA", "United States", "TX", "Mountain Plains", None, "medium"),
    ],
    columns=[
        "affiliate_id",
        "name",
        "affiliate_type",
        "country_iso3",
        "country_name",
        "state_code",
        "icma_region",
        "relationship_since",
        "confidence",
    ],
)
AGREEMENTS = pd.DataFrame(
    [
        ("AG-a", "intl-ind-a", "L1", date(2022, 1, 1), date(2027, 1, 1)),
        ("AG-b", "intl-ind-b", "L1", date(2019, 1, 1), date(2024, 1, 1)),  # lapsed
        ("AG-s", "intl-gbr-s", "L1", date(2021, 1, 1), date(2025, 9, 1)),  # due for renewal
        ("AG-ca", "state-ca", "L2", date(2024, 1, 1), date(2029, 1, 1)),
    ],
    columns=["agreement_id", "affiliate_id", "liaison_id", "signed_on", "renewal_due_on"],
)
ACTIVITIES = pd.DataFrame(
    [
        ("A1", "intl-ind-a", "L1", "conference_attendance", date(2025, 3, 1), "Visit", "done"),
        ("A2", "intl-ind-a", "L1", "member_exchange", date(2025, 4, 1), "Exchange", "done"),
        ("A3", "intl-ind-b", "L1", "publication_contribution", date(2025, 5, 1), "Article", "done"),
        ("A4", "state-ca", "L2", "work_plan_item", date(2025, 2, 1), "Webinar", "done"),
    ],
    columns=["activity_id", "affiliate_id", "liaison_id", "activity_type", "occurred_on", "title", "status"],
)
LIAISONS = pd.DataFrame({"liaison_id": ["L1", "L2"], "name": ["Ada Lovelace", "Bob Marley"]})
STATES = pd.DataFrame(
    {
        "state_code": ["CA", "TX", "VT"],
        "state_name": ["California", "Texas", "Vermont"],
        "icma_region": ["West Coast", "Mountain Plains", "Northeast"],
    }
)
MEMBERSHIP = pd.DataFrame(
    {
        "affiliate_id": ["state-ca", "state-ca"],
        "snapshot_on": [date(2024, 6, 30), date(2025, 6, 30)],
        "members": [1000, 1100],
        "icma_members": [500, 660],
    }
)


@pytest.fixture
def affiliate_frame() -> pd.DataFrame:
    return coverage.affiliate_coverage(
        AFFILIATES, AGREEMENTS, ACTIVITIES, LIAISONS, AS_OF, renewal_window_months=6, inactive_after_months=12
    )


@pytest.fixture
def countries(affiliate_frame) -> pd.DataFrame:
    return coverage.coverage_by_country(affiliate_frame)


def traces_of(figure, trace_type: str) -> list:
    return [trace for trace in figure.data if trace.type == trace_type]


def locations(figure, trace_type: str = "choropleth") -> set[str]:
    return {location for trace in traces_of(figure, trace_type) for location in trace.locations}


# --- world --------------------------------------------------------------------------------------------


def test_world_map_shows_the_whole_world_at_the_resolution_that_has_small_countries(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    geo = figure.layout.geo
    assert (geo.scope, geo.resolution, geo.fitbounds) == ("world", 50, False)
    assert {trace.locationmode for trace in traces_of(figure, "choropleth")} == {"ISO-3"}


def test_world_map_draws_countries_as_shapes_and_small_countries_as_markers(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    assert locations(figure) == {"IND", "GBR"}
    markers = traces_of(figure, "scattergeo")
    assert len(markers) == 1
    assert (markers[0].lat[0], markers[0].lon[0]) == coverage.MARKER_COORDINATES["MLT"]
    assert "small country" in markers[0].name


def test_world_map_adds_up_a_country_with_two_affiliates(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    india = next(row for trace in traces_of(figure, "choropleth") for row in trace.customdata if row[0] == "IND")
    assert india[2] == 2  # affiliates
    assert india[3] == 3 + 3 + 2  # conference + exchange + publication
    assert "India A" in india[6] and "India B" in india[6]


def test_world_map_hover_names_each_affiliate_its_year_liaison_and_last_activity(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    india = next(row for trace in figure.data for row in trace.customdata if row[0] == "IND")
    assert "India A</b> · since 1990 · liaison Ada Lovelace · last activity 2025-04-01" in india[6]
    malta = next(row for trace in figure.data for row in trace.customdata if row[0] == "MLT")
    assert "since unknown · liaison none · last activity none" in malta[6]


def test_world_map_names_every_category_in_its_legend(affiliate_frame, countries):
    by_activity = maps.world_coverage_map(countries, affiliate_frame, "activity")
    assert {trace.name for trace in traces_of(by_activity, "choropleth")} == {"Medium activity", "No activity"}
    by_agreement = maps.world_coverage_map(countries, affiliate_frame, "agreement")
    names = {trace.name for trace in by_agreement.data}
    # India's worst agreement is B's lapsed one; Malta has none.
    assert names == {"Agreement lapsed", "Due for renewal", "No agreement (small country)"}


def test_country_category_follows_the_worst_agreement(countries):
    categories = dict(zip(countries["country_iso3"], maps.country_category(countries, "agreement"), strict=True))
    assert categories == {"GBR": "due_for_renewal", "IND": "lapsed", "MLT": maps.NO_AGREEMENT}
    with pytest.raises(ValueError, match="colouring"):
        maps.country_category(countries, "rainbow")


def test_world_map_without_countries_is_a_friendly_empty_figure(affiliate_frame):
    empty = coverage.coverage_by_country(affiliate_frame[affiliate_frame["affiliate_type"].eq("state")])
    figure = maps.world_coverage_map(empty, affiliate_frame)
    assert not figure.data
    assert "No international affiliate" in figure.layout.annotations[0].text


def test_country_table_has_the_map_numbers_and_the_lowest_confidence(affiliate_frame, countries):
    table = maps.country_table(countries, affiliate_frame).set_index("country_iso3")
    assert list(table.columns) == list(maps.COUNTRY_TABLE_COLUMNS[1:])
    assert table.loc["IND", "count_affiliates"] == 2
    assert table.loc["IND", "lowest_confidence"] == "low"
    assert table.loc["MLT", "lowest_confidence"] == "medium"
    assert bool(table.loc["MLT", "is_small_country"])


def test_maps_do_not_change_their_inputs(affiliate_frame, countries):
    before = (affiliate_frame.copy(), countries.copy())
    maps.world_coverage_map(countries, affiliate_frame, "agreement")
    maps.country_table(countries, affiliate_frame)
    pd.testing.assert_frame_equal(affiliate_frame, before[0])
    pd.testing.assert_frame_equal(countries, before[1])


# --- United States --------------------------------------------------------------------------------------


@pytest.fixture
def states(affiliate_frame) -> pd.DataFrame:
    return coverage.coverage_by_state(affiliate_frame, STATES, MEMBERSHIP, AS_OF, measure="share_icma")


def test_us_map_draws_states_by_code_in_the_usa_scope(states):
    figure = maps.us_coverage_map(states, "share_icma")
    assert figure.layout.geo.scope == "usa"
    assert {trace.locationmode for trace in traces_of(figure, "choropleth")} == {"USA-states"}
    assert locations(figure) == {"CA", "TX", "VT"}


def test_us_map_separates_states_without_association_or_without_figures(states):
    figure = maps.us_coverage_map(states, "share_icma")
    by_name = {trace.name: set(trace.locations) for trace in traces_of(figure, "choropleth")}
    assert by_name == {
        "No affiliated association": {"VT"},
        "Association, no figure for Share also in ICMA": {"TX"},
        "Share also in ICMA": {"CA"},
    }
    valued = next(trace for trace in figure.data if trace.name == "Share also in ICMA")
    assert valued.z[0] == pytest.approx(0.6)
    assert valued.coloraxis == "coloraxis"
    assert figure.layout.coloraxis.colorbar.tickformat == ".0%"
    assert figure.layout.coloraxis.colorbar.title.text == "Share also in ICMA"


def test_us_map_labels_the_icma_regions_and_fades_the_others_when_one_is_highlighted(states):
    figure = maps.us_coverage_map(states, "share_icma", highlight_region="West Coast")
    labels = traces_of(figure, "scattergeo")[0]
    assert "<b>WEST COAST</b>" in labels.text
    assert "NORTHEAST" in labels.text
    opacity = {
        location: trace.marker.opacity for trace in traces_of(figure, "choropleth") for location in trace.locations
    }
    assert opacity == {"CA": 1.0, "TX": maps.FADED_OPACITY, "VT": maps.FADED_OPACITY}
    # Faded states keep their values on the shared colour scale and say why they are faded.
    assert any(trace.name.endswith("(outside West Coast)") for trace in figure.data)


def test_us_map_hover_says_what_a_state_has(states):
    figure = maps.us_coverage_map(states, "share_icma")
    hover = {
        location: text
        for trace in traces_of(figure, "choropleth")
        for location, text in zip(trace.locations, trace.text, strict=True)
    }
    assert "Cal-ICMA" in hover["CA"]
    assert "also in ICMA 60%" in hover["CA"]
    assert "growth over a year +10.0%" in hover["CA"]
    assert "No affiliated state association" in hover["VT"]


def test_us_map_growth_uses_a_diverging_scale_around_zero(affiliate_frame):
    states = coverage.coverage_by_state(affiliate_frame, STATES, MEMBERSHIP, AS_OF, measure="growth_1y")
    figure = maps.us_coverage_map(states, "growth_1y")
    assert figure.layout.coloraxis.cmid == 0
    assert figure.layout.coloraxis.colorbar.tickformat == "+.1%"


def test_us_map_refuses_an_unknown_measure(states):
    with pytest.raises(ValueError, match="measure"):
        maps.us_coverage_map(states, "happiness")


# --- tables -------------------------------------------------------------------------------------------


def test_membership_measures_read_like_the_state_map_for_any_affiliate():
    snapshots = pd.DataFrame(
        {
            "affiliate_id": ["natl-a", "natl-a", "natl-b", "natl-c"],
            "snapshot_on": [date(2024, 6, 30), date(2025, 6, 30), date(2025, 5, 31), date(2025, 7, 31)],
            "members": [100, 110, 0, 50],
            "icma_members": [10, 22, 0, 5],
        }
    )
    measures = maps.membership_measures(snapshots, AS_OF).set_index("affiliate_id")
    assert measures.loc["natl-a", "members"] == 110
    assert measures.loc["natl-a", "share_icma"] == pytest.approx(0.2)
    assert measures.loc["natl-a", "growth_1y"] == pytest.approx(0.1)
    assert pd.isna(measures.loc["natl-b", "share_icma"])  # no members to divide by
    assert pd.isna(measures.loc["natl-b", "growth_1y"])  # no snapshot a year earlier
    assert "natl-c" not in measures.index  # its only snapshot is after the as-of date

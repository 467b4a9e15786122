"""Coverage maps on tiny hand-written frames: what each figure draws, where, and what it says on hover."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

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


def drawn_markers(figure) -> list:
    """The marker traces drawn on the map (not the legend's own entries, which have no point)."""
    return [
        trace
        for trace in traces_of(figure, "scattergeo")
        if trace.mode == "markers" and any(lat is not None for lat in trace.lat)
    ]


def legend_names(figure) -> list[str]:
    return [trace.name for trace in figure.data if trace.showlegend is not False]


def customdata_rows(figure) -> list:
    return [row for trace in figure.data if trace.customdata is not None for row in trace.customdata]


# --- world --------------------------------------------------------------------------------------------


def test_world_map_shows_the_whole_world_at_the_resolution_that_has_small_countries(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    geo = figure.layout.geo
    assert (geo.scope, geo.resolution, geo.fitbounds) == ("world", 50, False)
    assert {trace.locationmode for trace in traces_of(figure, "choropleth")} == {"ISO-3"}


def test_world_map_draws_countries_as_shapes_and_small_countries_as_markers(affiliate_frame, countries):
    figure = maps.world_coverage_map(countries, affiliate_frame)
    assert locations(figure) == {"IND", "GBR"}
    markers = drawn_markers(figure)
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
    india = next(row for row in customdata_rows(figure) if row[0] == "IND")
    assert "India A</b> · since 1990 · liaison Ada Lovelace · last activity 2025-04-01" in india[6]
    malta = next(row for row in customdata_rows(figure) if row[0] == "MLT")
    assert "since unknown · liaison none · last activity none" in malta[6]


def test_world_map_names_every_category_in_its_legend(affiliate_frame, countries):
    by_activity = maps.world_coverage_map(countries, affiliate_frame, "activity")
    assert {trace.name for trace in traces_of(by_activity, "choropleth")} == {"Medium activity", "No activity"}
    # One legend entry per category, small countries included, in the order of the levels.
    assert legend_names(by_activity) == ["No activity", "Medium activity"]
    by_agreement = maps.world_coverage_map(countries, affiliate_frame, "agreement")
    # India's worst agreement is B's lapsed one; Malta has none.
    assert legend_names(by_agreement) == ["Due for renewal", "Agreement lapsed", "No agreement"]
    assert by_agreement.layout.showlegend is True


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


# --- small countries ------------------------------------------------------------------------------------

WORLD_OUTLINES = Path(__file__).resolve().parents[2] / "static" / "topojson" / "world_50m.json"
BUNDLED_AFFILIATES = Path(__file__).resolve().parents[2] / "data" / "affiliates.csv"
# A country whose largest piece of land spans less than this (longitude by latitude, in square degrees) is a
# few pixels wide on the world map at 1440 px, and under two pixels on a phone.
SMALL_SQUARE_DEGREES = 3.0


def largest_piece_square_degrees(topology: dict, country_iso3: str) -> float:
    """The bounding box, in square degrees, of the largest outer ring of a country in a TopoJSON topology."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]

    def points(arc_index: int) -> list[tuple[float, float]]:
        x = y = 0
        decoded = []
        for step_x, step_y in topology["arcs"][arc_index if arc_index >= 0 else ~arc_index]:
            x, y = x + step_x, y + step_y
            decoded.append((x * scale_x + shift_x, y * scale_y + shift_y))
        return decoded

    largest = 0.0
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") != country_iso3:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            ring = [point for arc in polygon[0] for point in points(arc)]
            longitudes, latitudes = [point[0] for point in ring], [point[1] for point in ring]
            largest = max(largest, (max(longitudes) - min(longitudes)) * (max(latitudes) - min(latitudes)))
    return largest


def test_every_affiliate_country_drawn_a_few_pixels_wide_gets_a_marker():
    topology = json.loads(WORLD_OUTLINES.read_text(encoding="utf-8"))
    countries = set(pd.read_csv(BUNDLED_AFFILIATES)["country_iso3"].dropna())
    small = {iso3 for iso3 in countries if largest_piece_square_degrees(topology, iso3) < SMALL_SQUARE_DEGREES}
    assert {"PSE", "SWZ"} <= small  # Palestine 0.9, Eswatini 2.0 square degrees
    assert small <= coverage.SMALL_COUNTRIES
    assert all(iso3 in coverage.MARKER_COORDINATES for iso3 in coverage.SMALL_COUNTRIES)


NEIGHBOURS = pd.DataFrame(
    [
        ("intl-isr", "Israel X", "international", "ISR", "Israel", None, "International", 2010, "high"),
        ("intl-pse", "Palestine Y", "international", "PSE", "Palestine", None, "International", 2012, "medium"),
        ("intl-swz", "Eswatini Z", "international", "SWZ", "Eswatini", None, "International", None, "low"),
        ("intl-zaf", "South Africa W", "international", "ZAF", "South Africa", None, "International", 1999, "high"),
    ],
    columns=AFFILIATES.columns,
)


@pytest.fixture
def neighbours() -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = coverage.affiliate_coverage(
        NEIGHBOURS,
        AGREEMENTS.iloc[0:0],
        ACTIVITIES.iloc[0:0],
        LIAISONS,
        AS_OF,
        renewal_window_months=6,
        inactive_after_months=12,
    )
    return coverage.coverage_by_country(frame), frame


def test_small_neighbours_get_markers_apart_each_naming_its_own_country(neighbours):
    countries, frame = neighbours
    figure = maps.world_coverage_map(countries, frame)
    points = {
        row[0]: (lat, lon)
        for trace in drawn_markers(figure)
        for lat, lon, row in zip(trace.lat, trace.lon, trace.customdata, strict=True)
    }
    assert set(points) == {"ISR", "PSE", "SWZ"}
    assert "ZAF" in locations(figure)  # large enough to draw and click
    # Israel's and Palestine's markers stand apart (their own points are 45 km apart), each at its own place,
    # with a line back to the country; a click on a marker names the country of that marker.
    assert points["ISR"] == maps.MARKER_PLACES["ISR"] and points["PSE"] == maps.MARKER_PLACES["PSE"]
    israel, palestine = points["ISR"], points["PSE"]
    assert abs(israel[1] - palestine[1]) > 5
    lines = next(trace for trace in traces_of(figure, "scattergeo") if trace.mode == "lines")
    assert coverage.MARKER_COORDINATES["PSE"][0] in lines.lat
    assert points["SWZ"] == coverage.MARKER_COORDINATES["SWZ"]
    assert all(trace.marker.size >= maps.SMALL_COUNTRY_MARKER_SIZE for trace in drawn_markers(figure))


def test_world_map_categories_differ_by_marker_shape_as_well_as_colour():
    for categories in (("none", "low", "medium", "high"), ("active", "due_for_renewal", "lapsed", maps.NO_AGREEMENT)):
        assert len({maps.CATEGORY_SYMBOLS[category] for category in categories}) == len(categories)


def test_world_map_views_zoom_on_a_part_of_the_world(affiliate_frame, countries):
    europe = maps.world_coverage_map(countries, affiliate_frame, view="europe")
    assert tuple(europe.layout.geo.lonaxis.range) == maps.WORLD_VIEWS["europe"][0]
    assert europe.layout.title.text.endswith("(Europe)")
    with pytest.raises(ValueError, match="view"):
        maps.world_coverage_map(countries, affiliate_frame, view="mars")


def test_us_map_keeps_a_single_legend_entry(states):
    # Every state but one has a figure (named by the colour bar): the one legend entry left is still shown.
    figure = maps.us_coverage_map(states[states["state_code"].ne("TX")], "share_icma")
    assert legend_names(figure) == ["No affiliated association"]
    assert figure.layout.showlegend is True

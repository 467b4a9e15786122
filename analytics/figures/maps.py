"""The coverage maps: pure functions from coverage frames to plotly figures, and the tables beside them.

`world_coverage_map` draws the countries of `analytics.domain.coverage.coverage_by_country` on the world
map, coloured by activity level or by agreement status; `us_coverage_map` draws the states of
`coverage_by_state`, coloured by a chosen measure, with ICMA's US regions labelled and one region
highlightable. Colour is never the only cue: every category is named in the legend, every location
names its figures on hover, and the page puts a table with the same numbers beside each map.

The outlines come from the topojson files the app serves itself (static/topojson/): the world map
asks for `world_50m.json` (resolution 50, which has the small countries) and the US map for
`usa_110m.json`. Countries too small to see even there (`coverage.SMALL_COUNTRIES`) are drawn as
markers at their `lat`/`lon`. The maps never change their input frames.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics.core.schema import CONFIDENCE_LEVELS
from analytics.domain import coverage
from analytics.domain.coverage import STATE_MEASURES
from analytics.figures.theme import empty_figure, legend_below, plain_texts, themed

# What a world map may be coloured by.
WORLD_COLOURINGS: tuple[str, ...] = ("activity", "agreement")
NO_AGREEMENT = "no agreement"

# Activity levels: more alive is a darker blue; no activity at all is a light orange, apart from the blues
# (and from the land of countries without an affiliate) for every kind of colour vision.
ACTIVITY_LEVEL_COLORS: dict[str, str] = {
    "none": "#F4A582",
    "low": "#9ECAE1",
    "medium": "#4292C6",
    "high": "#08306B",
}
# Agreement statuses on the same blue-to-orange scale as the goal statuses, then no agreement (grey).
AGREEMENT_STATUS_COLORS: dict[str, str] = {
    "active": "#2171B5",
    "due_for_renewal": "#FDB863",
    "lapsed": "#B35806",
    NO_AGREEMENT: "#BDBDBD",
}
CATEGORY_LABELS: dict[str, str] = {
    "none": "No activity",
    "low": "Low activity",
    "medium": "Medium activity",
    "high": "High activity",
    "active": "Agreement active",
    "due_for_renewal": "Due for renewal",
    "lapsed": "Agreement lapsed",
    NO_AGREEMENT: "No agreement",
}
# The shape of each category's marker (small countries, and the legend): the category reads without colour.
CATEGORY_SYMBOLS: dict[str, str] = {
    "none": "circle-open",
    "low": "circle",
    "medium": "square",
    "high": "diamond",
    "active": "circle",
    "due_for_renewal": "triangle-up",
    "lapsed": "x",
    NO_AGREEMENT: "circle-open",
}
# Where a small country's marker goes when its own point is too close to a neighbour's (Tel Aviv and
# Ramallah are 45 km apart): (latitude, longitude), by hand, with a line drawn back to the country.
MARKER_PLACES: dict[str, tuple[float, float]] = {
    "ISR": (33.2, 30.6),  # over the sea, west
    "PSE": (30.8, 39.4),  # east
}
# The parts of the world the map can show: longitude and latitude ranges, in degrees.
WORLD_VIEWS: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {
    "world": ((-180.0, 180.0), (-58.0, 85.0)),
    "americas": ((-130.0, -55.0), (5.0, 62.0)),
    "europe": ((-12.0, 46.0), (35.0, 71.5)),
    "africa_middle_east": ((-20.0, 60.0), (-36.0, 42.0)),
    "asia_pacific": ((65.0, 180.0), (-48.0, 40.0)),
}
WORLD_VIEW_LABELS: dict[str, str] = {
    "world": "The world",
    "americas": "The Americas",
    "europe": "Europe",
    "africa_middle_east": "Africa and the Middle East",
    "asia_pacific": "Asia and the Pacific",
}

MEASURE_LABELS: dict[str, str] = {
    "members": "Members",
    "icma_members": "Members also in ICMA",
    "share_icma": "Share also in ICMA",
    "growth_1y": "Growth over a year",
    "activity_score": "Activity score",
}
# d3 formats for each measure, on the colour bar and in hover text.
MEASURE_FORMATS: dict[str, str] = {
    "members": ",.0f",
    "icma_members": ",.0f",
    "share_icma": ".0%",
    "growth_1y": "+.1%",
    "activity_score": ",.0f",
}
NO_ASSOCIATION_COLOR = "#DDDDDD"
# Blues that start well above white, so the smallest value never looks like "no association".
MEASURE_COLORSCALE: list[list[float | str]] = [[0.0, "#C6DBEF"], [0.5, "#4292C6"], [1.0, "#08306B"]]
NO_FIGURE_COLOR = "#8C8C8C"
FADED_OPACITY = 0.25
SMALL_COUNTRY_MARKER_SIZE = 13
MARKER_EDGE = "#222222"

# Where each ICMA US region's name is written on the US map: (latitude, longitude), by hand.
REGION_LABEL_POSITIONS: dict[str, tuple[float, float]] = {
    "West Coast": (41.0, -121.5),
    "Mountain Plains": (38.5, -104.0),
    "Midwest": (43.5, -89.5),
    "Southeast": (33.0, -85.5),
    "Northeast": (42.8, -75.5),
}

MEMBERSHIP_MEASURE_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "snapshot_on",
    "members",
    "icma_members",
    "share_icma",
    "growth_1y",
)
COUNTRY_TABLE_COLUMNS: tuple[str, ...] = (
    "country_iso3",
    "country_name",
    "count_affiliates",
    "affiliate_names",
    "activity_score",
    "activity_level",
    "worst_agreement_status",
    "last_activity_on",
    "relationship_since",
    "liaison_names",
    "count_needs_attention",
    "lowest_confidence",
    "is_small_country",
)


# --- helpers ----------------------------------------------------------------------------------------


def _date_text(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("none")


def _year_text(values: pd.Series) -> pd.Series:
    return values.astype("Int64").astype("string").fillna("unknown")


def _geo_layout(figure: go.Figure, **geo: object) -> None:
    figure.update_geos(
        showland=True,
        landcolor="#FAFAFA",
        showcountries=True,
        countrycolor="#B0B0B0",
        showcoastlines=True,
        coastlinecolor="#B0B0B0",
        showframe=False,
        bgcolor="rgba(0,0,0,0)",
        **geo,
    )


def country_category(countries: pd.DataFrame, colour_by: str) -> pd.Series:
    """The category each country is coloured by: its activity level, or its worst agreement status."""
    if colour_by not in WORLD_COLOURINGS:
        raise ValueError(f"unknown colouring {colour_by!r}; choose one of {', '.join(WORLD_COLOURINGS)}")
    if colour_by == "activity":
        return countries["activity_level"].astype("object").fillna("none")
    return (
        countries["worst_agreement_status"]
        .astype("object")
        .where(countries["worst_agreement_status"].notna(), NO_AGREEMENT)
    )


def country_hover_lines(affiliate_coverage_frame: pd.DataFrame) -> pd.Series:
    """Per country_iso3, one line per international affiliate: name, since, liaison, last activity."""
    international = affiliate_coverage_frame[affiliate_coverage_frame["affiliate_type"].eq("international")]
    if international.empty:
        return pd.Series(dtype="str", name="affiliate_lines")
    lines = (
        "<b>"
        + plain_texts(international["name"])
        + "</b> · since "
        + _year_text(international["relationship_since"])
        + " · liaison "
        + plain_texts(international["liaison_name"], missing="none")
        + " · last activity "
        + _date_text(international["last_activity_on"])
    )
    return (
        international.assign(line=lines)
        .sort_values(["country_iso3", "name"])
        .groupby("country_iso3")["line"]
        .agg("<br>".join)
        .rename("affiliate_lines")
    )


def lowest_confidence(affiliate_coverage_frame: pd.DataFrame, by: str) -> pd.Series:
    """Per value of `by`, the lowest confidence (high > medium > low) among its affiliates' facts."""
    rank = {level: position for position, level in enumerate(CONFIDENCE_LEVELS)}
    ranks = affiliate_coverage_frame["confidence"].map(rank)
    worst = ranks.groupby(affiliate_coverage_frame[by]).max()
    return worst.map(dict(enumerate(CONFIDENCE_LEVELS))).rename("lowest_confidence")


def country_table(countries: pd.DataFrame, affiliate_coverage_frame: pd.DataFrame) -> pd.DataFrame:
    """The world map's numbers as a table: one row per country, with the lowest confidence of its facts.

    Columns: `COUNTRY_TABLE_COLUMNS`, sorted by country name.
    """
    confidence = lowest_confidence(
        affiliate_coverage_frame[affiliate_coverage_frame["affiliate_type"].eq("international")], "country_iso3"
    )
    table = countries.merge(confidence, left_on="country_iso3", right_index=True, how="left")
    return table.sort_values("country_name")[list(COUNTRY_TABLE_COLUMNS)].reset_index(drop=True)


def membership_measures(membership: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per affiliate with a snapshot by `as_of`: the US map's membership measures, for any affiliate.

    One row per affiliate, columns `MEMBERSHIP_MEASURE_COLUMNS`: members and icma_members of the
    latest snapshot on or before `as_of`, share_icma (empty when members is 0) and growth_1y
    against the snapshot of the same calendar month a year earlier (empty without one). It uses
    the very rule of `coverage.coverage_by_state`, so a national affiliate's figures in a table
    read the same way as a state's on the map.
    """
    snapshots = coverage._membership_now_and_year_earlier(membership, pd.Timestamp(as_of).normalize())
    members = snapshots["members"].astype("Float64")
    earlier = snapshots["members_year_earlier"].astype("Float64")
    result = snapshots.assign(
        members=snapshots["members"].astype("Int64"),
        icma_members=snapshots["icma_members"].astype("Int64"),
        share_icma=(snapshots["icma_members"].astype("Float64") / members.where(members > 0)).astype("float64"),
        growth_1y=(members / earlier.where(earlier > 0) - 1).astype("float64"),
    )
    return result.sort_values("affiliate_id")[list(MEMBERSHIP_MEASURE_COLUMNS)].reset_index(drop=True)


# --- world ------------------------------------------------------------------------------------------


def marker_places(countries: pd.DataFrame) -> pd.DataFrame:
    """Where each small country's marker is drawn: `MARKER_PLACES` when it has one, else its own point.

    Columns: country_iso3, lat, lon (the marker), point_lat, point_lon (the country's own point).
    """
    small = countries[countries["is_small_country"] & countries["lat"].notna() & countries["lon"].notna()]
    placed = small["country_iso3"].map(MARKER_PLACES)
    is_placed = placed.notna()
    return pd.DataFrame(
        {
            "country_iso3": small["country_iso3"],
            "lat": small["lat"].mask(is_placed, placed[is_placed].map(lambda place: place[0])),
            "lon": small["lon"].mask(is_placed, placed[is_placed].map(lambda place: place[1])),
            "point_lat": small["lat"],
            "point_lon": small["lon"],
        },
        index=small.index,
    )


def _category_marker(category: str, color: str) -> dict:
    symbol = CATEGORY_SYMBOLS[category]
    is_open = symbol.endswith("-open") or symbol == "x"
    return {
        "size": SMALL_COUNTRY_MARKER_SIZE,
        "symbol": symbol,
        "color": color,
        "line": {"color": color if is_open else MARKER_EDGE, "width": 3 if is_open else 1.2},
    }


def world_coverage_map(
    countries: pd.DataFrame,
    affiliate_coverage_frame: pd.DataFrame,
    colour_by: str = "activity",
    view: str = "world",
) -> go.Figure:
    """Countries with international affiliates, coloured by activity level or worst agreement status.

    `countries` is `coverage_by_country(...)`; `affiliate_coverage_frame` gives the hover lines; `view`
    is one of `WORLD_VIEWS`. Each category is named in the legend with its colour and marker shape;
    countries large enough to see are filled in its colour, small ones (`is_small_country`) drawn as its
    marker as well, at `marker_places` (with a line back to the country when the marker stands apart).
    Each location's customdata starts with its country_iso3, so a click names the country clicked.
    """
    if colour_by not in WORLD_COLOURINGS:
        raise ValueError(f"unknown colouring {colour_by!r}; choose one of {', '.join(WORLD_COLOURINGS)}")
    if view not in WORLD_VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(WORLD_VIEWS)}")
    title = "International affiliates by country: " + (
        "activity level" if colour_by == "activity" else "agreement status"
    )
    if view != "world":
        title += f" ({WORLD_VIEW_LABELS[view]})"
    if countries.empty:
        return empty_figure(title, "No international affiliate matches the filters.")
    categories = country_category(countries, colour_by)
    colors = ACTIVITY_LEVEL_COLORS if colour_by == "activity" else AGREEMENT_STATUS_COLORS
    hover_lines = country_hover_lines(affiliate_coverage_frame)
    frame = countries.assign(
        category=categories,
        country_name=plain_texts(countries["country_name"]),
        affiliate_lines=countries["country_iso3"].map(hover_lines).fillna(plain_texts(countries["affiliate_names"])),
        status_text=countries["worst_agreement_status"].astype("object").fillna(NO_AGREEMENT).str.replace("_", " "),
    )
    places = marker_places(frame)
    figure = go.Figure()
    hovertemplate = (
        "<b>%{customdata[1]}</b> (%{customdata[2]} affiliate(s))<br>"
        "Activity score %{customdata[3]} (%{customdata[4]})<br>"
        "Agreement (worst): %{customdata[5]}<br>"
        "%{customdata[6]}<extra></extra>"
    )
    customdata_columns = [
        "country_iso3",
        "country_name",
        "count_affiliates",
        "activity_score",
        "activity_level",
        "status_text",
        "affiliate_lines",
    ]
    apart = places[(places["lat"] != places["point_lat"]) | (places["lon"] != places["point_lon"])]
    if not apart.empty:
        # One line per marker that stands apart, from the country's own point to the marker.
        figure.add_trace(
            go.Scattergeo(
                lat=[value for row in apart.itertuples() for value in (row.point_lat, row.lat, None)],
                lon=[value for row in apart.itertuples() for value in (row.point_lon, row.lon, None)],
                mode="lines",
                line={"color": MARKER_EDGE, "width": 1},
                hoverinfo="skip",
                showlegend=False,
                name="marker lines",
            )
        )
    for category, color in colors.items():
        rows = frame[frame["category"].eq(category)]
        if rows.empty:
            continue
        label = CATEGORY_LABELS[category]
        marker = _category_marker(category, color)
        shapes = rows[~rows["is_small_country"]]
        markers = rows.loc[rows.index.intersection(places.index)]
        if not shapes.empty:
            figure.add_trace(
                go.Choropleth(
                    locations=shapes["country_iso3"],
                    locationmode="ISO-3",
                    z=[1] * len(shapes),
                    colorscale=[[0, color], [1, color]],
                    showscale=False,
                    marker={"line": {"color": "#FFFFFF", "width": 0.6}},
                    name=label,
                    legendgroup=category,
                    showlegend=False,
                    customdata=shapes[customdata_columns].to_numpy(),
                    hovertemplate=hovertemplate,
                )
            )
        if not markers.empty:
            figure.add_trace(
                go.Scattergeo(
                    lat=places.loc[markers.index, "lat"],
                    lon=places.loc[markers.index, "lon"],
                    mode="markers",
                    marker=marker,
                    name=f"{label} (small country)",
                    legendgroup=category,
                    showlegend=False,
                    customdata=markers[customdata_columns].to_numpy(),
                    hovertemplate=hovertemplate,
                )
            )
        # The category's legend entry: its colour and its marker shape, drawn nowhere on the map.
        figure.add_trace(
            go.Scattergeo(
                lat=[None],
                lon=[None],
                mode="markers",
                marker=marker,
                name=label,
                legendgroup=category,
                hoverinfo="skip",
            )
        )
    longitudes, latitudes = WORLD_VIEWS[view]
    _geo_layout(
        figure,
        scope="world",
        resolution=50,
        fitbounds=False,
        projection_type="natural earth",
        lonaxis_range=list(longitudes),
        lataxis_range=list(latitudes),
    )
    figure.update_layout(clickmode="event+select", dragmode=False, margin={"l": 0, "r": 0})
    return legend_below(themed(figure, title, height=520))


# --- United States ----------------------------------------------------------------------------------


def _state_hover(states: pd.DataFrame) -> pd.Series:
    def figure_text(column: str, fmt: str) -> pd.Series:
        values = states[column].astype("Float64")
        formatted = values.map(lambda value: format(float(value), fmt) if pd.notna(value) else "–", na_action=None)
        return formatted.astype("str")

    has_association = states["has_association"].astype("bool")
    covered = (
        "<b>"
        + plain_texts(states["state_name"])
        + "</b> ("
        + plain_texts(states["icma_region"])
        + ")<br>"
        + plain_texts(states["association_name"])
        + "<br>Members "
        + figure_text("members", ",.0f")
        + " · also in ICMA "
        + figure_text("share_icma", ".0%")
        + " · growth over a year "
        + figure_text("growth_1y", "+.1%")
        + "<br>Activity score "
        + figure_text("activity_score", ",.0f")
        + " ("
        + states["activity_level"].astype("object").fillna("none").astype("str")
        + ") · agreement "
        + states["agreement_status"].astype("object").fillna(NO_AGREEMENT).astype("str").str.replace("_", " ")
    )
    uncovered = (
        "<b>"
        + plain_texts(states["state_name"])
        + "</b> ("
        + plain_texts(states["icma_region"])
        + ")<br>No affiliated state association in the data"
    )
    return covered.where(has_association, uncovered)


def us_coverage_map(states: pd.DataFrame, measure: str = "members", highlight_region: str | None = None) -> go.Figure:
    """States coloured by their association's `measure`, ICMA's regions labelled, one region highlighted.

    `states` is `coverage_by_state(..., measure=measure)` (its `value` column is the measure).
    Three kinds of state, each named in the legend or on the colour bar: no affiliated association
    (light grey), an association without a figure for the measure (grey), and the rest on one
    shared colour scale. With `highlight_region`, the states outside it are drawn faded, in traces
    of their own (plotly.js draws a per-state opacity array unreliably, a per-trace one reliably).
    Each state's customdata is its state_code.
    """
    if measure not in STATE_MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(STATE_MEASURES)}")
    label = MEASURE_LABELS[measure]
    title = f"State associations: {label[0].lower()}{label[1:]}"
    if states.empty:
        return empty_figure(title, "No US state in the data.")
    frame = states.assign(hover=_state_hover(states))
    has_association = frame["has_association"].astype("bool")
    has_value = frame["value"].notna() & has_association
    in_focus = frame["icma_region"].eq(highlight_region) if highlight_region else pd.Series(True, index=frame.index)
    kinds = (
        (~has_association, "No affiliated association", NO_ASSOCIATION_COLOR),
        (has_association & ~has_value, f"Association, no figure for {label}", NO_FIGURE_COLOR),
        (has_value, label, None),
    )
    figure = go.Figure()
    for is_kind, name, color in kinds:
        for is_focused in (True, False):
            rows = frame[is_kind & in_focus.eq(is_focused)]
            if rows.empty:
                continue
            common = {
                "locations": rows["state_code"],
                "locationmode": "USA-states",
                "name": name if is_focused else f"{name} (outside {highlight_region})",
                "legendgroup": name,
                "customdata": rows[["state_code"]].to_numpy(),
                "text": rows["hover"],
                "hovertemplate": "%{text}<extra></extra>",
            }
            opacity = 1.0 if is_focused else FADED_OPACITY
            if color is None:
                figure.add_trace(
                    go.Choropleth(
                        **common,
                        z=rows["value"],
                        coloraxis="coloraxis",
                        marker={"line": {"color": "#FFFFFF", "width": 0.8}, "opacity": opacity},
                        showlegend=False,
                    )
                )
            else:
                figure.add_trace(
                    go.Choropleth(
                        **common,
                        z=[1] * len(rows),
                        colorscale=[[0, color], [1, color]],
                        showscale=False,
                        marker={"line": {"color": "#9A9A9A", "width": 0.8}, "opacity": opacity},
                        showlegend=is_focused or not in_focus[is_kind].any(),
                    )
                )
    is_growth = measure == "growth_1y"
    figure.update_layout(
        coloraxis={
            "colorscale": "RdBu" if is_growth else MEASURE_COLORSCALE,
            "cmid": 0 if is_growth else None,
            "colorbar": {"title": {"text": label}, "tickformat": MEASURE_FORMATS[measure], "thickness": 14, "len": 0.8},
        }
    )
    regions = [region for region in REGION_LABEL_POSITIONS if region in set(frame["icma_region"])]
    if regions:
        figure.add_trace(
            go.Scattergeo(
                lat=[REGION_LABEL_POSITIONS[region][0] for region in regions],
                lon=[REGION_LABEL_POSITIONS[region][1] for region in regions],
                mode="text",
                text=[
                    f"<b>{region.upper()}</b>" if region == highlight_region else region.upper() for region in regions
                ],
                textfont={
                    "size": 12,
                    "color": [
                        "#111111" if not highlight_region or region == highlight_region else "#9A9A9A"
                        for region in regions
                    ],
                },
                hoverinfo="skip",
                showlegend=False,
                name="ICMA regions",
            )
        )
    _geo_layout(figure, scope="usa", showlakes=False)
    figure.update_layout(clickmode="event+select", dragmode=False, margin={"l": 0, "r": 0})
    return legend_below(themed(figure, title, height=480))

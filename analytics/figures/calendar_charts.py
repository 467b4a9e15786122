"""The event calendar's figures: a month grid, a year timeline, a map and representation over the years.

Pure functions from DataFrames (the outputs of `analytics.domain.events`) to plotly Figures, in the shared
theme of `analytics.figures.theme`. Each figure names what it shows in its title, labels every event with
its name (colour only repeats who organizes it), and renders an explicit "no data" note when empty.
The labels they share with the page's tables (`event_dates_text`, `event_place_text`) live here too,
so a date reads the same in a chart's hover and in the table beside it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.core.schema import ICMA_REGIONS
from analytics.domain.events import ORGANIZER_TYPES, UNKNOWN_REGION, event_end, region_text
from analytics.figures.labels import labelled
from analytics.figures.theme import (
    MUTED_INK,
    SERIES_COLORS,
    empty_figure,
    ink_on,
    legend_below,
    plain,
    plain_texts,
    shortened,
    themed,
)

# Who organizes an event: the fill of its bar, a text colour that stays readable on that fill (4.5:1 or
# more), and a pattern, so that the organizer reads without its colour too (the legend names each).
ORGANIZER_COLORS: dict[str, tuple[str, str]] = {
    "ICMA": ("#0B5394", "#FFFFFF"),
    "state affiliate": ("#E69F00", "#000000"),
    "national affiliate": ("#CC79A7", "#000000"),
    "international affiliate": ("#007A5A", "#FFFFFF"),
    "other affiliate": ("#BBBBBB", "#000000"),
}
ORGANIZER_PATTERNS: dict[str, str] = {
    "ICMA": "",
    "state affiliate": "/",
    "national affiliate": "x",
    "international affiliate": ".",
    "other affiliate": "-",
}
CANCELLED_COLORS: tuple[str, str] = ("#EEEEEE", "#444444")
# Patterns of the regions' segments in the representation chart, in REGION_ORDER.
REGION_PATTERNS: tuple[str, ...] = ("", "/", "x", ".", "\\", "+", "-")
# Where an event's facts come from, per row: the calendar, its exports and the profile say it in words.
ORIGIN_PUBLIC_SOURCE = "public source"
ORIGIN_UPLOADED = "uploaded"
ORIGIN_SAMPLE = "sample"
REGION_ORDER: tuple[str, ...] = (*ICMA_REGIONS, UNKNOWN_REGION)
WEEKDAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PLACE_UNKNOWN = "place unknown"
DATES_NOT_KNOWN = "exact dates not known"
# Month grid geometry: each week row is one line for the day numbers plus one line per bar lane.
GRID_MIN_LANES = 2
# At most this many lines of bars per week row; past it the last line says "+N" (events not drawn) on each day
# (the table under the grid lists every event): a month of thousands of events stays a readable grid.
GRID_MAX_LANES = 6
GRID_PIXELS_PER_LINE = 30
GRID_CHARACTERS_PER_DAY = 18
# The longest event name the year timeline writes beside its bar (the hover and the table have it whole).
TIMELINE_NAME_CHARACTERS = 34


def event_dates_text(events: pd.DataFrame) -> pd.Series:
    """Each event's dates in words; a day-precision event with no end date says so.

    >>> events = pd.DataFrame(
    ...     {
    ...         "start_on": pd.to_datetime(["2023-10-11", "2023-10-30", "2018-06-01", "2023-10-18"]),
    ...         "end_on": pd.to_datetime(["2023-10-13", "2023-11-02", None, None]),
    ...         "date_precision": ["day", "day", "month", "day"],
    ...     }
    ... )
    >>> event_dates_text(events).tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['11–13 Oct 2023', '30 Oct – 2 Nov 2023', 'June 2018 (exact dates not known)',
     '18 Oct 2023 (end date not known)']
    """
    if events.empty:
        return pd.Series(dtype=object, index=events.index, name="dates")
    dates = pd.DataFrame(
        {
            "start_on": pd.to_datetime(events["start_on"]),
            "last_on": event_end(events),
            "precision": events["date_precision"].astype(object),
            "has_no_end": events["end_on"].isna(),
        }
    )
    # Written once per distinct dates: forty thousand events share a few hundred.
    distinct = dates.groupby(list(dates.columns), dropna=False, sort=False).ngroup().to_numpy()
    _, first_rows = np.unique(distinct, return_index=True)
    texts = np.array(
        [
            _dates_text(start_on, last_on, precision, has_no_end)
            for start_on, last_on, precision, has_no_end in dates.iloc[first_rows].itertuples(index=False, name=None)
        ],
        dtype=object,
    )
    return pd.Series(texts[distinct], index=events.index, dtype=object, name="dates")


def event_place_text(events: pd.DataFrame) -> pd.Series:
    """Each event's "City, Country"; the country alone when the city is unknown; "place unknown" without a country."""
    city = events["city"].astype(object).where(events["city"].notna(), "").astype(str).str.strip()
    country = events["country_name"].astype(object).where(events["country_name"].notna(), "").astype(str).str.strip()
    joined = (city + ", " + country).where(city != "", country)
    joined = joined.where(country != "", city + " (country unknown)").where((country != "") | (city != ""), "")
    return joined.where(joined != "", PLACE_UNKNOWN).astype(object).rename("place")


def event_origin_text(events: pd.DataFrame) -> pd.Series:
    """Where each event's facts come from: "sample" (generated), "public source" (a real event, with its
    source), or "uploaded" (a real event an analyst uploaded, which carries no source).

    >>> events = pd.DataFrame({"is_sample": [True, False, False], "source": [None, "https://icma.org", None]})
    >>> event_origin_text(events).tolist()
    ['sample', 'public source', 'uploaded']
    """
    has_source = events["source"].notna() if "source" in events.columns else pd.Series(False, index=events.index)
    origin = pd.Series(ORIGIN_UPLOADED, index=events.index, dtype=object, name="data_origin")
    origin = origin.mask(has_source, ORIGIN_PUBLIC_SOURCE)
    return origin.mask(events["is_sample"].fillna(False).astype(bool), ORIGIN_SAMPLE)


def event_listing(events: pd.DataFrame) -> pd.DataFrame:
    """The events as people read them, one row per event in the given order: the table beside each figure.

    Columns: Dates, Event, ICMA representation (confirmed liaisons, or "none"), Planned (liaisons
    only planned to attend), Organizer, Organizer type, City, Country ("place unknown" without one),
    Website, Status (under way / cancelled), Data (`event_origin_text`: sample, public source or
    uploaded), Confidence.
    Representation and organizer type are blank when `events` lacks those columns.
    """

    def column(name: str) -> pd.Series:
        if name not in events.columns:
            return pd.Series("", index=events.index, dtype=object)
        return events[name].astype(object).where(events[name].notna(), "")

    representatives = column("representatives")
    if "has_icma_representation" in events.columns:
        representatives = representatives.where(representatives != "", "none")
    status = pd.Series("", index=events.index, dtype=object)
    if "is_in_progress" in events.columns:
        status = status.where(~events["is_in_progress"].fillna(False).astype(bool), "under way")
    status = status.where(~events["is_cancelled"].fillna(False).astype(bool), "cancelled")
    listing = pd.DataFrame(
        {
            "dates": event_dates_text(events),
            "event_name": column("name"),
            "representatives": representatives,
            "planned_representatives": column("planned_representatives"),
            "organizer": column("organizer"),
            "organizer_type": column("organizer_type"),
            "city": column("city"),
            "country_name": column("country_name").where(column("country_name") != "", PLACE_UNKNOWN),
            "website": events["website"].astype(object).where(events["website"].notna(), None),
            "event_status": status,
            "data_origin": event_origin_text(events),
            "confidence": column("confidence"),
        },
        index=events.index,
    )
    return labelled(listing).reset_index(drop=True)


def month_grid_figure(
    days: pd.DataFrame,
    bars: pd.DataFrame,
    events: pd.DataFrame,
    title: str,
    marked_day: date | None = None,
) -> go.Figure:
    """A month laid out as a calendar: Monday-first week rows, each event a bar across its days.

    `days` and `bars` come from `analytics.domain.events.month_grid_days` and `month_bars` for the same
    month; `events` holds those bars' events with `organizer_type` (and whatever the hover shows:
    organizer, place, representation). Sample events say "(sample)" after their name. A bar
    continued from the week before starts with "◀", one continuing into the next week ends with "▶".
    A week row holds at most GRID_MAX_LANES lines of bars; the events past them are counted as "+N" per day.
    Days outside the month are shaded; `marked_day` (the as-of date) gets a blue outline and the
    words "as of".
    """
    if days.empty:
        return _empty_figure(title)
    lanes = max(GRID_MIN_LANES, int(bars["lane"].max()) + 1 if not bars.empty else 0)
    hidden = bars["lane"] >= GRID_MAX_LANES - 1 if lanes > GRID_MAX_LANES else pd.Series(False, index=bars.index)
    lanes = min(lanes, GRID_MAX_LANES)
    lines_per_week = lanes + 1
    weeks = int(days["week_index"].max()) + 1
    figure = go.Figure()
    # Every shape and note is set in one layout update: plotly checks each again on every update that lists it.
    shapes, annotations = _day_cells(days, lines_per_week, marked_day)
    if not bars.empty:
        _draw_bars(figure, bars.loc[~hidden], events, lines_per_week)
        annotations += _hidden_bar_notes(bars.loc[hidden], lines_per_week, lane=lanes - 1)
    else:
        annotations.append(
            {
                "text": "No events this month for these filters.",
                "x": 3.5,
                "y": weeks * lines_per_week / 2,
                "showarrow": False,
                "font": {"size": 14, "color": MUTED_INK},
            }
        )
    figure.update_layout(shapes=shapes, annotations=annotations)
    # Short weekday names, never turned: turned labels ran up into the title on a phone.
    figure.update_xaxes(
        range=[0, 7],
        side="top",
        tickvals=[weekday + 0.5 for weekday in range(7)],
        ticktext=list(WEEKDAY_NAMES),
        tickangle=0,
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        showline=False,
        ticks="",
    )
    figure.update_yaxes(
        range=[weeks * lines_per_week, 0], visible=False, showgrid=False, zeroline=False, fixedrange=True
    )
    figure = themed(figure, title, height=170 + weeks * lines_per_week * GRID_PIXELS_PER_LINE)
    figure.update_layout(barmode="overlay", bargap=0, margin={"t": 90}, hovermode="closest")
    return legend_below(figure)


def year_timeline_figure(events: pd.DataFrame, year: int, title: str, marked_day: date | None = None) -> go.Figure:
    """A Gantt chart of a year's events, one row per event, coloured (and named in the legend) by organizer.

    `events` are those overlapping the year, with `organizer_type`; sample events say "(sample)" after
    their name, which is cut to `TIMELINE_NAME_CHARACTERS` beside the bar (whole on hover). Each bar runs
    from the first day to the end of the last day, its organizer told by colour and pattern.
    `marked_day`, when inside the year, is drawn as a dashed "as of" line.
    """
    if events.empty:
        return _empty_figure(title, f"No events in {year} for these filters.")
    ordered = events.assign(effective_end_on=event_end(events)).sort_values(["start_on", "event_id"], kind="stable")
    sample_suffix = ordered["is_sample"].fillna(False).astype(bool).map({True: " (sample)", False: ""})
    labels = _unique_labels(ordered["name"].astype(str) + sample_suffix)
    hover = _hover_text(ordered)
    figure = go.Figure()
    for organizer in _present(ordered["organizer_type"], ORGANIZER_TYPES):
        rows = ordered["organizer_type"] == organizer
        fill, _ = ORGANIZER_COLORS.get(organizer, ORGANIZER_COLORS["other affiliate"])
        start_on = pd.to_datetime(ordered.loc[rows, "start_on"])
        finish_at = pd.to_datetime(ordered.loc[rows, "effective_end_on"]) + pd.Timedelta(days=1)
        figure.add_trace(
            go.Bar(
                name=organizer,
                orientation="h",
                y=plain_texts(labels[rows]),
                base=start_on.dt.strftime("%Y-%m-%d"),
                x=(finish_at - start_on).dt.total_seconds() * 1000,
                marker={
                    "color": fill,
                    "line": {"color": "#333", "width": 0.5},
                    "pattern": _organizer_pattern(organizer),
                },
                hovertext=hover[rows],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    year_start, next_year = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year + 1, month=1, day=1)
    figure.update_xaxes(type="date", range=[year_start, next_year], tickformat="%b", showgrid=True)
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=list(plain_texts(labels)),
        tickvals=list(plain_texts(labels)),
        ticktext=[plain(shortened(label, TIMELINE_NAME_CHARACTERS)) for label in labels],
        autorange="reversed",
        title=None,
        showgrid=False,
    )
    if marked_day is not None and year_start <= pd.Timestamp(marked_day) < next_year:
        marked = pd.Timestamp(marked_day).strftime("%Y-%m-%d")
        figure.add_shape(
            type="line", x0=marked, x1=marked, yref="paper", y0=0, y1=1, line={"color": "#D55E00", "dash": "dash"}
        )
        figure.add_annotation(
            x=marked, yref="paper", y=1, text=f"as of {marked}", showarrow=False, yanchor="bottom", font={"size": 12}
        )
    figure = themed(figure, title, height=170 + 26 * len(ordered))
    figure.update_layout(barmode="overlay", margin={"t": 70})
    return legend_below(figure)


def events_by_country(events: pd.DataFrame) -> pd.DataFrame:
    """The events with a known country, one row per country: `country_iso3`, `country_name`,
    `count_events` and `event_names` (in date order, "; "-joined), most events first.

    Events without `country_iso3` are not counted here: list them as "place unknown".
    """
    located = events.loc[events["country_iso3"].notna()].sort_values(["start_on", "event_id"], kind="stable")
    if located.empty:
        return pd.DataFrame(
            {
                "country_iso3": pd.Series(dtype=object),
                "country_name": pd.Series(dtype=object),
                "count_events": pd.Series(dtype="int64"),
                "event_names": pd.Series(dtype=object),
            }
        )
    grouped = located.groupby("country_iso3", as_index=False, sort=False).agg(
        country_name=("country_name", "first"),
        count_events=("event_id", "size"),
        event_names=("name", lambda names: "; ".join(names.astype(str))),
    )
    grouped = grouped.astype({"count_events": "int64", "country_name": object, "country_iso3": object})
    return grouped.sort_values(["count_events", "country_name"], ascending=[False, True]).reset_index(drop=True)


def events_map_figure(per_country: pd.DataFrame, title: str) -> go.Figure:
    """A world map with a marker per country, sized and labelled by its number of events.

    `per_country` comes from `events_by_country`. Markers sit at the middle of each country (the
    data holds no coordinates); the whole world is shown (no zooming to the data).
    """
    if per_country.empty:
        return _empty_figure(title, "No event with a known country for these filters.")
    counts = per_country["count_events"].astype(int)
    hover = (
        "<b>"
        + plain_texts(per_country["country_name"])
        + "</b>: "
        + counts.astype(str)
        + counts.map(lambda count: " event" if count == 1 else " events")
        + "<br>"
        + per_country["event_names"].astype(str).map(_wrap_names)
    )
    figure = go.Figure(
        go.Scattergeo(
            locations=per_country["country_iso3"],
            locationmode="ISO-3",
            mode="markers+text",
            text=counts.astype(str),
            textfont={"color": "white", "size": 12},
            marker={
                "size": 14 + 6 * (counts**0.5),
                "color": SERIES_COLORS[0],
                "opacity": 0.85,
                "line": {"color": "white", "width": 1},
            },
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    figure.update_geos(
        scope="world",
        resolution=50,
        fitbounds=False,
        projection_type="natural earth",
        showcountries=True,
        countrycolor="#bbb",
        showland=True,
        landcolor="#f3f3f3",
        showocean=True,
        oceancolor="#eaf2fb",
        showframe=False,
    )
    figure = themed(figure, title, height=380)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 50, "b": 0})
    return figure


def representation_by_year_figure(counts: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars: per year, how many affiliate conferences had ICMA representation, split by region.

    `counts` comes from `analytics.domain.events.representation_by_year`. Each segment is labelled with its
    count and has its region's pattern, and each year says "k of n", so the figure reads without its colours.
    The page passes the conferences of one kind only (held, or still to come): the bars compare like with like.
    """
    if counts.empty:
        return _empty_figure(title, "No affiliate conference for these filters.")
    figure = go.Figure()
    for index, region in enumerate(_present(counts["organizer_region"], REGION_ORDER)):
        rows = counts.loc[counts["organizer_region"] == region].sort_values("year")
        label = region_text(region)
        figure.add_trace(
            go.Bar(
                name=label,
                x=rows["year"],
                y=rows["count_with_representation"],
                text=rows["count_with_representation"].where(rows["count_with_representation"] > 0),
                textposition="inside",
                insidetextanchor="middle",
                marker={
                    "color": SERIES_COLORS[index % len(SERIES_COLORS)],
                    "line": {"color": "#FFFFFF", "width": 1},
                    "pattern": {"shape": REGION_PATTERNS[index % len(REGION_PATTERNS)], "fgopacity": 0.35},
                },
                textfont={"color": ink_on(SERIES_COLORS[index % len(SERIES_COLORS)])},
                customdata=rows[["count_events", "share_with_representation"]].to_numpy(),
                hovertemplate=(
                    f"{label}, %{{x}}<br>%{{y}} of %{{customdata[0]}} conferences with ICMA representation"
                    " (%{customdata[1]:.0%})<extra></extra>"
                ),
            )
        )
    totals = counts.groupby("year", as_index=False)[["count_with_representation", "count_events"]].sum()
    for total in totals.itertuples(index=False):
        figure.add_annotation(
            x=total.year,
            y=total.count_with_representation,
            text=f"{total.count_with_representation} of {total.count_events}",
            showarrow=False,
            yanchor="bottom",
            font={"size": 12},
        )
    figure.update_xaxes(title=None, dtick=1, tickformat="d")
    # Headroom above the tallest bar for its "k of n" label.
    highest = max(int(totals["count_with_representation"].max()), 1)
    figure.update_yaxes(title="conferences represented", range=[0, highest * 1.15])
    figure = themed(figure, title, height=440)
    figure.update_layout(barmode="stack")
    return legend_below(figure, traceorder="normal")


# -- month grid drawing ----------------------------------------------------------------------------


def _day_cells(days: pd.DataFrame, lines_per_week: int, marked_day: date | None) -> tuple[list[dict], list[dict]]:
    """A shaded rectangle (shape) and a day number (annotation) per day, as layout dicts (add_shape per day is
    slow)."""
    marked = pd.Timestamp(marked_day) if marked_day is not None else None
    shapes, annotations = [], []
    for day in days.itertuples(index=False):
        top = day.week_index * lines_per_week
        is_marked = marked is not None and pd.Timestamp(day.day_on) == marked
        shapes.append(
            {
                "type": "rect",
                "x0": day.weekday,
                "x1": day.weekday + 1,
                "y0": top,
                "y1": top + lines_per_week,
                "layer": "below",
                "fillcolor": "white" if day.is_in_month else "#f2f2f2",
                "line": {"color": "#0B5394" if is_marked else "#cccccc", "width": 3 if is_marked else 1},
            }
        )
        day_on = pd.Timestamp(day.day_on)
        number = f"{day_on.day}" if day.is_in_month else f"{day_on.day} {day_on:%b}"
        annotations.append(
            {
                "x": day.weekday + 0.04,
                "y": top + 0.5,
                "text": f"<b>{number}</b> as of" if is_marked else number,
                "showarrow": False,
                "xanchor": "left",
                "font": {"size": 12, "color": "#222" if day.is_in_month else MUTED_INK},
            }
        )
    return shapes, annotations


def _draw_bars(figure: go.Figure, bars: pd.DataFrame, events: pd.DataFrame, lines_per_week: int) -> None:
    # Only the drawn bars' events: hover texts of every event in scope cost 0.7 s at scale 900.
    details = events[events["event_id"].isin(bars["event_id"])].drop_duplicates("event_id").set_index("event_id")
    organizer_types = details["organizer_type"] if "organizer_type" in details.columns else pd.Series(dtype=object)
    organizer = bars["event_id"].map(organizer_types).astype(object).fillna("other affiliate")
    hover = bars["event_id"].map(_hover_text(details.reset_index()).set_axis(details.index)).fillna(bars["name"])
    span = bars["last_weekday"] - bars["first_weekday"] + 1
    is_sample = bars["event_id"].map(details["is_sample"]).astype(object).fillna(False).astype(bool)
    labels = [
        _bar_label(
            f"{bar.name} (sample)" if sample else bar.name,
            bar.is_continued_before,
            bar.is_continued_after,
            bar.is_cancelled,
            days,
        )
        for bar, days, sample in zip(bars.itertuples(index=False), span, is_sample, strict=True)
    ]
    centre = bars["week_index"] * lines_per_week + 1 + bars["lane"] + 0.5
    groups = [(kind, (organizer == kind) & ~bars["is_cancelled"]) for kind in ORGANIZER_TYPES]
    groups.append(("cancelled", bars["is_cancelled"].astype(bool)))
    for kind, rows in groups:
        if not rows.any():
            continue
        fill, ink = CANCELLED_COLORS if kind == "cancelled" else ORGANIZER_COLORS[kind]
        pattern = {"shape": ""} if kind == "cancelled" else _organizer_pattern(kind, ink)
        figure.add_trace(
            go.Bar(
                name=kind,
                orientation="h",
                y=centre[rows],
                base=bars.loc[rows, "first_weekday"] + 0.03,
                x=span[rows] - 0.06,
                width=0.82,
                text=[label for label, keep in zip(labels, rows, strict=True) if keep],
                textposition="inside",
                insidetextanchor="start",
                textangle=0,
                textfont={"color": ink, "size": 12},
                marker={
                    "color": fill,
                    "line": {"color": "#333" if kind == "cancelled" else fill, "width": 1},
                    "pattern": pattern,
                },
                hovertext=hover[rows],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )


def _hidden_bar_notes(hidden: pd.DataFrame, lines_per_week: int, lane: int) -> list[dict]:
    """ "+N" on each day of the grid where `hidden` bars (those past the last lane shown) fall, in that lane, as
    layout annotations."""
    if hidden.empty:
        return []
    span = (hidden["last_weekday"] - hidden["first_weekday"] + 1).to_numpy()
    bar = np.repeat(np.arange(len(hidden)), span)
    nth_day = np.arange(len(bar)) - np.repeat(np.cumsum(span) - span, span)
    cells = pd.DataFrame(
        {
            "week_index": hidden["week_index"].to_numpy()[bar],
            "weekday": hidden["first_weekday"].to_numpy()[bar] + nth_day,
        }
    )
    counts = cells.value_counts(sort=False).reset_index(name="count_more").sort_values(["week_index", "weekday"])
    annotations = [
        {
            "x": cell.weekday + 0.04,
            "y": cell.week_index * lines_per_week + 1 + lane + 0.5,
            # "+N" alone fits a day cell on a phone; the hover and the page's caption say what it counts.
            "text": f"+{cell.count_more:,}",
            "hovertext": f"{cell.count_more:,} more event{'s' if cell.count_more != 1 else ''} this day, not drawn",
            "showarrow": False,
            "xanchor": "left",
            "font": {"size": 12, "color": "#222"},
        }
        for cell in counts.itertuples(index=False)
    ]
    return annotations


def _bar_label(name: str, is_continued_before: bool, is_continued_after: bool, is_cancelled: bool, days: int) -> str:
    text = f"Cancelled: {name}" if is_cancelled else str(name)
    limit = max(8, days * GRID_CHARACTERS_PER_DAY)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return ("◀ " if is_continued_before else "") + plain(text) + (" ▶" if is_continued_after else "")


# -- shared helpers --------------------------------------------------------------------------------


def _organizer_pattern(organizer: str, ink: str = "#000000") -> dict:
    """The bar pattern of an organizer type: faint, so that a name written on the bar stays readable."""
    return {"shape": ORGANIZER_PATTERNS.get(organizer, "-"), "fgcolor": ink, "fgopacity": 0.25, "size": 10}


def _empty_figure(title: str, message: str = "No data for the chosen filters.") -> go.Figure:
    """The shared empty figure, its note centred on the figure rather than on hidden axes."""
    figure = empty_figure(title, message)
    figure.update_annotations(xref="paper", yref="paper", x=0.5, y=0.5)
    return figure


def _dates_text(start_on: pd.Timestamp, last_on: pd.Timestamp, precision: str, has_no_end: bool) -> str:
    if precision == "month":
        return f"{start_on:%B %Y} ({DATES_NOT_KNOWN})"
    if last_on == start_on:
        return f"{start_on.day} {start_on:%b %Y}" + (" (end date not known)" if has_no_end else "")
    if start_on.year != last_on.year:
        return f"{start_on.day} {start_on:%b %Y} – {last_on.day} {last_on:%b %Y}"
    if start_on.month != last_on.month:
        return f"{start_on.day} {start_on:%b} – {last_on.day} {last_on:%b %Y}"
    return f"{start_on.day}–{last_on.day} {last_on:%b %Y}"


def _hover_text(events: pd.DataFrame) -> pd.Series:
    """One hover text per event: name, dates, place, organizer and ICMA representation."""
    lines = "<b>" + plain_texts(events["name"]) + "</b><br>" + event_dates_text(events) + "<br>"
    lines = lines + plain_texts(event_place_text(events))
    if "organizer" in events.columns:
        lines = lines + "<br>Organizer: " + plain_texts(events["organizer"], missing="not known")
    if "organizer_type" in events.columns:
        lines = lines + " (" + plain_texts(events["organizer_type"]) + ")"
    if "has_icma_representation" in events.columns:
        confirmed = events["count_confirmed"].astype(int)
        planned = events["count_planned"].astype(int)
        represented = (
            "ICMA representation: " + confirmed.astype(str) + " confirmed, " + planned.astype(str) + " planned"
        )
        lines = lines + "<br>" + represented.where(events["has_icma_representation"], "No ICMA representation")
    if "is_sample" in events.columns:
        lines = lines + events["is_sample"].map({True: "<br><i>Sample event</i>"}).fillna("")
    return lines.astype(object)


def _unique_labels(names: pd.Series) -> pd.Series:
    """Event names made unique for a category axis.

    >>> _unique_labels(pd.Series(["Summit", "Summit", "Forum", "Summit"])).tolist()
    ['Summit', 'Summit (2)', 'Forum', 'Summit (3)']
    """
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return pd.Series(labels, index=names.index, dtype=object)


def _present(values: pd.Series, order: tuple[str, ...]) -> list[str]:
    """The distinct values, in `order` first and any others after, alphabetically."""
    distinct = set(values.dropna().astype(str))
    return [value for value in order if value in distinct] + sorted(distinct - set(order))


def _wrap_names(names: str, per_line: int = 2) -> str:
    """Names joined by "; " as hover lines of `per_line` names, each shown as written.

    >>> _wrap_names("A & B; <b>C</b>; D")
    'A &amp; B; &lt;b&gt;C&lt;/b&gt;<br>D'
    """
    parts = [plain(part) for part in names.split("; ")]
    return "<br>".join("; ".join(parts[index : index + per_line]) for index in range(0, len(parts), per_line))

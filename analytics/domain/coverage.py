"""Coverage: where ICMA has affiliates, how alive each relationship is, and what needs attention.

Pure pandas transforms over frames with the columns of `analytics.core.schema` (affiliates, agreements,
activities, membership, liaisons, states). Every function returns a new frame and never changes
its input; none of them touches Streamlit or DuckDB.

Activity score
--------------
An activity *counts* when it has happened, on or before the `as_of` date:

- its status is `done`, or
- it is a `conference_attendance` whose status is `confirmed` (attendance at a conference that has
  already taken place is rarely marked done afterwards).

Planned, in-progress and cancelled activities never count, and nothing dated after `as_of` counts.

The score of an affiliate is the weighted number of counted activities in the window of
`window_months` months (`ACTIVITY_WINDOW_MONTHS` = 12 unless a page picks another) ending on `as_of`, both ends
included: an activity dated exactly
`window_months` months before `as_of` is inside the window. Weights (`ACTIVITY_WEIGHTS`):
conference attendance 3 and member exchange 3 (an ICMA leader or a member crosses over in
person), publication contribution 2 and a done work-plan item 2. The level comes from fixed cut
points (`ACTIVITY_LEVEL_MINIMUMS`): none at 0, low from 1, medium from 6, high from 12, so one
conference visit plus one publication (5) is low, and a year with a visit, a publication and two
work-plan items (9) is medium. Summed scores (a country with several affiliates, a state) use the
same cut points.

`last_activity_on` is the date of the latest counted activity on or before `as_of`, however old.
A relationship is *inactive* (`is_inactive`) when it has no counted activity in the
`inactive_after_months` months before `as_of` (`Settings.inactive_after_months`,
AFFILIATE_STALE_AFTER_MONTHS): the last activity is older than that, or there is none.

A relationship *needs attention* (`needs_attention`, the one definition behind the Coverage page's
"Need attention" card, its list and the countries' counts) when it is inactive, or its current agreement
is due for renewal or lapsed (`ATTENTION_AGREEMENT_STATUSES`); `attention_reason` says which, in words.

Agreements
----------
The current agreement of an affiliate is the one with the latest `signed_on` on or before `as_of`.
Its status is derived from its dates, not from the recorded status: `lapsed` when
`renewal_due_on` is before `as_of`, `due_for_renewal` when `renewal_due_on` falls between
`as_of` and `renewal_window_months` months after it (both included; `Settings.renewal_window_months`,
AFFILIATE_RENEWAL_WINDOW_MONTHS), otherwise `active`.

The windows that are settings (`analytics.core.settings.Settings`) have no default here: callers pass them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from typing import TypedDict

import numpy as np
import pandas as pd

from analytics.core.errors import require_columns
from analytics.core.schema import ACTIVITY_TYPES, AFFILIATE_TYPES, AGREEMENT_STATUSES
from analytics.core.settings import Settings
from analytics.domain.overview import affiliate_counts
from analytics.domain.relationships import is_relationship

ACTIVITY_WEIGHTS: dict[str, int] = {
    "conference_attendance": 3,
    "member_exchange": 3,
    "publication_contribution": 2,
    "work_plan_item": 2,
}
# The smallest score of each level above "none" (scores are whole numbers).
ACTIVITY_LEVEL_MINIMUMS: dict[str, int] = {"low": 1, "medium": 6, "high": 12}
# The months up to the as-of date whose activities the score adds up, unless a page picks another window.
ACTIVITY_WINDOW_MONTHS = 12
# Agreement statuses from best to worst.
AGREEMENT_STATUS_ORDER: tuple[str, ...] = AGREEMENT_STATUSES
# Agreement statuses that make a relationship need attention (besides having no activity).
ATTENTION_AGREEMENT_STATUSES: tuple[str, ...] = ("due_for_renewal", "lapsed")
# What `coverage_by_state(..., measure=...)` may put in its `value` column.
STATE_MEASURES: tuple[str, ...] = ("members", "icma_members", "share_icma", "growth_1y", "activity_score")


def score_explanation(inactive_after_months: int) -> str:
    """How the activity score and "needs attention" are made, in words, for a page's expander."""
    return (
        "**How the activity score works.** An activity counts once it has happened: it is marked done, or it is "
        "a conference attendance that was confirmed and whose date has passed. Planned, in-progress and "
        "cancelled activities do not count. Each counted activity in the chosen window (the months up to and "
        "including the as-of date; an activity exactly at the start of the window counts) adds points: "
        f"conference attendance {ACTIVITY_WEIGHTS['conference_attendance']}, "
        f"member exchange {ACTIVITY_WEIGHTS['member_exchange']}, "
        f"publication contribution {ACTIVITY_WEIGHTS['publication_contribution']}, "
        f"work-plan item {ACTIVITY_WEIGHTS['work_plan_item']}. "
        f"Level: none at 0 points, low from {ACTIVITY_LEVEL_MINIMUMS['low']}, "
        f"medium from {ACTIVITY_LEVEL_MINIMUMS['medium']}, high from {ACTIVITY_LEVEL_MINIMUMS['high']}. "
        "A country with several affiliates, or a state, adds up its affiliates' points. "
        f"A relationship needs attention when nothing has counted in the {inactive_after_months} months before the "
        "as-of date."
    )


# The explanation with the default setting (Settings.inactive_after_months); pages should call
# score_explanation(settings.inactive_after_months), which follows AFFILIATE_STALE_AFTER_MONTHS.
SCORE_EXPLANATION = score_explanation(Settings.inactive_after_months)

# Countries (and territories) drawn a few pixels or less on the 50m world map: those of under about
# 1,000 km², and those whose largest piece of land spans under 3 square degrees there (Palestine 0.9,
# Eswatini 2.0: tests/figures/test_maps.py measures the outlines), and Israel, whose outline surrounds
# Palestine's (a click meant for one landed on the other). The country map draws them as markers at
# `MARKER_COORDINATES` as well, which can be seen and clicked.
SMALL_COUNTRIES: frozenset[str] = frozenset(
    {
        "AND",  # Andorra
        "ATG",  # Antigua and Barbuda
        "BHR",  # Bahrain
        "BRB",  # Barbados
        "COM",  # Comoros
        "CPV",  # Cabo Verde
        "DMA",  # Dominica
        "FSM",  # Micronesia
        "GRD",  # Grenada
        "HKG",  # Hong Kong
        "ISR",  # Israel
        "KIR",  # Kiribati
        "KNA",  # Saint Kitts and Nevis
        "LCA",  # Saint Lucia
        "LIE",  # Liechtenstein
        "MAC",  # Macao
        "MCO",  # Monaco
        "MDV",  # Maldives
        "MHL",  # Marshall Islands
        "MLT",  # Malta
        "MUS",  # Mauritius
        "NRU",  # Nauru
        "PLW",  # Palau
        "PSE",  # Palestine
        "SGP",  # Singapore
        "SMR",  # San Marino
        "STP",  # Sao Tome and Principe
        "SWZ",  # Eswatini
        "SYC",  # Seychelles
        "TON",  # Tonga
        "TUV",  # Tuvalu
        "VAT",  # Holy See
        "VCT",  # Saint Vincent and the Grenadines
        "WSM",  # Samoa
    }
)

# A point per country for markers: (latitude, longitude) in degrees, rounded to two decimals, of the
# capital or seat of government (Tel Aviv for ISR and Ramallah for PSE, where ICMA's partners sit).
# Covers every country_iso3 in data/reference/international_affiliates.csv and every SMALL_COUNTRIES
# member; written in by hand, approximate, not a political statement.
MARKER_COORDINATES: dict[str, tuple[float, float]] = {
    # countries with international affiliates
    "AUS": (-35.28, 149.13),  # Canberra
    "BGD": (23.81, 90.41),  # Dhaka
    "CAN": (45.42, -75.70),  # Ottawa
    "CZE": (50.08, 14.44),  # Prague
    "DNK": (55.68, 12.57),  # Copenhagen
    "DOM": (18.49, -69.93),  # Santo Domingo
    "GBR": (51.51, -0.13),  # London
    "GEO": (41.72, 44.79),  # Tbilisi
    "HND": (14.07, -87.19),  # Tegucigalpa
    "IDN": (-6.21, 106.85),  # Jakarta
    "IND": (28.61, 77.21),  # New Delhi
    "IRL": (53.35, -6.26),  # Dublin
    "ISR": (32.09, 34.78),  # Tel Aviv
    "KEN": (-1.29, 36.82),  # Nairobi
    "LVA": (56.95, 24.11),  # Riga
    "NLD": (52.37, 4.90),  # Amsterdam
    "NOR": (59.91, 10.75),  # Oslo
    "NPL": (27.72, 85.32),  # Kathmandu
    "NZL": (-41.29, 174.78),  # Wellington
    "PAN": (8.98, -79.52),  # Panama City
    "PHL": (14.60, 120.98),  # Manila
    "POL": (52.23, 21.01),  # Warsaw
    "PSE": (31.90, 35.20),  # Ramallah
    "ROU": (44.43, 26.10),  # Bucharest
    "SVK": (48.15, 17.11),  # Bratislava
    "SWE": (59.33, 18.07),  # Stockholm
    "SWZ": (-26.32, 31.14),  # Mbabane
    "ZAF": (-25.75, 28.19),  # Pretoria
    # countries of international candidates only (not drawn while they are candidates)
    "FRA": (48.86, 2.35),  # Paris
    "MEX": (19.43, -99.13),  # Mexico City
    # small countries
    "AND": (42.51, 1.52),  # Andorra la Vella
    "ATG": (17.12, -61.85),  # St. John's
    "BHR": (26.23, 50.59),  # Manama
    "BRB": (13.10, -59.62),  # Bridgetown
    "COM": (-11.70, 43.26),  # Moroni
    "CPV": (14.93, -23.51),  # Praia
    "DMA": (15.30, -61.39),  # Roseau
    "FSM": (6.92, 158.16),  # Palikir
    "GRD": (12.06, -61.75),  # St. George's
    "HKG": (22.32, 114.17),  # Hong Kong
    "KIR": (1.33, 172.98),  # South Tarawa
    "KNA": (17.30, -62.72),  # Basseterre
    "LCA": (14.01, -60.99),  # Castries
    "LIE": (47.14, 9.52),  # Vaduz
    "MAC": (22.20, 113.54),  # Macao
    "MCO": (43.73, 7.42),  # Monaco
    "MDV": (4.18, 73.51),  # Malé
    "MHL": (7.09, 171.38),  # Majuro
    "MLT": (35.90, 14.51),  # Valletta
    "MUS": (-20.16, 57.50),  # Port Louis
    "NRU": (-0.55, 166.92),  # Yaren
    "PLW": (7.50, 134.62),  # Ngerulmud
    "SGP": (1.35, 103.82),  # Singapore
    "SMR": (43.94, 12.45),  # San Marino
    "STP": (0.34, 6.73),  # Sao Tome
    "SYC": (-4.62, 55.45),  # Victoria
    "TON": (-21.14, -175.20),  # Nuku'alofa
    "TUV": (-8.52, 179.20),  # Funafuti
    "VAT": (41.90, 12.45),  # Vatican City
    "VCT": (13.16, -61.23),  # Kingstown
    "WSM": (-13.83, -171.76),  # Apia
}

_COUNT_COLUMNS: tuple[str, ...] = tuple(f"count_{activity_type}" for activity_type in ACTIVITY_TYPES)

ACTIVITY_SCORE_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    *_COUNT_COLUMNS,
    "activity_score",
    "activity_level",
    "last_activity_on",
    "last_activity_title",
)
AGREEMENT_STATUS_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "agreement_id",
    "liaison_id",
    "signed_on",
    "renewal_due_on",
    "agreement_status",
    "days_to_renewal",
)
AFFILIATE_COVERAGE_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "name",
    "acronym",
    "affiliate_type",
    "affiliate_status",
    "country_iso3",
    "country_name",
    "state_code",
    "icma_region",
    "world_region",
    "focus",
    "relationship_since",
    "confidence",
    "agreement_id",
    "liaison_id",
    "liaison_name",
    "signed_on",
    "renewal_due_on",
    "days_to_renewal",
    "agreement_status",
    *_COUNT_COLUMNS,
    "activity_score",
    "activity_level",
    "last_activity_on",
    "last_activity_title",
    "is_inactive",
    "needs_attention",
    "attention_reason",
)
COUNTRY_COVERAGE_COLUMNS: tuple[str, ...] = (
    "country_iso3",
    "country_name",
    "count_affiliates",
    "affiliate_names",
    "activity_score",
    "activity_level",
    "best_agreement_status",
    "worst_agreement_status",
    "last_activity_on",
    "liaison_names",
    "relationship_since",
    "count_needs_attention",
    "is_small_country",
    "lat",
    "lon",
)
STATE_COVERAGE_COLUMNS: tuple[str, ...] = (
    "state_code",
    "state_name",
    "icma_region",
    "has_association",
    "association_name",
    "count_associations",
    "snapshot_on",
    "members",
    "icma_members",
    "share_icma",
    "members_year_earlier",
    "growth_1y",
    "activity_score",
    "activity_level",
    "agreement_status",
    "is_inactive",
    "needs_attention",
    "value",
)
NATIONAL_AFFILIATE_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "name",
    "acronym",
    "focus",
    "relationship_since",
    "confidence",
    "liaison_name",
    "agreement_status",
    "renewal_due_on",
    "days_to_renewal",
    *_COUNT_COLUMNS,
    "activity_score",
    "activity_level",
    "last_activity_on",
    "last_activity_title",
    "is_inactive",
    "needs_attention",
    "attention_reason",
)

_OPTIONAL_AFFILIATE_COLUMNS: tuple[str, ...] = ("acronym", "world_region", "focus", "status")


class TypeCount(TypedDict):
    """Affiliates of one type in the data, against the figure ICMA states (None when it states none)."""

    count: int
    stated: int | None


class CoverageSummary(TypedDict):
    """Headline figures of a coverage frame."""

    count_affiliates: int
    countries_covered: int
    states_covered: int
    by_type: dict[str, TypeCount]
    count_needs_attention: int
    count_inactive: int
    count_due_for_renewal: int
    count_lapsed: int
    count_without_agreement: int


# --- helpers ---------------------------------------------------------------------------------------


def _require_positive(value: int, name: str) -> None:
    if value < 1:
        raise ValueError(f"{name} must be at least 1 month, not {value}")


def _timestamp(as_of: date | pd.Timestamp | str) -> pd.Timestamp:
    return pd.Timestamp(as_of).normalize()


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).astype("datetime64[us]")


def _months_before(moment: pd.Timestamp, months: int) -> pd.Timestamp:
    return moment - pd.DateOffset(months=months)


def _months_after(moment: pd.Timestamp, months: int) -> pd.Timestamp:
    return moment + pd.DateOffset(months=months)


def activity_level_for(scores: pd.Series) -> pd.Series:
    """The activity level ("none", "low", "medium", "high") of each score, by `ACTIVITY_LEVEL_MINIMUMS`."""
    values = pd.to_numeric(scores).fillna(0).to_numpy()
    levels = np.select(
        [
            values >= ACTIVITY_LEVEL_MINIMUMS["high"],
            values >= ACTIVITY_LEVEL_MINIMUMS["medium"],
            values >= ACTIVITY_LEVEL_MINIMUMS["low"],
        ],
        ["high", "medium", "low"],
        default="none",
    )
    return pd.Series(levels, index=scores.index, dtype="str")


def _join_names(values: pd.Series) -> str:
    return "; ".join(sorted({str(value) for value in values.dropna()}))


def _status_rank(statuses: pd.Series) -> pd.Series:
    return statuses.map({status: rank for rank, status in enumerate(AGREEMENT_STATUS_ORDER)}).astype("Float64")


def _status_from_rank(ranks: pd.Series) -> pd.Series:
    names = dict(enumerate(AGREEMENT_STATUS_ORDER))
    return ranks.map(lambda rank: names[int(rank)] if pd.notna(rank) else None).astype("str")


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


# --- activities ------------------------------------------------------------------------------------


def counted_activities(activities: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The activities that count (see the module docstring), on or before `as_of`, with their `weight`.

    One row per counted activity, every input column kept, `occurred_on` as a datetime.
    """
    require_columns(
        activities.columns, ("activity_id", "affiliate_id", "activity_type", "occurred_on", "status"), "activities"
    )
    as_of_on = _timestamp(as_of)
    frame = activities.assign(occurred_on=_dates(activities["occurred_on"]))
    is_done = frame["status"].eq("done")
    is_attended = frame["status"].eq("confirmed") & frame["activity_type"].eq("conference_attendance")
    counted = frame[
        (is_done | is_attended) & frame["occurred_on"].le(as_of_on) & frame["activity_type"].isin(ACTIVITY_WEIGHTS)
    ]
    return counted.assign(weight=counted["activity_type"].map(ACTIVITY_WEIGHTS).astype("int64"))


def window_start_on(as_of: date, window_months: int = ACTIVITY_WINDOW_MONTHS) -> date:
    """The first day of the activity score's window of `window_months` months ending on `as_of` (both included)."""
    _require_positive(window_months, "window_months")
    return _months_before(_timestamp(as_of), window_months).date()


# The columns of activity_counts: the store's activity_counts_in_window gives the same.
ACTIVITY_COUNT_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "activity_type",
    "count_in_window",
    "last_activity_on",
    "last_activity_title",
)


def activity_counts(activities: pd.DataFrame, as_of: date, window_months: int = ACTIVITY_WINDOW_MONTHS) -> pd.DataFrame:
    """One row per affiliate and type of activity counted for it (`counted_activities`, on or before `as_of`):
    `count_in_window`, how many fall in the window of `window_months` months ending on `as_of`, and the
    affiliate's latest counted activity of any type, however old (`last_activity_on`, and `last_activity_title`
    on one of its rows, empty on the others). What `activity_score_of_counts` reads; the store's
    activity_counts_in_window query gives the same rows without reading every activity into pandas."""
    require_columns(activities.columns, ("title",), "activities")
    as_of_on = _timestamp(as_of)
    counted = counted_activities(activities, as_of_on)
    in_window = counted["occurred_on"].ge(_timestamp(window_start_on(as_of_on, window_months)))
    by_type = (
        counted.assign(in_window=in_window.astype("int64"))
        .groupby(["affiliate_id", "activity_type"], as_index=False)["in_window"]
        .sum()
        .rename(columns={"in_window": "count_in_window"})
    )
    latest = (
        counted.sort_values(["affiliate_id", "occurred_on", "activity_id"])
        .groupby("affiliate_id")
        .tail(1)[["affiliate_id", "occurred_on", "title"]]
        .rename(columns={"occurred_on": "last_activity_on", "title": "last_activity_title"})
    )
    rows = by_type.merge(latest, on="affiliate_id", how="left")
    first = ~rows["affiliate_id"].duplicated()
    rows["last_activity_title"] = rows["last_activity_title"].where(first)
    return rows[list(ACTIVITY_COUNT_COLUMNS)]


def activity_score_of_counts(counts: pd.DataFrame, affiliate_ids: Iterable[str] = ()) -> pd.DataFrame:
    """The activity score (`activity_score`'s rows and columns) of `activity_counts`' rows, one row per affiliate of
    `counts` or of `affiliate_ids`, sorted by affiliate_id: those without a counted activity score 0, with no
    last activity. The one place that weighs the counts and names the level."""
    require_columns(counts.columns, ACTIVITY_COUNT_COLUMNS, "activity counts")
    named = counts[counts["affiliate_id"].notna()]
    # Positions by factorizing (sorted), summed with numpy: pivot_table and reindexing by the ids took 0.9 s at
    # 70,000 affiliates.
    ids = pd.concat([named["affiliate_id"].astype("str"), pd.Series(list(affiliate_ids), dtype="str")])
    codes, uniques = pd.factorize(ids, sort=True)
    rows = codes[: len(named)]
    types = pd.Index(ACTIVITY_TYPES).get_indexer(named["activity_type"])
    known = types >= 0
    matrix = np.zeros((len(uniques), len(ACTIVITY_TYPES)), dtype="int64")
    np.add.at(matrix, (rows[known], types[known]), named["count_in_window"].to_numpy(dtype="int64")[known])
    result = pd.DataFrame(matrix, columns=list(_COUNT_COLUMNS))
    result.insert(0, "affiliate_id", pd.Series(uniques, dtype="str"))
    weights = np.array([ACTIVITY_WEIGHTS.get(activity_type, 0) for activity_type in ACTIVITY_TYPES], dtype="int64")
    result["activity_score"] = matrix @ weights
    result["activity_level"] = activity_level_for(result["activity_score"])
    result["last_activity_on"] = _dates(_first_per_row(named["last_activity_on"], rows, len(uniques)))
    result["last_activity_title"] = _first_per_row(named["last_activity_title"], rows, len(uniques)).astype("str")
    return result[list(ACTIVITY_SCORE_COLUMNS)]


def _first_per_row(values: pd.Series, rows: np.ndarray, count: int) -> pd.Series:
    """The first non-empty value of `values` for each of `count` rows (`rows`: the row of each value), else empty;
    in the dtype of `values`."""
    present = np.flatnonzero(values.notna().to_numpy())
    found, first = np.unique(rows[present], return_index=True)
    position = np.full(count, -1)
    position[found] = present[first]
    if not len(values):
        return pd.Series([None] * count, dtype=values.dtype)
    return values.iloc[np.maximum(position, 0)].reset_index(drop=True).where(pd.Series(position >= 0))


def activity_score(activities: pd.DataFrame, as_of: date, window_months: int = ACTIVITY_WINDOW_MONTHS) -> pd.DataFrame:
    """How alive each relationship is over the `window_months` months ending on `as_of`.

    One row per affiliate that has at least one activity (of any status), sorted by affiliate_id:
    `count_<activity_type>` (counted activities in the window), `activity_score` (weighted sum),
    `activity_level`, `last_activity_on` and `last_activity_title` (latest counted activity on or
    before `as_of`, regardless of the window; empty when none): `activity_score_of_counts` of
    `activity_counts`.
    """
    _require_positive(window_months, "window_months")
    require_columns(activities.columns, ("title",), "activities")
    return activity_score_of_counts(
        activity_counts(activities, as_of, window_months), activities["affiliate_id"].dropna().unique()
    )


# --- agreements ------------------------------------------------------------------------------------


def agreement_status_as_of(agreements: pd.DataFrame, as_of: date, renewal_window_months: int) -> pd.DataFrame:
    """The current agreement of each affiliate on `as_of`, with its status derived from its dates.

    One row per affiliate that signed an agreement on or before `as_of`, sorted by affiliate_id:
    agreement_id, liaison_id, signed_on, renewal_due_on, `agreement_status` (active,
    due_for_renewal or lapsed; see the module docstring) and `days_to_renewal` (renewal_due_on
    minus as_of in days; negative once lapsed).
    """
    _require_positive(renewal_window_months, "renewal_window_months")
    require_columns(
        agreements.columns, ("agreement_id", "affiliate_id", "liaison_id", "signed_on", "renewal_due_on"), "agreements"
    )
    as_of_on = _timestamp(as_of)
    frame = agreements.assign(
        signed_on=_dates(agreements["signed_on"]), renewal_due_on=_dates(agreements["renewal_due_on"])
    )
    current = (
        frame[frame["signed_on"].le(as_of_on)]
        .sort_values(["affiliate_id", "signed_on", "agreement_id"])
        .groupby("affiliate_id")
        .tail(1)
        .reset_index(drop=True)
    )
    renewal_due_on = current["renewal_due_on"]
    status = np.select(
        [renewal_due_on.lt(as_of_on), renewal_due_on.le(_months_after(as_of_on, renewal_window_months))],
        ["lapsed", "due_for_renewal"],
        default="active",
    )
    current["agreement_status"] = pd.Series(status, index=current.index, dtype="str").where(renewal_due_on.notna())
    current["days_to_renewal"] = (renewal_due_on - as_of_on).dt.days.astype("Int64")
    return current[list(AGREEMENT_STATUS_COLUMNS)]


# --- affiliates ------------------------------------------------------------------------------------


def affiliate_coverage(
    affiliates: pd.DataFrame,
    agreements: pd.DataFrame,
    activities: pd.DataFrame,
    liaisons: pd.DataFrame,
    as_of: date,
    window_months: int = ACTIVITY_WINDOW_MONTHS,
    *,
    renewal_window_months: int,
    inactive_after_months: int,
) -> pd.DataFrame:
    """`coverage_of_scores` with the activity score of `activities` (`activity_score` over `window_months`)."""
    return coverage_of_scores(
        affiliates,
        agreements,
        activity_score(activities, as_of, window_months),
        liaisons,
        as_of,
        renewal_window_months=renewal_window_months,
        inactive_after_months=inactive_after_months,
    )


def coverage_of_scores(
    affiliates: pd.DataFrame,
    agreements: pd.DataFrame,
    scores: pd.DataFrame,
    liaisons: pd.DataFrame,
    as_of: date,
    *,
    renewal_window_months: int,
    inactive_after_months: int,
) -> pd.DataFrame:
    """One row per relationship (every row of `affiliates` but the candidates, in its order) on `as_of`.

    Candidates (`relationships.is_relationship`) are left out: they have no relationship to cover, so
    they are never an affiliate without an agreement, one that needs attention, or a country or state
    covered. Columns: `AFFILIATE_COVERAGE_COLUMNS`. The affiliate's own `status` is renamed
    `affiliate_status`; liaison_id and liaison_name are those of the current agreement (empty
    without one, as are the agreement columns); affiliates without counted activities score 0 at
    level "none"; `is_inactive` is True when the last activity is older than
    `inactive_after_months` months before `as_of`, or there is none; `needs_attention` and
    `attention_reason` follow the module docstring. `scores`: `activity_score`'s columns, or
    `activity_score_of_counts`' of the store's counts (any affiliate missing scores 0).
    """
    _require_positive(inactive_after_months, "inactive_after_months")
    require_columns(
        affiliates.columns,
        (
            "affiliate_id",
            "name",
            "affiliate_type",
            "country_iso3",
            "country_name",
            "state_code",
            "icma_region",
            "relationship_since",
            "confidence",
        ),
        "affiliates",
    )
    require_columns(liaisons.columns, ("liaison_id", "name"), "liaisons")
    as_of_on = _timestamp(as_of)

    base = (
        affiliates[is_relationship(affiliates)]
        .assign(**{column: pd.NA for column in _OPTIONAL_AFFILIATE_COLUMNS if column not in affiliates.columns})
        .rename(columns={"status": "affiliate_status"})
    )
    base = base.assign(relationship_since=pd.to_numeric(base["relationship_since"]).astype("Int64"))
    current = agreement_status_as_of(agreements, as_of_on, renewal_window_months)
    liaison_names = liaisons[["liaison_id", "name"]].rename(columns={"name": "liaison_name"})

    result = (
        base.merge(current, on="affiliate_id", how="left")
        .merge(liaison_names, on="liaison_id", how="left")
        .merge(scores, on="affiliate_id", how="left")
    )
    for column in (*_COUNT_COLUMNS, "activity_score"):
        result[column] = result[column].fillna(0).astype("int64")
    result["activity_level"] = activity_level_for(result["activity_score"])
    result["last_activity_on"] = _dates(result["last_activity_on"])
    attention_cutoff = _months_before(as_of_on, inactive_after_months)
    result["is_inactive"] = (
        result["last_activity_on"].isna() | result["last_activity_on"].lt(attention_cutoff)
    ).astype("bool")
    result["needs_attention"] = (
        result["is_inactive"] | result["agreement_status"].isin(ATTENTION_AGREEMENT_STATUSES)
    ).astype("bool")
    result["attention_reason"] = attention_reasons(result, inactive_after_months)
    return result[list(AFFILIATE_COVERAGE_COLUMNS)].reset_index(drop=True)


def attention_reasons(frame: pd.DataFrame, inactive_after_months: int) -> pd.Series:
    """Why each relationship needs attention, in words ("no activity in 12 months; agreement lapsed"), or "".

    `frame` has `is_inactive` and `agreement_status` (a coverage frame).

    >>> frame = pd.DataFrame({"is_inactive": [True, False, True, False],
    ...     "agreement_status": ["lapsed", "due_for_renewal", None, "active"]})
    >>> attention_reasons(frame, 12).tolist()
    ['no activity in 12 months; agreement lapsed', 'agreement due for renewal', 'no activity in 12 months', '']
    """
    inactive = pd.Series(np.where(frame["is_inactive"], f"no activity in {inactive_after_months} months", ""))
    status = frame["agreement_status"].astype("object")
    agreement = pd.Series(
        np.where(status.isin(ATTENTION_AGREEMENT_STATUSES), "agreement " + status.fillna("").str.replace("_", " "), "")
    )
    both = inactive.where(agreement.eq(""), inactive + "; " + agreement).where(inactive.ne(""), agreement)
    return pd.Series(both.to_numpy(), index=frame.index, dtype="object")


def relationships_needing_attention(affiliate_coverage_frame: pd.DataFrame) -> pd.DataFrame:
    """The relationships that need attention (module docstring), those due for renewal soonest first, then by name.

    Every column of the coverage frame is kept. Its length is `coverage_summary`'s `count_needs_attention`.
    """
    frame = affiliate_coverage_frame
    return (
        frame[frame["needs_attention"]]
        .sort_values(["renewal_due_on", "name", "affiliate_id"], na_position="last")
        .reset_index(drop=True)
    )


def national_affiliates_table(affiliate_coverage_frame: pd.DataFrame) -> pd.DataFrame:
    """The national/equity affiliates of a coverage frame with the same measures, sorted by name.

    Columns: `NATIONAL_AFFILIATE_COLUMNS`.
    """
    national = affiliate_coverage_frame[affiliate_coverage_frame["affiliate_type"].eq("national")]
    return national.sort_values(["name", "affiliate_id"])[list(NATIONAL_AFFILIATE_COLUMNS)].reset_index(drop=True)


# --- countries -------------------------------------------------------------------------------------


def coverage_by_country(affiliate_coverage_frame: pd.DataFrame) -> pd.DataFrame:
    """International affiliates grouped by country: one row per country_iso3, sorted by it.

    Columns: `COUNTRY_COVERAGE_COLUMNS`. Scores add up over a country's affiliates and the level
    is recomputed from the sum; `best_/worst_agreement_status` rank active > due_for_renewal >
    lapsed, ignoring affiliates without an agreement (empty when none has one);
    `relationship_since` is the earliest year; `is_small_country` marks `SMALL_COUNTRIES`;
    `lat`/`lon` come from `MARKER_COORDINATES` (empty for a country not listed there).
    """
    international = affiliate_coverage_frame[affiliate_coverage_frame["affiliate_type"].eq("international")]
    if international.empty:
        return _empty(COUNTRY_COVERAGE_COLUMNS)
    international = international.assign(status_rank=_status_rank(international["agreement_status"]))
    grouped = international.groupby("country_iso3", sort=True)
    result = grouped.agg(
        country_name=("country_name", "first"),
        count_affiliates=("affiliate_id", "size"),
        affiliate_names=("name", _join_names),
        activity_score=("activity_score", "sum"),
        best_status_rank=("status_rank", "min"),
        worst_status_rank=("status_rank", "max"),
        last_activity_on=("last_activity_on", "max"),
        liaison_names=("liaison_name", _join_names),
        relationship_since=("relationship_since", "min"),
        count_needs_attention=("needs_attention", "sum"),
    ).reset_index()
    result["activity_score"] = result["activity_score"].astype("int64")
    result["count_affiliates"] = result["count_affiliates"].astype("int64")
    result["count_needs_attention"] = result["count_needs_attention"].astype("int64")
    result["relationship_since"] = result["relationship_since"].astype("Int64")
    result["activity_level"] = activity_level_for(result["activity_score"])
    result["best_agreement_status"] = _status_from_rank(result["best_status_rank"])
    result["worst_agreement_status"] = _status_from_rank(result["worst_status_rank"])
    result["is_small_country"] = result["country_iso3"].isin(SMALL_COUNTRIES).astype("bool")
    coordinates = result["country_iso3"].map(MARKER_COORDINATES)
    result["lat"] = coordinates.map(lambda point: point[0] if isinstance(point, tuple) else np.nan).astype("float64")
    result["lon"] = coordinates.map(lambda point: point[1] if isinstance(point, tuple) else np.nan).astype("float64")
    return result[list(COUNTRY_COVERAGE_COLUMNS)]


# --- states ----------------------------------------------------------------------------------------


def _membership_now_and_year_earlier(membership: pd.DataFrame, as_of_on: pd.Timestamp) -> pd.DataFrame:
    """Per affiliate: its latest snapshot on or before as_of, and members in the same month a year earlier."""
    require_columns(membership.columns, ("affiliate_id", "snapshot_on", "members", "icma_members"), "membership")
    frame = membership.assign(snapshot_on=_dates(membership["snapshot_on"]))
    frame = frame[frame["snapshot_on"].le(as_of_on)].sort_values(["affiliate_id", "snapshot_on"])
    frame = frame.assign(month=frame["snapshot_on"].dt.to_period("M"))
    latest = frame.groupby("affiliate_id").tail(1)
    by_month = frame.groupby(["affiliate_id", "month"]).tail(1)[["affiliate_id", "month", "members"]]
    year_earlier = by_month.assign(month=by_month["month"] + 12).rename(columns={"members": "members_year_earlier"})
    return latest.merge(year_earlier, on=["affiliate_id", "month"], how="left")[
        ["affiliate_id", "snapshot_on", "members", "icma_members", "members_year_earlier"]
    ]


def coverage_by_state(
    affiliate_coverage_frame: pd.DataFrame,
    states: pd.DataFrame,
    membership: pd.DataFrame,
    as_of: date,
    measure: str = "members",
) -> pd.DataFrame:
    """One row per row of `states` (the 50 states and DC), sorted by state_code, with its association.

    Columns: `STATE_COVERAGE_COLUMNS`. Membership comes from each association's latest snapshot
    on or before `as_of`: `members`, `icma_members`, `share_icma` (icma_members / members, empty
    when members is 0) and `growth_1y` (members against the snapshot in the same calendar month
    a year earlier, as a fraction: 0.05 is 5 % growth; empty without such a snapshot or when it
    counted 0 members). A state with several associations adds them up (growth over those that
    have a year-earlier snapshot). States without an association, or without snapshots, have
    empty measures. `value` repeats the column named by `measure` (one of `STATE_MEASURES`) as a
    float, for a map's colour.
    """
    if measure not in STATE_MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(STATE_MEASURES)}")
    require_columns(states.columns, ("state_code", "state_name", "icma_region"), "states")
    as_of_on = _timestamp(as_of)

    associations = affiliate_coverage_frame[
        affiliate_coverage_frame["affiliate_type"].eq("state") & affiliate_coverage_frame["state_code"].notna()
    ]
    snapshots = _membership_now_and_year_earlier(membership, as_of_on)
    associations = associations.merge(snapshots, on="affiliate_id", how="left")
    associations = associations.assign(
        members=associations["members"].astype("Int64"),
        icma_members=associations["icma_members"].astype("Int64"),
        members_year_earlier=associations["members_year_earlier"].astype("Int64"),
        members_compared=associations["members"].astype("Int64").where(associations["members_year_earlier"].notna()),
        status_rank=_status_rank(associations["agreement_status"]),
    )
    per_state = (
        associations.groupby("state_code")
        .agg(
            association_name=("name", _join_names),
            count_associations=("affiliate_id", "size"),
            snapshot_on=("snapshot_on", "max"),
            members=("members", lambda values: values.sum(min_count=1)),
            icma_members=("icma_members", lambda values: values.sum(min_count=1)),
            members_year_earlier=("members_year_earlier", lambda values: values.sum(min_count=1)),
            members_compared=("members_compared", lambda values: values.sum(min_count=1)),
            activity_score=("activity_score", "sum"),
            worst_status_rank=("status_rank", "max"),
            is_inactive=("is_inactive", "any"),
            needs_attention=("needs_attention", "any"),
        )
        .reset_index()
    )

    result = (
        states[["state_code", "state_name", "icma_region"]]
        .merge(per_state, on="state_code", how="left")
        .sort_values("state_code")
        .reset_index(drop=True)
    )
    result["has_association"] = result["count_associations"].notna().astype("bool")
    result["count_associations"] = result["count_associations"].fillna(0).astype("int64")
    result["snapshot_on"] = _dates(result["snapshot_on"])
    for column in ("members", "icma_members", "members_year_earlier", "members_compared"):
        result[column] = result[column].astype("Int64")
    members = result["members"].astype("Float64")
    earlier = result["members_year_earlier"].astype("Float64")
    result["share_icma"] = (result["icma_members"].astype("Float64") / members.where(members > 0)).astype("float64")
    result["growth_1y"] = (result["members_compared"].astype("Float64") / earlier.where(earlier > 0) - 1).astype(
        "float64"
    )
    result["activity_score"] = result["activity_score"].astype("Int64")
    result["activity_level"] = activity_level_for(result["activity_score"]).where(result["has_association"])
    result["agreement_status"] = _status_from_rank(result["worst_status_rank"])
    result["is_inactive"] = result["is_inactive"].astype("boolean")
    result["needs_attention"] = result["needs_attention"].astype("boolean")
    result["value"] = result[measure].astype("Float64").astype("float64")
    return result[list(STATE_COVERAGE_COLUMNS)]


# --- summary ---------------------------------------------------------------------------------------


def coverage_summary(
    affiliate_coverage_frame: pd.DataFrame, stated_state: int, stated_international: int
) -> CoverageSummary:
    """Headline counts of a coverage frame, each affiliate type against the figure ICMA states.

    `stated_state` and `stated_international` are `Settings.stated_state_agreements` and
    `Settings.stated_international_agreements`. The counts per type and the countries and states covered
    are `overview.affiliate_counts` (the Overview's cards), `count_needs_attention` the length of
    `relationships_needing_attention`.
    """
    frame = affiliate_coverage_frame
    counts = asdict(affiliate_counts(frame))
    stated: dict[str, int | None] = {"state": stated_state, "national": None, "international": stated_international}
    statuses = frame["agreement_status"]
    return CoverageSummary(
        count_affiliates=len(frame),
        countries_covered=counts["countries_covered"],
        states_covered=counts["states_covered"],
        by_type={
            affiliate_type: TypeCount(count=counts[affiliate_type], stated=stated[affiliate_type])
            for affiliate_type in AFFILIATE_TYPES
        },
        count_needs_attention=len(relationships_needing_attention(frame)),
        count_inactive=int(frame["is_inactive"].sum()),
        count_due_for_renewal=int(statuses.eq("due_for_renewal").sum()),
        count_lapsed=int(statuses.eq("lapsed").sum()),
        count_without_agreement=int(statuses.isna().sum()),
    )

"""Coverage: where in the world ICMA has affiliates, how alive each relationship is, and the US states.

The activity score is made of the store's counts of the activities that count, per affiliate and type, in the chosen
window (and each affiliate's latest one), and the coverage frame is kept per state of the data, filters and window
(`ui.data.kept_per_data`; never changed once built: the page filters copies of it).
"""

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.schema import AGREEMENT_STATUSES, US_REGIONS
from analytics.domain import coverage
from analytics.figures import maps
from ui.components import card_row, chart
from ui.data import kept_per_data, load_table, run_query, settings
from ui.labels import download_table, show_table
from ui.navigation import open_profile_from_selection, profile_links
from ui.page import page_frame
from ui.text import confidence_text, words, yes_no

frame = page_frame("Coverage")

WINDOW_MONTHS = (3, 6, 12, 24, 36)
COLOURINGS = {"Activity level": "activity", "Agreement status": "agreement"}
STATUS_FILTER_LABELS = {status: status.replace("_", " ") for status in AGREEMENT_STATUSES} | {
    maps.NO_AGREEMENT: maps.NO_AGREEMENT
}
ALL_REGIONS = "All regions"


@kept_per_data(max_entries=32)
def affiliate_coverage(params: dict[str, Any], window_months: int) -> pd.DataFrame:
    """One row per affiliate in scope: its agreement, liaison and activity score (analytics.domain.coverage), the
    score made of the store's counts per affiliate and type (never every activity)."""
    config = settings()
    counts = run_query(
        "activity_counts_in_window",
        **params,
        window_start=coverage.window_start_on(params["as_of"], window_months),
        activity_types=list(coverage.ACTIVITY_WEIGHTS),
    )
    return coverage.coverage_of_scores(
        run_query("affiliate_details_in_scope", **params),
        run_query("agreements_in_scope", **params),
        coverage.activity_score_of_counts(counts),
        load_table("liaisons"),
        params["as_of"],
        renewal_window_months=config.renewal_window_months,
        inactive_after_months=config.inactive_after_months,
    )


@kept_per_data(max_entries=32)
def with_status(params: dict[str, Any], window_months: int, statuses: tuple) -> pd.DataFrame:
    """The coverage frame of the affiliates whose agreement status was chosen, with links to their profiles."""
    coverage_frame = affiliate_coverage(params, window_months)
    if statuses:
        agreement_status = coverage_frame["agreement_status"].astype("object").fillna(maps.NO_AGREEMENT)
        coverage_frame = coverage_frame[agreement_status.isin(statuses)].reset_index(drop=True)
    return coverage_frame.assign(profile=profile_links(coverage_frame["affiliate_id"], params["as_of"]))


@kept_per_data(max_entries=32)
def countries_of(params: dict[str, Any], window_months: int, statuses: tuple) -> pd.DataFrame:
    return coverage.coverage_by_country(with_status(params, window_months, statuses))


@kept_per_data(max_entries=32)
def world_map(params: dict[str, Any], window_months: int, statuses: tuple, colouring: str, view: str):
    coverage_frame = with_status(params, window_months, statuses)
    return maps.world_coverage_map(countries_of(params, window_months, statuses), coverage_frame, colouring, view)


@kept_per_data(max_entries=32)
def states_of(params: dict[str, Any], window_months: int, statuses: tuple, measure: str):
    """One row per US state (analytics.domain.coverage.coverage_by_state) for the chosen measure."""
    coverage_frame = with_status(params, window_months, statuses)
    snapshots = run_query("membership_snapshots_latest_and_year_before", **params)
    return coverage.coverage_by_state(coverage_frame, load_table("states"), snapshots, params["as_of"], measure=measure)


@kept_per_data(max_entries=32)
def us_map(params, window_months: int, statuses: tuple, measure: str, highlight_region: str | None):
    state_rows = states_of(params, window_months, statuses, measure)
    return maps.us_coverage_map(state_rows, measure, highlight_region)


@dataclass(frozen=True)
class Basics:
    """What every rerun of the page reads of the coverage frame, kept with it (not rebuilt per rerun)."""

    names_by_id: dict[str, str]
    member_figures: pd.DataFrame  # maps.membership_measures, without snapshot_on
    summary: dict[str, Any]  # coverage.coverage_summary
    affiliates_by_country: dict[str, list[str]]  # international affiliate ids by country_iso3 (map clicks)
    affiliates_by_state: dict[str, list[str]]  # state association ids by state_code (map clicks)
    first_profile_by_state: pd.Series  # the profile link of each state's first association


@kept_per_data(max_entries=32)
def basics(params: dict[str, Any], window_months: int, statuses: tuple) -> Basics:
    config = settings()
    coverage_frame = with_status(params, window_months, statuses)
    snapshots = run_query("membership_snapshots_latest_and_year_before", **params)
    international = coverage_frame[coverage_frame["affiliate_type"].eq("international")]
    states = coverage_frame[coverage_frame["affiliate_type"].eq("state")]
    return Basics(
        names_by_id=dict(zip(coverage_frame["affiliate_id"].tolist(), coverage_frame["name"].tolist(), strict=True)),
        member_figures=maps.membership_measures(snapshots, params["as_of"]).drop(columns="snapshot_on"),
        summary=coverage.coverage_summary(
            coverage_frame, config.stated_state_agreements, config.stated_international_agreements
        ),
        affiliates_by_country=international.groupby("country_iso3")["affiliate_id"].agg(list).to_dict(),
        affiliates_by_state=states.groupby("state_code")["affiliate_id"].agg(list).to_dict(),
        first_profile_by_state=states.groupby("state_code")["profile"].first(),
    )


# The measures every affiliate table shows, in order.
AFFILIATE_MEASURES: list[str] = [
    "relationship_since",
    "liaison_name",
    "members",
    "share_icma",
    "growth_1y",
    "agreement_status",
    "activity_score",
    "activity_level",
    "last_activity_on",
    "is_inactive",
    "confidence",
]


def affiliate_table(affiliates: pd.DataFrame, columns: list[str], base_name: str, key: str) -> None:
    """One table of affiliates with profile links, statuses in words, and CSV/Excel downloads."""
    view = affiliates.assign(
        affiliate_name=affiliates["name"],
        agreement_status=words(affiliates["agreement_status"]),
        is_inactive=yes_no(affiliates["is_inactive"]),
        confidence=confidence_text(affiliates["confidence"]),
    )[columns]
    show_table(view, key=f"{key}_table")
    download_table(view, base_name, key=key)


scope = frame.scope
config = frame.settings
filters = st.columns([1, 1.3, 2])
window_months = filters[0].selectbox(
    "Activity window (months)",
    WINDOW_MONTHS,
    index=WINDOW_MONTHS.index(coverage.ACTIVITY_WINDOW_MONTHS),
    key="coverage_window",
    bind="query-params",
    help="The activity score adds up the activities of this many months up to the as-of date.",
)
colouring = filters[1].segmented_control(
    "Colour the world map by",
    list(COLOURINGS),
    default="Activity level",
    required=True,
    key="coverage_colour",
    bind="query-params",
)
statuses = filters[2].multiselect(
    "Agreement status",
    list(STATUS_FILTER_LABELS),
    format_func=STATUS_FILTER_LABELS.__getitem__,
    key="coverage_status",
    bind="query-params",
    placeholder="Any status",
    help="Status of each affiliate's current agreement on the as-of date, from its renewal date.",
)

params = frame.params
coverage_key = (params, window_months or coverage.ACTIVITY_WINDOW_MONTHS, tuple(statuses))
coverage_frame = with_status(*coverage_key)

if coverage_frame.empty:
    st.info("No affiliate matches the filters. Widen the region, type or status filter.")
    st.stop()

kept = basics(*coverage_key)
names_by_id, member_figures, summary = kept.names_by_id, kept.member_figures, kept.summary

# -- coverage figures ------------------------------------------------------------------------------
st.header("Coverage figures")
international = summary["by_type"]["international"]
state = summary["by_type"]["state"]
# The six figures, two lines of three (each label whole at 1440 px): label, value, explanation, and a delta.
figures = [
    ("Countries covered", summary["countries_covered"], "Countries with an international affiliate.", None),
    (
        "International affiliates",
        f"{international['count']} of {international['stated']}",
        f"International affiliates in the data, against ICMA's stated {international['stated']} agreements.",
        None,
    ),
    (
        "Need attention",
        summary["count_needs_attention"],
        f"Relationships with no counted activity in the {config.inactive_after_months} months before the as-of "
        f"date, or an agreement due for renewal within {config.renewal_window_months} months or lapsed: the list "
        "at the foot of the page.",
        None,
    ),
    ("US states covered", summary["states_covered"], "States with an affiliated association.", None),
    (
        "State associations",
        f"{state['count']} of {state['stated']}",
        f"State associations in the data, against ICMA's stated {state['stated']} state agreements.",
        None,
    ),
    (
        f"Due for renewal in {config.renewal_window_months} months",
        summary["count_due_for_renewal"],
        "Current agreements whose renewal date falls within the window; lapsed ones are past it.",
        f"{summary['count_lapsed']} lapsed, {summary['count_without_agreement']} without agreement",
    ),
]
for card, (label, value, explanation, delta) in zip([*card_row(3), *card_row(3)], figures, strict=True):
    card.metric(label, value, delta=delta, delta_color="off", delta_arrow="off", help=explanation, border=True)
with st.expander("How the activity score is made"):
    st.markdown(coverage.score_explanation(config.inactive_after_months))

# -- the world -------------------------------------------------------------------------------------
st.header("International affiliates")
countries = countries_of(*coverage_key)
international_frame = coverage_frame[coverage_frame["affiliate_type"].eq("international")]
if countries.empty:
    st.info("No international affiliate matches the filters.")
else:
    # The map takes the page's width (a phone's too), its tables follow; a part of the world can be shown
    # larger, where a phone's width is enough to tell neighbouring countries apart.
    world_view = st.segmented_control(
        "Show",
        list(maps.WORLD_VIEWS),
        format_func=maps.WORLD_VIEW_LABELS.__getitem__,
        default="world",
        required=True,
        key="coverage_world_view",
        bind="query-params",
    )
    world_selection = chart(
        world_map(*coverage_key, COLOURINGS.get(colouring, "activity"), world_view or "world"),
        key="coverage_world_map",
        on_select="rerun",
    )
    st.caption(
        "Click a country to open its affiliate's profile. Countries too small for the map are drawn as their "
        "category's symbol as well (a line leads to the country where neighbours would overlap). A country "
        "with several affiliates adds up their scores and shows its worst agreement status."
    )
    open_profile_from_selection(
        world_selection,
        kept.affiliates_by_country,
        names_by_id,
    )
    table_column = st.container()
    with table_column:
        by_country, by_affiliate = st.tabs(["By country", "By affiliate"], key="coverage_tab", bind="query-params")
        with by_country:
            country_rows = maps.country_table(countries, coverage_frame)
            country_view = country_rows.assign(
                worst_agreement_status=words(country_rows["worst_agreement_status"]),
                lowest_confidence=confidence_text(country_rows["lowest_confidence"]),
            )
            # The names wrap in their column, so that the agreement status and confidence stay in view at 1440 px.
            show_table(
                country_view,
                key="coverage_country_table",
                options={"country_iso3": {"width": 55}, "affiliate_names": {"width": 300}},
                wrap=True,
            )
            download_table(country_view, "coverage_by_country", key="coverage_countries")
        with by_affiliate:
            affiliate_table(
                international_frame.merge(member_figures, on="affiliate_id", how="left"),
                ["affiliate_name", "profile", "country_name", *AFFILIATE_MEASURES],
                "international_affiliates",
                key="coverage_intl",
            )

# -- the United States -----------------------------------------------------------------------------
st.header("US state associations")
measure_column, region_column = st.columns(2)
measure = measure_column.selectbox(
    "Colour the states by",
    coverage.STATE_MEASURES,
    format_func=maps.MEASURE_LABELS.__getitem__,
    key="coverage_measure",
    bind="query-params",
    help="Members and those also in ICMA from the latest snapshot by the as-of date; growth against the same "
    "month a year earlier; the activity score over the chosen window.",
)
highlight = region_column.selectbox(
    "Highlight an ICMA region",
    (ALL_REGIONS, *US_REGIONS),
    key="coverage_region",
    bind="query-params",
)
highlight_region = None if highlight == ALL_REGIONS else highlight
state_rows = states_of(*coverage_key, measure)
state_frame = coverage_frame[coverage_frame["affiliate_type"].eq("state")]
if state_frame.empty:
    st.info("No state association matches the filters.")
else:
    us_selection = chart(
        us_map(*coverage_key, measure, highlight_region),
        key="coverage_us_map",
        on_select="rerun",
    )
    st.caption(
        "Click a state to open its association's profile. Light grey states have no affiliated association; "
        "hover a state for all its figures."
    )
    open_profile_from_selection(
        us_selection,
        kept.affiliates_by_state,
        names_by_id,
    )
    table_column = st.container()
    with table_column:
        shown_states = state_rows if highlight_region is None else state_rows[state_rows["icma_region"].eq(highlight)]
        state_view = shown_states.assign(
            profile=shown_states["state_code"].map(kept.first_profile_by_state),
            has_association=yes_no(shown_states["has_association"]),
            agreement_status=words(shown_states["agreement_status"]),
            is_inactive=yes_no(shown_states["is_inactive"]),
            confidence=confidence_text(
                shown_states["state_code"].map(maps.lowest_confidence(state_frame, "state_code"))
            ),
        )[
            [
                "state_code",
                "state_name",
                "icma_region",
                "has_association",
                "association_name",
                "profile",
                "members",
                "icma_members",
                "share_icma",
                "growth_1y",
                "activity_score",
                "activity_level",
                "agreement_status",
                "is_inactive",
                "confidence",
            ]
        ]
        show_table(state_view, key="coverage_state_table")
        download_table(state_view, "coverage_by_state", key="coverage_states")

# -- national and equity affiliates ----------------------------------------------------------------
st.header("National and equity affiliates")
national = coverage.national_affiliates_table(coverage_frame).merge(member_figures, on="affiliate_id", how="left")
if national.empty:
    st.info("No national or equity affiliate matches the filters.")
else:
    affiliate_table(
        national.assign(profile=profile_links(national["affiliate_id"], frame.as_of)),
        [
            "affiliate_name",
            "profile",
            "acronym",
            "focus",
            *AFFILIATE_MEASURES[:6],
            "renewal_due_on",
            *AFFILIATE_MEASURES[6:],
        ],
        "national_affiliates",
        key="coverage_national",
    )

# -- what needs attention --------------------------------------------------------------------------
st.header("Relationships that need attention")
attention = coverage.relationships_needing_attention(coverage_frame)
if attention.empty:
    st.success(
        f"Every relationship had activity in the last {config.inactive_after_months} months and no agreement is "
        "due or lapsed."
    )
else:
    st.caption(
        f"No counted activity in the {config.inactive_after_months} months before the as-of date, "
        f"or an agreement due for renewal within {config.renewal_window_months} months or lapsed."
    )
    attention_view = attention.assign(
        affiliate_name=attention["name"],
        agreement_status=words(attention["agreement_status"]).fillna(maps.NO_AGREEMENT),
        confidence=confidence_text(attention["confidence"]),
    )[
        [
            "affiliate_name",
            "attention_reason",
            "profile",
            "affiliate_type",
            "country_name",
            "state_code",
            "liaison_name",
            "last_activity_on",
            "agreement_status",
            "renewal_due_on",
            "confidence",
        ]
    ]
    # The why beside the name, both wrapped and narrow enough that both are in view on a 390 px phone.
    show_table(
        attention_view,
        key="coverage_attention_table",
        options={"affiliate_name": {"width": 170}, "attention_reason": {"width": 156}},
        wrap=True,
    )
    download_table(attention_view, "relationships_needing_attention", key="coverage_attn")

"""Affiliate profile: everything we know about one affiliate, chosen by `?id=<affiliate_id>` in the URL."""

import pandas as pd
import streamlit as st

from analytics.core.links import profile_link
from analytics.domain import coverage, goals, membership, registry
from analytics.figures.charts import membership_trend, status_by_group
from ui.components import card_row, chart, sample_data_notice
from ui.data import affiliate_choices, kept_per_data, load_table, run_query
from ui.forms import affiliate_work_panel
from ui.labels import download_table, label, show_table
from ui.navigation import PROFILE_ID
from ui.page import page_frame, page_title
from ui.text import (
    change_in_a_year,
    confidence_text,
    confidence_words,
    data_origin,
    event_rows,
    format_count,
    format_date,
    format_percent,
    literal,
    marked,
    points_in_a_year,
    source_links,
    words,
)

# The profile's title is the affiliate's name, drawn below the chooser: the frame draws no heading.
frame = page_frame(None)

# The chooser is not `bind="query-params"`: a bound selectbox writes its *label* to the URL, and the
# URL must hold the stable affiliate_id.
CHOOSER_KEY = "affiliate_choice"
TYPE_WORDS = {"state": "State association", "national": "National/equity affiliate", "international": "International"}
ACTIVITY_WORDS = {
    "conference_attendance": "Conference attendance",
    "publication_contribution": "Publication contribution",
    "member_exchange": "Member exchange",
    "work_plan_item": "Work plan item",
}


@kept_per_data(max_entries=4)
def registry_and_terms() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every affiliates row (candidates included) with its place and event cities, and its search terms."""
    frame = registry.registry(load_table("affiliates"), load_table("states"), load_table("events"))
    return frame, registry.search_terms(frame)


def affiliate_registry() -> None:
    """The registry: every affiliate with its type, place, status and confidence, searched and ranked
    (analytics.domain.registry); selecting a row opens its profile in the same tab."""
    st.header("All affiliates")
    query = st.text_input(
        "Search the registry",
        key="affiliate_search",
        bind="query-params",
        placeholder="A name, acronym, state, country or city: ACGOK, Kenya, Tbilisi",
        help="Exact and starting matches first, then matches on the start of a word, then close spellings.",
    )
    every, terms = registry_and_terms()
    found = registry.search(every, query, terms)
    candidates = int(every["is_candidate"].sum())
    st.caption(
        (f"{len(found)} of {len(every)} affiliates match “{query}”, best first. " if query else f"{len(every)} rows: ")
        + f"{len(every) - candidates} affiliates and {candidates} candidates (possible affiliates not on ICMA's list, "
        "counted in no figure). Select a row to open its profile."
    )
    view = found.assign(
        affiliate_type=found["affiliate_type"].map(TYPE_WORDS),
        affiliate_status=found["affiliate_status"].where(~found["is_candidate"], "candidate: not an affiliate"),
        confidence=confidence_text(found["confidence"]),
    )[["affiliate_name", "acronym", "affiliate_type", "place", "affiliate_status", "confidence", "website"]]
    show_table(
        view,
        key="affiliate_registry",
        options={"affiliate_name": {"width": 320}, "place": {"width": 200}},
        links=[profile_link(affiliate_id) for affiliate_id in found["affiliate_id"]],
    )


def show_profile_of_choice() -> None:
    """The chooser changed: put the chosen affiliate_id in the URL."""
    chosen = st.session_state.get(CHOOSER_KEY)
    if chosen:
        st.query_params[PROFILE_ID] = chosen
    else:
        st.query_params.pop(PROFILE_ID, None)


as_of = frame.as_of
choices = affiliate_choices()
requested_id = st.query_params.get(PROFILE_ID)
known_id = requested_id if requested_id in choices else None
if st.session_state.get(CHOOSER_KEY) != known_id:
    st.session_state[CHOOSER_KEY] = known_id

st.selectbox(
    "Find an affiliate",
    list(choices),
    index=None,
    format_func=choices.__getitem__,
    key=CHOOSER_KEY,
    on_change=show_profile_of_choice,
    placeholder="Type a name, acronym, state or country",
    help="Every affiliate in the data; the profile's address (?id=...) can be shared as a link.",
)

if known_id is None:
    page_title("Affiliate profile")
    if requested_id:
        st.warning(f"No affiliate has the id “{literal(requested_id)}”. Choose one above.", icon="🔎")
    else:
        st.info(
            "Choose an affiliate above or in the registry below, or open one from the Coverage maps and tables.",
            icon="🔎",
        )
    affiliate_registry()
    st.stop()

params = {"affiliate_id": known_id, "as_of": as_of}
affiliate = run_query("affiliate_profile", **params).iloc[0]
agreements = run_query("agreements_of_affiliate", **params)
goal_rows = run_query("goals_of_affiliate", **params)
checkins = run_query("goal_checkins_of_affiliate", **params)
member_months = membership.with_share_in_icma(run_query("membership_of_affiliate", **params))
events = run_query("events_of_affiliate", **params)
activities = run_query("activities_of_affiliate", **params)

config = frame.settings
current = coverage.agreement_status_as_of(agreements, as_of, config.renewal_window_months)
score = coverage.activity_score(activities, as_of)
score_row = score.iloc[0] if not score.empty else None

# -- who ---------------------------------------------------------------------------------------------
page_title(literal(affiliate["name"]))
facts = [TYPE_WORDS.get(affiliate["affiliate_type"], affiliate["affiliate_type"])]
if pd.notna(affiliate["local_name"]):
    facts.append(f"*{literal(affiliate['local_name'])}*")
if affiliate["affiliate_type"] == "state":
    facts.append(f"{literal(affiliate['state_code'])}, {literal(affiliate['icma_region'])} region")
elif affiliate["affiliate_type"] == "international":
    facts.append(f"{literal(affiliate['country_name'])} ({literal(affiliate['world_region'])})")
if pd.notna(affiliate["focus"]):
    facts.append(f"serves {literal(affiliate['focus'])}")
if pd.notna(affiliate["relationship_since"]):
    facts.append(f"relationship with ICMA since {int(affiliate['relationship_since'])}")
facts.append(f"status: {literal(affiliate['status'])}")
st.markdown(" · ".join(facts))
if pd.notna(affiliate["website"]):
    st.markdown(f"Website: [{affiliate['website']}]({affiliate['website']})")
if pd.notna(affiliate["notes"]):
    st.caption(literal(affiliate["notes"]))
st.caption(f"As of {as_of:%Y-%m-%d} (change the date in the sidebar).")
sample_data_notice()

# -- the agreement -----------------------------------------------------------------------------------
st.header("Agreement")
if current.empty:
    st.info("No agreement signed by the as-of date is in the data.")
else:
    agreement = current.iloc[0]
    liaison = agreements.loc[agreements["agreement_id"].eq(agreement["agreement_id"])].iloc[0]
    days = agreement["days_to_renewal"]
    cards = card_row(3)
    cards[0].metric(
        "Agreement status",
        str(agreement["agreement_status"]).replace("_", " "),
        delta=f"{days} days to renewal" if days >= 0 else f"lapsed {-days} days ago",
        delta_color="off",
        delta_arrow="off",
        help="From the renewal date: lapsed once it has passed, due for renewal within "
        f"{config.renewal_window_months} months of it, otherwise active.",
        border=True,
    )
    cards[1].metric("Signed", format_date(agreement["signed_on"]), border=True)
    cards[2].metric("Renewal due", format_date(agreement["renewal_due_on"]), border=True)
    if pd.notna(liaison["liaison_name"]):
        st.markdown(f"ICMA liaison: **{literal(liaison['liaison_name'])}** ({literal(liaison['liaison_role'])})")
if len(agreements) > 1:
    with st.expander(f"All {len(agreements)} agreements"):
        show_table(agreements[["agreement_id", "signed_on", "renewal_due_on", "recorded_status", "liaison_name"]])

# -- goals -------------------------------------------------------------------------------------------
st.header("Goals by area of emphasis")
if goal_rows.empty:
    st.info("No goals are recorded for this affiliate's agreements.")
else:
    statuses = goals.goal_status(goal_rows, checkins, as_of, frame.rules).merge(
        goal_rows[["goal_id", "area_of_emphasis", "title", "target_value", "unit", "due_on"]], on="goal_id"
    )
    counts = goals.status_matrix(statuses.assign(all_goals="all"), rows="area_of_emphasis", columns="all_goals")
    chart(status_by_group(counts, "area_of_emphasis", "area of emphasis"), key="affiliate_goal_chart")
    goal_view = statuses.assign(
        status_label=statuses["status"].astype("str").map(goals.STATUS_LABELS)
        + statuses["is_stale"].map({True: " (stale)", False: ""})
    )[
        [
            "area_of_emphasis",
            "title",
            "status_label",
            "latest_value",
            "target_value",
            "unit",
            "due_on",
            "latest_reported_on",
            "reason",
        ]
    ]
    show_table(goal_view)
    download_table(goal_view, f"goals_{known_id}", key="affiliate_goals")

# -- membership --------------------------------------------------------------------------------------
st.header("Membership")
if member_months.empty:
    st.info("No membership figures are recorded for this affiliate up to the as-of date.")
else:
    latest = membership.change_over_year(member_months, "members", max_carry_months=membership.MAX_CARRY_MONTHS)
    share = membership.change_over_year(member_months, "share_icma", max_carry_months=membership.MAX_CARRY_MONTHS)
    cards = card_row(3)
    cards[0].metric(
        "Members",
        format_count(latest.latest),
        **change_in_a_year(latest.change_pct),
        border=True,
    )
    cards[1].metric(
        label("share_icma"),
        format_percent(share.latest, 1),
        **points_in_a_year(share.change),
        border=True,
    )
    cards[2].metric("Latest snapshot", format_date(latest.latest_on), border=True)
    if membership.is_counted_as_of(latest.latest_on, as_of):
        st.caption(membership.CARRY_FORWARD_NOTE)
    else:
        st.caption(
            f"The network totals no longer count this affiliate: its latest snapshot is more than "
            f"{membership.MAX_CARRY_MONTHS} months old. " + membership.CARRY_FORWARD_NOTE
        )
    chart_column, table_column = st.columns([3, 2], gap="large")
    no_icma_total = pd.DataFrame({"month_end_on": pd.Series(dtype="datetime64[us]"), "members": pd.Series(dtype=int)})
    with chart_column:
        chart(membership_trend(member_months, no_icma_total), key="affiliate_membership_chart")
    with table_column:
        month_view = member_months.sort_values("month_end_on", ascending=False)
        show_table(month_view, height=300)
        download_table(month_view, f"membership_{known_id}", key="affiliate_membership")

# -- activities with ICMA ----------------------------------------------------------------------------
st.header("Activities with ICMA")
if activities.empty:
    st.info("No activities with ICMA are recorded for this affiliate.")
else:
    cards = card_row(4)
    cards[0].metric(
        f"Activity score ({coverage.ACTIVITY_WINDOW_MONTHS} months)",
        int(score_row["activity_score"]) if score_row is not None else 0,
        help=coverage.score_explanation(config.inactive_after_months),
        border=True,
    )
    cards[1].metric("Activity level", score_row["activity_level"] if score_row is not None else "none", border=True)
    cards[2].metric(
        "Last activity",
        format_date(score_row["last_activity_on"]) if score_row is not None else "–",
        border=True,
    )
    cards[3].metric(
        "Planned from now",
        int((activities["occurred_on"] > pd.Timestamp(as_of)).sum()),
        help="Activities dated after the as-of date.",
        border=True,
    )
    activity_view = activities.assign(
        activity_type=activities["activity_type"].map(ACTIVITY_WORDS).fillna(activities["activity_type"]),
        activity_title=activities["title"],
        status=words(activities["status"]),
        icma_person=activities["liaison_name"].fillna("–") + " (" + activities["liaison_role"].fillna("–") + ")",
        data_origin=data_origin(activities),
    )[["occurred_on", "activity_type", "activity_title", "status", "icma_person", "event_name", "data_origin"]]
    kinds = ["All", *ACTIVITY_WORDS.values()]
    tabs = st.tabs(kinds, key="affiliate_activity_tab", bind="query-params")
    for kind, tab in zip(kinds, tabs, strict=True):
        with tab:
            rows = activity_view if kind == "All" else activity_view[activity_view["activity_type"].eq(kind)]
            if rows.empty:
                st.caption(f"No {kind.lower()} recorded.")
            else:
                show_table(rows)
    download_table(activity_view, f"activities_{known_id}", key="affiliate_activities")

affiliate_work_panel(known_id, key="affiliate_work")

# -- events it organizes -----------------------------------------------------------------------------
st.header("Events it organizes")
if events.empty:
    st.info("No events organized by this affiliate are in the data.")
else:
    event_view = event_rows(events).assign(
        is_cancelled=marked(events["is_cancelled"], "cancelled"),
        data_origin=data_origin(events),
        confidence=confidence_text(events["confidence"]),
        source=events["source"].map(lambda text: (source_links(text) or [None])[0]),
    )[["dates", "event_name", "place", "is_cancelled", "data_origin", "confidence", "source"]]
    show_table(event_view)
    download_table(event_view, f"events_{known_id}", key="affiliate_events")

# -- sources -----------------------------------------------------------------------------------------
st.header("Sources and confidence")
st.markdown(f"Confidence in the facts about this affiliate: {confidence_words(affiliate['confidence'])}.")
links = source_links(affiliate["source"])
if links:
    st.markdown("\n".join(f"- [{link}]({link})" if link.startswith("http") else f"- {link}" for link in links))
else:
    st.caption("No public source is recorded for this affiliate.")
sample_data_notice()

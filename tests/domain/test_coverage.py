"""Coverage measures on tiny hand-written frames: one behaviour per test."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.core.settings import Settings
from analytics.domain import coverage
from analytics.domain.coverage import (
    ACTIVITY_WEIGHTS,
    COUNTRY_COVERAGE_COLUMNS,
    MARKER_COORDINATES,
    SCORE_EXPLANATION,
    SMALL_COUNTRIES,
    STATE_COVERAGE_COLUMNS,
    activity_score,
    affiliate_coverage,
    agreement_status_as_of,
    coverage_by_country,
    coverage_by_state,
    coverage_summary,
    national_affiliates_table,
    relationships_needing_attention,
)

AS_OF = date(2025, 6, 30)
REFERENCE = Path(__file__).resolve().parents[2] / "data" / "reference"


def affiliate(affiliate_id: str, affiliate_type: str, iso3: str = "USA", state: str | None = None, **extra) -> dict:
    return {
        "affiliate_id": affiliate_id,
        "name": extra.pop("name", affiliate_id.upper()),
        "affiliate_type": affiliate_type,
        "country_iso3": iso3,
        "country_name": extra.pop("country_name", iso3),
        "state_code": state,
        "icma_region": extra.pop("icma_region", "International" if affiliate_type == "international" else None),
        "relationship_since": extra.pop("relationship_since", None),
        "confidence": "high",
        "status": "current",
        **extra,
    }


def activity(
    activity_id: str, affiliate_id: str, occurred_on: date, activity_type: str = "work_plan_item", status="done"
) -> dict:
    return {
        "activity_id": activity_id,
        "affiliate_id": affiliate_id,
        "liaison_id": "L1",
        "activity_type": activity_type,
        "occurred_on": occurred_on,
        "title": f"title {activity_id}",
        "status": status,
        "event_id": None,
    }


def agreement(affiliate_id: str, signed_on: date, renewal_due_on: date, liaison_id: str = "L1") -> dict:
    return {
        "agreement_id": f"AG-{affiliate_id}-{signed_on.year}",
        "affiliate_id": affiliate_id,
        "liaison_id": liaison_id,
        "signed_on": signed_on,
        "renewal_due_on": renewal_due_on,
        "status": "active",
    }


LIAISONS = pd.DataFrame(
    [
        {"liaison_id": "L1", "name": "Ada Lovelace", "role": "Staff", "icma_region": "International"},
        {"liaison_id": "L2", "name": "Bob Marley", "role": "Regional Director", "icma_region": "Southeast"},
    ]
)
STATES = pd.DataFrame(
    [
        {"state_code": "AL", "state_name": "Alabama", "icma_region": "Southeast"},
        {"state_code": "AZ", "state_name": "Arizona", "icma_region": "Mountain Plains"},
        {"state_code": "CA", "state_name": "California", "icma_region": "West Coast"},
    ]
)


def coverage_frame(affiliates: list[dict], agreements: list[dict], activities: list[dict]) -> pd.DataFrame:
    return affiliate_coverage(
        pd.DataFrame(affiliates),
        pd.DataFrame(agreements, columns=list(agreement("x", AS_OF, AS_OF))),
        pd.DataFrame(activities, columns=list(activity("x", "x", AS_OF))),
        LIAISONS,
        AS_OF,
        renewal_window_months=6,
        inactive_after_months=12,
    )


# --- activity score --------------------------------------------------------------------------------


def test_score_weights_counted_activities_and_ignores_planned_cancelled_and_future():
    activities = pd.DataFrame(
        [
            activity("A1", "a", date(2025, 3, 1), "conference_attendance", "confirmed"),  # happened: counts
            activity("A2", "a", date(2025, 4, 1), "member_exchange", "done"),
            activity("A3", "a", date(2025, 5, 1), "publication_contribution", "planned"),
            activity("A4", "a", date(2025, 5, 2), "work_plan_item", "cancelled"),
            activity("A5", "a", date(2025, 5, 3), "work_plan_item", "confirmed"),  # only attendance counts confirmed
            activity("A6", "a", date(2025, 8, 1), "conference_attendance", "confirmed"),  # after as_of
        ]
    )
    row = activity_score(activities, AS_OF).iloc[0]
    assert row["count_conference_attendance"] == 1
    assert row["count_member_exchange"] == 1
    assert row["count_work_plan_item"] == 0
    assert row["activity_score"] == ACTIVITY_WEIGHTS["conference_attendance"] + ACTIVITY_WEIGHTS["member_exchange"]
    assert row["last_activity_on"] == pd.Timestamp("2025-04-01")
    assert row["last_activity_title"] == "title A2"


def test_activity_exactly_window_months_ago_is_inside_the_window_and_a_day_earlier_is_not():
    activities = pd.DataFrame(
        [
            activity("A1", "edge", date(2024, 6, 30)),
            activity("A2", "before", date(2024, 6, 29)),
        ]
    )
    scores = activity_score(activities, AS_OF, window_months=12).set_index("affiliate_id")
    assert scores.loc["edge", "activity_score"] == ACTIVITY_WEIGHTS["work_plan_item"]
    assert scores.loc["before", "activity_score"] == 0
    assert scores.loc["before", "activity_level"] == "none"
    # the last activity is kept however old it is
    assert scores.loc["before", "last_activity_on"] == pd.Timestamp("2024-06-29")


def test_levels_follow_the_documented_cut_points():
    scores = pd.Series([0, 1, 5, 6, 11, 12, 40])
    assert coverage.activity_level_for(scores).tolist() == ["none", "low", "low", "medium", "medium", "high", "high"]


def test_activity_score_does_not_change_its_input():
    activities = pd.DataFrame([activity("A1", "a", date(2025, 1, 1))])
    before = activities.copy()
    activity_score(activities, AS_OF)
    pd.testing.assert_frame_equal(activities, before)


def test_window_must_be_positive():
    with pytest.raises(ValueError, match="window_months"):
        activity_score(pd.DataFrame([activity("A1", "a", AS_OF)]), AS_OF, window_months=0)


def test_explanation_names_every_weight():
    for weight in ACTIVITY_WEIGHTS.values():
        assert str(weight) in SCORE_EXPLANATION


def test_explanation_says_the_attention_window_it_is_given():
    assert "nothing has counted in the 18 months before" in coverage.score_explanation(18)
    assert coverage.score_explanation(Settings().inactive_after_months) == SCORE_EXPLANATION


def test_inactivity_follows_the_window_it_is_given():
    affiliates = pd.DataFrame([affiliate("a", "state", state="AL")])
    agreements = pd.DataFrame([], columns=list(agreement("x", AS_OF, AS_OF)))
    activities = pd.DataFrame([activity("A1", "a", date(2024, 3, 1))])  # 16 months before as_of
    flags = [
        affiliate_coverage(
            affiliates, agreements, activities, LIAISONS, AS_OF, renewal_window_months=6, inactive_after_months=months
        )["is_inactive"].item()
        for months in (12, 18)
    ]
    assert flags == [True, False]


# --- agreements ------------------------------------------------------------------------------------


def test_current_agreement_is_the_latest_signed_on_or_before_as_of():
    agreements = pd.DataFrame(
        [
            agreement("a", date(2019, 1, 1), date(2024, 1, 1)),
            agreement("a", date(2024, 1, 1), date(2029, 1, 1), liaison_id="L2"),
            agreement("a", date(2026, 1, 1), date(2031, 1, 1)),  # signed after as_of
        ]
    )
    current = agreement_status_as_of(agreements, AS_OF, renewal_window_months=6)
    assert current["agreement_id"].tolist() == ["AG-a-2024"]
    assert current["liaison_id"].tolist() == ["L2"]
    assert current["agreement_status"].tolist() == ["active"]


def test_renewal_window_boundaries():
    agreements = pd.DataFrame(
        [
            agreement("lapsed", date(2020, 1, 1), date(2025, 6, 29)),  # one day before as_of
            agreement("due_today", date(2020, 1, 1), date(2025, 6, 30)),
            agreement("due_at_edge", date(2020, 1, 1), date(2025, 12, 30)),  # exactly 6 months after as_of
            agreement("active", date(2020, 1, 1), date(2025, 12, 31)),  # one day past the window
        ]
    )
    result = agreement_status_as_of(agreements, AS_OF, renewal_window_months=6).set_index("affiliate_id")
    assert result["agreement_status"].to_dict() == {
        "active": "active",
        "due_at_edge": "due_for_renewal",
        "due_today": "due_for_renewal",
        "lapsed": "lapsed",
    }
    assert result.loc["lapsed", "days_to_renewal"] == -1
    assert result.loc["due_today", "days_to_renewal"] == 0


# --- affiliates ------------------------------------------------------------------------------------


def test_affiliate_without_activity_is_inactive_at_level_none():
    frame = coverage_frame(
        [affiliate("quiet", "national"), affiliate("busy", "national")],
        [agreement("quiet", date(2024, 1, 1), date(2029, 1, 1))],
        [activity("A1", "busy", date(2025, 6, 1))],
    ).set_index("affiliate_id")
    assert frame.loc["quiet", "activity_score"] == 0
    assert frame.loc["quiet", "activity_level"] == "none"
    assert bool(frame.loc["quiet", "is_inactive"]) is True
    assert bool(frame.loc["quiet", "needs_attention"]) is True
    assert frame.loc["quiet", "attention_reason"] == "no activity in 12 months"
    assert pd.isna(frame.loc["quiet", "last_activity_on"])
    assert frame.loc["quiet", "liaison_name"] == "Ada Lovelace"
    assert bool(frame.loc["busy", "is_inactive"]) is False
    assert bool(frame.loc["busy", "needs_attention"]) is False
    assert frame.loc["busy", "attention_reason"] == ""
    assert pd.isna(frame.loc["busy", "agreement_status"])


def test_inactivity_boundary_is_twelve_months_before_as_of():
    frame = coverage_frame(
        [affiliate("edge", "national"), affiliate("stale", "national")],
        [],
        [activity("A1", "edge", date(2024, 6, 30)), activity("A2", "stale", date(2024, 6, 29))],
    ).set_index("affiliate_id")
    assert frame["is_inactive"].to_dict() == {"edge": False, "stale": True}


def test_a_relationship_needs_attention_when_inactive_or_its_agreement_is_due_or_lapsed():
    frame = coverage_frame(
        [
            affiliate("busy-active", "national"),
            affiliate("busy-due", "national"),
            affiliate("busy-lapsed", "national"),
            affiliate("quiet-active", "national"),
            affiliate("busy-none", "national"),
        ],
        [
            agreement("busy-active", date(2024, 1, 1), date(2029, 1, 1)),
            agreement("busy-due", date(2021, 1, 1), date(2025, 9, 1)),
            agreement("busy-lapsed", date(2020, 1, 1), date(2025, 1, 1)),
            agreement("quiet-active", date(2024, 1, 1), date(2029, 1, 1)),
        ],
        [
            activity(f"A{n}", name, date(2025, 5, 1))
            for n, name in enumerate(["busy-active", "busy-due", "busy-lapsed", "busy-none"])
        ],
    ).set_index("affiliate_id")
    assert frame["needs_attention"].to_dict() == {
        "busy-active": False,
        "busy-due": True,
        "busy-lapsed": True,
        "quiet-active": True,
        "busy-none": False,  # no agreement in the data is not, by itself, a reason
    }
    assert frame.loc["busy-due", "attention_reason"] == "agreement due for renewal"
    assert frame.loc["busy-lapsed", "attention_reason"] == "agreement lapsed"
    listed = relationships_needing_attention(frame.reset_index())
    assert listed["affiliate_id"].tolist() == ["busy-lapsed", "busy-due", "quiet-active"]  # soonest renewal first
    assert coverage_summary(frame.reset_index(), 43, 39)["count_needs_attention"] == len(listed)


def test_national_table_keeps_only_national_affiliates_sorted_by_name():
    frame = coverage_frame(
        [affiliate("n2", "national", name="Zeta"), affiliate("s", "state", state="CA"), affiliate("n1", "national")],
        [],
        [],
    )
    assert national_affiliates_table(frame)["affiliate_id"].tolist() == ["n1", "n2"]


# --- countries -------------------------------------------------------------------------------------


def test_a_country_with_two_affiliates_adds_up():
    frame = coverage_frame(
        [
            affiliate("in1", "international", "IND", name="CMAK", relationship_since=2010),
            affiliate("in2", "international", "IND", name="CMAG", relationship_since=2005),
            affiliate("mt", "international", "MLT"),
        ],
        [
            agreement("in1", date(2022, 1, 1), date(2025, 8, 1)),  # due for renewal
            agreement("in2", date(2021, 1, 1), date(2028, 1, 1), liaison_id="L2"),  # active
        ],
        [
            activity("A1", "in1", date(2025, 1, 1), "work_plan_item"),  # 2
            activity("A2", "in2", date(2025, 2, 1), "conference_attendance"),  # 3
            activity("A3", "in2", date(2025, 3, 1), "member_exchange"),  # 3
        ],
    )
    countries = coverage_by_country(frame).set_index("country_iso3")
    india = countries.loc["IND"]
    assert india["count_affiliates"] == 2
    assert india["affiliate_names"] == "CMAG; CMAK"
    assert india["activity_score"] == 8
    assert india["activity_level"] == "medium"  # recomputed: each alone would be low
    assert india["best_agreement_status"] == "active"
    assert india["worst_agreement_status"] == "due_for_renewal"
    assert india["last_activity_on"] == pd.Timestamp("2025-03-01")
    assert india["liaison_names"] == "Ada Lovelace; Bob Marley"
    assert india["relationship_since"] == 2005
    assert not india["is_small_country"]
    assert countries.loc["MLT", "is_small_country"]
    assert (countries.loc["MLT", "lat"], countries.loc["MLT", "lon"]) == MARKER_COORDINATES["MLT"]
    assert pd.isna(countries.loc["MLT", "worst_agreement_status"])
    assert list(coverage_by_country(frame).columns) == list(COUNTRY_COVERAGE_COLUMNS)


def test_no_international_affiliates_gives_an_empty_frame_with_the_columns():
    frame = coverage_frame([affiliate("s", "state", state="CA")], [], [])
    result = coverage_by_country(frame)
    assert result.empty
    assert list(result.columns) == list(COUNTRY_COVERAGE_COLUMNS)


def test_every_reference_country_and_small_country_has_marker_coordinates():
    with (REFERENCE / "international_affiliates.csv").open(encoding="utf-8") as file:
        reference_countries = {row["iso3"] for row in csv.DictReader(file)}
    assert reference_countries <= set(MARKER_COORDINATES)
    assert set(SMALL_COUNTRIES) <= set(MARKER_COORDINATES)
    assert {"MLT", "SGP", "BHR"} <= SMALL_COUNTRIES
    for lat, lon in MARKER_COORDINATES.values():
        assert -90 <= lat <= 90 and -180 <= lon <= 180


# --- states ----------------------------------------------------------------------------------------


def membership_row(affiliate_id: str, snapshot_on: date, members: int, icma_members: int) -> dict:
    return {
        "affiliate_id": affiliate_id,
        "snapshot_on": snapshot_on,
        "members": members,
        "icma_members": icma_members,
        "new_members": 0,
        "lapsed_members": 0,
    }


def state_frame() -> pd.DataFrame:
    return coverage_frame(
        [
            affiliate("state-al", "state", state="AL", icma_region="Southeast", name="ACCMA"),
            affiliate("state-ca", "state", state="CA", icma_region="West Coast", name="Cal-ICMA"),
        ],
        [],
        [activity("A1", "state-ca", date(2025, 5, 1), "conference_attendance")],
    )


def test_state_measures_come_from_the_latest_snapshot_on_or_before_as_of():
    membership = pd.DataFrame(
        [
            membership_row("state-ca", date(2024, 6, 30), 400, 100),
            membership_row("state-ca", date(2025, 5, 31), 450, 150),
            membership_row("state-ca", date(2025, 6, 30), 500, 200),
            membership_row("state-ca", date(2025, 7, 31), 999, 999),  # after as_of
        ]
    )
    result = coverage_by_state(state_frame(), STATES, membership, AS_OF, "share_icma").set_index("state_code")
    california = result.loc["CA"]
    assert california["members"] == 500
    assert california["icma_members"] == 200
    assert california["share_icma"] == pytest.approx(0.4)
    assert california["growth_1y"] == pytest.approx(0.25)
    assert california["value"] == pytest.approx(0.4)
    assert california["activity_score"] == ACTIVITY_WEIGHTS["conference_attendance"]
    assert list(result.reset_index().columns) == list(STATE_COVERAGE_COLUMNS)


def test_a_state_with_no_association_has_empty_measures():
    result = coverage_by_state(
        state_frame(), STATES, pd.DataFrame([], columns=list(membership_row("x", AS_OF, 0, 0))), AS_OF
    )
    arizona = result.set_index("state_code").loc["AZ"]
    assert len(result) == 3
    assert not arizona["has_association"]
    assert arizona["count_associations"] == 0
    assert pd.isna(arizona["association_name"])
    assert pd.isna(arizona["members"]) and pd.isna(arizona["share_icma"]) and pd.isna(arizona["value"])
    assert pd.isna(arizona["activity_level"])


def test_share_icma_with_zero_members_is_empty_not_a_division_by_zero():
    membership = pd.DataFrame([membership_row("state-al", date(2025, 6, 30), 0, 0)])
    alabama = coverage_by_state(state_frame(), STATES, membership, AS_OF).set_index("state_code").loc["AL"]
    assert alabama["members"] == 0
    assert pd.isna(alabama["share_icma"])


def test_growth_is_missing_without_a_snapshot_a_year_earlier():
    membership = pd.DataFrame(
        [
            membership_row("state-al", date(2024, 7, 31), 80, 10),  # eleven months earlier: not a year
            membership_row("state-al", date(2025, 6, 30), 100, 20),
        ]
    )
    alabama = coverage_by_state(state_frame(), STATES, membership, AS_OF, "growth_1y").set_index("state_code").loc["AL"]
    assert alabama["members"] == 100
    assert pd.isna(alabama["growth_1y"])
    assert pd.isna(alabama["value"])


def test_growth_compares_month_ends_across_a_leap_year():
    membership = pd.DataFrame(
        [
            membership_row("state-al", date(2024, 2, 29), 100, 10),
            membership_row("state-al", date(2025, 2, 28), 110, 20),
        ]
    )
    result = coverage_by_state(state_frame(), STATES, membership, date(2025, 3, 15)).set_index("state_code")
    assert result.loc["AL", "growth_1y"] == pytest.approx(0.10)


def test_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="unknown measure"):
        coverage_by_state(state_frame(), STATES, pd.DataFrame([membership_row("x", AS_OF, 0, 0)]), AS_OF, "bogus")


# --- summary ---------------------------------------------------------------------------------------


def test_summary_counts_against_the_stated_figures():
    frame = coverage_frame(
        [
            affiliate("state-al", "state", state="AL"),
            affiliate("in1", "international", "IND"),
            affiliate("in2", "international", "IND"),
            affiliate("gb", "international", "GBR"),
        ],
        [
            agreement("state-al", date(2020, 1, 1), date(2025, 1, 1)),  # lapsed
            agreement("gb", date(2021, 1, 1), date(2025, 9, 1)),  # due
        ],
        [activity("A1", "gb", date(2025, 5, 1))],
    )
    summary = coverage_summary(frame, stated_state=43, stated_international=39)
    assert summary["countries_covered"] == 2
    assert summary["states_covered"] == 1
    assert summary["by_type"]["international"] == {"count": 3, "stated": 39}
    assert summary["by_type"]["state"] == {"count": 1, "stated": 43}
    assert summary["by_type"]["national"] == {"count": 0, "stated": None}
    assert summary["count_needs_attention"] == 4  # the three without activity, and gb, due for renewal
    assert summary["count_inactive"] == 3
    assert summary["count_due_for_renewal"] == 1
    assert summary["count_lapsed"] == 1
    assert summary["count_without_agreement"] == 2


def test_candidates_are_left_out_of_coverage_and_every_count_against_the_stated_figures():
    frame = coverage_frame(
        [
            affiliate("gb", "international", "GBR"),
            affiliate("in1", "international", "IND"),
            affiliate("in-candidate", "international", "IND", status="candidate"),
            affiliate("fr-candidate", "international", "FRA", status="candidate"),
            affiliate("old", "international", "AUS", status="former"),
        ],
        [agreement("gb", date(2021, 1, 1), date(2026, 9, 1))],
        [activity("A1", "gb", date(2025, 5, 1))],
    )
    assert list(frame["affiliate_id"]) == ["gb", "in1", "old"]
    assert list(frame["affiliate_status"]) == ["current", "current", "former"]
    summary = coverage_summary(frame, stated_state=43, stated_international=39)
    assert summary["count_affiliates"] == 3
    assert summary["by_type"]["international"] == {"count": 3, "stated": 39}
    assert summary["countries_covered"] == 3  # GBR, IND, AUS; not FRA, where only a candidate is
    assert summary["count_needs_attention"] == 2  # in1 and old; candidates are no relationship to attend to
    assert summary["count_without_agreement"] == 2
    countries = coverage_by_country(frame).set_index("country_iso3")
    assert list(countries.index) == ["AUS", "GBR", "IND"]
    assert countries.loc["IND", "count_affiliates"] == 1


# --- properties ------------------------------------------------------------------------------------

COUNTRIES = ("IND", "GBR", "MLT", "KEN")
TYPES = tuple(ACTIVITY_WEIGHTS)
STATUSES = ("planned", "confirmed", "in_progress", "done", "cancelled")


@settings(max_examples=60, deadline=None)
@given(
    countries=st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=8),
    activity_rows=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=7),
            st.sampled_from(TYPES),
            st.sampled_from(STATUSES),
            st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 1, 1)),
        ),
        max_size=30,
    ),
)
def test_country_totals_preserve_the_affiliate_totals(countries, activity_rows):
    affiliates = [affiliate(f"a{index}", "international", iso3) for index, iso3 in enumerate(countries)]
    activities = [
        activity(f"A{number}", f"a{index % len(countries)}", occurred_on, activity_type, status)
        for number, (index, activity_type, status, occurred_on) in enumerate(activity_rows)
    ]
    frame = coverage_frame(affiliates, [], activities)
    by_country = coverage_by_country(frame)
    assert by_country["activity_score"].sum() == frame["activity_score"].sum()
    assert by_country["count_affiliates"].sum() == len(frame)
    assert (frame["activity_score"] >= 0).all()

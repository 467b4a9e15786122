"""The Overview's counts: relationships against ICMA's stated agreements, candidates counted apart."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analytics.core.schema import AFFILIATE_STATUSES, AFFILIATE_TYPES
from analytics.domain.overview import affiliate_counts
from analytics.domain.relationships import is_relationship


def affiliates(rows: list[tuple[str, str, str, str | None, str]]) -> pd.DataFrame:
    """(affiliate_id, affiliate_type, country_iso3, state_code, status) rows as an affiliates frame."""
    return pd.DataFrame(rows, columns=["affiliate_id", "affiliate_type", "country_iso3", "state_code", "status"])


NETWORK = affiliates(
    [
        ("state-ca", "state", "USA", "CA", "current"),
        ("state-ak", "state", "USA", "AK", "current"),
        ("natl-elgl", "national", "USA", None, "unknown"),
        ("intl-gbr-solace", "international", "GBR", None, "current"),
        ("intl-ind-cmag", "international", "IND", None, "current"),
        ("intl-aus-lgpa", "international", "AUS", None, "former"),
        ("intl-lva-lpia", "international", "LVA", None, "unknown"),
        ("intl-ind-cmamp", "international", "IND", None, "candidate"),
        ("intl-fra-udite", "international", "FRA", None, "candidate"),
    ]
)


def test_international_counts_relationships_of_any_status_and_never_a_candidate():
    counts = affiliate_counts(NETWORK)
    assert counts.international == 4  # current, former and unknown relationships; the two candidates are not
    assert counts.candidates == 2
    assert counts.countries_covered == 4  # GBR, IND, AUS, LVA: France has only a candidate
    assert (counts.state, counts.states_covered, counts.national) == (2, 2, 1)


def test_counts_do_not_change_their_input():
    before = NETWORK.copy()
    affiliate_counts(NETWORK)
    pd.testing.assert_frame_equal(NETWORK, before)


def test_a_frame_without_status_holds_relationships_only():
    frame = NETWORK.drop(columns="status")
    assert is_relationship(frame).all()
    assert affiliate_counts(frame).international == 6 and affiliate_counts(frame).candidates == 0


def test_a_missing_status_is_not_a_candidate():
    frame = NETWORK.assign(status=NETWORK["status"].where(NETWORK["affiliate_id"] != "state-ca", None))
    assert is_relationship(frame).tolist() == [True] * 7 + [False, False]


@given(
    st.lists(
        st.tuples(st.sampled_from(AFFILIATE_TYPES), st.sampled_from(("USA", "IND", "FRA"))),
        max_size=12,
    ),
    st.lists(st.sampled_from(AFFILIATE_STATUSES), min_size=12, max_size=12),
)
def test_relationships_and_candidates_add_up_to_every_row(kinds, statuses):
    frame = affiliates(
        [
            (f"a{index}", kind, iso3, "CA" if kind == "state" else None, statuses[index])
            for index, (kind, iso3) in enumerate(kinds)
        ]
    )
    counts = affiliate_counts(frame)
    assert counts.state + counts.national + counts.international + counts.candidates == len(frame)
    assert counts.candidates == int((frame["status"] == "candidate").sum())

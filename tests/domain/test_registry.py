"""The registry of affiliates and its ranked search (analytics/domain/registry.py), on hand-written rows."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.domain.registry import REGISTRY_COLUMNS, folded, registry, search, search_terms

AFFILIATES = pd.DataFrame(
    {
        "affiliate_id": ["intl-ken-acgok", "state-ky", "intl-geo-nalag", "state-ca", "intl-mex-ammac", "natl-nfbpa"],
        "name": [
            "Association of County Governments of Kenya",
            "Kentucky City/County Management Association",
            "National Association of Local Authorities of Georgia",
            "Cal-ICMA",
            "Asociación Mexicana de Municipios",
            "National Forum for Black Public Administrators",
        ],
        "acronym": ["ACGOK", "KCCMA", "NALAG", "Cal-ICMA", "AMMAC", "NFBPA"],
        "local_name": [None, None, None, None, "Asociación Mexicana de Municipios", None],
        "affiliate_type": ["international", "state", "international", "state", "international", "national"],
        "state_code": [None, "KY", None, "CA", None, None],
        "country_name": ["Kenya", "United States", "Georgia", "United States", "Mexico", "United States"],
        "status": ["current", "current", "current", "current", "candidate", "current"],
        "confidence": ["high", "medium", "low", "high", "low", "high"],
        "website": [None] * 6,
    }
)
STATES = pd.DataFrame({"state_code": ["KY", "CA", "GA"], "state_name": ["Kentucky", "California", "Georgia"]})
EVENTS = pd.DataFrame(
    {"affiliate_id": ["intl-geo-nalag", "state-ca", "state-ca", None], "city": ["Tbilisi", "Sacramento", None, "Rome"]}
)
FRAME = registry(AFFILIATES, STATES, EVENTS)


def found(query: str) -> list[str]:
    return search(FRAME, query)["affiliate_id"].tolist()


def test_the_registry_has_every_row_with_its_place_status_and_cities():
    assert FRAME.columns.tolist() == list(REGISTRY_COLUMNS)
    assert len(FRAME) == len(AFFILIATES)
    rows = FRAME.set_index("affiliate_id")
    assert rows.loc["state-ky", "place"] == "Kentucky (KY)"
    assert rows.loc["natl-nfbpa", "place"] == "United States (national)"
    assert rows.loc["intl-geo-nalag", "place"] == "Georgia"
    assert rows.loc["intl-geo-nalag", "cities"] == "Tbilisi"
    assert rows.loc["state-ca", "cities"] == "Sacramento"
    assert rows["is_candidate"].to_dict()["intl-mex-ammac"] is True
    assert rows["is_candidate"].sum() == 1


def test_an_acronym_finds_its_affiliate_alone():
    """ "ACGOK" gave three unrelated results."""
    assert found("ACGOK") == ["intl-ken-acgok"]
    assert found("acgok") == ["intl-ken-acgok"]


def test_a_country_does_not_find_a_state_that_shares_letters_with_it():
    """ "Kenya" listed Kentucky."""
    assert found("Kenya") == ["intl-ken-acgok"]


def test_a_city_of_its_events_finds_the_affiliate():
    """ "Tbilisi" found nothing; the events give Georgia's affiliate a city."""
    assert found("Tbilisi") == ["intl-geo-nalag"]
    assert found("Tblisi") == ["intl-geo-nalag"]  # a typo: close spelling, last


def test_exact_and_prefix_come_before_word_prefix_and_close_matches():
    # "Georgia" is the whole country of NALAG (exact); "Georgia" the state has no affiliate here.
    assert found("Georgia")[0] == "intl-geo-nalag"
    # "national" starts NFBPA's and NALAG's names (prefix), and NFBPA's place "United States (national)" only
    # has it as a later word: both by prefix, in name order.
    assert found("national") == ["intl-geo-nalag", "natl-nfbpa"]
    ranks = search(FRAME, "county")
    assert ranks["match_rank"].tolist() == sorted(ranks["match_rank"].tolist())
    assert set(ranks["affiliate_id"]) == {"intl-ken-acgok", "state-ky"}


def test_a_state_by_code_or_name_and_accents_ignored():
    assert found("KY") == ["state-ky"]
    assert found("California") == ["state-ca"]
    assert found("asociacion mexicana") == ["intl-mex-ammac"]


def test_an_empty_query_lists_every_row_in_name_order():
    assert search(FRAME, "  ")["affiliate_id"].tolist() == FRAME["affiliate_id"].tolist()
    assert FRAME["affiliate_name"].tolist() == sorted(FRAME["affiliate_name"].tolist())


@settings(deadline=None)  # pandas string work: seconds under a loaded machine, not a property of the search
@given(st.text(max_size=12))
def test_search_returns_registry_rows_best_first_and_changes_nothing(query):
    before = FRAME.copy()
    result = search(FRAME, query, search_terms(FRAME))
    pd.testing.assert_frame_equal(FRAME, before)
    assert set(result["affiliate_id"]) <= set(FRAME["affiliate_id"])
    assert result["match_rank"].tolist() == sorted(result["match_rank"].tolist())
    assert result["affiliate_id"].is_unique
    if not folded(query):
        assert len(result) == len(FRAME)

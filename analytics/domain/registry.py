"""The registry of affiliates (one row per affiliates row, candidates included) and a ranked search over it.

The registry says, for every row of the affiliates table, what it is (its type, and whether it is a
relationship with ICMA or only a candidate: `relationships.is_relationship`), where it is (a state, a
country, or national) and how sure the public sources are. The search finds an affiliate by its name, local
name, acronym, id, state (code or name), country, or a city it holds events in, and ranks what it finds:

0. exact: the query is the whole of one of those fields ("ACGOK", "Kenya", "CA", "Tbilisi");
1. prefix: a field starts with the query ("Cal-" finds Cal-ICMA);
2. word prefix: every word of the query starts a word of one field ("women gov" finds League of Women in
   Government);
3. close: a word of a field is spelled almost like the query (a typo: "Tblisi", "Solase"), for queries of
   four letters or more.

Anything else is not a match: a word merely containing the query, or sharing a few letters with it ("Kenya"
never finds Kentucky). Letters are compared without case or accents. Within a rank, affiliates come in name
order. Pure: no input is changed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import numpy as np
import pandas as pd

from analytics.domain.relationships import is_relationship

# The searchable fields of a registry row, in the order they are tried.
SEARCH_FIELDS: tuple[str, ...] = (
    "affiliate_name",
    "acronym",
    "local_name",
    "affiliate_id",
    "state_code",
    "state_name",
    "country_name",
    "cities",
)
REGISTRY_COLUMNS: tuple[str, ...] = (
    "affiliate_id",
    "affiliate_name",
    "acronym",
    "local_name",
    "affiliate_type",
    "place",
    "state_code",
    "state_name",
    "country_name",
    "cities",
    "affiliate_status",
    "is_candidate",
    "confidence",
    "website",
)
MATCH_RANKS: dict[int, str] = {0: "exact", 1: "prefix", 2: "word prefix", 3: "close"}
# How alike a word must be to the query to count as a close match (difflib's ratio), and how long the query.
CLOSE_MATCH_RATIO = 0.8
CLOSE_MATCH_MIN_LENGTH = 4


def folded(text: object) -> str:
    """Text as the search compares it: lower case, no accents, words separated by single spaces.

    >>> folded("Taituarā – Local Government")
    'taituara local government'
    >>> folded(None)
    ''
    """
    if not isinstance(text, str):
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.split(r"[^0-9a-z]+", plain.casefold())).strip()


def _places(frame: pd.DataFrame) -> pd.Series:
    """Where each affiliate is: its state ("California (CA)"), "United States (national)", or its country."""
    state = (frame["state_name"].astype("object") + " (" + frame["state_code"].astype("object") + ")").fillna(
        frame["state_code"].astype("object")
    )
    place = np.select(
        [frame["affiliate_type"].eq("state"), frame["affiliate_type"].eq("national")],
        [state, pd.Series("United States (national)", index=frame.index)],
        default=frame["country_name"].astype("object"),
    )
    return pd.Series(place, index=frame.index, dtype="object").fillna("")


def registry(affiliates: pd.DataFrame, states: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """One row per affiliates row, in name order: what it is, where, and the cities of its events.

    Columns: `REGISTRY_COLUMNS`. `place` is the state ("California (CA)"), the country, or "United States
    (national)"; `cities` the cities of the events it organizes, joined by "; " (empty when none);
    `affiliate_status` the recorded status, and `is_candidate` True for a candidate (no relationship).

    >>> affiliates = pd.DataFrame({"affiliate_id": ["state-ca"], "name": ["Cal-ICMA"], "acronym": ["Cal-ICMA"],
    ...     "local_name": [None], "affiliate_type": ["state"], "state_code": ["CA"], "country_name": ["United States"],
    ...     "status": ["current"], "confidence": ["high"], "website": [None]})
    >>> states = pd.DataFrame({"state_code": ["CA"], "state_name": ["California"]})
    >>> events = pd.DataFrame({"affiliate_id": ["state-ca", "state-ca"], "city": ["Sacramento", "Monterey"]})
    >>> registry(affiliates, states, events)[["place", "cities", "is_candidate"]].to_dict("records")
    [{'place': 'California (CA)', 'cities': 'Monterey; Sacramento', 'is_candidate': False}]
    """
    cities = (
        events.dropna(subset=["affiliate_id", "city"])
        .groupby("affiliate_id")["city"]
        .agg(lambda values: "; ".join(sorted(set(values))))
        .rename("cities")
    )
    frame = affiliates.merge(states[["state_code", "state_name"]], on="state_code", how="left").merge(
        cities, left_on="affiliate_id", right_index=True, how="left"
    )
    frame = frame.assign(
        place=_places(frame),
        cities=frame["cities"].fillna(""),
        is_candidate=~is_relationship(frame),
    ).rename(columns={"name": "affiliate_name", "status": "affiliate_status"})
    return frame.sort_values(["affiliate_name", "affiliate_id"])[list(REGISTRY_COLUMNS)].reset_index(drop=True)


def search_terms(registry_frame: pd.DataFrame) -> pd.DataFrame:
    """Every searchable value of the registry, folded: one row per value, with the `position` of its registry row.

    Each city of `cities` is a value of its own. Build it once per registry (a page keeps it) and pass it to
    `search`.

    >>> frame = pd.DataFrame({"affiliate_name": ["Cal-ICMA"], "cities": ["Monterey; Sacramento"]})
    >>> search_terms(frame)["term"].tolist()
    ['cal icma', 'monterey', 'sacramento']
    """
    values = []
    for name in SEARCH_FIELDS:
        if name not in registry_frame.columns:
            continue
        column = registry_frame[name].astype("object").reset_index(drop=True)
        values.append(column.str.split(";").explode() if name == "cities" else column)
    long = pd.concat(values) if values else pd.Series(dtype="object")
    terms = pd.DataFrame({"position": long.index.astype("int64"), "term": long.map(folded).astype("object")})
    return terms[terms["term"] != ""].reset_index(drop=True)


def match_ranks(terms: pd.DataFrame, query: str) -> pd.Series:
    """The best rank (see the module docstring) of each registry position that matches `query`, by position.

    >>> row = pd.DataFrame({"affiliate_name": ["Association of County Governments of Kenya"], "acronym": ["ACGOK"],
    ...     "country_name": ["Kenya"], "cities": ["Nairobi; Mombasa"]})
    >>> terms = search_terms(row)
    >>> queries = ("acgok", "Kenya", "county gov", "Mombas", "Nairobbi", "Kentucky")
    >>> [match_ranks(terms, text).tolist() for text in queries]
    [[0], [0], [2], [1], [3], []]
    """
    folded_query = folded(query)
    term = terms["term"]
    if not folded_query or term.empty:
        return pd.Series(dtype="int64")
    spaced = " " + term
    is_word_prefix = pd.Series(True, index=term.index)
    for word in folded_query.split(" "):
        is_word_prefix &= spaced.str.contains(" " + word, regex=False)
    is_close = pd.Series(False, index=term.index)
    if len(folded_query) >= CLOSE_MATCH_MIN_LENGTH:
        vocabulary = term.str.split(" ").explode().unique().tolist()
        close_words = difflib.get_close_matches(folded_query, vocabulary, n=20, cutoff=CLOSE_MATCH_RATIO)
        if close_words:
            pattern = r"(?:^| )(?:" + "|".join(map(re.escape, close_words)) + r")(?: |$)"
            is_close = term.str.contains(pattern, regex=True)
    rank = np.select(
        [term.eq(folded_query), term.str.startswith(folded_query), is_word_prefix, is_close],
        [0, 1, 2, 3],
        default=-1,
    )
    found = pd.DataFrame({"position": terms["position"], "rank": rank})
    return found[found["rank"] >= 0].groupby("position")["rank"].min().astype("int64")


def search(registry_frame: pd.DataFrame, query: str, terms: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of the registry that match `query`, best first (then by name), with their `match_rank`.

    `terms` is `search_terms(registry_frame)` when the caller keeps it; an empty query matches every row
    (rank 0 for all, in the registry's order).

    >>> frame = pd.DataFrame({"affiliate_name": ["Kentucky City/County Management Association",
    ...     "Association of County Governments of Kenya"], "acronym": ["KCCMA", "ACGOK"],
    ...     "country_name": ["United States", "Kenya"], "affiliate_id": ["state-ky", "intl-ken-acgok"]})
    >>> search(frame, "Kenya")["affiliate_id"].tolist()
    ['intl-ken-acgok']
    >>> search(frame, "county")["affiliate_id"].tolist()
    ['intl-ken-acgok', 'state-ky']
    """
    rows = registry_frame.reset_index(drop=True)
    if not folded(query):
        return rows.assign(match_rank=0)
    ranks = match_ranks(search_terms(rows) if terms is None else terms, query)
    found = rows.iloc[ranks.index].assign(match_rank=ranks.to_numpy())
    return found.sort_values(["match_rank", "affiliate_name"], kind="stable").reset_index(drop=True)

"""The Overview's figures: affiliate coverage against ICMA's stated agreement counts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.domain.relationships import is_relationship


@dataclass(frozen=True)
class AffiliateCounts:
    """The network in numbers, each count defined in `affiliate_counts`."""

    state: int
    international: int
    national: int
    countries_covered: int
    states_covered: int
    candidates: int


def affiliate_counts(affiliates: pd.DataFrame) -> AffiliateCounts:
    """Relationships per type, the countries and US states they cover, and the candidates counted apart.

    - `state`, `international`, `national`: rows of that type that are relationships with ICMA
      (`relationships.is_relationship`: status current, former or unknown). These are the numbers set
      against ICMA's stated 43 state and 39 international agreements; a candidate is never one of them.
    - `countries_covered`: distinct countries of the international relationships.
    - `states_covered`: distinct US states of the state relationships.
    - `candidates`: rows whose status is `candidate` (possible affiliates not on ICMA's list), of any type.

    Examples:
        >>> frame = pd.DataFrame(
        ...     {
        ...         "affiliate_type": ["international", "international", "international", "state"],
        ...         "country_iso3": ["GBR", "IND", "FRA", "USA"],
        ...         "state_code": [None, None, None, "CA"],
        ...         "status": ["current", "former", "candidate", "current"],
        ...     }
        ... )
        >>> counts = affiliate_counts(frame)
        >>> (counts.international, counts.countries_covered, counts.candidates, counts.state)
        (2, 2, 1, 1)
    """
    related = is_relationship(affiliates)
    relationships = affiliates[related]
    by_type = relationships["affiliate_type"].value_counts()
    international = relationships[relationships["affiliate_type"] == "international"]
    states = relationships[relationships["affiliate_type"] == "state"]
    return AffiliateCounts(
        state=int(by_type.get("state", 0)),
        international=int(by_type.get("international", 0)),
        national=int(by_type.get("national", 0)),
        countries_covered=int(international["country_iso3"].dropna().nunique()),
        states_covered=int(states["state_code"].dropna().nunique()),
        candidates=int((~related).sum()),
    )

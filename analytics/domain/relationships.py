"""Which affiliates rows are relationships with ICMA, and which are only candidates.

An affiliates row is a *relationship* when its status is current, former or unknown (a relationship whose
state the sources do not confirm). A row whose status is `candidate` is a possible affiliate that public
sources suggest and ICMA's published list does not name: it is not in a relationship, so it has no
agreement, goals, membership or activities, and it is never counted against ICMA's stated 43 state and 39
international agreements. Every count of affiliates, and every coverage measure, reads this one rule.
"""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import CANDIDATE_STATUS


def is_relationship(affiliates: pd.DataFrame) -> pd.Series:
    """True for each row that is a relationship with ICMA (its status is not `candidate`), as a bool Series.

    A frame without a `status` column holds relationships only; a missing status is not a candidate.
    The input is not changed.

    Examples:
        >>> frame = pd.DataFrame({"affiliate_id": ["a", "b", "c"], "status": ["current", "candidate", None]})
        >>> is_relationship(frame).tolist()
        [True, False, True]
    """
    if "status" not in affiliates.columns:
        return pd.Series(True, index=affiliates.index, dtype="bool")
    return (~affiliates["status"].astype("object").eq(CANDIDATE_STATUS)).astype("bool")

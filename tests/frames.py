"""Small frames shaped like the store's tables, for tests of transforms that take them."""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import table


def make_events(*rows: dict) -> pd.DataFrame:
    """An `events` frame with the schema's columns; each row gives what it needs, the rest defaults."""
    defaults = {
        "organizer": "Organizer",
        "affiliate_id": None,
        "event_type": "affiliate",
        "end_on": None,
        "date_precision": "day",
        "is_cancelled": False,
        "city": None,
        "country_name": None,
        "country_iso3": None,
        "venue": None,
        "website": None,
        "notes": None,
        "source": None,
        "confidence": "high",
        "is_sample": False,
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows], columns=table("events").column_names)
    return frame.assign(
        start_on=pd.to_datetime(frame["start_on"]),
        end_on=pd.to_datetime(frame["end_on"]),
        is_cancelled=frame["is_cancelled"].astype(bool),
        is_sample=frame["is_sample"].astype(bool),
    )

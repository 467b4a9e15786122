"""How values read on a page: numbers, percents and dates in a card, codes in words, yes or no, confidence.

Small pure helpers the pages share (a card's value, a table's cells), so that a value reads the same on
every page. Column headers and column formats are in ui.labels.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analytics.figures.calendar_charts import event_dates_text, event_place_text

MISSING = "–"  # what a card shows for a value that is not known
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITE_SPACE = re.compile(r"\s+")
# Where GitHub-flavoured Markdown would find an address in plain text: before "://" of a web address, after the
# "www" of a bare host name, before the "@" of an e-mail address.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=\\:)|(?<=http)(?=\\:)|(?<=\bwww)(?=\\\.)|(?=\\@)")
WORD_JOINER = "\u2060"
LOW_CONFIDENCE = "⚠️ low"  # low confidence is flagged with a sign and a word, never colour alone


def literal(value: object) -> str:
    """`value` (text from data) as Markdown that Streamlit shows exactly as written, with nothing in it live
    (no link, image, formatting, icon or formula): every ASCII punctuation character escaped, white space
    folded, bare addresses broken with a word joiner; a missing value is "".

    >>> literal("**Cal-ICMA**  [x](y)")
    '\\\\*\\\\*Cal\\\\-ICMA\\\\*\\\\* \\\\[x\\\\]\\\\(y\\\\)'
    >>> literal(None), literal(float("nan"))
    ('', '')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", _WHITE_SPACE.sub(" ", str(value)).strip())
    return _AUTOLINK.sub(WORD_JOINER, escaped)


def format_count(value: float | None) -> str:
    """A whole number with thousands separators: 13100 -> "13,100"."""
    return MISSING if value is None or pd.isna(value) else f"{value:,.0f}"


def format_percent(value: float | None, digits: int = 0) -> str:
    """A share as a percent: 0.6 -> "60%"."""
    return MISSING if value is None or pd.isna(value) else f"{value:.{digits}%}"


def format_date(value: object) -> str:
    """A date as YYYY-MM-DD."""
    return MISSING if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def words(values: pd.Series) -> pd.Series:
    """Codes in words: "due_for_renewal" -> "due for renewal"; empty stays empty."""
    return (
        values.astype("object")
        .where(values.notna(), None)
        .map(lambda value: value.replace("_", " ") if isinstance(value, str) else value)
    )


def yes_no(flags: pd.Series) -> pd.Series:
    """True/False as "yes"/"no" (empty stays empty)."""
    return flags.astype("boolean").map({True: "yes", False: "no"})


def marked(flags: pd.Series, word: str) -> pd.Series:
    """`word` where a flag is set, nothing where it is not: a "sample" or "cancelled" column."""
    return flags.fillna(False).astype(bool).map({True: word, False: ""})


def confidence_text(confidence: pd.Series) -> pd.Series:
    """The confidence of the facts as cells, low confidence flagged with a sign and a word (not colour alone)."""
    return confidence.astype("object").map(lambda level: LOW_CONFIDENCE if level == "low" else level)


def confidence_words(level: object) -> str:
    """The confidence of an affiliate's facts as a sentence part, with what low confidence means."""
    if level == "low":
        return "⚠️ **low**: the public sources disagree or are thin; check before quoting"
    return f"**{level}**" if isinstance(level, str) else "unknown"


def source_links(sources: object) -> list[str]:
    """The source URLs of a `source` field (several are separated by ` ; `)."""
    if not isinstance(sources, str):
        return []
    return [part.strip() for part in sources.split(";") if part.strip()]


def affiliate_choice_labels(affiliates: pd.DataFrame) -> pd.Series:
    """How each affiliate reads in a chooser: name, acronym, and where it is ("Solace (Solace) · United Kingdom").

    One label per row, in the rows' order and index; built column by column, so a chooser of 68,000 affiliates
    costs milliseconds. The input is not changed.
    """
    acronym = affiliates["acronym"].astype("string").fillna("")
    acronym_text = ("(" + acronym + ")").where(acronym != "", "")
    place = (
        affiliates["country_name"]
        .astype("string")
        .where(~affiliates["affiliate_type"].isin(["state", "national"]), affiliates["state_code"].astype("string"))
    )
    place = place.mask(affiliates["affiliate_type"] == "national", "national").fillna("")
    names = affiliates["name"].astype("string")
    return (names + (" " + acronym_text).where(acronym_text != "", "") + " · " + place).astype(object)


def shown_note(count_rows: int, count_shown: int) -> str:
    """What a table showing its first `count_shown` of `count_rows` rows says after its count (nothing when it
    shows them all).

    >>> shown_note(121, 10)
    ' The first 10 are shown; the download holds them all.'
    >>> shown_note(8, 10)
    ''
    """
    return f" The first {count_shown:,} are shown; the download holds them all." if count_rows > count_shown else ""


def like_for_like_note(count_affiliates: int) -> str:
    """What a card's change in a year compares, for its help text."""
    return (
        f"The change in a year is like for like: over the {count_affiliates} affiliates counted both at that "
        "month end and twelve months before it."
    )


# A card's change that rounds to nothing: in words, grey and without an arrow (never a red "↓ -0.0 pts").
NO_CHANGE: dict[str, Any] = {"delta": "no change in a year", "delta_color": "off", "delta_arrow": "off"}


def change_in_a_year(change_pct: float | None) -> dict[str, Any]:
    """A card's change against a year earlier as st.metric's delta options: 0.1 -> "+10.0% in a year".

    Signed ("+" or "-"); a change that rounds to 0.0% is `NO_CHANGE`; None gives no delta at all.

    >>> change_in_a_year(0.1), change_in_a_year(-0.0004)["delta"], change_in_a_year(None)
    ({'delta': '+10.0% in a year'}, 'no change in a year', {})
    """
    if change_pct is None or pd.isna(change_pct):
        return {}
    return NO_CHANGE if round(change_pct * 100, 1) == 0 else {"delta": f"{change_pct:+.1%} in a year"}


def points_in_a_year(change: float | None) -> dict[str, Any]:
    """A share's change against a year earlier in percentage points, as st.metric's delta options:
    0.012 -> "+1.2 pts in a year"; a change that rounds to 0.0 pts is `NO_CHANGE`; None gives no delta."""
    if change is None or pd.isna(change):
        return {}
    return NO_CHANGE if round(change * 100, 1) == 0 else {"delta": f"{change * 100:+.1f} pts in a year"}


def data_origin(rows: pd.DataFrame) -> pd.Series:
    """Where each row comes from, in words, for a table where real and sample rows meet: "sample" (is_sample),
    "public source" (a `source` is recorded), else "uploaded"."""
    has_source = rows["source"].notna() if "source" in rows.columns else pd.Series(False, index=rows.index)
    return (
        pd.Series("uploaded", index=rows.index, dtype="object")
        .mask(has_source, "public source")
        .mask(rows["is_sample"].fillna(False).astype(bool), "sample")
    )


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """`events` with the cells every table of events shows: dates and place in words (as on the calendar),
    the event's name, and whether it is sample data. Columns: those of `events`, plus dates, event_name,
    place and is_sample as text."""
    return events.assign(
        dates=event_dates_text(events),
        event_name=events["name"],
        place=event_place_text(events),
        is_sample=marked(events["is_sample"], "sample"),
    )


def warnings_list(warnings: tuple[str, ...]) -> str:
    """Plausibility warnings (analytics.uploads.plausibility) as a Markdown list, each shown as written."""
    return "\n".join(f"- {literal(warning)}" for warning in warnings)


def undo_effect(batch: pd.Series) -> str:
    """What undoing a ledger batch will do, in words, before it is confirmed.

    >>> undo_effect(pd.Series({"file_name": "nov.csv", "kind": "membership", "rows_loaded": 12, "rows_replaced": 3}))
    'Undoing nov.csv stops its 12 membership row(s) counting everywhere and restores the 3 row(s) it replaced.'
    """
    replaced = int(batch.get("rows_replaced") or 0)
    restores = f" and restores the {replaced:,} row(s) it replaced" if replaced else "; it replaced nothing"
    return (
        f"Undoing {batch['file_name']} stops its {int(batch['rows_loaded']):,} {str(batch['kind']).replace('_', ' ')} "
        f"row(s) counting everywhere{restores}."
    )


def with_names_and_dates(rows: pd.DataFrame, affiliates: pd.DataFrame) -> pd.DataFrame:
    """Stored rows as a person reads them: the affiliate's name beside its id, dates as dates (2026-11-30, not
    "2026-11-30 00:00:00"). Does not change `rows`.

    >>> rows = pd.DataFrame({"affiliate_id": ["state-ca"], "snapshot_on": pd.to_datetime(["2026-11-30"])})
    >>> with_names_and_dates(rows, pd.DataFrame({"affiliate_id": ["state-ca"], "name": ["Cal-ICMA"]})).iloc[0].tolist()
    ['Cal-ICMA', 'state-ca', datetime.date(2026, 11, 30)]
    """
    readable = rows.copy()
    for column in readable.columns:
        if pd.api.types.is_datetime64_any_dtype(readable[column]):
            readable[column] = readable[column].dt.date
    if "affiliate_id" in readable.columns and "affiliate_name" not in readable.columns:
        names = affiliates.set_index("affiliate_id")["name"]
        readable.insert(0, "affiliate_name", readable["affiliate_id"].map(names))
    return readable

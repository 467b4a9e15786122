"""The values of a file's cells: counts, numbers and dates in the forms people write them, and the day/month
question a file may leave open.

Every parser works on whole columns in Arrow (a million cells take a fraction of a second) and returns, beside
the values, the reason each bad cell is bad, so that the report can name it. A blank cell, or a mark such as
"n/a", "-" or "NULL", is no value and no problem: the caller decides whether a value is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DateOrder = Literal["day_first", "month_first"]

# The largest count the store holds (its INTEGER columns are 32-bit); more is a typing error anyway.
LARGEST_COUNT = 2**31 - 1
TOO_LARGE = f"too large for a count (at most {LARGEST_COUNT:,})"
TOO_LARGE_NUMBER = "too large a number (beyond what can be stored)"
# A date before or after these years is a typing error in every kind of upload (snapshots, goals, events...).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# A two-digit year up to this one is in the 2000s, a later one in the 1900s (Excel's default cutoff, 2029).
TWO_DIGIT_YEAR_PIVOT = 29

_SPACES = r"[\s\x{00a0}\x{2009}\x{202f}']"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_EUROPEAN = r"^[+-]?\d{1,3}(\.\d{3})+,\d+$"  # 1.234,5
_DECIMAL_COMMA = r"^[+-]?\d+,(\d{1,2}|\d{4,})$"  # 12,5 (a comma and three digits is a thousands separator)
_DOT_THOUSANDS = r"^\d{1,3}(\.\d{3})+$"  # 1.234 as a count
# Cells that mean "no value" in the files people export.
MISSING_MARKS = pa.array(
    ["-", "\u2013", "\u2014", "n/a", "N/A", "N/a", "na", "NA", "#N/A", "null", "NULL", "none", "None", "nan", "NaN"]
)
TO_PANDAS = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}.get


def arrow_text(values: pd.Series) -> pa.Array:
    """The cells as a trimmed Arrow string array (no copy for Arrow-backed pandas strings)."""
    array = pa.array(values.astype("string").array)
    return trimmed_text(array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array)


def trimmed_text(values: pa.Array) -> pa.Array:
    """The cells as text without surrounding white space (a typed column written out as text first)."""
    return pc.utf8_trim_whitespace(values.cast(pa.string()))


def grid_column(grid: pa.Table, position: int) -> pa.Array:
    """One column of a file's grid of cells (by position), as one Arrow array."""
    return grid.column(position).combine_chunks()


def as_series(array: pa.Array, index: pd.Index) -> pd.Series:
    """An Arrow array as a pandas Series on `index` (text as "string", integers as "Int64")."""
    return array.to_pandas(types_mapper=TO_PANDAS).set_axis(index)


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole non-negative counts from text such as "1,234", "1 234" or "1.234"; and the reason each bad value
    is bad. A blank cell, or a mark such as "n/a" or "-", is no count and no problem."""
    counts, reason, _ = counts_from_text(arrow_text(values))
    return as_series(counts, values.index), as_series(reason, values.index)


def counts_from_text(text: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
    """parse_counts on trimmed Arrow text, vectorised (a million cells take a fraction of a second); and which
    cells are blank."""
    no_reason = pa.nulls(len(text), pa.string())
    if len(text) and pc.all(pc.match_substring_regex(text, r"^\d{1,18}$")).as_py():
        counts = pc.cast(text, pa.int64())
        return (*_within_count_range(counts, no_reason), pa.repeat(pa.scalar(False), len(text)))
    numbers, is_number, blank = _numbers_from_text(text, counts=True)
    is_whole = pc.fill_null(pc.equal(pc.floor(numbers), numbers), True)
    is_negative = pc.fill_null(pc.less(numbers, 0), False)
    is_too_large = pc.fill_null(pc.greater(numbers, LARGEST_COUNT), False)
    reason = pc.if_else(pc.and_(pc.invert(blank), pc.invert(is_number)), "not a number", no_reason)
    reason = pc.if_else(pc.invert(is_whole), "not a whole number", reason)
    reason = pc.if_else(is_negative, "a count cannot be negative", reason)
    reason = pc.if_else(is_too_large, TOO_LARGE, reason)
    good = pc.if_else(pc.is_null(reason), numbers, pa.scalar(None, pa.float64()))
    return pc.cast(good, pa.int64()), reason, blank


def _within_count_range(counts: pa.Array, reason: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Counts above LARGEST_COUNT removed, with the reason; the rest as they are."""
    too_large = pc.fill_null(pc.greater(counts, LARGEST_COUNT), False)
    if not pc.any(too_large).as_py():
        return counts, reason
    return pc.if_else(too_large, pa.scalar(None, pa.int64()), counts), pc.if_else(too_large, TOO_LARGE, reason)


def _numbers_from_text(text: pa.Array, counts: bool) -> tuple[pa.Array, pa.Array, pa.Array]:
    """The number each trimmed cell writes, whether it writes one, and whether it is blank (empty, or a mark
    such as "n/a" or "-").

    Read: "1,234" and "1 234" (thousands), "1.234,5" and "12,5" (a European decimal comma; a comma followed
    by exactly three digits is a thousands separator). `counts`: a count is whole, so "1.234" is 1234;
    otherwise it is 1.234, and "45%" is 45.
    """
    blank = pc.or_(pc.fill_null(pc.equal(text, ""), True), pc.is_in(text, value_set=MISSING_MARKS))
    cleaned = pc.replace_substring_regex(text, _SPACES, "")
    if not counts:
        cleaned = pc.replace_substring_regex(cleaned, "%$", "")
    thousands = pc.fill_null(pc.match_substring_regex(cleaned, _THOUSANDS), False)
    cleaned = pc.if_else(thousands, pc.replace_substring(cleaned, ",", ""), cleaned)
    european = pc.or_(
        pc.fill_null(pc.match_substring_regex(cleaned, _EUROPEAN), False),
        pc.fill_null(pc.match_substring_regex(cleaned, _DECIMAL_COMMA), False),
    )
    as_decimal = pc.replace_substring(pc.replace_substring(cleaned, ".", ""), ",", ".")
    cleaned = pc.if_else(european, as_decimal, cleaned)
    if counts:
        dotted = pc.fill_null(pc.match_substring_regex(cleaned, _DOT_THOUSANDS), False)
        cleaned = pc.if_else(dotted, pc.replace_substring(cleaned, ".", ""), cleaned)
    is_number = pc.fill_null(pc.match_substring_regex(cleaned, _NUMBER), False)
    numbers = pc.cast(pc.if_else(is_number, cleaned, pa.scalar(None, cleaned.type)), pa.float64())
    return numbers, is_number, blank


def typed_counts(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Counts from a column already typed as integers (Parquet): the same results and reasons as its text
    would give, without writing a million numbers out and parsing them back."""
    negative = pc.fill_null(pc.less(values, 0), False)
    counts, reason = _within_count_range(values.cast(pa.int64()), pa.nulls(len(values), pa.string()))
    if not pc.any(negative).as_py():
        return counts, reason
    reason = pc.if_else(negative, pa.scalar("a count cannot be negative"), reason)
    return pc.if_else(negative, pa.scalar(None, pa.int64()), counts), reason


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers, whole or not and of any sign, from text such as "1,234.5", "1 234", "12,5" or "45%"; the reason
    each bad value is bad; and which cells are blank (empty, "n/a", "-"...): no number and no problem, the
    caller decides whether a value is required."""
    numbers, is_number, blank = _numbers_from_text(arrow_text(values), counts=False)
    reason = pc.if_else(pc.and_(pc.invert(blank), pc.invert(is_number)), "not a number", pa.scalar(None, pa.string()))
    infinite = pc.fill_null(pc.is_inf(numbers), False)
    if pc.any(infinite).as_py():  # "1e400": a number past what a float holds, stored as infinity otherwise
        reason = pc.if_else(infinite, TOO_LARGE_NUMBER, reason)
        numbers = pc.if_else(infinite, pa.scalar(None, pa.float64()), numbers)
    blank_cells = pd.Series(blank.to_numpy(zero_copy_only=False), index=values.index)
    return pd.Series(numbers.to_pandas(), index=values.index), as_series(reason, values.index), blank_cells


def lookup_each(text: pa.Array, results: dict[str, object], result_type: pa.DataType) -> pa.Array:
    """Each cell's result, from a dict of results per distinct text (one hash lookup per cell, in Arrow)."""
    keys = pa.array(list(results), pa.string())
    table = pa.array(list(results.values()), result_type)
    positions = pc.index_in(text.cast(pa.string()), value_set=keys)
    return pc.take(table, positions)


def is_count_type(data_type: pa.DataType) -> bool:
    """Integers that fit int64: checked as counts directly, with no text in between."""
    return pa.types.is_integer(data_type) and data_type != pa.uint64()


def without_marks(text: pa.Array) -> pa.Array:
    """The text with every mark that means "no value" ("n/a", "-", "NULL"...) made blank."""
    return pc.if_else(pc.is_in(text, value_set=MISSING_MARKS), "", text)


# A date, maybe with a time of day and a zone (2026-01-31T08:30:00Z): the date as written is the one read.
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?$"
)
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_TEXT_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y", "%Y%m%d")


@dataclass(frozen=True)
class DateQuestion:
    """The file does not settle whether 03/04/2026 is 3 April or March 4: the analyst must say."""

    examples: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.examples)
        return (
            f"dates such as {shown} could be day/month or month/day and nothing in the file settles it; "
            "say which order the file uses"
        )


def full_year(two_digits: int) -> int:
    """The year a two-digit year means, by Excel's pivot: 00-29 are 2000-2029, 30-99 are 1930-1999 (so
    06/15/98 is 1998, and 06/15/29 is 2029)."""
    return two_digits + (2000 if two_digits <= TWO_DIGIT_YEAR_PIVOT else 1900)


def _numeric_parts(text: str) -> tuple[int, int, int, str] | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, separator, second, year = match.groups()
    return int(first), int(second), full_year(int(year)) if len(year) == 2 else int(year), separator


def date_order_evidence(texts: list[str]) -> tuple[bool, bool, list[str]]:
    """Whether some date can only be day-first, some only month-first, and examples of ambiguous ones."""
    day_first = month_first = False
    ambiguous = []
    for text in texts:
        parts = _numeric_parts(text)
        if parts is None or parts[3] == ".":
            continue
        first, second, _, _ = parts
        if first > 12 >= second:
            day_first = True
        elif second > 12 >= first:
            month_first = True
        elif first != second and first <= 12 and second <= 12:
            ambiguous.append(text)
    return day_first, month_first, ambiguous


def parse_date_text(text: str, order: DateOrder | None) -> date | str:
    """A date from one text, or the reason it is not one ("ambiguous" when the order is needed and unknown)."""
    text = text.strip()
    match = _ISO.match(text)
    if match:
        return _date_or_reason(int(match[1]), int(match[2]), int(match[3]))
    parts = _numeric_parts(text)
    if parts is not None:
        first, second, year, separator = parts
        if separator == ".":  # 31.03.2026: the dotted form is day-first wherever it is written
            return _date_or_reason(year, second, first)
        if first > 12 or second > 12 or first == second:
            day, month = (first, second) if first > 12 or (first == second) else (second, first)
            return _date_or_reason(year, month, day)
        if order is None:
            return "ambiguous"
        day, month = (first, second) if order == "day_first" else (second, first)
        return _date_or_reason(year, month, day)
    cleaned = text.replace(",", " ").replace("  ", " ")
    for pattern in _TEXT_FORMATS:
        try:
            written = datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
        year = full_year(written.year % 100) if "%y" in pattern else written.year
        return _date_or_reason(year, written.month, written.day)
    return "not a date (use YYYY-MM-DD, or a US or European date)"


def _date_or_reason(year: int, month: int, day: int) -> date | str:
    if year < EARLIEST_YEAR:
        return f"a year before {EARLIEST_YEAR}: is the year right?"
    if year > LATEST_YEAR:
        return f"a year after {LATEST_YEAR}: is the year right?"
    try:
        return date(year, month, day)
    except ValueError:
        return "not a real date"


def parse_dates(values: pd.Series, order: DateOrder | None) -> tuple[pd.Series, pd.Series, DateQuestion | None]:
    """Dates, the reason each bad value is bad, and a question when the day/month order is unsettled."""
    dates, reason, question = dates_from_text(arrow_text(values), order)
    return as_series(dates, values.index), as_series(reason, values.index), question


def dates_from_text(text: pa.Array, order: DateOrder | None) -> tuple[pa.Array, pa.Array, DateQuestion | None]:
    """parse_dates on trimmed Arrow text. Each distinct text is parsed once, so a million rows of a few
    hundred dates cost little."""
    distinct = [value for value in pc.unique(text).to_pylist() if value]
    question = None
    if order is None:
        day_first, month_first, ambiguous = date_order_evidence(distinct)
        if day_first and not month_first:
            order = "day_first"
        elif month_first and not day_first:
            order = "month_first"
        elif ambiguous and not (day_first or month_first):
            question = DateQuestion(tuple(ambiguous[:3]))
    parsed = {value: parse_date_text(value, order) for value in distinct}
    unclear = "day/month order unclear: the file has dates written both ways"
    dates = {value: (result if isinstance(result, date) else None) for value, result in parsed.items()}
    reasons = {
        value: None if isinstance(result, date) else (unclear if result == "ambiguous" else result)
        for value, result in parsed.items()
    }
    if question is not None:
        reasons = {value: None if reason == unclear else reason for value, reason in reasons.items()}
    good = lookup_each(text, dates, pa.date32()).cast(pa.timestamp("ms"))
    return good, lookup_each(text, reasons, pa.string()), question

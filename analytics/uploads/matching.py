"""Matching a file's header to the columns of a kind: by name and the names they go by in the files people
export ("State", "ST", "state_code"), with accents, case and punctuation ignored, or by hand.

Each kind declares its columns (TargetColumn tuples, in its checks module); the registry
(analytics/uploads/kinds.py) hands them to these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analytics.uploads.errors import MappingError
from analytics.uploads.names import normalise


@dataclass(frozen=True)
class TargetColumn:
    """A column of an upload kind: its schema name, whether a file must have it, and names it goes by."""

    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


Columns = Sequence[TargetColumn]

# What a column naming an affiliate goes by.
AFFILIATE_SYNONYMS = (
    "affiliate",
    "affiliate id",
    "affiliate name",
    "association",
    "association name",
    "organization",
    "organisation",
)


@dataclass(frozen=True)
class ColumnMatch:
    """Which file column (by position) feeds each schema column, and what was left over."""

    sources: dict[str, int]
    unmatched: list[str]
    missing: list[str]
    # What is wrong with the header as a whole ("Members" heads two columns): refused, each said in words.
    problems: list[str] = field(default_factory=list)


def synonym_lookup(columns: Columns) -> dict[str, str]:
    """Normalised header text -> schema column, for one kind's columns."""
    lookup = {}
    for column in columns:
        for name in (column.name, *column.synonyms):
            lookup[normalise(name)] = column.name
    return lookup


def match_columns(header: list[str], columns: Columns, mapping: dict[str, str] | None = None) -> ColumnMatch:
    """Schema columns matched to the file's header: a manual `mapping` (file header -> column) first, then synonyms."""
    lookup = synonym_lookup(columns)
    mapping = mapping or {}
    sources: dict[str, int] = {}
    for position, name in enumerate(header):
        target = mapping.get(name)
        if target and target not in sources:
            sources[target] = position
    for position, name in enumerate(header):
        if name in mapping:
            continue
        target = lookup.get(normalise(name))
        if target and target not in sources and position not in sources.values():
            sources[target] = position
    used = set(sources.values())
    unmatched = [name for position, name in enumerate(header) if position not in used and name]
    missing = [column.name for column in columns if column.required and column.name not in sources]
    return ColumnMatch(sources, unmatched, missing, _repeated(header, sources))


def _repeated(header: list[str], sources: dict[str, int]) -> list[str]:
    """A problem for each matched column whose header, as normalised, heads more than one column."""
    problems = []
    for position in sources.values():
        key = normalise(header[position])
        positions = [other + 1 for other, name in enumerate(header) if normalise(name) == key]
        if len(positions) > 1:
            shown = ", ".join(map(str, positions[:-1])) + f" and {positions[-1]}"
            problems.append(
                f"columns {shown} are all headed {header[position]!r}: which one to read is not clear; "
                "remove or rename the others"
            )
    return problems


def column_named(columns: Columns, text: str, kind: str) -> str:
    """The column that `text` names, by its name (start_on) or its label (start date), in any case; MappingError
    naming the kind's columns when none is."""
    wanted = normalise(text)
    for column in columns:
        if wanted in (normalise(column.name), normalise(column.label)):
            return column.name
    names = ", ".join(f"{column.name} ({column.label})" for column in columns)
    raise MappingError(f"{kind} has no column {text!r}; its columns (name or label): {names}")


def column_guide(columns: Columns) -> pd.DataFrame:
    """One row per column a file may have: its header, whether it is required, other names it goes by."""
    return pd.DataFrame(
        [
            {
                "Column": header_of(column),
                "Required": column.required,
                "Also recognised as": ", ".join(
                    name for name in column.synonyms if normalise(name) != normalise(column.label)
                ),
            }
            for column in columns
        ]
    )


def template(columns: Columns) -> pd.DataFrame:
    """An empty table whose headers are these columns, as a file to fill in."""
    return pd.DataFrame(columns=[header_of(column) for column in columns])


def header_of(column: TargetColumn) -> str:
    """A column's label as a header: first letter capitalised, the rest as written ("Members also in ICMA")."""
    return column.label[:1].upper() + column.label[1:]

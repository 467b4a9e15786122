"""Matching a file's header to the columns of a kind: by name and the names they go by in the files people
export ("State", "ST", "state_code"), with accents, case and punctuation ignored, or by hand.

Each kind declares its columns (TargetColumn tuples, in its checks module); the registry
(analytics/uploads/kinds.py) hands them to these functions.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analytics.store import ledger
from analytics.uploads.errors import MappingError
from analytics.uploads.names import normalise
from analytics.uploads.values import parse_date_text


@dataclass(frozen=True)
class TargetColumn:
    """A column of an upload kind: its schema name, whether a file must have it, and names it goes by."""

    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...]
    # What its cells hold, to find it by content when no header names it: "date", "count" or "" (not looked for).
    holds: str = ""


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
    "account name",
    "chapter",
    "chapter name",
)


@dataclass(frozen=True)
class ColumnMatch:
    """Which file column (by position) feeds each schema column, and what was left over."""

    sources: dict[str, int]
    unmatched: list[str]
    missing: list[str]
    # What is wrong with the header as a whole ("Members" heads two columns): refused, each said in words.
    problems: list[str] = field(default_factory=list)
    # The file headers matched by hand (or by a mapping remembered for this header), and the column of each.
    by_hand: dict[str, str] = field(default_factory=dict)
    # Columns found by their cells (no header names them): what the notes say of each.
    by_content: list[str] = field(default_factory=list)


# Words a header may add or leave out without naming another column ("Membership Total", "Number of members").
FILLER_WORDS = frozenset({"a", "an", "the", "of", "in", "at", "on", "for", "no", "nr", "number", "total", "count"})


def word_key(text: str) -> str:
    """A header's words in any order, filler words left out, plurals and "-ing" as their stem:
    "ICMA Members (dual)" and "Dual ICMA member" give the same key; "Period Ending" that of "period end".

    >>> word_key("ICMA Members (dual)"), word_key("Membership Total"), word_key("Period Ending")
    ('~dual icma member', '~membership', '~end period')
    """
    words = set()
    for word in normalise(text).split():
        if word in FILLER_WORDS:
            continue
        if len(word) > 5 and word.endswith("ing"):
            word = word[:-3]
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return "~" + " ".join(sorted(words)) if words else ""


def synonym_lookup(columns: Columns) -> dict[str, str]:
    """Header text -> schema column, for one kind's columns: by each name as normalised, and by its words in
    any order (`word_key`, "~"-prefixed) where that key names one column only."""
    lookup: dict[str, str] = {}
    by_words: dict[str, set[str]] = {}
    for column in columns:
        for name in (column.name, column.label, *column.synonyms):
            lookup[normalise(name)] = column.name
            if word_key(name):
                by_words.setdefault(word_key(name), set()).add(column.name)
    for key, names in by_words.items():
        if len(names) == 1 and key not in lookup:
            lookup[key] = next(iter(names))
    return lookup


def column_for(header: str, lookup: dict[str, str]) -> str | None:
    """The column a header names, by its text as normalised, else by its words (see `synonym_lookup`)."""
    return lookup.get(normalise(header)) or lookup.get(word_key(header))


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
        target = column_for(name, lookup)
        if target and target not in sources and position not in sources.values():
            sources[target] = position
    used = set(sources.values())
    unmatched = [name for position, name in enumerate(header) if position not in used and name]
    missing = [column.name for column in columns if column.required and column.name not in sources]
    by_hand = {header[position]: target for target, position in sources.items() if header[position] in mapping}
    return ColumnMatch(sources, unmatched, missing, _repeated(header, sources), by_hand)


# Cells looked at to tell what a column holds.
CONTENT_SAMPLE = 200
_COUNT = re.compile(r"^\d{1,3}(,?\d{3})*$")


def match_by_content(
    match: ColumnMatch, columns: Columns, header: list[str], cells: Callable[[int], list[str]]
) -> ColumnMatch:
    """`match` with each missing required column that declares what it holds (`holds`) fed by the one unused
    file column whose cells all hold that (dates, or whole counts), when exactly one such column is missing and
    exactly one file column fits: never a guess between two. `cells(position)`: the first cells of a column."""

    def holds(position: int) -> str:
        texts = [text.strip() for text in cells(position) if text and text.strip()]
        if not texts:
            return ""
        if all(_COUNT.match(text) for text in texts):
            return "count"
        if all(not isinstance(parse_date_text(text, "day_first"), str) for text in texts):
            return "date"
        return ""

    used = set(match.sources.values())
    free = [position for position, name in enumerate(header) if position not in used]
    content = {position: holds(position) for position in free} if match.missing else {}
    sources, notes = dict(match.sources), []
    for kind in ("date", "count"):
        wanted = [column for column in columns if column.name in match.missing and column.holds == kind]
        fitting = [position for position, found in content.items() if found == kind]
        if len(wanted) == 1 and len(fitting) == 1:
            sources[wanted[0].name] = fitting[0]
            shown = header[fitting[0]] or f"column {fitting[0] + 1}"
            notes.append(
                f"column {shown!r} read as {wanted[0].label}: no header names it, and its cells are all "
                f"{'dates' if kind == 'date' else 'whole numbers'} (the only such column)"
            )
    if not notes:
        return match
    taken = set(sources.values())
    return replace(
        match,
        sources=sources,
        unmatched=[name for position, name in enumerate(header) if position not in taken and name],
        missing=[name for name in match.missing if name not in sources],
        by_content=notes,
    )


def header_signature(header: list[str]) -> str:
    """What identifies a file's shape: its header cells in order, as normalised (so "Acct Name" and "acct name"
    are one shape, and a column added, removed or moved is another). A mapping made by hand is remembered
    for this signature and reused only for a header that has it.

    >>> same = header_signature(["Acct", "As at"]) == header_signature(["ACCT", "as-at"])
    >>> same, header_signature(["Acct", "As at"]) == header_signature(["As at", "Acct"])
    (True, False)
    """
    return hashlib.sha256("\x1f".join(normalise(name) for name in header).encode("utf-8")).hexdigest()


def remembered_for(data_dir: Path, kind: str, header: list[str]) -> tuple[dict[str, str], str] | None:
    """The mapping by hand saved with the latest committed batch of `kind` whose header had this one's signature,
    and the note that says so; None when there is none (a header of another shape never gets it)."""
    found = ledger.remembered_mapping(data_dir, kind, header_signature(header))
    if found is None:
        return None
    saved = {normalise(name): column for name, column in found.mapping.items()}
    mapping = {name: saved[normalise(name)] for name in header if normalise(name) in saved}  # as this file writes it
    shown = ", ".join(f"{name!r} as {column}" for name, column in mapping.items())
    return mapping, f"columns matched as in batch {found.batch_id} of the same header ({shown})"


def mapping_row(kind: str, match: ColumnMatch, header: list[str], batch_id: str, saved_by: str) -> pa.Table | None:
    """The row of store/mappings/ that remembers how this file's columns were matched by hand; None when none
    was."""
    if not match.by_hand:
        return None
    row = {
        "kind": kind,
        "header_signature": header_signature(header),
        "mapping_json": json.dumps(match.by_hand, ensure_ascii=False, sort_keys=True),
        "batch_id": batch_id,
        "saved_at": datetime.now(UTC),
        "saved_by": saved_by,
    }
    return pa.Table.from_pylist([row], schema=ledger.MAPPINGS_SCHEMA)


def choice_labels(columns: Columns) -> dict[str, str]:
    """What a person choosing the column a file column feeds sees of each: its label as a header, and whether it
    is required ("Members also in ICMA (required)"), never the schema name."""
    return {column.name: header_of(column) + (" (required)" if column.required else "") for column in columns}


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

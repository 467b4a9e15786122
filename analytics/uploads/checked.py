"""A file after its checks, and what every kind's checks share.

`FileCells` gives a check a file's cells by schema column (a column the file lacks reads as blank everywhere),
and turns the check's rows and reasons into a `Checked`: the valid rows typed for the store, the report of
every problem (file-level first, then by row and column, each row as the analyst sees it in their spreadsheet)
and the rejected rows as they stood in the file. The reason helpers (`with_reason`, `same_key_reasons`...) are
how a check says what is wrong with a cell.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.core.frames import is_among
from analytics.core.schema import table as schema_table
from analytics.uploads.matching import CONTENT_SAMPLE, ColumnMatch, Columns, match_by_content, match_columns
from analytics.uploads.names import normalise
from analytics.uploads.reading import SourceTable, text_frame
from analytics.uploads.values import (
    DateOrder,
    DateQuestion,
    as_series,
    grid_column,
    parse_dates,
    trimmed_text,
    without_marks,
)

REPORT_COLUMNS = ["row", "column", "value", "problem"]
# Longest slug of a name in an id made for a record the file gives none for. A longer name is cut shorter and
# ends with the first HASH_CHARACTERS hex digits of the SHA-256 of its whole slug, so two names that share
# their first characters never make one id (a shorter name's id is its slug, as before).
SLUG_CHARACTERS = 60
HASH_CHARACTERS = 8
# Characters that cannot be seen in a cell (first and last of each range): C0 controls but tab and line breaks,
# DEL and C1 controls, zero-width spaces and joiners, direction marks, embeddings, overrides and isolates, word
# joiners, the byte-order mark.
INVISIBLE_RANGES = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064),
    (0x2066, 0x2069), (0xFEFF, 0xFEFF),
)  # fmt: skip
# The same set for Arrow's regular expressions (RE2) and for Python's.
INVISIBLE_CHARACTERS = "[" + "".join(f"\\x{{{first:x}}}-\\x{{{last:x}}}" for first, last in INVISIBLE_RANGES) + "]"
_INVISIBLE = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in INVISIBLE_RANGES) + "]")


@dataclass(frozen=True)
class Checked:
    """A file after its checks: the valid rows, the report of every problem, and any question to ask."""

    kind: str
    source: SourceTable
    match: ColumnMatch
    rows: pd.DataFrame  # valid rows in schema columns, plus row_number
    report: pd.DataFrame  # row, column, value, problem (row empty for problems with the file as a whole)
    rejected_rows: pd.DataFrame  # the file's cells of every rejected row, with row_number and problem
    question: DateQuestion | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows_in_file(self) -> int:
        return self.source.grid.num_rows

    @property
    def can_commit_all(self) -> bool:
        return self.report.empty and self.question is None and not self.rows.empty

    @property
    def can_commit_valid(self) -> bool:
        """Whether --only-valid may commit: every file-level problem solved and some row valid."""
        file_level = self.report["row"].isna().any() if not self.report.empty else False
        return not file_level and self.question is None and not self.rows.empty

    def may_commit(self, only_valid: bool = False) -> bool:
        """Whether a commit may be made: of every row, or (`only_valid`) of the valid rows alone."""
        return self.can_commit_all or (only_valid and self.can_commit_valid)

    def blank_in_file(self, name: str) -> np.ndarray:
        """For each valid row, whether the file leaves column `name` blank there (or has no such column)."""
        position = self.match.sources.get(name)
        if position is None or self.rows.empty:
            return np.ones(len(self.rows), dtype=bool)
        values = grid_column(self.source.grid, position)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            empty = pc.fill_null(pc.equal(without_marks(trimmed_text(values)), ""), True)
        else:
            empty = values.is_null()
        if not pc.any(empty).as_py():
            return np.zeros(len(self.rows), dtype=bool)
        blank = pd.Series(empty.to_numpy(zero_copy_only=False))
        by_row = blank.set_axis(self.source.row_numbers.to_numpy())
        return by_row.reindex(self.rows["row_number"].to_numpy()).fillna(True).to_numpy(dtype=bool)


class FileCells:
    """A file's cells by schema column, trimmed, for the checks of one kind; and the Checked they lead to.

    A column the file does not have reads as blank everywhere, so a check can be written once for
    files with and without its optional columns.
    """

    def __init__(self, source: SourceTable, kind: str, columns: Columns, mapping: dict[str, str] | None = None):
        """The cells of `source` for the kind named `kind` with these columns; `mapping` (file header -> schema
        column) matches columns by hand before their names and synonyms do."""
        self.source = source
        self.kind = kind
        self.columns = tuple(columns)
        self.match = match_by_content(
            match_columns(source.header, self.columns, mapping),
            self.columns,
            source.header,
            lambda position: source.grid.column(position).slice(0, CONTENT_SAMPLE).cast(pa.string()).to_pylist(),
        )
        self.index = pd.RangeIndex(source.grid.num_rows)
        self.originals = {name: grid_column(source.grid, position) for name, position in self.match.sources.items()}
        self._text: dict[str, pd.Series] = {}  # trimmed text of a column, made on first use

    def has(self, name: str) -> bool:
        return name in self.match.sources

    def text(self, name: str) -> pd.Series:
        """The trimmed cells of a column: "" for a blank cell or a mark such as "n/a" or "-", and everywhere when
        the file lacks the column."""
        if name not in self.originals:
            return pd.Series("", index=self.index, dtype="string")
        if name not in self._text:
            self._text[name] = as_series(without_marks(trimmed_text(self.originals[name])), self.index)
        return self._text[name].fillna("")

    def blank(self, name: str) -> pd.Series:
        return self.text(name).eq("")

    def value(self, name: str) -> pd.Series:
        """The trimmed cells, a blank one missing."""
        return self.text(name).mask(self.blank(name))

    def required(self, name: str) -> pd.Series:
        """The reason of every blank cell of a required column."""
        return no_reasons(self.index).mask(self.blank(name), "a value is required")

    def dates(
        self, names: tuple[str, ...], order: DateOrder | None
    ) -> tuple[dict[str, pd.Series], dict[str, pd.Series], DateQuestion | None]:
        """The dates of several columns and the reason of each bad one, parsed together so that one day/month
        order serves them all; and the question when the file does not settle that order."""
        both = pd.concat([self.text(name) for name in names], ignore_index=True)
        dates, reasons, question = parse_dates(both, order)
        size = len(self.index)
        parts = {name: slice(number * size, (number + 1) * size) for number, name in enumerate(names)}
        return (
            {name: dates.iloc[part].set_axis(self.index) for name, part in parts.items()},
            {name: reasons.iloc[part].set_axis(self.index) for name, part in parts.items()},
            question,
        )

    def rows(self) -> pd.DataFrame:
        """A frame for the checked rows, holding each record's row number as a person sees it."""
        return pd.DataFrame({"row_number": self.source.row_numbers.to_numpy()}, index=self.index)

    def checked(
        self,
        rows: pd.DataFrame,
        reasons: dict[str, pd.Series],
        question: DateQuestion | None = None,
        file_problems: tuple[str, ...] = (),
    ) -> Checked:
        """The Checked of these rows (in the columns of the kind's schema table, after row_number): reasons of
        columns the file lacks are dropped (the missing column is the problem), and every file-level problem is
        reported first."""
        labels = {column.name: column.label for column in self.columns}
        problems = [
            {"row": pd.NA, "column": name, "value": pd.NA, "problem": f"required column ({labels[name]}) is missing"}
            for name in self.match.missing
        ]
        file_problems = (*self.match.problems, *file_problems)
        problems += [{"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": text} for text in file_problems]
        if self.source.is_empty:
            problems.append({"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": "the file has no data rows"})
        kept = {name: reason for name, reason in reasons.items() if self.has(name)}
        for name, values in self.originals.items():
            invisible = invisible_character_reasons(values)
            if invisible is not None:  # before any other reason: a name must not match through them
                kept[name] = invisible.set_axis(self.index).fillna(kept.get(name, no_reasons(self.index)))
        rows = rows[["row_number", *schema_table(self.kind).column_names]]
        return _checked(self.kind, self.source, self.match, rows, kept, self.originals, problems, question)


def no_reasons(index: pd.Index) -> pd.Series:
    """A reason column with no problem yet."""
    return pd.Series(pd.NA, index=index, dtype="string")


def with_reason(reasons: pd.Series, where: pd.Series, text: str) -> pd.Series:
    """`reasons` with `text` added where `where` holds and no earlier problem was found (the first one is reported)."""
    return reasons.mask(where.fillna(False).astype(bool) & reasons.isna(), text)


def same_key_reasons(
    rows: pd.DataFrame, key: list[str], reasons: pd.Series | None, what: str, verb: str = "stands"
) -> pd.Series:
    """Rows whose key (all of it present) stands in another row too: "the same <what> also stands in row 4" (the
    first other row), "... in row 4 and 12 more rows" when more share it (`verb` "stand" for a plural such as
    "affiliate and date"). Linear in the rows, however many share one key: never every pair."""
    reasons = no_reasons(rows.index) if reasons is None else reasons.copy()
    keys = rows[key]
    duplicated = keys.notna().all(axis=1) & keys.duplicated(keep=False)
    if not duplicated.any():
        return reasons
    numbers = rows.loc[duplicated, "row_number"]
    groups = rows.loc[duplicated].groupby(key, sort=False).ngroup()
    order = numbers.groupby(groups).cumcount()
    first = numbers.groupby(groups).transform("first")
    second = numbers.where(order.eq(1)).groupby(groups).transform("max")
    size = numbers.groupby(groups).transform("size")
    other = first.where(order.gt(0), second).astype("int64").astype(str)
    more = " and " + (size - 2).map("{:,}".format) + " more row" + size.gt(3).map({True: "s", False: ""})
    more = more.where(size.gt(2), "")
    text = f"the same {what} also {verb} in row " + other + more
    return reasons.fillna(text.reindex(reasons.index))


_WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def web_addresses(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Web addresses (http or https; "www.…" gets https://), and the reason any other text is refused."""
    addresses = values.mask(values.str.lower().str.startswith("www.").fillna(False), "https://" + values)
    good = addresses.isna() | addresses.fillna("").str.match(_WEB_ADDRESS.pattern, case=False)
    reasons = no_reasons(values.index).mask(~good, "not a web address (use https://…)")
    return addresses.where(good), reasons


def record_id(prefix: str, *parts: object, slug_of: str = "", slug_characters: int = SLUG_CHARACTERS) -> str:
    """A stable id made of its parts and a slug of a name, e.g. `E2026-05-14-solace-summit`.

    A slug longer than `slug_characters` is cut and ends with a short hash of the whole slug
    (`...-summit-of-local-3fa4b2c1`), so names differing only after their first characters get different ids.
    """
    slug = normalise(slug_of).replace(" ", "-")
    if len(slug) > slug_characters:
        digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:HASH_CHARACTERS]
        slug = slug[: slug_characters - HASH_CHARACTERS - 1].strip("-") + "-" + digest
    return prefix + "-".join(str(part) for part in (*parts, slug) if str(part))


def made_id_collisions(
    made: pd.Series, is_made: pd.Series, stored_ids: pd.Series, what: str, reasons: pd.Series | None = None
) -> pd.Series:
    """`reasons` with a reason where an id made from a name is already a stored record's id that the name did
    not find (a record made before ids ended with a hash): that record would be replaced by another one.
    `is_made`: the rows whose id was made here, not given by the file nor found by name."""
    reasons = no_reasons(made.index) if reasons is None else reasons
    taken = is_made.fillna(False).astype(bool) & is_among(made, stored_ids.dropna()).fillna(False).astype(bool)
    return with_reason(
        reasons,
        taken,
        f"another stored {what} already has the id made from this name ("
        + made.fillna("").astype(str)
        + f"); give this {what} its own id in an id column",
    )


def invisible_character_reasons(values: pa.Array) -> pd.Series | None:
    """The reason of each text cell holding a character that cannot be seen (a control character other than tab
    and line breaks, a right-to-left override or isolate, a zero-width space or joiner), naming it; None when no
    cell holds one. Such text looks like a name it is not ("Texas" with a U+202E in it), so it is refused."""
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    found = pc.fill_null(pc.match_substring_regex(values, INVISIBLE_CHARACTERS), False)
    if not pc.any(found).as_py():
        return None
    reasons = [None] * len(values)
    for position in np.flatnonzero(found.to_numpy(zero_copy_only=False)):
        character = _INVISIBLE.search(values[int(position)].as_py()).group()
        name = unicodedata.name(character, "control character")
        reasons[position] = f"holds an invisible character (U+{ord(character):04X} {name}); retype the text without it"
    return pd.Series(reasons, dtype="string")


def _checked(
    kind: str,
    source: SourceTable,
    match: ColumnMatch,
    rows: pd.DataFrame,
    reasons: dict[str, pd.Series],
    originals: dict[str, pa.Array],
    file_problems: list[dict],
    question: DateQuestion | None,
) -> Checked:
    """The report of every problem (file-level first, then by row and column), the valid rows and the rejected ones."""
    report = pd.DataFrame(file_problems, columns=REPORT_COLUMNS)
    parts = [report] if file_problems else []
    header_of = {name: source.header[position] for name, position in match.sources.items()}
    for name, reason in reasons.items():
        bad = reason.notna()
        if bad.any():
            parts.append(
                pd.DataFrame(
                    {
                        "row": rows.loc[bad, "row_number"].astype("Int64"),
                        "column": header_of[name],
                        "value": as_series(originals[name].filter(bad.to_numpy()).cast(pa.string()), rows.index[bad]),
                        "problem": reason[bad],
                    }
                )
            )
    report = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REPORT_COLUMNS)
    report = report.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(drop=True)
    bad_rows = pd.Series(False, index=rows.index)
    for reason in reasons.values():
        bad_rows |= reason.notna()
    valid = rows[~bad_rows] if not match.missing and question is None else rows.iloc[0:0]
    cells = text_frame(source.grid.filter(bad_rows.to_numpy())).set_axis(rows.index[bad_rows])
    cells.columns = [name or f"column {position + 1}" for position, name in enumerate(source.header)]
    row_problems = report.dropna(subset=["row"]).groupby("row")["problem"].agg("; ".join)
    rejected = cells.assign(row_number=rows.loc[bad_rows, "row_number"])
    rejected = rejected.assign(problem=rejected["row_number"].map(row_problems))
    notes = (*source.notes, *match.by_content)
    if match.unmatched:
        notes = (*notes, "columns not used: " + ", ".join(match.unmatched))
    return Checked(kind, source, match, valid.reset_index(drop=True), report, rejected, question, notes)


def report_text(checked: Checked, limit: int = 50) -> str:
    """The report as lines a person reads in a terminal."""
    lines = []
    if checked.question is not None:
        lines.append(f"question: {checked.question}")
    for problem in checked.report.head(limit).itertuples(index=False):
        where = "file" if pd.isna(problem.row) else f"row {problem.row}"
        column = "" if pd.isna(problem.column) else f", column {problem.column!r}"
        value = "" if pd.isna(problem.value) else f" (value {problem.value!r})"
        lines.append(f"{where}{column}: {problem.problem}{value}")
    if len(checked.report) > limit:
        lines.append(f"... and {len(checked.report) - limit} more problem(s)")
    return "\n".join(lines)

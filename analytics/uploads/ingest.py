"""Reading an uploaded file, whatever shape its system exported it in, and checking every row.

Two steps, both pure (no store is written here):

1. `read_source(data, file_name, limits)`: the file's real type from its bytes (Parquet's `PAR1`,
   a zip holding `[Content_Types].xml` for .xlsx, decodable text for CSV), never from its name;
   size, row, column and zip-expansion limits; CSV delimiter and encoding; the header row, even
   under a title row. The result is a grid of cells (text, or a Parquet file's own integer and date
   columns, so they need not be written out and parsed again) with the row number a person sees.
2. `check_membership(source, reference, ...)` and `check_events(source, reference, ...)`: columns
   matched to the schema by name and common synonyms (or a manual mapping), affiliates named by id,
   name, acronym or state, numbers such as "1,234", dates in ISO, US and European forms, and a
   row-level report of every problem: the row as the analyst sees it in their spreadsheet, the
   column, the value and the reason.

A day/month order that the file does not settle (03/04/2026 with no day above 12) is returned as a
question, never guessed.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from analytics.core.errors import AnalyticsError
from analytics.core.schema import table as schema_table
from analytics.uploads.columns import (
    KIND_COLUMNS,
    MEMBERSHIP_COLUMNS,
    normalise,
    synonym_lookup,
)

FileType = Literal["csv", "xlsx", "parquet"]
DateOrder = Literal["day_first", "month_first"]

# A line longer than this is not a row of membership data; refusing it keeps the parser safe.
MAX_LINE_CHARACTERS = 100_000
MAX_COLUMNS = 200
# A zip (xlsx) may expand to this many times the upload limit in total, and no member more than this ratio.
MAX_ZIP_EXPANSION = 10
MAX_ZIP_MEMBER_RATIO = 200
# Rows scanned for the header row (a title and blank rows may stand above it).
HEADER_SEARCH_ROWS = 20
# The largest count the store holds (its INTEGER columns are 32-bit); more is a typing error anyway.
LARGEST_COUNT = 2**31 - 1
TOO_LARGE = f"too large for a count (at most {LARGEST_COUNT:,})"
# A date before or after these years is a typing error in every kind of upload (snapshots, goals, events...).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# Rows at the end of a table looked at for totals and notes under it.
TRAILING_ROWS_SEARCHED = 10
# Unknown affiliates: how many close matches are suggested.
SUGGESTIONS = 3
REPORT_COLUMNS = ["row", "column", "value", "problem"]
# An event of the same name starting this many days from a stored one is that event, moved.
SAME_EVENT_DAYS = 14
# Longest slug of a name in an id made for a record the file gives none for.
SLUG_CHARACTERS = 60


class IngestError(AnalyticsError):
    """The file as a whole cannot be read: wrong type, too big, empty, unreadable."""


@dataclass(frozen=True)
class Limits:
    """What the server accepts: from settings.max_upload_megabytes and max_upload_rows."""

    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class SourceTable:
    """A file's cells, its header as written, and each row's number as a person sees it."""

    file_name: str
    file_type: FileType
    sha256: str
    header: list[str]
    grid: pa.Table  # one column per header cell (by position): text, or a Parquet file's integers and dates
    row_numbers: pd.Series  # the spreadsheet row of each record
    notes: tuple[str, ...] = ()
    sheet_names: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.grid.num_rows == 0 or self.grid.num_columns == 0

    @cached_property
    def cells(self) -> pd.DataFrame:
        """Every cell as text (pandas "string"), one column per header cell by position; made on first use."""
        return _text_frame(self.grid)


def _text_frame(grid: pa.Table) -> pd.DataFrame:
    """A grid's cells as pandas "string" columns named by position (a typed column written as text)."""
    columns = [column.cast(pa.string()) for column in grid.columns]
    cells = pa.table(columns, names=grid.column_names).to_pandas(types_mapper=_TO_PANDAS)
    cells.columns = range(grid.num_columns)
    return cells


# -- 1. reading --------------------------------------------------------------------------------------


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect_file_type(data: bytes, file_name: str) -> FileType:
    """The real type of the file from its bytes; IngestError for anything else."""
    name = file_name.lower()
    if not data:
        raise IngestError("the file is empty")
    if name.endswith((".xlsm", ".xltm", ".xlsb", ".xls")):
        raise IngestError(
            "macro-enabled and legacy Excel files (.xlsm, .xlsb, .xls) are refused; save the sheet as .xlsx or CSV"
        )
    if data[:4] == b"PAR1" and data[-4:] == b"PAR1":
        return "parquet"
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if name.endswith(".xlsx"):
        raise IngestError("the file is named .xlsx but is not an Excel workbook (an .xlsx file is a zip archive)")
    if name.endswith(".parquet"):
        raise IngestError("the file is named .parquet but is not a Parquet file (it does not start with PAR1)")
    return "csv"


def read_source(
    data: bytes, file_name: str, limits: Limits, synonyms: dict[str, str], sheet: str | None = None
) -> SourceTable:
    """The file's cells, header and row numbers; IngestError when the file as a whole is refused.

    `synonyms` (normalised header -> schema column) lets the header row be found under a title row.
    """
    if len(data) > limits.max_bytes:
        raise IngestError(
            f"the file is {len(data) / 1_000_000:.1f} MB; the limit is {limits.max_bytes / 1_000_000:.0f} MB "
            "(setting max_upload_megabytes)"
        )
    file_type = detect_file_type(data, file_name)
    digest = sha256_of(data)
    if file_type == "parquet":
        header, grid, first_row, notes, sheets = _read_parquet(data, limits)
        rows = pd.Series(range(first_row, first_row + grid.num_rows), dtype="int64")
        source = SourceTable(file_name, file_type, digest, header, grid, rows, notes, sheets)
    else:
        if file_type == "xlsx":
            grid, notes, sheets = _read_xlsx_grid(data, limits, sheet)
        else:
            grid, notes, sheets = _read_csv_grid(data, limits)
        source = _grid_to_source(grid, synonyms, file_name, file_type, digest, notes, sheets)
    if source.grid.num_rows > limits.max_rows:
        raise IngestError(
            f"the file has {source.grid.num_rows:,} rows; the limit is {limits.max_rows:,} (setting max_upload_rows)"
        )
    return source


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    head = data[:65536]
    if max(head[1::2].count(0), head[0::2].count(0)) > len(head) // 4:
        raise IngestError("the file looks like UTF-16 text without a byte-order mark; save it as UTF-8 CSV")
    if b"\x00" in head:
        raise IngestError("the file is not text, Excel or Parquet (it holds binary data); check what was exported")
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise IngestError("the file's text cannot be decoded")  # pragma: no cover - latin-1 decodes every byte


def _read_csv_grid(data: bytes, limits: Limits) -> tuple[pa.Table, tuple[str, ...], tuple[str, ...]]:
    text, encoding = _decode(data)
    control = sum(1 for character in text[:65536] if ord(character) < 32 and character not in "\t\r\n")
    if control > 0:
        raise IngestError("the file is not text, Excel or Parquet (it holds control characters); check its type")
    _refuse_long_lines(data, text)
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise IngestError("the file is empty")
    delimiter, width = _delimiter(_first_lines(text, HEADER_SEARCH_ROWS * 2))
    utf8 = data.removeprefix(b"\xef\xbb\xbf") if encoding == "UTF-8" else text.encode("utf-8")
    grid = _csv_grid_in_arrow(utf8, delimiter, width)
    if grid is None:  # ragged rows (a title row, short rows, blank lines): pandas pads them
        grid = _csv_grid_in_pandas(text, delimiter, width, limits)
    word = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return grid, (f"read as {encoding} text, {word}-separated",), ()


def _first_lines(text: str, count: int) -> list[str]:
    """`text.split("\\n", count)[:count]`, without copying the rest of the text."""
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.split("\n")
    return text[:end].split("\n")


def _refuse_long_lines(data: bytes, text: str) -> None:
    """IngestError naming the first line over MAX_LINE_CHARACTERS.

    Counted in bytes first (never fewer than characters in any encoding read here), so the text is
    split into lines only when some line may be too long.
    """
    if len(data) <= MAX_LINE_CHARACTERS:
        return
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
    widest_in_bytes = np.diff(newlines, prepend=-1, append=len(data)).max()
    if widest_in_bytes <= MAX_LINE_CHARACTERS:
        return
    lines = text.split("\n")
    longest = max(map(len, lines), default=0)
    if longest > MAX_LINE_CHARACTERS:
        number = next(index for index, line in enumerate(lines, start=1) if len(line) == longest)
        raise IngestError(
            f"line {number} is {longest:,} characters long; a data row is at most {MAX_LINE_CHARACTERS:,}"
        )


def _csv_grid_in_arrow(utf8: bytes, delimiter: str, width: int) -> pa.Table | None:
    """Every record as `width` text cells, read by Arrow's CSV reader; None when some record has another width."""
    names = [str(position) for position in range(width)]
    try:
        return pa_csv.read_csv(
            pa.py_buffer(utf8),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None


def _csv_grid_in_pandas(text: str, delimiter: str, width: int, limits: Limits) -> pa.Table:
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(width),  # a title row above the header has fewer cells: pad it
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="python" if len(text) < 2_000_000 else "c",
            nrows=limits.max_rows + HEADER_SEARCH_ROWS + 1,
        )
    except (pd.errors.ParserError, csv.Error) as error:
        raise IngestError(f"the file cannot be read as CSV: {str(error).strip().splitlines()[0]}") from error
    return _text_table(grid)


def _text_table(grid: pd.DataFrame) -> pa.Table:
    """A pandas grid of cells as an Arrow table of strings (missing cells as ""), columns named by position."""
    columns = [pa.array(grid[column].fillna("").astype(str).tolist(), pa.string()) for column in grid.columns]
    return pa.table(columns, names=[str(position) for position in range(len(columns))])


def _delimiter(lines: list[str]) -> tuple[str, int]:
    """The delimiter that splits the first lines into the most, and most regular, fields; and their number."""
    best, best_score = ",", (0, 1)
    for candidate in (",", ";", "\t"):
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate) if row]
        if not counts:
            continue
        widest = max(counts)
        score = (sum(1 for count in counts if count == widest) if widest > 1 else 0, widest)
        if score > best_score:
            best, best_score = candidate, score
    return best, best_score[1]


def _read_xlsx_grid(
    data: bytes, limits: Limits, sheet: str | None
) -> tuple[pa.Table, tuple[str, ...], tuple[str, ...]]:
    import openpyxl  # reads through defusedxml when it is installed, as openpyxl's documentation advises

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise IngestError(
            "the file looks like a zip but cannot be opened as one; is it a complete .xlsx file?"
        ) from error
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names:
        raise IngestError("the file is a zip archive but not an Excel workbook (no [Content_Types].xml)")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise IngestError("the workbook holds macros; macro-enabled workbooks are refused, save it as .xlsx")
    expanded = sum(member.file_size for member in members)
    ratio = max((member.file_size / max(member.compress_size, 1) for member in members), default=0)
    if expanded > MAX_ZIP_EXPANSION * limits.max_bytes or ratio > MAX_ZIP_MEMBER_RATIO:
        raise IngestError("the workbook would expand far beyond its size when opened (a zip bomb?); it is refused")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken workbook
        raise IngestError(
            f"the workbook cannot be read ({type(error).__name__}); open and re-save it in Excel"
        ) from error
    sheets = tuple(workbook.sheetnames)
    if sheet is not None and sheet not in sheets:
        raise IngestError(f"the workbook has no sheet {sheet!r}; its sheets: {', '.join(sheets)}")
    visible = [worksheet for worksheet in workbook.worksheets if worksheet.sheet_state == "visible"]
    worksheet = workbook[sheet] if sheet else (visible or workbook.worksheets)[0]
    rows = []
    for cells in worksheet.iter_rows(min_row=1):
        if len(rows) > limits.max_rows + HEADER_SEARCH_ROWS:
            break
        rows.append(tuple(_excel_text(cell) for cell in cells[:MAX_COLUMNS]))
    workbook.close()
    if not any(any(cell for cell in row) for row in rows):
        raise IngestError(f"the sheet {worksheet.title!r} is empty")
    width = max(len(row) for row in rows)
    columns = zip(*(row + ("",) * (width - len(row)) for row in rows), strict=True)
    grid = pa.table([pa.array(column, pa.string()) for column in columns], names=[str(i) for i in range(width)])
    notes = [f"read from sheet {worksheet.title!r}"]
    if len(sheets) > 1:
        notes.append("the workbook's sheets: " + ", ".join(sheets) + " (choose another to read it instead)")
    return grid, tuple(notes), sheets  # row n of the grid is Excel's row n


def _excel_text(cell: object) -> str:
    """A cell as the text Excel shows: a date as ISO, 12.0 as 12, 0.33 formatted as a percentage as 33%."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return f"{round(value * 100, 10):g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_parquet(data: bytes, limits: Limits) -> tuple[list[str], pa.Table, int, tuple[str, ...], tuple]:
    """The file's columns: integers and dates as they are (checked without a round trip through text),
    timestamps that are all at midnight as dates, every other column as text."""
    try:
        parquet = pq.ParquetFile(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as error:
        raise IngestError("the Parquet file cannot be read (is it complete?)") from error
    metadata = parquet.metadata
    if metadata.num_rows > limits.max_rows:
        raise IngestError(
            f"the file has {metadata.num_rows:,} rows; the limit is {limits.max_rows:,} (setting max_upload_rows)"
        )
    if metadata.num_columns > MAX_COLUMNS:
        raise IngestError(f"the file has {metadata.num_columns} columns; at most {MAX_COLUMNS} are read")
    table = parquet.read()
    header = [str(name) for name in table.column_names]
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = pc.local_timestamp(column)  # the date as written where it was written, not in UTC
        if pa.types.is_timestamp(column.type) and _is_midnight(column):
            column = column.cast(pa.date32())
        if not (_is_count_type(column.type) or pa.types.is_date32(column.type)):
            column = column.cast(pa.string())
        columns.append(column)
    grid = pa.table(columns, names=[str(index) for index in range(len(columns))])
    return header, grid, 1, ("read as Parquet",), ()


def _is_count_type(data_type: pa.DataType) -> bool:
    """Integers that fit int64: checked as counts directly, with no text in between."""
    return pa.types.is_integer(data_type) and data_type != pa.uint64()


def _is_midnight(column: pa.ChunkedArray) -> bool:
    as_dates = column.cast(pa.date32()).cast(column.type)
    return bool(pc.all(pc.equal(as_dates, column)).as_py() in (True, None))


def _grid_to_source(
    grid: pa.Table,
    synonyms: dict[str, str],
    file_name: str,
    file_type: FileType,
    digest: str,
    notes: tuple[str, ...],
    sheets: tuple[str, ...],
) -> SourceTable:
    """The records under the header row, blank ones dropped; row n of `grid` is the n-th line a person sees."""
    header_at = _header_row(grid, synonyms)
    header = [str(value).strip() for value in grid.slice(header_at - 1, 1).to_pylist()[0].values()]
    body = grid.slice(header_at)
    filled = [pc.not_equal(column, "") for column in body.columns]
    is_filled = filled[0] if len(filled) == 1 else pc.or_(filled[0], filled[1])
    for column in filled[2:]:
        is_filled = pc.or_(is_filled, column)
    body_rows = np.arange(header_at + 1, header_at + 1 + body.num_rows, dtype="int64")
    if not pc.all(is_filled).as_py():
        body = body.filter(is_filled)
        body_rows = body_rows[np.asarray(is_filled)]
    extras = _trailing_extras(body, header)
    if extras:
        skipped = ", ".join(str(number) for number in body_rows[-extras:])
        notes = (*notes, f"row(s) {skipped} skipped: a total, or a note under the table")
        body, body_rows = body.slice(0, body.num_rows - extras), body_rows[:-extras]
    rows = pd.Series(body_rows, dtype="int64")
    if header_at > 1:
        notes = (*notes, f"header found on row {header_at}")
    return SourceTable(file_name, file_type, digest, header, body, rows, notes, sheets)


_TOTAL = re.compile(r"^((grand |sub-?)?totals?|sum)\s*:?$", re.IGNORECASE)
_NOTE = re.compile(r"^([*†©]|(source|sources|note|notes|prepared|generated|exported|data as of)\b)|: ", re.IGNORECASE)


def _trailing_extras(body: pa.Table, header: list[str]) -> int:
    """How many rows at the end of the table are totals ("Total", "Grand total") or notes under it (one cell
    filled with text such as "Source: exported 2026-04-02" or "* provisional", in a table of several columns)."""
    wide = sum(1 for name in header if name) >= 2
    count = 0
    for row in reversed(body.slice(max(0, body.num_rows - TRAILING_ROWS_SEARCHED)).to_pylist()):
        cells = [str(value).strip() for value in row.values() if value is not None and str(value).strip()]
        is_note = wide and len(cells) == 1 and _NOTE.search(cells[0]) is not None
        if not cells or not (_TOTAL.match(cells[0]) or is_note):
            break
        count += 1
    return count


def _header_row(grid: pa.Table, synonyms: dict[str, str]) -> int:
    """The first row, among the first ones, naming the most known columns (the first non-blank row otherwise)."""
    best, best_score, first_filled = None, 1, None
    for number, row in enumerate(grid.slice(0, HEADER_SEARCH_ROWS).to_pylist(), start=1):
        values = [str(value) for value in row.values() if value is not None and str(value).strip()]
        if values and first_filled is None:
            first_filled = number
        score = len({synonyms[key] for key in map(normalise, values) if key in synonyms})
        if score > best_score:
            best, best_score = number, score
    if best is not None:
        return best
    if first_filled is None:
        raise IngestError("the file is empty")
    return first_filled


# -- 2. matching columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnMatch:
    """Which file column (by position) feeds each schema column, and what was left over."""

    sources: dict[str, int]
    unmatched: list[str]
    missing: list[str]


def match_columns(header: list[str], kind: str, mapping: dict[str, str] | None = None) -> ColumnMatch:
    """Schema columns matched to the file's header: a manual `mapping` (file header -> column) first, then synonyms."""
    lookup = synonym_lookup(kind)
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
    missing = [column.name for column in KIND_COLUMNS[kind] if column.required and column.name not in sources]
    return ColumnMatch(sources, unmatched, missing)


def likely_kind(checked: Checked) -> str | None:
    """The kind the file seems to hold, when not the one chosen.

    When the file lacks required columns of the chosen kind: another kind whose required columns its header
    all has, or three in four of them while it has at most half of the chosen kind's. When it has them all:
    another kind it fits too that leaves fewer of its columns unused (an activities file, with its Type and
    Status, also fits events).
    """
    if not checked.match.missing:
        unused = len(checked.match.unmatched)
        fitting = {
            kind: len(match.unmatched)
            for kind in KIND_COLUMNS
            if kind != checked.kind
            for match in [match_columns(checked.source.header, kind)]
            if not match.missing and len(match.unmatched) < unused
        }
        return min(fitting, key=fitting.__getitem__) if fitting else None

    def fit(kind: str, match: ColumnMatch) -> tuple[float, int, int]:
        """Share of the kind's required columns found, how many, and (negated) file columns left unused."""
        required = sum(column.required for column in KIND_COLUMNS[kind])
        found = required - len(match.missing)
        return found / required, found, -len(match.unmatched)

    chosen_share = fit(checked.kind, checked.match)[0]
    fits = {
        kind: fit(kind, match_columns(checked.source.header, kind)) for kind in KIND_COLUMNS if kind != checked.kind
    }
    best = max(fits, key=fits.__getitem__)
    share = fits[best][0]
    return best if share == 1 or (share >= 0.75 and chosen_share <= 0.5) else None


# -- 3. values ---------------------------------------------------------------------------------------

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
_TO_PANDAS = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}.get


def _arrow_text(values: pd.Series) -> pa.Array:
    """The cells as a trimmed Arrow string array (no copy for Arrow-backed pandas strings)."""
    array = pa.array(values.astype("string").array)
    return _trimmed_text(array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array)


def _trimmed_text(values: pa.Array) -> pa.Array:
    """The cells as text without surrounding white space (a typed column written out as text first)."""
    return pc.utf8_trim_whitespace(values.cast(pa.string()))


def _column(grid: pa.Table, position: int) -> pa.Array:
    return grid.column(position).combine_chunks()


def _series(array: pa.Array, index: pd.Index) -> pd.Series:
    return array.to_pandas(types_mapper=_TO_PANDAS).set_axis(index)


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole non-negative counts from text such as "1,234", "1 234" or "1.234"; and the reason each bad value
    is bad. A blank cell, or a mark such as "n/a" or "-", is no count and no problem."""
    counts, reason, _ = _counts_from_text(_arrow_text(values))
    return _series(counts, values.index), _series(reason, values.index)


def _counts_from_text(text: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
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


def _typed_counts(values: pa.Array) -> tuple[pa.Array, pa.Array]:
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
    numbers, is_number, blank = _numbers_from_text(_arrow_text(values), counts=False)
    reason = pc.if_else(pc.and_(pc.invert(blank), pc.invert(is_number)), "not a number", pa.scalar(None, pa.string()))
    blank_cells = pd.Series(blank.to_numpy(zero_copy_only=False), index=values.index)
    return pd.Series(numbers.to_pandas(), index=values.index), _series(reason, values.index), blank_cells


def _lookup(text: pa.Array, results: dict[str, object], result_type: pa.DataType) -> pa.Array:
    """Each cell's result, from a dict of results per distinct text (one hash lookup per cell, in Arrow)."""
    keys = pa.array(list(results), pa.string())
    table = pa.array(list(results.values()), result_type)
    positions = pc.index_in(text.cast(pa.string()), value_set=keys)
    return pc.take(table, positions)


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


def _numeric_parts(text: str) -> tuple[int, int, int, str] | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, separator, second, year = match.groups()
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    return int(first), int(second), full_year, separator


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
        return _date_or_reason(written.year, written.month, written.day)
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
    dates, reason, question = _dates_from_text(_arrow_text(values), order)
    return _series(dates, values.index), _series(reason, values.index), question


def _dates_from_text(text: pa.Array, order: DateOrder | None) -> tuple[pa.Array, pa.Array, DateQuestion | None]:
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
    good = _lookup(text, dates, pa.date32()).cast(pa.timestamp("ms"))
    return good, _lookup(text, reasons, pa.string()), question


# -- 4. names: affiliates, agreements, goals, liaisons, events ----------------------------------------


@dataclass(frozen=True)
class NameResolver:
    """Records found by any name they go by (id, name, acronym...), case, accents and punctuation ignored.

    An unknown name gets the closest known ones as suggestions; a name two records share is refused
    with both, never guessed.
    """

    keys: dict[str, str]  # normalised name -> record id
    ambiguous: dict[str, tuple[str, ...]]  # normalised name -> the ids it could mean
    labels: dict[str, str]  # record id -> "Name (id)"
    noun: str = "affiliate"
    hint: str = "use its id, name or acronym as on the Affiliates page"

    @classmethod
    def from_names(cls, records: Iterable[tuple[str, str, Iterable[object]]], noun: str, hint: str) -> NameResolver:
        """`records`: (id, label, the names it goes by) of each record; names that are not text are skipped."""
        claims: dict[str, set[str]] = {}
        labels = {}
        for record_id, label, names in records:
            labels[record_id] = label
            for text in names:
                key = normalise(text) if isinstance(text, str) else ""
                if key:
                    claims.setdefault(key, set()).add(record_id)
        keys = {key: next(iter(ids)) for key, ids in claims.items() if len(ids) == 1}
        ambiguous = {key: tuple(sorted(ids)) for key, ids in claims.items() if len(ids) > 1}
        return cls(keys, ambiguous, labels, noun, hint)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """(record id, None), or (None, the reason with the closest known names)."""
        key = normalise(text)
        if key in self.keys:
            return self.keys[key], None
        if key in self.ambiguous:
            shown = ", ".join(self.labels[record_id] for record_id in self.ambiguous[key])
            return None, f"names more than one {self.noun}: {shown}"
        close = difflib.get_close_matches(key, list(self.keys), n=SUGGESTIONS * 3, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.labels[self.keys[match]] for match in close))[:SUGGESTIONS]
        if suggestions:
            return None, f"unknown {self.noun}; did you mean " + " or ".join(suggestions) + "?"
        return None, f"unknown {self.noun} ({self.hint})"


class AffiliateResolver(NameResolver):
    """Affiliates by id, name, acronym, local name, or (state associations) state code and name."""

    @classmethod
    def from_tables(cls, affiliates: pd.DataFrame, states: pd.DataFrame | None = None) -> AffiliateResolver:
        state_names = {}
        if states is not None and not states.empty:
            state_names = dict(zip(states["state_code"], states["state_name"], strict=True))
        columns = ["affiliate_id", "name", "acronym", "local_name", "affiliate_type", "state_code"]
        as_lists = [_as_objects(affiliates[column]) for column in columns]
        records = []
        for affiliate_id, name, acronym, local_name, affiliate_type, state_code in zip(*as_lists, strict=True):
            names = [affiliate_id, name, acronym, local_name]
            if affiliate_type == "state" and isinstance(state_code, str):
                names += [state_code, state_names.get(state_code)]
            records.append((affiliate_id, f"{name} ({affiliate_id})", names))
        return cls.from_names(records, "affiliate", "use its id, name or acronym as on the Affiliates page")


def _as_objects(values: pd.Series) -> list[object]:
    """The values as a list, a missing one as None."""
    return values.astype(object).where(values.notna(), None).tolist()


def resolve_names(values: pd.Series, resolver: NameResolver) -> tuple[pd.Series, pd.Series]:
    """Each cell's record id and the reason a cell names none."""
    ids, reason = _names_from_text(_arrow_text(values), resolver)
    return _series(ids, values.index), _series(reason, values.index)


def _names_from_text(text: pa.Array, resolver: NameResolver) -> tuple[pa.Array, pa.Array]:
    """Each cell's record id and the reason when there is none; each distinct text resolved once."""
    resolved = {value: resolver.resolve(value) for value in pc.unique(text).to_pylist() if value}
    ids = _lookup(text, {value: found for value, (found, _) in resolved.items()}, pa.string())
    return ids, _lookup(text, {value: why for value, (_, why) in resolved.items()}, pa.string())


# -- 5. the checks -----------------------------------------------------------------------------------


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

    def blank_in_file(self, name: str) -> np.ndarray:
        """For each valid row, whether the file leaves column `name` blank there (or has no such column)."""
        position = self.match.sources.get(name)
        if position is None or self.rows.empty:
            return np.ones(len(self.rows), dtype=bool)
        values = _column(self.source.grid, position)
        if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
            empty = pc.fill_null(pc.equal(_without_marks(_trimmed_text(values)), ""), True)
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

    def __init__(self, source: SourceTable, kind: str, mapping: dict[str, str] | None = None):
        self.source = source
        self.kind = kind
        self.match = match_columns(source.header, kind, mapping)
        self.index = pd.RangeIndex(source.grid.num_rows)
        self.originals = {name: _column(source.grid, position) for name, position in self.match.sources.items()}
        self._text = {
            name: _series(_without_marks(_trimmed_text(values)), self.index) for name, values in self.originals.items()
        }

    def has(self, name: str) -> bool:
        return name in self.match.sources

    def text(self, name: str) -> pd.Series:
        """The trimmed cells of a column: "" for a blank cell or a mark such as "n/a" or "-", and everywhere when
        the file lacks the column."""
        if name not in self._text:
            return pd.Series("", index=self.index, dtype="string")
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
        """The Checked of these rows: reasons of columns the file lacks are dropped (the missing column is
        the problem), and every file-level problem reported first."""
        labels = {column.name: column.label for column in KIND_COLUMNS[self.kind]}
        problems = [
            {"row": pd.NA, "column": name, "value": pd.NA, "problem": f"required column ({labels[name]}) is missing"}
            for name in self.match.missing
        ]
        problems += [{"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": text} for text in file_problems]
        if self.source.is_empty:
            problems.append({"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": "the file has no data rows"})
        kept = {name: reason for name, reason in reasons.items() if self.has(name)}
        return _checked(self.kind, self.source, self.match, rows, kept, self.originals, problems, question)


def _without_marks(text: pa.Array) -> pa.Array:
    """The text with every mark that means "no value" ("n/a", "-", "NULL"...) made blank."""
    return pc.if_else(pc.is_in(text, value_set=MISSING_MARKS), "", text)


def no_reasons(index: pd.Index) -> pd.Series:
    """A reason column with no problem yet."""
    return pd.Series(pd.NA, index=index, dtype="string")


def with_reason(reasons: pd.Series, where: pd.Series, text: str) -> pd.Series:
    """`reasons` with `text` added where `where` holds and no earlier problem was found (the first one is reported)."""
    return reasons.mask(where.fillna(False).astype(bool) & reasons.isna(), text)


def same_key_reasons(rows: pd.DataFrame, key: list[str], reasons: pd.Series | None, what: str) -> pd.Series:
    """Rows whose key (all of it present) stands in another row too: "the same <what> also stands in row 4, 9"."""
    reasons = no_reasons(rows.index) if reasons is None else reasons.copy()
    keys = rows[key]
    duplicated = keys.notna().all(axis=1) & keys.duplicated(keep=False)
    for _, numbers in rows[duplicated].groupby(key, sort=False)["row_number"]:
        for position, number in numbers.items():
            if pd.isna(reasons[position]):
                others = ", ".join(str(other) for other in numbers if other != number)
                reasons[position] = f"the same {what} also stands in row {others}"
    return reasons


def record_id(prefix: str, *parts: object, slug_of: str = "") -> str:
    """A stable id made of its parts and a slug of a name, e.g. `E2026-05-14-solace-summit`."""
    slug = normalise(slug_of).replace(" ", "-")[:SLUG_CHARACTERS].strip("-")
    return prefix + "-".join(str(part) for part in (*parts, slug) if str(part))


def check_membership(
    source: SourceTable,
    resolver: AffiliateResolver,
    today: date,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> Checked:
    """Every row of a membership file checked; valid rows typed for the store."""
    kind = "membership"
    match = match_columns(source.header, kind, mapping)
    labels = {column.name: column.label for column in MEMBERSHIP_COLUMNS}
    file_problems = [
        {"row": pd.NA, "column": name, "value": pd.NA, "problem": f"required column ({labels[name]}) is missing"}
        for name in match.missing
    ]
    if source.is_empty:
        file_problems.append({"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": "the file has no data rows"})
    index = pd.RangeIndex(source.grid.num_rows)
    rows = pd.DataFrame({"row_number": source.row_numbers.to_numpy()}, index=index)
    reasons: dict[str, pd.Series] = {}
    originals: dict[str, pa.Array] = {}
    question = None
    for column in MEMBERSHIP_COLUMNS:
        if column.name not in match.sources:
            rows[column.name] = pd.Series(
                pd.NA, index=index, dtype="Int64" if column.name != "affiliate_id" else "string"
            )
            continue
        values = _column(source.grid, match.sources[column.name])
        originals[column.name] = values
        parsed, reason, blank, asked = _membership_values(column.name, values, resolver, date_order)
        question = question or asked
        parsed, reason = _series(parsed, index), _series(reason, index)
        blank = pd.Series(blank.to_numpy(zero_copy_only=False), index=index)
        if column.name == "snapshot_on":
            future = parsed.notna() & (parsed > pd.Timestamp(today))
            reason = reason.mask(future, "the date is in the future")
            parsed = parsed.where(~future)
        if column.required:
            reason = reason.mask(blank, "a value is required")
        rows[column.name] = parsed
        reasons[column.name] = reason
    if "members" in match.sources and "icma_members" in match.sources:
        above = rows["icma_members"].gt(rows["members"]).fillna(False).astype(bool)
        reasons["icma_members"] = reasons["icma_members"].mask(
            above & reasons["icma_members"].isna(), "more members also in ICMA than members"
        )
    if "affiliate_id" in match.sources and "snapshot_on" in match.sources:
        reasons["snapshot_on"] = _duplicate_reasons(rows, reasons["snapshot_on"])

    columns = ["row_number", *(column.name for column in MEMBERSHIP_COLUMNS)]
    return _checked(kind, source, match, rows[columns], reasons, originals, file_problems, question)


def _membership_values(
    name: str, values: pa.Array, resolver: AffiliateResolver, date_order: DateOrder | None
) -> tuple[pa.Array, pa.Array, pa.Array, DateQuestion | None]:
    """One membership column's values, the reason each bad one is bad, which cells are blank, and any question.

    A Parquet column of integers is checked as counts directly; every other column through its text.
    """
    if name not in ("affiliate_id", "snapshot_on") and _is_count_type(values.type):
        return *_typed_counts(values), values.is_null(), None
    text = _trimmed_text(values)  # trimmed once, shared by the blank test and the parser
    if name not in ("affiliate_id", "snapshot_on"):
        return *_counts_from_text(text), None
    blank = pc.fill_null(pc.equal(text, ""), True)
    if name == "affiliate_id":
        return *_names_from_text(text, resolver), blank, None
    dates, reason, question = _dates_from_text(text, date_order)
    return dates, reason, blank, question


EVENT_ROW_COLUMNS = ["row_number", *schema_table("events").column_names]


@dataclass(frozen=True)
class EventReference:
    """What checking an events file needs from the store: affiliates (by any name) and countries."""

    affiliates: AffiliateResolver
    affiliate_names: dict[str, str]  # affiliate_id -> name, the organizer when the file names none
    countries: dict[str, tuple[str, str]]  # normalised country name or ISO-3 code -> (iso3, name)
    affiliate_countries: dict[str, str] = field(default_factory=dict)  # affiliate_id -> ISO-3 code
    stored: pd.DataFrame = field(default_factory=pd.DataFrame)  # event_id, name_key, start_on of stored events

    @classmethod
    def from_tables(
        cls, affiliates: pd.DataFrame, states: pd.DataFrame | None = None, events: pd.DataFrame | None = None
    ) -> EventReference:
        countries: dict[str, tuple[str, str]] = {}
        for frame in (affiliates, events):
            if frame is None or frame.empty:
                continue
            pairs = frame[["country_iso3", "country_name"]].dropna().drop_duplicates()
            for iso3, name in pairs.itertuples(index=False, name=None):
                countries.setdefault(normalise(iso3), (iso3, name))
                countries.setdefault(normalise(name), (iso3, name))
        names = dict(zip(affiliates["affiliate_id"], affiliates["name"], strict=True))
        affiliate_countries = dict(zip(affiliates["affiliate_id"], affiliates["country_iso3"], strict=True))
        stored = pd.DataFrame(columns=["event_id", "name_key", "start_on"])
        if events is not None and not events.empty:
            stored = pd.DataFrame(
                {
                    "event_id": events["event_id"].astype(object),
                    "name_key": events["name"].map(normalise).astype(object),
                    "start_on": pd.to_datetime(events["start_on"]).astype("datetime64[ns]"),
                }
            )
        resolver = AffiliateResolver.from_tables(affiliates, states)
        return cls(resolver, names, countries, affiliate_countries, stored)


def _stored_event_ids(rows: pd.DataFrame, stored: pd.DataFrame) -> pd.Series:
    """The id of the stored event each row describes: the same name, starting within SAME_EVENT_DAYS days
    (the closest), so that moving an event's dates in a file replaces it rather than adding a second one."""
    asked = pd.DataFrame(
        {
            "name_key": rows["name"].fillna("").map(normalise).astype(object),
            "asked_on": pd.to_datetime(rows["start_on"]).astype("datetime64[ns]"),
            "position": range(len(rows)),
        }
    )
    found = pd.Series(pd.NA, index=rows.index, dtype="string")
    if stored.empty:
        return found
    pairs = asked[asked["name_key"] != ""].merge(stored, on="name_key")
    pairs["days"] = (pairs["start_on"] - pairs["asked_on"]).abs().dt.days
    pairs = pairs[pairs["days"] <= SAME_EVENT_DAYS].sort_values(["position", "days"]).drop_duplicates("position")
    found.iloc[pairs["position"].to_numpy()] = pairs["event_id"].to_numpy()
    return found


def event_id_for(name: str, start_on: date) -> str:
    """A stable event_id from the event's name and start date, e.g. `E2026-05-14-solace-summit`."""
    return record_id("E", start_on.isoformat(), slug_of=name)


def check_events(
    source: SourceTable,
    reference: EventReference,
    mapping: dict[str, str] | None = None,
    date_order: DateOrder | None = None,
) -> Checked:
    """Every row of an events file checked; valid rows typed for the store.

    An analyst's event is a real one: day precision, not cancelled, not sample, confidence high.
    Its type is `affiliate` when it names an affiliate, else `icma`; its organizer, when the file
    gives none, is that affiliate's name, else ICMA. A missing event_id is made from the name and
    start date, so uploading the same event again replaces it rather than adding a second one.
    """
    cells = FileCells(source, "events", mapping)
    rows = cells.rows()
    reasons = {"name": cells.required("name")}
    rows["name"] = cells.value("name")

    dates, date_reasons, question = cells.dates(("start_on", "end_on"), date_order)
    rows["start_on"], rows["end_on"] = dates["start_on"], dates["end_on"]
    reasons["start_on"] = date_reasons["start_on"].mask(cells.blank("start_on"), "no date")
    reasons["end_on"] = with_reason(date_reasons["end_on"], rows["end_on"] < rows["start_on"], "ends before it starts")

    rows["affiliate_id"], reasons["affiliate_id"] = resolve_names(cells.text("affiliate_id"), reference.affiliates)
    rows["event_type"] = pd.Series("icma", index=cells.index, dtype="string").mask(
        rows["affiliate_id"].notna(), "affiliate"
    )
    organizer_default = rows["affiliate_id"].map(reference.affiliate_names).fillna("ICMA").astype("string")
    rows["organizer"] = cells.value("organizer").fillna(organizer_default)

    country_keys = cells.text("country").map(normalise)
    iso3 = {key: iso3 for key, (iso3, _) in reference.countries.items()}
    names = {key: name for key, (_, name) in reference.countries.items()}
    rows["country_iso3"] = country_keys.map(iso3).astype("string")
    rows["country_name"] = country_keys.map(names).astype("string").fillna(cells.value("country"))
    country_names = {iso3: name for iso3, name in reference.countries.values()}
    home = rows["affiliate_id"].map(reference.affiliate_countries).astype("string")
    elsewhere = home.notna() & rows["country_iso3"].notna() & (home != rows["country_iso3"])
    reasons["affiliate_id"] = reasons["affiliate_id"].mask(
        elsewhere & reasons["affiliate_id"].isna(),
        "this affiliate is in "
        + home.map(country_names).astype("string").fillna(home).fillna("")
        + " but the event in "
        + rows["country_name"].fillna("")
        + "; name the affiliate by its full name or acronym, or leave it blank",
    )
    for name in ("city", "venue", "notes"):
        rows[name] = cells.value(name)
    rows["website"], reasons["website"] = _web_addresses(cells.value("website"))

    made_ids = pd.Series(
        [
            event_id_for(name, start.date()) if isinstance(name, str) and pd.notna(start) else None
            for name, start in zip(rows["name"].astype(object), rows["start_on"], strict=True)
        ],
        index=cells.index,
        dtype="string",
    )
    rows["event_id"] = cells.value("event_id").fillna(_stored_event_ids(rows, reference.stored)).fillna(made_ids)
    key_column = "event_id" if cells.has("event_id") else "name"
    reasons[key_column] = same_key_reasons(rows, ["event_id"], reasons.get(key_column), "event")
    rows["date_precision"] = "day"
    rows["is_cancelled"] = False
    rows["source"] = pd.Series(pd.NA, index=cells.index, dtype="string")
    rows["confidence"] = "high"
    rows["is_sample"] = False
    return cells.checked(rows[EVENT_ROW_COLUMNS], reasons, question)


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
                        "value": _series(originals[name].filter(bad.to_numpy()).cast(pa.string()), rows.index[bad]),
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
    cells = _text_frame(source.grid.filter(bad_rows.to_numpy())).set_axis(rows.index[bad_rows])
    cells.columns = [name or f"column {position + 1}" for position, name in enumerate(source.header)]
    row_problems = report.dropna(subset=["row"]).groupby("row")["problem"].agg("; ".join)
    rejected = cells.assign(row_number=rows.loc[bad_rows, "row_number"])
    rejected = rejected.assign(problem=rejected["row_number"].map(row_problems))
    notes = source.notes
    if match.unmatched:
        notes = (*notes, "columns not used: " + ", ".join(match.unmatched))
    return Checked(kind, source, match, valid.reset_index(drop=True), report, rejected, question, notes)


_WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def _web_addresses(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Web addresses (http or https; "www.…" gets https://), and the reason any other text is refused."""
    addresses = values.mask(values.str.lower().str.startswith("www.").fillna(False), "https://" + values)
    good = addresses.isna() | addresses.fillna("").str.match(_WEB_ADDRESS.pattern, case=False)
    reasons = no_reasons(values.index).mask(~good, "not a web address (use https://…)")
    return addresses.where(good), reasons


def _duplicate_reasons(rows: pd.DataFrame, date_reasons: pd.Series) -> pd.Series:
    """Rows naming the same affiliate and date as another row of the file."""
    key = rows[["affiliate_id", "snapshot_on"]]
    duplicated = key.notna().all(axis=1) & key.duplicated(keep=False)
    if not duplicated.any():
        return date_reasons
    groups = rows[duplicated].groupby(["affiliate_id", "snapshot_on"])["row_number"].agg(list)
    reasons = date_reasons.copy()
    for numbers in groups:
        for number in numbers:
            others = ", ".join(str(other) for other in numbers if other != number)
            position = rows.index[rows["row_number"] == number][0]
            if pd.isna(reasons[position]):
                reasons[position] = f"the same affiliate and date also stand in row {others}"
    return reasons


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

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
import unicodedata
import zipfile
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

from analytics.errors import AnalyticsError

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
# Unknown affiliates: how many close matches are suggested.
SUGGESTIONS = 3
REPORT_COLUMNS = ["row", "column", "value", "problem"]


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
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = []
    for values in worksheet.iter_rows(min_row=1, values_only=True):
        if len(rows) > limits.max_rows + HEADER_SEARCH_ROWS:
            break
        rows.append(tuple(_excel_text(value) for value in values[:MAX_COLUMNS]))
    workbook.close()
    if not any(any(cell for cell in row) for row in rows):
        raise IngestError(f"the sheet {worksheet.title!r} is empty")
    width = max(len(row) for row in rows)
    columns = zip(*(row + ("",) * (width - len(row)) for row in rows), strict=True)
    grid = pa.table([pa.array(column, pa.string()) for column in columns], names=[str(i) for i in range(width)])
    return grid, (f"read from sheet {worksheet.title!r}",), sheets  # row n of the grid is Excel's row n


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
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
    rows = pd.Series(body_rows, dtype="int64")
    if header_at > 1:
        notes = (*notes, f"header found on row {header_at}")
    return SourceTable(file_name, file_type, digest, header, body, rows, notes, sheets)


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


_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Text for matching: accents dropped, case folded, punctuation as single spaces."""
    text = str(text)
    if text.isascii():  # nothing to decompose, and casefold() is lower() (most names: several times faster)
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()
    return _NOT_ALPHANUMERIC.sub(" ", plain).strip()


@dataclass(frozen=True)
class TargetColumn:
    """A column of an upload kind: its schema name, whether a file must have it, and names it goes by."""

    name: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


MEMBERSHIP_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn(
        "affiliate_id",
        "affiliate",
        True,
        (
            "affiliate",
            "affiliate id",
            "affiliate name",
            "association",
            "association name",
            "organization",
            "organisation",
            "state",
            "st",
            "state code",
            "state_code",
            "acronym",
        ),
    ),
    TargetColumn(
        "snapshot_on",
        "date",
        True,
        (
            "date",
            "as of",
            "as of date",
            "snapshot",
            "snapshot date",
            "snapshot on",
            "month end",
            "period end",
            "report date",
            "reported on",
            "month",
        ),
    ),
    TargetColumn(
        "members",
        "members",
        True,
        ("members", "total members", "member count", "membership", "total membership", "number of members"),
    ),
    TargetColumn(
        "icma_members",
        "members also in ICMA",
        True,
        (
            "icma members",
            "dual members",
            "dual membership",
            "also icma",
            "members also in icma",
            "icma",
            "icma member count",
        ),
    ),
    TargetColumn("new_members", "new members", False, ("new members", "new", "joined", "joins", "new joins")),
    TargetColumn(
        "lapsed_members",
        "lapsed members",
        False,
        ("lapsed members", "lapsed", "left", "lapses", "drops", "dropped"),
    ),
)

EVENT_COLUMNS: tuple[TargetColumn, ...] = (
    TargetColumn("event_id", "event id", False, ("event id", "id", "event code", "code")),
    TargetColumn("name", "event name", True, ("event", "event name", "title", "event title", "name")),
    TargetColumn(
        "start_on",
        "start date",
        True,
        ("start", "start date", "starts", "starts on", "start on", "from", "from date", "date", "begins", "first day"),
    ),
    TargetColumn(
        "end_on", "end date", False, ("end", "end date", "ends", "ends on", "end on", "to", "to date", "last day")
    ),
    TargetColumn("organizer", "organizer", False, ("organizer", "organiser", "organized by", "organised by", "host")),
    TargetColumn(
        "affiliate_id",
        "affiliate",
        False,
        ("affiliate", "affiliate id", "affiliate name", "association", "association name"),
    ),
    TargetColumn("city", "city", False, ("city", "town", "location")),
    TargetColumn("country", "country", False, ("country", "country name", "country code", "iso3", "country iso3")),
    TargetColumn("venue", "venue", False, ("venue", "place")),
    TargetColumn("website", "website", False, ("website", "url", "web", "web site", "link")),
    TargetColumn("notes", "notes", False, ("notes", "note", "description", "comments")),
)

KIND_COLUMNS: dict[str, tuple[TargetColumn, ...]] = {"membership": MEMBERSHIP_COLUMNS, "events": EVENT_COLUMNS}


def synonym_lookup(kind: str) -> dict[str, str]:
    """Normalised header text -> schema column, for one kind."""
    lookup = {}
    for column in KIND_COLUMNS[kind]:
        for name in (column.name, *column.synonyms):
            lookup[normalise(name)] = column.name
    return lookup


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


# -- 3. values ---------------------------------------------------------------------------------------

_SPACES = r"[\s\x{00a0}\x{2009}\x{202f}']"
_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
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
    """Whole non-negative counts from text such as "1,234" or "1 234"; and the reason each bad value is bad."""
    counts, reason = _counts_from_text(_arrow_text(values))
    return _series(counts, values.index), _series(reason, values.index)


def _counts_from_text(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """parse_counts on trimmed Arrow text, vectorised: a million cells take a fraction of a second."""
    no_reason = pa.nulls(len(text), pa.string())
    if len(text) and pc.all(pc.match_substring_regex(text, r"^\d{1,18}$")).as_py():
        return pc.cast(text, pa.int64()), no_reason
    blank = pc.fill_null(pc.equal(text, ""), True)
    cleaned = pc.replace_substring_regex(text, _SPACES, "")
    thousands = pc.fill_null(pc.match_substring_regex(cleaned, _THOUSANDS), False)
    cleaned = pc.if_else(thousands, pc.replace_substring(cleaned, ",", ""), cleaned)
    is_number = pc.fill_null(pc.match_substring_regex(cleaned, _NUMBER), False)
    numbers = pc.cast(pc.if_else(is_number, cleaned, pa.scalar(None, cleaned.type)), pa.float64())
    is_whole = pc.fill_null(pc.equal(pc.floor(numbers), numbers), True)
    is_negative = pc.fill_null(pc.less(numbers, 0), False)
    reason = pc.if_else(pc.and_(pc.invert(blank), pc.invert(is_number)), "not a number", no_reason)
    reason = pc.if_else(pc.invert(is_whole), "not a whole number", reason)
    reason = pc.if_else(is_negative, "a count cannot be negative", reason)
    good = pc.if_else(pc.is_null(reason), numbers, pa.scalar(None, pa.float64()))
    return pc.cast(good, pa.int64()), reason


def _typed_counts(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Counts from a column already typed as integers (Parquet): the same results and reasons as its text
    would give, without writing a million numbers out and parsing them back."""
    negative = pc.fill_null(pc.less(values, 0), False)
    counts = values.cast(pa.int64())
    no_reason = pa.nulls(len(values), pa.string())
    if not pc.any(negative).as_py():
        return counts, no_reason
    reason = pc.if_else(negative, pa.scalar("a count cannot be negative"), no_reason)
    return pc.if_else(negative, pa.scalar(None, pa.int64()), counts), reason


def _lookup(text: pa.Array, results: dict[str, object], result_type: pa.DataType) -> pa.Array:
    """Each cell's result, from a dict of results per distinct text (one hash lookup per cell, in Arrow)."""
    keys = pa.array(list(results), pa.string())
    table = pa.array(list(results.values()), result_type)
    positions = pc.index_in(text.cast(pa.string()), value_set=keys)
    return pc.take(table, positions)


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
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
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return "not a date (use YYYY-MM-DD, or a US or European date)"


def _date_or_reason(year: int, month: int, day: int) -> date | str:
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


# -- 4. affiliates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffiliateResolver:
    """Affiliates found by id, name, acronym, local name, or (state associations) state code and name."""

    keys: dict[str, str]  # normalised name -> affiliate_id
    ambiguous: dict[str, tuple[str, ...]]  # normalised name -> the affiliate_ids it could mean
    labels: dict[str, str]  # affiliate_id -> "Name (id)"

    @classmethod
    def from_tables(cls, affiliates: pd.DataFrame, states: pd.DataFrame | None = None) -> AffiliateResolver:
        state_names = {}
        if states is not None and not states.empty:
            state_names = dict(zip(states["state_code"], states["state_name"], strict=True))
        claims: dict[str, set[str]] = {}
        labels = {}
        columns = ["affiliate_id", "name", "acronym", "local_name", "affiliate_type", "state_code"]
        as_lists = [
            affiliates[column].astype(object).where(affiliates[column].notna(), None).tolist() for column in columns
        ]
        for affiliate_id, name, acronym, local_name, affiliate_type, state_code in zip(*as_lists, strict=True):
            labels[affiliate_id] = f"{name} ({affiliate_id})"
            names = [affiliate_id, name, acronym, local_name]
            if affiliate_type == "state" and isinstance(state_code, str):
                names += [state_code, state_names.get(state_code)]
            for text in names:
                key = normalise(text) if isinstance(text, str) else ""
                if key:
                    claims.setdefault(key, set()).add(affiliate_id)
        keys = {key: next(iter(ids)) for key, ids in claims.items() if len(ids) == 1}
        ambiguous = {key: tuple(sorted(ids)) for key, ids in claims.items() if len(ids) > 1}
        return cls(keys, ambiguous, labels)

    def resolve(self, text: str) -> tuple[str | None, str | None]:
        """(affiliate_id, None), or (None, the reason with the closest known names)."""
        key = normalise(text)
        if key in self.keys:
            return self.keys[key], None
        if key in self.ambiguous:
            return None, "names more than one affiliate: " + ", ".join(self.labels[i] for i in self.ambiguous[key])
        close = difflib.get_close_matches(key, list(self.keys), n=SUGGESTIONS * 3, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.labels[self.keys[match]] for match in close))[:SUGGESTIONS]
        if suggestions:
            return None, "unknown affiliate; did you mean " + " or ".join(suggestions) + "?"
        return None, "unknown affiliate (use its id, name or acronym as on the Affiliates page)"


def resolve_affiliates(values: pd.Series, resolver: AffiliateResolver) -> tuple[pd.Series, pd.Series]:
    ids, reason = _affiliates_from_text(_arrow_text(values), resolver)
    return _series(ids, values.index), _series(reason, values.index)


def _affiliates_from_text(text: pa.Array, resolver: AffiliateResolver) -> tuple[pa.Array, pa.Array]:
    """Each cell's affiliate_id and the reason when there is none; each distinct text resolved once."""
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
    blank = pc.fill_null(pc.equal(text, ""), True)
    if name == "affiliate_id":
        return *_affiliates_from_text(text, resolver), blank, None
    if name == "snapshot_on":
        dates, reason, question = _dates_from_text(text, date_order)
        return dates, reason, blank, question
    return *_counts_from_text(text), blank, None


EVENT_ROW_COLUMNS = [
    "row_number",
    "event_id",
    "name",
    "organizer",
    "affiliate_id",
    "event_type",
    "start_on",
    "end_on",
    "date_precision",
    "is_cancelled",
    "city",
    "country_name",
    "country_iso3",
    "venue",
    "website",
    "notes",
    "source",
    "confidence",
    "is_sample",
]
# Longest slug of an event's name in a generated event_id.
EVENT_SLUG_CHARACTERS = 60


@dataclass(frozen=True)
class EventReference:
    """What checking an events file needs from the store: affiliates (by any name) and countries."""

    affiliates: AffiliateResolver
    affiliate_names: dict[str, str]  # affiliate_id -> name, the organizer when the file names none
    countries: dict[str, tuple[str, str]]  # normalised country name or ISO-3 code -> (iso3, name)

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
        return cls(AffiliateResolver.from_tables(affiliates, states), names, countries)


def event_id_for(name: str, start_on: date) -> str:
    """A stable event_id from the event's name and start date, e.g. `E2026-05-14-solace-summit`."""
    slug = normalise(name).replace(" ", "-")[:EVENT_SLUG_CHARACTERS].strip("-")
    return f"E{start_on.isoformat()}-{slug}"


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
    kind = "events"
    match = match_columns(source.header, kind, mapping)
    labels = {column.name: column.label for column in EVENT_COLUMNS}
    file_problems = [
        {"row": pd.NA, "column": name, "value": pd.NA, "problem": f"required column ({labels[name]}) is missing"}
        for name in match.missing
    ]
    if source.is_empty:
        file_problems.append({"row": pd.NA, "column": pd.NA, "value": pd.NA, "problem": "the file has no data rows"})
    index = pd.RangeIndex(source.grid.num_rows)
    empty = pd.Series("", index=index, dtype="string")
    originals = {name: _column(source.grid, position) for name, position in match.sources.items()}
    text = {name: _series(_trimmed_text(values), index) for name, values in originals.items()}

    def cell(name: str) -> pd.Series:
        return text.get(name, empty)

    def blank(name: str) -> pd.Series:
        return cell(name).fillna("").eq("")

    reasons: dict[str, pd.Series] = {}
    rows = pd.DataFrame({"row_number": source.row_numbers.to_numpy()}, index=index)
    rows["name"] = cell("name").mask(blank("name"))
    if "name" in match.sources:
        reasons["name"] = pd.Series(pd.NA, index=index, dtype="string").mask(blank("name"), "a value is required")

    # Start and end parsed together, so one day/month order serves both.
    start_text, end_text = cell("start_on"), cell("end_on")
    both = pd.concat([start_text, end_text], ignore_index=True).fillna("")
    dates, date_reasons, question = parse_dates(both, date_order)
    rows["start_on"] = dates.iloc[: len(index)].set_axis(index)
    rows["end_on"] = dates.iloc[len(index) :].set_axis(index)
    start_reason = date_reasons.iloc[: len(index)].set_axis(index)
    end_reason = date_reasons.iloc[len(index) :].set_axis(index)
    if "start_on" in match.sources:
        reasons["start_on"] = start_reason.mask(blank("start_on"), "no date")
    if "end_on" in match.sources:
        before = (rows["end_on"] < rows["start_on"]).fillna(False).astype(bool)
        reasons["end_on"] = end_reason.mask(before & end_reason.isna(), "ends before it starts")

    affiliate_ids, affiliate_reason = resolve_affiliates(cell("affiliate_id").fillna(""), reference.affiliates)
    rows["affiliate_id"] = affiliate_ids
    if "affiliate_id" in match.sources:
        reasons["affiliate_id"] = affiliate_reason
    has_affiliate = rows["affiliate_id"].notna()
    rows["event_type"] = pd.Series("icma", index=index, dtype="string").mask(has_affiliate, "affiliate")
    organizer_default = rows["affiliate_id"].map(reference.affiliate_names).fillna("ICMA").astype("string")
    rows["organizer"] = cell("organizer").mask(blank("organizer"), organizer_default)

    country_keys = cell("country").fillna("").map(normalise)
    iso3 = {key: iso3 for key, (iso3, _) in reference.countries.items()}
    names = {key: name for key, (_, name) in reference.countries.items()}
    rows["country_iso3"] = country_keys.map(iso3).astype("string")
    rows["country_name"] = country_keys.map(names).astype("string").fillna(cell("country").mask(blank("country")))
    for name in ("city", "venue", "website", "notes"):
        rows[name] = cell(name).mask(blank(name))

    given_ids = cell("event_id").mask(blank("event_id"))
    made_ids = pd.Series(
        [
            event_id_for(name, start.date()) if isinstance(name, str) and pd.notna(start) else None
            for name, start in zip(rows["name"].astype(object), rows["start_on"], strict=True)
        ],
        index=index,
        dtype="string",
    )
    rows["event_id"] = given_ids.fillna(made_ids)
    key_column = "event_id" if "event_id" in match.sources else "name"
    if key_column in match.sources:
        reasons[key_column] = _duplicate_event_reasons(rows, reasons.get(key_column))
    rows["date_precision"] = "day"
    rows["is_cancelled"] = False
    rows["source"] = pd.Series(pd.NA, index=index, dtype="string")
    rows["confidence"] = "high"
    rows["is_sample"] = False
    reasons = {name: reason for name, reason in reasons.items() if name in match.sources}
    return _checked(kind, source, match, rows[EVENT_ROW_COLUMNS], reasons, originals, file_problems, question)


def _duplicate_event_reasons(rows: pd.DataFrame, reasons: pd.Series | None) -> pd.Series:
    """Rows holding the same event (the same event_id, given or made from name and start) as another row."""
    reasons = pd.Series(pd.NA, index=rows.index, dtype="string") if reasons is None else reasons.copy()
    ids = rows["event_id"]
    duplicated = ids.notna() & ids.duplicated(keep=False)
    for _, numbers in rows[duplicated].groupby("event_id")["row_number"]:
        for position, number in numbers.items():
            if pd.isna(reasons[position]):
                others = ", ".join(str(other) for other in numbers if other != number)
                reasons[position] = f"the same event also stands in row {others}"
    return reasons


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

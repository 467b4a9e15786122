"""Reading an uploaded file, whatever shape its system exported it in, into a grid of cells.

The file's real type comes from its bytes (Parquet's `PAR1`, a zip holding `[Content_Types].xml` for .xlsx,
decodable text for CSV), never from its name. Size, row, column and zip-expansion limits are checked before
anything large is made; the CSV delimiter and encoding are found; the header row is found even under a title
row, and totals and notes under the table are skipped. The result keeps the row number a person sees, and a
Parquet file's own integer and date columns as they are, so that they need not be written out and parsed again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from analytics.core.errors import first_line
from analytics.uploads.errors import IngestError
from analytics.uploads.matching import column_for
from analytics.uploads.values import TO_PANDAS, is_count_type

_log = logging.getLogger(__name__)

# "form": one row a person entered in a form of the app or a command (analytics/uploads/forms.py), never a file.
FileType = Literal["csv", "xlsx", "parquet", "form"]

# A line longer than this is not a row of membership data; refusing it keeps the parser safe.
MAX_LINE_CHARACTERS = 100_000
MAX_COLUMNS = 200
# A zip (xlsx) may expand to this many times the upload limit in total, and no member more than this ratio.
MAX_ZIP_EXPANSION = 10
MAX_ZIP_MEMBER_RATIO = 200
# The first bytes of an OLE2 compound file: Excel 97-2003 (.xls), whatever the file is called.
OLD_EXCEL_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
# Rows scanned for the header row (a title and blank rows may stand above it).
HEADER_SEARCH_ROWS = 20
# Rows at the end of a table looked at for totals and notes under it.
TRAILING_ROWS_SEARCHED = 10


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
        return text_frame(self.grid)


def text_frame(grid: pa.Table) -> pd.DataFrame:
    """A grid's cells as pandas "string" columns named by position (a typed column written as text)."""
    columns = [column.cast(pa.string()) for column in grid.columns]
    cells = pa.table(columns, names=grid.column_names).to_pandas(types_mapper=TO_PANDAS)
    cells.columns = range(grid.num_columns)
    return cells


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
    if data[:8] == OLD_EXCEL_SIGNATURE:
        raise IngestError(
            "this is the old Excel 97-2003 format (.xls), whatever its name, or a workbook locked with a "
            "password: open it in Excel and save it as an Excel Workbook (.xlsx) without a password, or as CSV"
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

    `synonyms` (normalised header -> schema column) lets the header row be found under a title row. Every
    message starts with the file's name; a failure no check foresaw is an IngestError too (logged with its
    traceback for whoever runs the server), never a traceback shown to the analyst.
    """
    try:
        return _read_source(data, file_name, limits, synonyms, sheet)
    except IngestError as error:
        raise IngestError(f"{file_name}: {error}") from error
    except Exception as error:  # noqa: BLE001 - whatever a damaged file makes a library raise
        _log.exception("reading %s failed", file_name)
        raise IngestError(
            f"{file_name}: the file cannot be read ({type(error).__name__}: {first_line(error)}); "
            "check that it is a complete CSV, Excel or Parquet file"
        ) from error


def _read_source(
    data: bytes, file_name: str, limits: Limits, synonyms: dict[str, str], sheet: str | None
) -> SourceTable:
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
            skipped = ()
        else:
            grid, notes, sheets, skipped = _read_csv_grid(data, limits)
        source = _grid_to_source(grid, synonyms, file_name, file_type, digest, notes, sheets, skipped)
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


def _read_csv_grid(
    data: bytes, limits: Limits
) -> tuple[pa.Table, tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The file's cells, notes on how it was read, no sheets, and the runs of blank lines left out (where, how
    many: see `_without_blank_runs`)."""
    text, encoding = _decode(data)
    control = next(
        (at for at, character in enumerate(text[:65536]) if ord(character) < 32 and character not in "\t\r\n"), None
    )
    if control is not None:
        line = text.count("\n", 0, control) + 1
        raise IngestError(
            f"the file is not text, Excel or Parquet (it holds control characters: U+{ord(text[control]):04X} on "
            f"line {line}); check its type, or remove the character"
        )
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise IngestError("the file is empty")
    _refuse_other_text(text)
    lines = text.replace("\r\n", "\n") if "\r" in text else text
    if "\n" not in lines:  # CR-only line ends (classic Mac OS, some report writers)
        lines = lines.replace("\r", "\n")
    lines, skipped = _without_blank_runs(lines, 2 * (limits.max_rows + HEADER_SEARCH_ROWS + TRAILING_ROWS_SEARCHED))
    is_as_read = lines is text and encoding == "UTF-8"
    utf8 = data.removeprefix(b"\xef\xbb\xbf") if is_as_read else lines.encode("utf-8")
    _refuse_long_lines(utf8, lines)
    first_lines = [line.replace("\r", " ") for line in _first_lines(lines, HEADER_SEARCH_ROWS * 2)]
    delimiter, width = _delimiter(first_lines)  # a CR left inside a quoted cell is not a line end here
    grid = _csv_grid_in_arrow(utf8, delimiter, width)
    if grid is None:  # ragged rows (a title row, short rows, blank lines): pandas pads them
        grid = _csv_grid_in_pandas(lines, delimiter, width, limits, skipped)
    word = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    notes = [f"read as {encoding} text, {word}-separated"]
    if skipped:
        notes.append(f"{sum(count for _, count in skipped):,} blank lines skipped")
    return grid, tuple(notes), (), skipped


def _refuse_other_text(text: str) -> None:
    """IngestError when the text is JSON, HTML or XML under a CSV name (a saved web page, an API's answer)."""
    start = text[:1000].lstrip("\ufeff \t\r\n")
    end = text[-1000:].rstrip()
    if start[:1] in "[{" and end[-1:] in "]}" and start[1:].lstrip()[:1] in ('"', "{", "[", "]", "}", ""):
        raise IngestError("this is JSON, not CSV: export the data as CSV or Excel instead")
    if start[:1] == "<" and re.match(r"<(\?xml|!doctype|html|table|\w+[ >])", start, re.IGNORECASE):
        raise IngestError("this is HTML or XML (a saved web page?), not CSV: export the data as CSV or Excel instead")


# A run of blank lines (empty, or only spaces and tabs), with the line end before it: one character class
# repeated, so that Python's regular expressions match millions of them in one step without a stack.
_BLANK_RUN = re.compile(r"\n[\n \t]*\n")


def _without_blank_runs(text: str, most_lines: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text without its runs of blank lines, and where each run stood: (the line before it, in the text
    returned; how many blank lines it held). Bounded: IngestError as soon as the lines that are left pass
    `most_lines`, so a file of millions of blank lines costs one pass over its text.

    >>> _without_blank_runs("a\\n\\n\\n\\nb\\nc\\n", 10)
    ('a\\nb\\nc\\n', ((1, 3),))
    """
    too_many = IngestError(
        f"the file has more than {most_lines:,} lines that are not blank, far more than the rows a file may have "
        "(setting max_upload_rows)"
    )
    pieces, skipped, kept, last = [], [], 1, 0  # kept: the line, in the text returned, ending where a run starts
    for match in _BLANK_RUN.finditer(text):
        kept += text.count("\n", last, match.start())
        if kept > most_lines:
            raise too_many
        count = match.group().count("\n") - 1
        pieces.append(text[last : match.start() + 1])
        skipped.append((kept, count))
        kept += 1
        last = match.end()
    if not skipped:
        return text, ()
    if kept + text.count("\n", last) > most_lines:
        raise too_many
    pieces.append(text[last:])
    return "".join(pieces), tuple(skipped)


def _line_numbers(rows: np.ndarray, skipped: tuple[tuple[int, int], ...]) -> np.ndarray:
    """The line of the file each line of the text without its blank runs was (`rows`: 1-based line numbers).

    >>> _line_numbers(np.array([1, 2, 3]), ((1, 3),)).tolist()
    [1, 5, 6]
    """
    if not skipped:
        return rows
    after, counts = np.array(skipped, dtype="int64").T
    before = np.concatenate([[0], np.cumsum(counts)])
    return rows + before[np.searchsorted(after, rows, side="left")]


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


def _csv_grid_in_pandas(
    text: str, delimiter: str, width: int, limits: Limits, blank_runs: tuple[tuple[int, int], ...] = ()
) -> pa.Table:
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
        opened = _unclosed_quote_line(text)
        if opened is not None:
            line = int(_line_numbers(np.array([opened]), blank_runs)[0])
            raise IngestError(
                f'a quote (") opened on line {line} is never closed, so the rest of the file reads as one cell; '
                "check that line"
            ) from error
        raise IngestError(f"the file cannot be read as CSV: {first_line(error)}") from error
    return _text_table(grid)


def _unclosed_quote_line(text: str) -> int | None:
    """The line on which a quoted cell opens and never closes (an odd number of quotes from there to the end),
    in the text read (blank runs taken out: see `_line_numbers`); None when every quote closes.

    >>> _unclosed_quote_line('a,b\\n"x,1\\ny,2\\n'), _unclosed_quote_line('a\\n"two\\nlines",1\\n')
    (2, None)
    """
    opened = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count('"') % 2:
            opened = number if opened is None else None
    return opened


def _text_table(grid: pd.DataFrame) -> pa.Table:
    """A pandas grid of cells as an Arrow table of strings (missing cells as ""), columns named by position."""
    columns = [pa.array(grid[column].fillna("").astype(str).tolist(), pa.string()) for column in grid.columns]
    return pa.table(columns, names=[str(position) for position in range(len(columns))])


def _delimiter(lines: list[str]) -> tuple[str, int]:
    """The delimiter that splits the first lines into the most, and most regular, fields; and their number."""
    best, best_score = ",", (0, 1)
    for candidate in (",", ";", "\t"):
        counts = [len(row) for row in csv.reader(lines, delimiter=candidate, strict=False) if row]
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
    if declaring := _part_declaring_entities(archive, names):
        raise IngestError(
            f"the workbook's part {declaring} declares XML entities (<!DOCTYPE>), which Excel never writes: it was "
            "made by another program or altered; open it in Excel, save it again and upload that"
        )
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
    rows = _sheet_rows(worksheet, limits, _excel_text)
    workbook.close()
    if any(name.startswith("xl/worksheets/") and b"<f" in archive.read(name) for name in names):
        _refuse_uncalculated(data, worksheet.title, rows, limits)
    if not any(any(cell for cell in row) for row in rows):
        raise IngestError(f"the sheet {worksheet.title!r} is empty")
    width = max(len(row) for row in rows)
    columns = zip(*(row + ("",) * (width - len(row)) for row in rows), strict=True)
    grid = pa.table([pa.array(column, pa.string()) for column in columns], names=[str(i) for i in range(width)])
    notes = [f"read from sheet {worksheet.title!r}"]
    if len(sheets) > 1:
        notes.append("the workbook's sheets: " + ", ".join(sheets) + " (choose another to read it instead)")
    return grid, tuple(notes), sheets  # row n of the grid is Excel's row n


# A document type declaration comes before the root element: within the first bytes of a part.
PROLOGUE_BYTES = 4096


def _part_declaring_entities(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The first XML part of the workbook (shared strings, workbook, sheets, relationships...) whose prologue
    declares a document type, where entities are defined (billion laughs, external files); None when none does."""
    for name in sorted(names):
        if name.lower().endswith((".xml", ".rels")):
            with archive.open(name) as part:
                prologue = part.read(PROLOGUE_BYTES)
            if b"<!DOCTYPE" in prologue.upper() or b"<!ENTITY" in prologue.upper():
                return name
    return None


def _sheet_rows(worksheet: object, limits: Limits, text_of: Callable[[object], str]) -> list[tuple[str, ...]]:
    """The sheet's rows (Excel's row n at n - 1) as text; IngestError naming the row where a damaged sheet
    stops being readable."""
    rows: list[tuple[str, ...]] = []
    try:
        for cells in worksheet.iter_rows(min_row=1):
            if len(rows) > limits.max_rows + HEADER_SEARCH_ROWS:
                break
            rows.append(tuple(text_of(cell) for cell in cells[:MAX_COLUMNS]))
    except Exception as error:  # a damaged sheet: ParseError, IndexError, KeyError, ValueError... from openpyxl
        raise IngestError(
            f"the sheet {worksheet.title!r} cannot be read after row {len(rows)} ({type(error).__name__}: "
            f"{first_line(error) or 'no detail'} of its XML): the workbook is damaged, was cut short or holds XML "
            "Excel never writes (entities); open it in Excel, save it again and upload that"
        ) from error
    return rows


def _refuse_uncalculated(data: bytes, title: str, rows: list[tuple[str, ...]], limits: Limits) -> None:
    """IngestError naming the first formula cell that has no value saved with it (a workbook written by a
    program, never opened in Excel): it would read as blank."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    formulas = _sheet_rows(workbook[title], limits, lambda cell: str(getattr(cell, "value", "") or ""))
    workbook.close()
    found = [
        (number, position)
        for number, (values, written) in enumerate(zip(rows, formulas, strict=False), start=1)
        for position, (value, formula) in enumerate(zip(values, written, strict=False))
        if not value and formula.startswith("=")
    ]
    if found:
        number, position = found[0]
        more = f" (and {len(found) - 1:,} more)" if len(found) > 1 else ""
        raise IngestError(
            f"uncalculated formula in row {number}, column {_column_letters(position)}{more} of sheet {title!r}: "
            "the workbook holds formulas without their results; open it in Excel, save it and upload again"
        )


def _column_letters(position: int) -> str:
    """Excel's name of a column (0 -> A, 27 -> AB)."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


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
    schema = parquet.schema_arrow
    nested = [field.name for field in schema if pa.types.is_nested(field.type)]
    if nested:
        raise IngestError(
            "the column(s) " + ", ".join(map(repr, nested)) + " hold nested values (a struct, list or map); "
            "export one value per cell (flatten them) and upload again"
        )
    most_bytes = MAX_ZIP_EXPANSION * limits.max_bytes
    stored = sum(metadata.row_group(group).total_byte_size for group in range(metadata.num_row_groups))
    if stored > most_bytes:
        raise IngestError(f"the file would expand to {stored / 1e9:,.1f} GB when read (a Parquet bomb?); it is refused")
    text = [field.name for field in schema if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)]
    try:  # text as dictionaries: what it expands to is counted before it is made
        table = pq.ParquetFile(pa.BufferReader(data), read_dictionary=text).read()
    except (pa.ArrowException, OSError, MemoryError) as error:
        raise IngestError(f"the Parquet file cannot be read ({first_line(error)}); is it complete?") from error
    table = _decoded_within(table, most_bytes)
    header = [str(name) for name in table.column_names]
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            column = pc.local_timestamp(column)  # the date as written where it was written, not in UTC
        if pa.types.is_timestamp(column.type) and _is_midnight(column):
            column = column.cast(pa.date32())
        if not (is_count_type(column.type) or pa.types.is_date32(column.type)):
            column = column.cast(pa.string())
        columns.append(column)
    grid = pa.table(columns, names=[str(index) for index in range(len(columns))])
    return header, grid, 1, ("read as Parquet",), ()


def _decoded_within(table: pa.Table, most_bytes: int) -> pa.Table:
    """The table with its dictionary columns decoded, once what they expand to is known to stay within
    `most_bytes` and no cell is longer than MAX_LINE_CHARACTERS (IngestError otherwise)."""
    expanded = 0
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_dictionary(column.type):
            expanded += column.nbytes
            continue
        for chunk in column.chunks:
            lengths = pc.binary_length(chunk.dictionary)
            longest = pc.max(lengths).as_py() or 0
            if longest > MAX_LINE_CHARACTERS:
                raise IngestError(
                    f"column {name!r} holds a cell of {longest:,} characters; a cell is at most {MAX_LINE_CHARACTERS:,}"
                )
            expanded += pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0
    if expanded > most_bytes:
        raise IngestError(
            f"the file would expand to {expanded / 1e9:,.1f} GB when read (a Parquet bomb?); it is refused"
        )
    decoded = [
        pa.chunked_array([chunk.dictionary_decode() for chunk in column.chunks], column.type.value_type)
        if pa.types.is_dictionary(column.type)
        else column
        for column in table.columns
    ]
    return pa.table(decoded, names=table.column_names)


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
    blank_runs: tuple[tuple[int, int], ...] = (),
) -> SourceTable:
    """The records under the header row, blank ones dropped; row n of `grid` is the n-th line a person sees."""
    header_at = _header_row(grid, synonyms)
    header = [str(value).strip() for value in grid.slice(header_at - 1, 1).to_pylist()[0].values()]
    body = grid.slice(header_at)
    filled = [pc.not_equal(column, "") for column in body.columns]
    is_filled = filled[0] if len(filled) == 1 else pc.or_(filled[0], filled[1])
    for column in filled[2:]:
        is_filled = pc.or_(is_filled, column)
    body_rows = _line_numbers(np.arange(header_at + 1, header_at + 1 + body.num_rows, dtype="int64"), blank_runs)
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
        notes = (*notes, f"header found on row {int(_line_numbers(np.array([header_at]), blank_runs)[0])}")
    return SourceTable(file_name, file_type, digest, header, body, rows, notes, sheets)


_TOTAL = re.compile(r"^((grand |sub-?)?totals?|sum)\s*:?(\s*\(.*\))?$", re.IGNORECASE)
_NOTE = re.compile(
    r"^([*†©]|(source|sources|note|notes|prepared|generated|exported|data as of|confidential|copyright|filtered by)\b)"
    r"|: ",
    re.IGNORECASE,
)


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
        score = len({column for column in (column_for(value, synonyms) for value in values) if column})
        if score > best_score:
            best, best_score = number, score
    if best is not None:
        return best
    if first_filled is None:
        raise IngestError("the file is empty")
    return first_filled

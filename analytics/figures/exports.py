"""Tables as files people download: CSV and Excel, safe to open in a spreadsheet.

A cell or a column header that a spreadsheet would run as a formula (text starting with =, +, -, @, a tab
or a carriage return) is neutralised with a leading apostrophe, as OWASP advises against CSV injection.
Numbers are left alone, so a negative number stays a number. Every CSV or Excel file the app or a command
writes from data goes through `to_csv_text`, `to_csv_bytes` or `to_excel_bytes`.
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
EXCEL_SHEET_NAME_LIMIT = 31


def neutralised(text: object) -> object:
    """`text` with a leading apostrophe when a spreadsheet would run it as a formula; anything else as it is.

    >>> neutralised("=SUM(A1:A9)"), neutralised("Cal-ICMA"), neutralised(-3)
    ("'=SUM(A1:A9)", 'Cal-ICMA', -3)
    """
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA_PREFIXES) else text


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` in which no text cell and no column header starts like a formula (headers of a
    refused file's rows are the uploaded file's own)."""
    result = frame.copy()
    result.columns = [neutralised(column) for column in result.columns]
    for column in result.columns:
        series = result[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            text = series.astype("string")
            risky = text.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            if risky.any():
                result[column] = series.astype(object).where(~risky, "'" + text.astype(object))
    return result


def to_csv_text(frame: pd.DataFrame, **options: object) -> str:
    """`frame` as CSV text, formulas neutralised; `options` go to `DataFrame.to_csv` (index is never written)."""
    return neutralise_formulas(frame).to_csv(index=False, **options)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents right), formulas neutralised."""
    return to_csv_text(frame).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame], number_formats: dict[str, str] | None = None) -> bytes:
    """An .xlsx workbook with one sheet per entry, formulas neutralised, dates as dates.

    `number_formats` sets the Excel format of the columns it names, in every sheet ("#,##0", "0.0%").
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            clean = neutralise_formulas(frame)
            for column in clean.columns:
                if isinstance(clean[column].dtype, pd.DatetimeTZDtype):
                    clean[column] = clean[column].dt.tz_localize(None)
            clean.to_excel(writer, sheet_name=_sheet_name(name), index=False)
            sheet = writer.sheets[_sheet_name(name)]
            for position, column in enumerate(clean.columns, start=1):
                if column in (number_formats or {}):
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                        cell.number_format = number_formats[column]
    return buffer.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join(" " if character in "[]:*?/\\" else character for character in name).strip()
    return (cleaned or "Sheet")[:EXCEL_SHEET_NAME_LIMIT]

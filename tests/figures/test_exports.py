"""Downloads and command-line CSV never carry a live formula: neither in a cell nor in a column header."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from analytics.figures.exports import to_csv_bytes, to_csv_text, to_excel_bytes

FORMULA = '=HYPERLINK("http://127.0.0.1:9/","click")'
REFUSED = pd.DataFrame({"row": [2], "problem": ["unknown affiliate"], FORMULA: ["+1"], "members": [-5]})


def test_a_formula_header_and_cells_are_text_in_csv():
    text = to_csv_text(REFUSED)
    header, row = text.splitlines()
    assert header.split(",")[2].startswith("\"'=HYPERLINK")
    assert ",'+1," in row and row.endswith(",-5")  # a negative number stays a number
    assert to_csv_bytes(REFUSED).decode("utf-8-sig") == text


def test_a_formula_header_is_text_not_a_formula_in_excel():
    sheet = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"refused": REFUSED}))).active
    header = sheet.cell(row=1, column=3)
    assert header.data_type == "s" and header.value == "'" + FORMULA
    assert sheet.cell(row=2, column=3).value == "'+1"
    assert sheet.cell(row=2, column=4).value == -5

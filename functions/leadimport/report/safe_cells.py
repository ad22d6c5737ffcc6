"""Cells we write into files a spreadsheet opens: never a formula, whatever the person typed.

csv has no types, so a risky text gets a leading apostrophe (Excel shows the text, runs nothing);
xlsx cells are written with the string type, so '=HYPERLINK(…)' stays text and shows as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_NUMBER = re.compile(r"^[+-][\d\s().\-]*$")


def safe_csv_cell(text: str) -> str:
    """Neutralise formula injection in csv (+593… stays a phone number)."""
    if text and (text[0] in "=@\t\r" or (text[0] in "+-" and not _NUMBER.match(text))):
        return "'" + text
    return text


def safe_csv_row(values: Iterable[object]) -> list[str]:
    """A whole csv row, header included, each cell through safe_csv_cell: one path for every row we write."""
    return [safe_csv_cell("" if value is None else str(value)) for value in values]


def text_cell(sheet: WriteOnlyWorksheet, value: object, **style: object) -> WriteOnlyCell:
    # control characters a csv may carry cannot be stored in xlsx: drop them rather than fail the report
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))
    cell.data_type = "s"  # a string, never a formula
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell

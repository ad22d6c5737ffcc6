"""The add-on's upload of a Google Sheet: a CSV whose every record says which sheet row it is.

A cell with a line break spans several physical lines of a CSV, and rows the add-on leaves out (blank,
already imported, hidden) would shift every number after them; so neither side counts lines. The
contract, written by `addon/src/SheetData.js` and read here only for a job start_import made for a sheet:

    record = [sheet row number, formula errors, cell of column A, cell of column B, …]

- the first record is the header row; the others are the data rows sent, in increasing row order;
- the columns are the sheet's own, by position from A (a write-back column is sent blank), so a
  mapping keyed by column letter and a cell reference ("C7") mean what the person sees;
- "formula errors" lists the cells of the row whose formula shows an error, sent empty, as
  `C=#N/A D=#REF!`: each becomes a warning on its row, never a value.

Comma-separated, UTF-8, no BOM: the add-on's own format, so nothing is sniffed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from leadimport.errors import UnreadableFile

_ERROR = re.compile(r"([A-Z]{1,3})=(#[A-Z0-9/!?_]{1,20})")
_MAX_ERRORS = 50  # a row has at most this many columns worth naming
MAX_ROW = 10_000_000  # a Google Sheet holds at most ten million cells: no row is numbered past that
# what a formula shows when it fails (SheetData.js's FORMULA_ERROR): sent as an empty cell
FORMULA_ERROR = re.compile(r"^#(N/A|REF!|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|ERROR!|SPILL!|CALC!)$")

Numbered = Iterator[tuple[int, list[str]]]


def export_rows(records: Numbered, filename: str) -> Iterator[tuple[int, list[str], tuple[tuple[str, str], ...]]]:
    """(sheet row, cells from column A, formula errors) per record, the numbers checked as they pass."""
    last = 0
    for line, cells in records:
        if not any(cells):
            continue  # a trailing blank line is not a record of the sheet
        number = cells[0]
        if not number.isascii() or not number.isdigit() or len(number) > 8 or not last < int(number) <= MAX_ROW:
            raise UnreadableFile(f"{filename} is not the add-on's upload of a sheet: line {line} does not start "
                                 f"with a row number after {last}. Import the range again from the sidebar.")
        last = int(number)
        yield last, cells[2:], formula_errors(cells[1] if len(cells) > 1 else "")


def formula_errors(text: str) -> tuple[tuple[str, str], ...]:
    """'C=#N/A D=#REF!' → (("C", "#N/A"), ("D", "#REF!")); anything else in it is ignored."""
    return tuple(match.groups() for match in itertools.islice(_ERROR.finditer(text), _MAX_ERRORS))

"""What every reader yields: one header and data rows that keep the sheet's own row numbers."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from leadimport.core.read.grid import MAX_COLUMNS
from leadimport.core.read.header_row import SCAN_ROWS, pick_header
from leadimport.errors import UnreadableFile
from leadimport.i18n.notes import Note, listed


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int  # the row number the person sees in the sheet or file (1-based)
    values: tuple[str, ...]
    formula_errors: tuple[tuple[str, str], ...] = ()  # (column letter, "#N/A"): cells a sheet sent empty


@dataclass(slots=True)
class Table:
    sheet: str | None
    header_row: int
    columns: list[str]
    rows: Iterator[SheetRow]
    letters: list[str] = field(default_factory=list)  # the sheet's column letter of each column
    notes: list[Note] = field(default_factory=list)
    from_sheet: bool = False  # a Google Sheet's upload: results keep each row's identity (core/row_identity.py)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    sheet: str | None = None
    header_row: int | None = None
    first_row: int | None = None
    last_row: int | None = None
    known_header: Callable[[str], bool] | None = None  # helps find the header row under a title
    sheet_export: bool = False  # the add-on's upload of a Google Sheet (read/sheet_export.py)
    no_header: bool = False  # every row is data (Sperant's start row 1): columns are named by their letters


def unique_columns(raw: Iterable[str], first_column: int = 0) -> list[str]:
    """Header names made unique and never blank, so a column can always be named in a mapping."""
    seen: dict[str, int] = {}
    columns = []
    for index, name in enumerate(raw):
        name = " ".join(name.split()) or f"Column {column_letter(first_column + index)}"
        count = seen.get(name.casefold(), 0) + 1
        seen[name.casefold()] = count
        columns.append(name if count == 1 else f"{name} ({count})")
    return columns


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def frame_rows(numbered: Iterator[tuple[int, list[str]]], options: ReadOptions, sheet: str | None,
               first_column: int = 0, flagged: dict[int, tuple[tuple[str, str], ...]] | None = None) -> Table:
    """Cut header and data rows out of (row number, cells) pairs.

    Blank rows are not data: they are skipped but still counted, so numbers match the sheet.
    `first_column` is the sheet column of cells[0] (a workbook may start at column C); `flagged` holds
    the formula errors of the rows that have some, by row number, filled as `numbered` is read.
    """
    header_number, header, ahead = _no_header(numbered) if options.no_header else _find_header(numbered, options)
    while header and not header[-1] and not options.sheet_export and not options.no_header:
        header.pop()  # trailing empty columns are not columns (a sheet's upload sends only the columns it uses)
    columns = unique_columns(header, first_column)
    width = len(columns)
    first = max(options.first_row or header_number + 1, header_number + 1)
    last = options.last_row
    folded_header = [c.casefold() for c in header]
    named = any(folded_header)  # a header of names only can come again (no header: blank names, blank rows)

    def data() -> Iterator[SheetRow]:
        repeated, wider = [], []
        for number, cells in itertools.chain(ahead, numbered):
            if number < first:
                if flagged:
                    flagged.pop(number, None)
                continue
            if last is not None and number > last:
                break
            if len(cells) == width:  # most rows: no copy
                values = cells
            elif len(cells) < width:
                values = cells + [""] * (width - len(cells))
            else:
                values = cells[:width]
                if any(cells[width:]):
                    wider.append(number)  # values with no column: said, as they are not imported
            if named and values[0].casefold() == folded_header[0] and [v.casefold() for v in values] == folded_header:
                repeated.append(number)  # a header repeated (joined exports, a header merged down) is not a lead
            elif any(values) or (flagged and number in flagged):
                yield SheetRow(number, tuple(values), flagged.pop(number, ()) if flagged else ())
        if repeated:
            table.notes.append(Note("repeated_header", {"rows": listed(repeated)}))
        if wider:
            table.notes.append(Note("values_past_columns", {"rows": listed(wider)}))

    table = Table(sheet=sheet, header_row=header_number, columns=columns, rows=data(),
                  letters=[column_letter(first_column + i) for i in range(width)])
    if options.header_row is None and header_number != 1 and not options.no_header:
        table.notes.append(Note("header_row", {"row": header_number}))
    return table


def _refuse_too_wide(cells: list[str]) -> None:
    """A row with values past MAX_COLUMNS is no lead list's (mapping alone would take minutes)."""
    if len(cells) > MAX_COLUMNS:
        used = next(i for i in range(len(cells), 0, -1) if cells[i - 1])
        if used > MAX_COLUMNS:
            raise UnreadableFile(f"The file has values in {used:,} columns; at most {MAX_COLUMNS:,} can be "
                                 "imported. Delete the columns after your data and send it again.")


def _no_header(numbered: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """No header row: its stand-in is row 0, each column named by its letter, as wide as the widest of the
    first rows (as a header's width bounds the columns read)."""
    scanned: list[tuple[int, list[str]]] = []
    for number, cells in numbered:
        if any(cells):
            _refuse_too_wide(cells)
            scanned.append((number, cells))
            if len(scanned) >= SCAN_ROWS:
                break
    if not scanned:
        raise UnreadableFile("The file has no rows: there is nothing to import.")
    width = max(next(i for i in range(len(cells), 0, -1) if cells[i - 1]) for _, cells in scanned)
    return 0, [""] * width, scanned


def _find_header(numbered: Iterator[tuple[int, list[str]]],
                 options: ReadOptions) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """(header row number, its cells, the non-blank rows already read past it)."""
    if options.header_row is not None:
        for number, cells in numbered:
            if number == options.header_row:
                if not any(cells):
                    break
                _refuse_too_wide(cells)
                return number, cells, []
            if number > options.header_row:
                break
        raise UnreadableFile(f"No header found on row {options.header_row}: the file has no column names there.")
    scanned: list[tuple[int, list[str]]] = []
    for number, cells in numbered:
        if any(cells):
            _refuse_too_wide(cells)  # before the header is looked for in them, a column at a time
            scanned.append((number, cells))
            if len(scanned) >= SCAN_ROWS:
                break
    if not scanned:
        raise UnreadableFile("The file has no rows: there is nothing to import.")
    index = pick_header(scanned, options.known_header)
    number, cells = scanned[index]
    return number, cells, scanned[index + 1:]

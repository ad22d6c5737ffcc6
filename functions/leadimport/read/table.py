"""What every reader yields: one header and data rows that keep the sheet's own row numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from leadimport.errors import UnreadableFile


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int  # the row number the person sees in the sheet or file (1-based)
    values: tuple[str, ...]


@dataclass(slots=True)
class Table:
    sheet: str | None
    header_row: int
    columns: list[str]
    rows: Iterator[SheetRow]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    sheet: str | None = None
    header_row: int | None = None
    first_row: int | None = None
    last_row: int | None = None


def cell_text(value: object) -> str:
    """A cell as the text a person would type; integral floats lose their '.0' (phones, ids)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def unique_columns(raw: Iterable[str]) -> list[str]:
    """Header names made unique and never blank, so a column can always be named in a mapping."""
    seen: dict[str, int] = {}
    columns = []
    for index, name in enumerate(raw):
        name = " ".join(name.split()) or f"Column {column_letter(index)}"
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


def frame_rows(numbered: Iterator[tuple[int, list[str]]], options: ReadOptions, sheet: str | None) -> Table:
    """Cut header and data rows out of (row number, cells) pairs.

    Blank rows are not data: they are skipped but still counted, so numbers match the sheet.
    """
    header_row = options.header_row or 1
    header: list[str] | None = None
    for number, cells in numbered:
        if number == header_row:
            header = cells
            break
    if header is None or not any(header):
        where = f"row {header_row}" if options.header_row else "the first row"
        raise UnreadableFile(f"No header found on {where}: the file has no column names there.")
    while header and not header[-1]:
        header.pop()  # trailing empty columns are not columns
    columns = unique_columns(header)
    width = len(columns)
    first = max(options.first_row or header_row + 1, header_row + 1)
    last = options.last_row

    def data() -> Iterator[SheetRow]:
        for number, cells in numbered:
            if number < first:
                continue
            if last is not None and number > last:
                break
            if not any(cells):
                continue
            values = cells[:width] + [""] * (width - len(cells))
            if any(values):
                yield SheetRow(number, tuple(values))

    return Table(sheet=sheet, header_row=header_row, columns=columns, rows=data())

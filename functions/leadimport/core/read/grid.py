"""How big a sheet's grid may be, and the measures that say so before calamine is asked to build it.

python-calamine builds a sheet's whole used range in memory, and a Rust allocation that fails
aborts the process (nothing to catch): a 1.5 KB xlsx with values at A1 and XFD1048576 asks for
550 GB. calamine therefore runs in a child process held to a memory budget (calamine_child.py); an
xlsx too big for it is streamed (xlsx_stream, a row at a time, refusing values past MAX_ROWS or
MAX_COLUMNS). An OpenDocument or xlsb sheet, which only calamine reads, is measured here first, so
its refusal can say where it reaches.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

from leadimport.errors import UnreadableFile

MAX_ROWS = 1_048_576  # Excel's grid: a sheet that claims more is not one a person made
MAX_COLUMNS = 2_000  # more is not a list of leads (and mapping takes about 1.5 ms a column)
MAX_CELLS = 20_000_000  # the grid calamine holds whole, about 32 bytes a cell
_BLOCK = 4 * 1024 * 1024


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def refuse_beyond(extent: Extent, filename: str, what: str = "") -> None:
    """Refuse a sheet whose values reach past what a lead list can be, saying where to cut it."""
    where = f" ({what})" if what else ""
    if extent.columns > MAX_COLUMNS:
        raise UnreadableFile(f"{filename}{where} has values in {extent.columns:,} columns; at most {MAX_COLUMNS:,} "
                             "can be imported. Delete the columns after your data and send it again.")
    if extent.rows > MAX_ROWS:
        raise UnreadableFile(f"{filename}{where} has values down to row {extent.rows:,}, past Excel's "
                             f"{MAX_ROWS:,}: it is not a sheet we can read.")
    if extent.cells > MAX_CELLS:
        raise UnreadableFile(f"{filename}{where} spans {extent.rows:,} rows by {extent.columns:,} columns, "
                             "mostly empty. Delete the rows and columns after your data, or save it as .xlsx "
                             "or .csv, and send it again.")


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    """The part in blocks that end at a tag's end, so no tag is cut in two."""
    rest = b""
    while block := handle.read(_BLOCK):
        data = rest + block
        cut = data.rfind(b">") + 1
        data, rest = data[:cut], data[cut:]
        if len(rest) > _BLOCK:  # no '>' in a whole block: not a sheet's XML
            raise UnreadableFile("A sheet of the file is not well-formed XML.")
        yield data
    yield rest


_ODS = "urn:oasis:names:tc:opendocument:xmlns:"
_TABLE, _OFFICE = _ODS + "table:1.0 ", _ODS + "office:1.0 "


def ods_extent(handle: IO[bytes]) -> dict[str, Extent]:
    """Each OpenDocument table's extent, counting only cells with a value, as calamine's range does
    (LibreOffice repeats an empty cell to the sheet's edge in every file)."""
    extents: dict[str, Extent] = {}
    state = {"table": "", "row": 0, "column": 0, "rows": 0, "columns": 0, "repeat_rows": 1}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE + "table":
            state.update(table=attrs.get(_TABLE + "name", ""), row=0, rows=0, columns=0)
        elif name == _TABLE + "table-row":
            state["repeat_rows"] = _repeat(attrs.get(_TABLE + "number-rows-repeated"))
            state["column"] = 0
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            repeat = _repeat(attrs.get(_TABLE + "number-columns-repeated"))
            if _OFFICE + "value-type" in attrs:
                state["columns"] = max(state["columns"], state["column"] + repeat)
                state["rows"] = max(state["rows"], state["row"] + state["repeat_rows"])
            state["column"] += repeat

    def end(name: str) -> None:
        if name == _TABLE + "table-row":
            state["row"] += state["repeat_rows"]
        elif name == _TABLE + "table":
            extents[state["table"]] = Extent(state["rows"], state["columns"])

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    for data in _blocks(handle):
        parser.Parse(data, False)
    parser.Parse(b"", True)
    return extents


def _repeat(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 1


def _refuse_doctype(*_: object) -> None:
    raise UnreadableFile("A sheet of the file declares a DTD, which no spreadsheet needs: it is refused.")


_XLSB_ROW, _XLSB_CELLS, _XLSB_BLANK = 0x0000, range(0x0002, 0x000C), 0x0001


def xlsb_extent(handle: IO[bytes]) -> Extent:
    """An xlsb worksheet part's extent from its records: the row headers and the cells with a value."""
    rows = columns = row = 0
    data, at = b"", 0
    while True:
        if len(data) - at < 16:  # room for a record's header and the first field of its payload
            more = handle.read(_BLOCK)
            data, at = data[at:] + more, 0
            if not data:
                return Extent(rows, columns)
        kind, start = _varint(data, at, 2)
        size, start = _varint(data, start, 4)
        if kind == _XLSB_ROW and size >= 4:
            row = struct.unpack_from("<I", data, start)[0] + 1
        elif kind in _XLSB_CELLS and size >= 4:
            columns = max(columns, struct.unpack_from("<I", data, start)[0] + 1)
            rows = max(rows, row)
        skip = start + size - len(data)
        if skip > 0:  # a record longer than what is buffered: skip it unread
            handle.read(skip)
            data, at = b"", 0
        else:
            at = start + size


def _varint(data: bytes, at: int, most: int) -> tuple[int, int]:
    """An xlsb record's type (up to 2 bytes) or size (up to 4), 7 bits a byte."""
    value = shift = 0
    for _ in range(most):
        if at >= len(data):
            raise UnreadableFile("A sheet of the file ends in the middle of a record: it is damaged.")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at

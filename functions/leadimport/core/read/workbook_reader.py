"""Excel and OpenDocument workbooks through python-calamine (cached formula values, no macros), in a child
process held to a memory budget (calamine_child.py), or streamed (xlsx_stream.py)."""

from __future__ import annotations

import dataclasses
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from leadimport.core import calamine_child
from leadimport.core.read import grid, xlsx_stream
from leadimport.core.read.table import ReadOptions, Table, frame_rows
from leadimport.errors import UnreadableFile
from leadimport.i18n.notes import Note


def read_workbook(path: Path, filename: str, options: ReadOptions,
                  stream_from: int = xlsx_stream.STREAM_FROM_BYTES, stream_only: bool = False) -> Table:
    """A workbook's chosen sheet as a Table: large xlsx sheets streamed, everything else through calamine.

    calamine builds the sheet's whole grid in its child process; a grid too big for it (a sparse sheet
    with a value far out, or a file made to) ends the child, and an xlsx is then streamed, a row at a
    time, by a reader that refuses values past the grid's limits (grid.py). `stream_only`: never calamine."""
    streamed = _read_streamed(path, filename, options, stream_from)
    if streamed is not None:
        return streamed
    if stream_only:  # where no calamine child may run (a small function's sample): an xlsx sheet, or nothing
        raise UnreadableFile(f"{filename} cannot be previewed here: save it as .xlsx or .csv and pick it again.")
    _refuse_oversized(path, filename)
    with tempfile.TemporaryDirectory() as tmp:
        child = _open(path, filename, Path(tmp))  # opened: a repaired copy may go once calamine holds it
    try:
        sheet_name, options = _choose_sheet(child.names, child.visible, options, filename)
        merged, first_column, (rows, columns) = child.open_sheet(sheet_name)
        if grid.Extent(rows, columns).cells > grid.MAX_CELLS or columns > grid.MAX_COLUMNS:
            # calamine walks from row 1, blank rows included, every used column wide: two far values
            # (A1048575, XFD1048576) make 17 billion cells of a 2 KB file. The streamer reads only values.
            child.close()
            raise calamine_child.ChildDied(f"a grid of {rows:,} rows by {columns:,} columns")
    except calamine_child.CalamineError as exc:
        raise UnreadableFile(f"Sheet {sheet_name!r} of {filename} cannot be read: {exc}.") from exc
    except calamine_child.ChildDied as exc:
        streamed = _read_streamed(path, filename, options, stream_from=0)
        if streamed is None:
            raise UnreadableFile(_TOO_BIG.format(filename=filename)) from exc
        return streamed
    except BaseException:
        child.close()
        raise
    table = frame_rows(_numbered(child, filename, merged, first_column), options, sheet=sheet_name,
                       first_column=first_column)
    return _noted(table, child.names, sheet_name, options)


_TOO_BIG = ("{filename} needs more memory to read than any list of leads: its sheets span far more cells than "
            "they hold. Delete the rows and columns after your data, or save it again as .xlsx or .csv, and "
            "send it again.")


def _refuse_oversized(path: Path, filename: str) -> None:
    """An OpenDocument or xlsb sheet whose grid calamine could not hold is refused, saying where it
    reaches, before calamine's child tries (it builds an OpenDocument file's every sheet as it opens it)."""
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            parts = {name.lower(): name for name in archive.namelist()}
            if "content.xml" in parts:
                with archive.open(parts["content.xml"]) as handle:
                    for sheet, extent in grid.ods_extent(handle).items():
                        grid.refuse_beyond(extent, filename, sheet)
            for lower, part in parts.items():
                if lower.startswith("xl/worksheets/") and lower.endswith(".bin"):
                    with archive.open(part) as handle:
                        grid.refuse_beyond(grid.xlsb_extent(handle), filename, part.rsplit("/", 1)[-1])
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error, expat.ExpatError) as exc:
        raise UnreadableFile(f"{filename} is damaged and cannot be read: {exc}.") from exc


def _choose_sheet(names: list[str], visible: list[str], options: ReadOptions,
                  filename: str) -> tuple[str, ReadOptions]:
    """The sheet asked for by name or number, else the first visible worksheet (seed 000)."""
    if options.sheet is not None and options.sheet not in names and options.sheet.isdigit():
        number = int(options.sheet)  # "--sheet 2": the second sheet, as its tab shows
        if 1 <= number <= len(names):
            options = dataclasses.replace(options, sheet=names[number - 1])
    if options.sheet is not None:
        if options.sheet not in names:
            raise UnreadableFile(
                f"{filename} has no sheet named {options.sheet!r}; its sheets are: {', '.join(names)}."
            )
        return options.sheet, options
    if not visible:
        raise UnreadableFile(f"{filename} has no worksheet to read.")
    return visible[0], options


def _noted(table: Table, names: list[str], sheet_name: str, options: ReadOptions) -> Table:
    if len(names) > 1 and options.sheet is None:
        table.notes.append(Note("sheet_read", {"sheet": sheet_name, "count": len(names)}))
    return table


# what a damaged archive raises while it is opened or scanned (a broken deflate stream, a cut file,
# an encrypted or unknown compression): the file then goes to calamine like any other
_DAMAGE = (xlsx_stream.StreamUnsupported, zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError,
           RuntimeError, NotImplementedError, ElementTree.ParseError)


def _read_streamed(path: Path, filename: str, options: ReadOptions, stream_from: int) -> Table | None:
    """The sheet through xlsx_stream when it is an xlsx sheet of at least `stream_from` bytes of XML;
    None to leave the file to calamine (decided before any row is read)."""
    try:
        book = xlsx_stream.StreamedWorkbook(path)
    except _DAMAGE:  # a damaged or unusual archive: calamine reads it, or says clearly why not
        return None
    names = [info.name for info in book.sheets]
    visible = [info.name for info in book.sheets if info.visible and info.worksheet]
    sheet_name, options = _choose_sheet(names, visible, options, filename)
    info = next(info for info in book.sheets if info.name == sheet_name)
    try:
        if not info.worksheet or info.part is None or book.sheet_size(info) < stream_from:
            book.close()
            return None
        merged, first_column = book.scan(info)
    except _DAMAGE:
        book.close()
        return None
    table = frame_rows(_streamed_rows(book, info, filename, merged, first_column), options,
                       sheet=sheet_name, first_column=first_column)
    return _noted(table, names, sheet_name, options)


def _streamed_rows(book: xlsx_stream.StreamedWorkbook, info: xlsx_stream.SheetInfo, filename: str,
                   merged: list[_Range], first_column: int) -> Iterator[tuple[int, list[str]]]:
    fill = _MergedCells(merged, first_column)
    number = 0
    try:
        for number, cells in book.rows(info, first_column, filename):
            yield number, fill.apply(number - 1, cells)
    except (*_DAMAGE, expat.ExpatError, IndexError) as exc:
        raise UnreadableFile(f"{filename} is damaged and cannot be read past row {number}: {exc}.") from exc
    finally:
        book.close()


def _open(path: Path, filename: str, tmp: Path) -> calamine_child.CalamineChild:
    try:
        return calamine_child.CalamineChild(path)
    except calamine_child.ChildDied as exc:
        raise UnreadableFile(_TOO_BIG.format(filename=filename)) from exc
    except calamine_child.CalamineError as exc:
        if "mimetype" in str(exc) and zipfile.is_zipfile(path):
            return _open_ods_without_mimetype(path, filename, exc, tmp)
        raise UnreadableFile(f"{filename} is a damaged or unsupported spreadsheet: {exc}.") from exc


def _open_ods_without_mimetype(path: Path, filename: str, cause: Exception, tmp: Path) -> calamine_child.CalamineChild:
    """Some tools write OpenDocument files without the 'mimetype' entry calamine insists on: add it."""
    repaired = tmp / "repaired.ods"
    try:
        with zipfile.ZipFile(path) as source:
            if "content.xml" not in source.namelist():
                raise UnreadableFile(f"{filename} is a damaged or unsupported spreadsheet: {cause}.") from cause
            with zipfile.ZipFile(repaired, "w", zipfile.ZIP_DEFLATED) as target:
                target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
                for item in source.infolist():
                    target.writestr(item, source.read(item.filename))
        return calamine_child.CalamineChild(repaired)
    except calamine_child.ChildDied as exc:
        raise UnreadableFile(_TOO_BIG.format(filename=filename)) from exc
    except (calamine_child.CalamineError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise UnreadableFile(f"{filename} is a damaged or unsupported spreadsheet: {exc}.") from exc


def _numbered(child: calamine_child.CalamineChild, filename: str, merged: list[_Range],
              first_column: int) -> Iterator[tuple[int, list[str]]]:
    # iter_rows starts at row 1 (blank rows included) but at the first used column
    fill = _MergedCells(merged, first_column)
    number = 0
    try:
        for number, cells in child.rows():
            if number > grid.MAX_ROWS:  # past Excel's grid, as the streamer refuses it
                grid.refuse_beyond(grid.Extent(number, 1), filename)
            yield number, fill.apply(number - 1, cells)
    except calamine_child.ChildDied as exc:
        raise UnreadableFile(_TOO_BIG.format(filename=filename)) from exc
    except calamine_child.CalamineError as exc:  # a damaged part may only surface here
        raise UnreadableFile(f"{filename} is damaged and cannot be read past row {number}: {exc}.") from exc


_Range = tuple[tuple[int, int], tuple[int, int]]


class _MergedCells:
    """Every cell a merged range covers shows the range's value, as the person sees it.

    A header merged over two columns names both; a company merged down three rows belongs to each.
    Ranges are applied as rows stream past, each column remembering the one range that fills it, so a
    row costs its own width however many ranges there are (5,000 ranges over 200,000 rows took minutes
    when every active range was walked on every row).
    """

    def __init__(self, ranges: list[_Range], first_column: int):
        self._pending = sorted(ranges, reverse=True)  # popped from the end in row order
        self._fill: dict[int, tuple[int, str]] = {}  # column → (last row, value) of the range that fills it
        self._offset = first_column

    def apply(self, row: int, cells: list[str]) -> list[str]:
        while self._pending and self._pending[-1][0][0] <= row:
            (_, c1), (r2, c2) = self._pending.pop()
            index = c1 - self._offset
            value = cells[index] if 0 <= index < len(cells) else ""
            if value and r2 >= row:
                for column in range(max(index, 0), min(c2 - self._offset + 1, len(cells))):
                    if self._fill.get(column, (-1, ""))[0] < row:  # the first range over a cell keeps it
                        self._fill[column] = (r2, value)
        if not self._fill:
            return cells
        for column, (last, value) in list(self._fill.items()):
            if last < row:
                del self._fill[column]
            elif column < len(cells) and not cells[column]:
                cells[column] = value
        return cells

"""Large xlsx and xlsm sheets read as a stream, in bounded memory.

python-calamine reads a whole sheet before it gives the first row: 1.2 GB for a million rows of
twelve columns. Here the sheet's XML is decompressed and parsed by expat one block at a time, and
each row is handed on as soon as it ends. Shared strings are kept as one UTF-8 buffer and an array
of offsets, about a third of what a list of Python strings costs.

Cells are typed exactly as python-calamine types them (the same date formats, the same 1900 leap
year and 1904 system, time-only and duration values), so `cell_text` gives the same text either
way; a test holds the two readers to the same rows on every workbook of the corpus. Smaller
sheets, xls, xlsb, ods and anything this reader does not follow (strict OOXML, a missing part)
stay with calamine.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from leadimport.core.cells import cell_text
from leadimport.core.read import grid

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Sheets with more XML than this are streamed. calamine's peak is about 72 MB + 1.55 × the sheet's XML
# (185 MB at 100,000 rows of 12 columns, 1.2 GB at a million) and it reads about four times faster, so
# it keeps every sheet it can read within about 300 MB; past that, memory wins over speed.
STREAM_FROM_BYTES = 128 * 1024 * 1024
_BLOCK = 1 << 20
_CELL = re.compile(r"([A-Z]{1,3})(\d+)")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# a cell with a value: an opening tag neither self-closing nor closed at once (calamine's range counts only those)
# ([^<>]: a run of "<c " without '>' is not scanned again from each one, which was quadratic)
_VALUED_CELL = re.compile(rb'<(?:\w+:)?c((?:\s[^<>]*?)?)(?<!/)>(?!\s*</(?:\w+:)?c>)')
_REF = re.compile(rb'\sr="([A-Z]{1,3})\d+"')
_NO_COLUMN = 1 << 20
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 47}  # calamine's built-in date and time formats
_DURATION_IDS = {46}
_LAST_SERIAL = 2958465  # 9999-12-31


class StreamUnsupported(Exception):
    """Something this reader does not follow: calamine reads the file instead (decided before any row)."""


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool
    worksheet: bool
    part: str | None  # the sheet's XML inside the archive


class StreamedWorkbook:
    def __init__(self, path: Path):
        self._zip = zipfile.ZipFile(path)
        # part names as the relationships spell them, found whatever their case (as calamine does)
        self._parts = {name.lower(): name for name in self._zip.namelist()}
        names = set(self._parts)
        if "xl/workbook.xml" not in names:
            raise StreamUnsupported("no xl/workbook.xml")
        book = ElementTree.fromstring(self._read("xl/workbook.xml"))
        if book.tag != f"{{{MAIN}}}workbook":
            raise StreamUnsupported(f"workbook namespace {book.tag}")
        pr = book.find(f"{{{MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
        targets = self._relationships("xl/_rels/workbook.xml.rels")
        self.sheets = []
        for sheet in book.iter(f"{{{MAIN}}}sheet"):
            target, kind = targets.get(sheet.get(f"{{{_RELS}}}id", ""), (None, ""))
            self.sheets.append(SheetInfo(sheet.get("name", ""), sheet.get("state", "visible") == "visible",
                                         kind.endswith("/worksheet"), target if target in names else None))
        self._styles_read: tuple[set[int], set[int]] | None = None  # read with the first rows: most files never are
        self._strings: _SharedStrings | None = None
        self._shared_part = next((t for t, k in targets.values() if k.endswith("/sharedStrings") and t in names),
                                 None)

    def _read(self, part: str) -> bytes:
        return self._zip.read(self._parts[part])

    def _open(self, part: str) -> IO[bytes]:
        return self._zip.open(self._parts[part])

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for rel in ElementTree.fromstring(self._read(part)).iter(f"{{{_PACKAGE_RELS}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            found[rel.get("Id", "")] = (target.lower(), rel.get("Type", ""))
        return found

    def _styles(self) -> tuple[set[int], set[int]]:
        """The cell styles whose number format makes a number a date, a time or a duration (as calamine)."""
        if "xl/styles.xml" not in self._parts:
            return set(), set()
        styles = ElementTree.fromstring(self._read("xl/styles.xml"))
        kinds: dict[int, str] = {i: "date" for i in _DATE_IDS} | {i: "duration" for i in _DURATION_IDS}
        for fmt in styles.iter(f"{{{MAIN}}}numFmt"):
            kinds[int(fmt.get("numFmtId", "-1"))] = _format_kind(fmt.get("formatCode", ""))
        dates, durations = set(), set()
        xfs = styles.find(f"{{{MAIN}}}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else []):
            kind = kinds.get(int(xf.get("numFmtId", "0")))
            (dates if kind == "date" else durations if kind == "duration" else set()).add(index)
        return dates, durations

    def sheet_size(self, info: SheetInfo) -> int:
        return self._zip.getinfo(self._parts[info.part]).file_size if info.part else 0

    def scan(self, info: SheetInfo) -> tuple[list[tuple[tuple[int, int], tuple[int, int]]], int]:
        """(the merged ranges as calamine gives them, ((first row, first col), (last row, last col)) from 0;
        the first column holding a value). Both are known only once the whole sheet has been seen (the
        merged ranges follow the rows), so it is decompressed once ahead of the real read."""
        assert info.part
        ranges: list[tuple[tuple[int, int], tuple[int, int]]] = []
        first_column = _NO_COLUMN
        tail = b""
        with self._open(info.part) as handle:
            while block := handle.read(_BLOCK):
                text = tail + block
                ranges += [((int(r1) - 1, _column(c1.decode())), (int(r2) - 1, _column(c2.decode())))
                           for c1, r1, c2, r2 in _MERGE.findall(text)]
                if first_column:  # once a value sits in column A, no cell can start further left
                    for attributes in _VALUED_CELL.findall(text):
                        ref = _REF.search(attributes)  # a cell without one follows the one before it, from A
                        first_column = min(first_column, _column(ref.group(1).decode()) if ref else 0)
                tail = text[max(text.rfind(b"<"), len(text) - 300):]
        return sorted(set(ranges)), 0 if first_column == _NO_COLUMN else first_column

    def rows(self, info: SheetInfo, first_column: int, filename: str = "The file") -> Iterator[tuple[int, list[str]]]:
        """(row number, cell texts from first_column) for every row from 1 to the last, each as wide as
        the widest row before it."""
        assert info.part
        if self._strings is None and self._shared_part:
            with self._open(self._shared_part) as handle:
                self._strings = _SharedStrings(handle)
        if self._styles_read is None:
            self._styles_read = self._styles()
        parser = _SheetParser(self._strings, *self._styles_read, self.date1904, first_column, filename)
        expected = 1
        blank: list[int] = []  # blank rows wait for a row with a value: calamine's range ends at the last
        with self._open(info.part) as handle:
            while block := handle.read(_BLOCK):
                parser.feed(block)
                for number, cells in parser.take():
                    blank += range(expected, number)  # rows the XML leaves out are blank rows
                    expected = number + 1
                    if not any(cells):
                        blank.append(number)
                        continue
                    for empty in blank:
                        yield empty, [""] * parser.width
                    blank = []
                    yield number, cells
        parser.close()

    def close(self) -> None:
        self._zip.close()


_C, _V, _T, _ROW, _RPH = (f"{MAIN} {local}" for local in ("c", "v", "t", "row", "rPh"))
_COLUMNS: dict[str, int] = {}


def _column_of(letters: str) -> int:
    """A column's index from its letters, remembered (a sheet names the same few columns on every row)."""
    if not _CELL.fullmatch(f"{letters}1"):
        raise ValueError(f"not a cell reference: {letters!r}")
    index = _COLUMNS[letters] = _column(letters)
    return index


def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _format_kind(code: str) -> str:
    """calamine's reading of a custom number format: 'date', 'duration' or 'number' (its first section)."""
    escaped = quoted = am_pm = False
    brackets = 0
    previous = " "
    elapsed = False
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\":
            escaped = True
        elif quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char == ";":
            return "number"
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and elapsed:
            return "duration"
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif char in "aA" and not am_pm and brackets == 0:
            am_pm = True
        elif brackets == 0 and (char in "pm/PM" if am_pm else char in "dmhysDMHYS"):
            return "date"
        elif not (elapsed and char.lower() == previous.lower()):
            elapsed = previous == "[" and char in "mhsMHS"
        previous = char
    return "number"


def excel_moment(serial: float, date1904: bool) -> dt.date | dt.datetime | dt.time | None:
    """A date-formatted number as python-calamine gives it: a time below 1, a date when whole, else a datetime."""
    if serial > _LAST_SERIAL:
        return None
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:  # Excel counts a 29 February 1900 that never was: serials from 60 on are a day early
        base = dt.datetime(1899, 12, 31) if serial < 60 else dt.datetime(1899, 12, 30)
    try:
        moment = base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except OverflowError:
        return None
    if serial < 1.0:
        return moment.time()
    return moment.date() if moment.time() == dt.time() else moment


class _SharedStrings:
    """The workbook's shared strings: one UTF-8 buffer and the offset of each string in it."""

    def __init__(self, handle: IO[bytes]):
        self._data = bytearray()
        self._ends = array("q")
        self._parts: list[str] = []
        self._depth_phonetic = 0
        self._collect = False
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartDoctypeDeclHandler = _refuse_doctype
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text
        parser.buffer_text = True
        while block := handle.read(_BLOCK):
            parser.Parse(block, False)
        parser.Parse(b"", True)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "rPh":
            self._depth_phonetic += 1
        elif local == "t" and not self._depth_phonetic:
            self._collect = True

    def _end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "rPh":
            self._depth_phonetic -= 1
        elif local == "t":
            self._collect = False
        elif local == "si":
            self._data += "".join(self._parts).encode()
            self._ends.append(len(self._data))
            self._parts = []

    def _text(self, data: str) -> None:
        if self._collect:
            self._parts.append(data)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._data[start:self._ends[index]].decode()

    def __len__(self) -> int:
        return len(self._ends)


def _unescape(text: str) -> str:
    """OOXML's escapes for characters XML cannot carry: '_x000D_' is a carriage return."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _iso_moment(text: str) -> object:
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat, dt.time.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return text


def _refuse_doctype(*_: object) -> None:
    raise StreamUnsupported("a DOCTYPE in a workbook part")  # entity expansion has no place in xlsx


class _SheetParser:
    """Expat over the sheet's XML: each finished row becomes cell texts, as calamine + cell_text give them."""

    def __init__(self, strings: _SharedStrings | None, dates: set[int], durations: set[int], date1904: bool,
                 first_column: int, filename: str = "The file"):
        self._strings, self._dates, self._durations, self._date1904 = strings, dates, durations, date1904
        self._filename = filename
        self._first, self._width = first_column, 0
        self._done: list[tuple[int, list[str]]] = []
        self._row = 0
        self._cells: list[str] = []
        self._column = -1
        self._type = "n"
        self._style = 0
        self._value: list[str] = []
        self._collect = False
        self._phonetic = 0
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.StartDoctypeDeclHandler = _refuse_doctype
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._text
        self._parser.buffer_text = True

    @property
    def width(self) -> int:
        return self._width

    def feed(self, block: bytes) -> None:
        self._parser.Parse(block, False)

    def close(self) -> None:
        self._parser.Parse(b"", True)

    def take(self) -> list[tuple[int, list[str]]]:
        done, self._done = self._done, []
        return done

    # these run for every element of the sheet: full names compared, columns cached by their letters
    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _C:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = _COLUMNS.get(letters)
                self._column = column if column is not None else _column_of(letters)
            else:
                self._column += 1
            self._type = attrs.get("t", "n")
            self._style = int(attrs.get("s") or 0)
            self._value = []
        elif name == (_T if self._type == "inlineStr" else _V) and not self._phonetic:
            self._collect = True  # an inline string's text, or any other cell's value: never both
        elif name == _ROW:
            self._row = int(attrs["r"]) if "r" in attrs else self._row + 1
            if self._row > grid.MAX_ROWS:  # before the blank rows up to it are made
                grid.refuse_beyond(grid.Extent(self._row, 1), self._filename)
            self._cells = []
            self._column = -1
        elif name == _RPH:
            self._phonetic += 1

    def _end(self, name: str) -> None:
        if name in (_V, _T):
            self._collect = False
        elif name == _C:
            index = self._column - self._first
            text = self._cell("".join(self._value)) if index >= 0 and self._value else ""
            if text:  # like calamine's range, only cells with a value make a row wider
                if index >= grid.MAX_COLUMNS:  # before a row that wide, and every row after, is made
                    grid.refuse_beyond(grid.Extent(self._row, self._column + 1), self._filename)
                if index >= len(self._cells):
                    self._cells.extend([""] * (index + 1 - len(self._cells)))
                self._cells[index] = text
        elif name == _RPH:
            self._phonetic -= 1
        elif name == _ROW:
            # calamine gives every row its range's width: here, the widest row so far
            self._width = max(self._width, len(self._cells))
            self._cells.extend([""] * (self._width - len(self._cells)))
            self._done.append((self._row, self._cells))

    def _text(self, data: str) -> None:
        if self._collect:
            self._value.append(data)

    def _cell(self, raw: str) -> str:
        kind = self._type
        if kind == "s":
            return _unescape(self._strings[int(raw)]).strip() if self._strings is not None and raw else ""
        if kind in ("inlineStr", "str"):
            return _unescape(raw).strip()
        if kind == "e":
            return ""  # #N/A, #DIV/0!…: calamine gives no value for an error, and neither do we
        if kind == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if not raw:
            return ""
        if kind == "d":  # an ISO 8601 date, time or both, typed as calamine types it
            return cell_text(_iso_moment(raw.strip()))
        value = float(raw)
        if self._style in self._dates:
            moment = excel_moment(value, self._date1904)
            return cell_text(moment if moment is not None else value)
        if self._style in self._durations:
            return cell_text(dt.timedelta(milliseconds=round(value * 86_400_000)))
        return cell_text(value)

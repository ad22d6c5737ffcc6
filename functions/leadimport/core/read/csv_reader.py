"""csv and txt files: encoding and delimiter detected, read as a stream of rows."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from leadimport.core.read.sheet_export import export_rows
from leadimport.core.read.table import ReadOptions, Table, frame_rows
from leadimport.core.read.text_encoding import SAMPLE_BYTES, detect_encoding
from leadimport.errors import UnreadableFile
from leadimport.i18n.notes import Note

_DELIMITERS = (",", ";", "\t", "|")
_MAX_FIELD = 1024 * 1024
_MAX_LINE = 4 * 1024 * 1024  # a physical line; a row of a few hundred cells is a few KB
_BLOCK_CHARS = 8192  # lines read and checked together: as much as the text layer decodes at once


def read_csv(path: Path, filename: str, options: ReadOptions) -> Table:
    if options.sheet_export:
        return _read_sheet_export(path, filename, options)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    delimiter = detect_delimiter(text_sample)
    handle = path.open("r", encoding=encoding, newline="", errors="strict")
    table = frame_rows(_numbered(handle, delimiter, filename), options, sheet=None)
    table.notes.append(Note("text_format", {"encoding": encoding, "delimiter": repr(delimiter)}))
    return table


def _read_sheet_export(path: Path, filename: str, options: ReadOptions) -> Table:
    """The add-on's own format: UTF-8, commas, each record numbered by its sheet row."""
    flagged: dict[int, tuple[tuple[str, str], ...]] = {}

    def numbered() -> Iterator[tuple[int, list[str]]]:
        records = _numbered(path.open("r", encoding="utf-8", newline="", errors="strict"), ",", filename)
        for number, cells, errors in export_rows(records, filename):
            if errors:
                flagged[number] = errors
            yield number, cells

    records = numbered()
    first = next(records, None)
    if first is None:
        raise UnreadableFile(f"{filename} is empty: import the range again from the sidebar.")
    if options.header_row not in (None, first[0]):
        raise UnreadableFile(f"{filename} starts at row {first[0]}, not at its header row {options.header_row}: "
                             "import the range again from the sidebar.")
    # the first record is the header, whatever it holds: nothing is guessed of a sheet's upload
    table = frame_rows(itertools.chain([first], records), replace(options, header_row=first[0], no_header=False),
                       sheet=None, flagged=flagged)
    table.from_sheet = True
    return table


def _numbered(handle: io.TextIOBase, delimiter: str, filename: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) per record; a quoted newline keeps the record on its first line."""
    csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(_bounded_lines(handle, filename), delimiter=delimiter, skipinitialspace=delimiter == " ")
    try:
        with handle:
            line = 1
            for cells in reader:
                yield line, [cell.strip() for cell in cells]
                line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{filename} mixes text encodings near line {reader.line_num + 1}. "
            "Save it again as CSV UTF-8 and send it again."
        ) from exc
    except csv.Error as exc:
        raise UnreadableFile(f"{filename} cannot be read as CSV near line {reader.line_num}: {exc}.") from exc


def _bounded_lines(handle: io.TextIOBase, filename: str) -> Iterator[str]:
    """The file's lines, refusing one longer than any row of leads (a binary or a one-line dump would
    otherwise go whole to the csv module and into a cell), and NUL bytes, which no text of leads has (the
    csv module takes them since Python 3.11, and they would land in the leads). A few KB of lines are
    checked at once (the reading is on the one process every row of a big file passes through:
    core/check_workers.py); a block with a bad line gives the lines before it first, so that a bad line
    past the row after last_row (which is read to stop) is never looked at."""
    number = 0
    while lines := handle.readlines(_BLOCK_CHARS):
        if max(map(len, lines)) <= _MAX_LINE and "\x00" not in "".join(lines):
            yield from lines
            number += len(lines)
            continue
        for line in lines:
            number += 1
            if len(line) > _MAX_LINE:
                raise UnreadableFile(f"{filename} has a line of {len(line) / 1024**2:.1f} MB at line {number}: it "
                                     "is not a table of leads. Save it as CSV or Excel and send it again.")
            if "\x00" in line:
                raise UnreadableFile(f"{filename} has a NUL byte at line {number}: it is not a text file, or it is "
                                     "damaged. Save it again as CSV UTF-8 and send it again.")
            yield line


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (>1) of fields most often.

    Space (seed 002's 1C files) is only considered when no other delimiter splits the lines
    consistently, since names and addresses are full of spaces.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may have cut the last line short
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        score = _consistency(lines, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score[0] < 0.9 and _consistency(lines, " ") > best_score:
        return " "
    return best


def _consistency(lines: list[str], delimiter: str) -> tuple[float, int]:
    """(share of lines with the most common field count, that count); (0, 0) when it is below 2."""
    if delimiter == " ":
        lines = [line.strip() for line in lines]  # runs of spaces align columns: they are one gap
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=delimiter == " ")
    try:
        widths = [len(row) for row in reader]
    except csv.Error:  # a field past the csv module's limit when split this way: not this delimiter
        return 0.0, 0
    if not widths:
        return 0.0, 0
    common = max(set(widths), key=widths.count)
    if common < 2:
        return 0.0, 0
    return widths.count(common) / len(widths), common

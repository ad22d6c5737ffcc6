"""Any supported file on disk, opened as a Table of numbered rows: the reader its contents call for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from leadimport.core.read.csv_reader import read_csv
from leadimport.core.read.sniff import FileKind, sniff
from leadimport.core.read.table import ReadOptions, Table
from leadimport.core.read.workbook_reader import read_workbook
from leadimport.errors import UnreadableFile

_READERS: dict[FileKind, Callable[[Path, str, ReadOptions], Table]] = {
    FileKind.TEXT: read_csv,
    FileKind.WORKBOOK: read_workbook,
}


def read_table(path: Path, filename: str, options: ReadOptions | None = None) -> Table:
    """Open any supported file as a Table; a file that is not one raises UnreadableFile."""
    options = options or ReadOptions()
    kind = sniff(path, filename)
    if options.sheet_export and kind is not FileKind.TEXT:
        raise UnreadableFile(f"{filename} is not the add-on's upload of a sheet (a CSV with each row's number). "
                             "Import the range again from the sidebar.")
    return _READERS[kind](path, filename, options)

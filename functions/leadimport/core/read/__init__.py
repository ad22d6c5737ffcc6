"""The read stage: a file on disk becomes a Table of numbered rows, whatever its format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from leadimport.core.read.csv_reader import read_csv
from leadimport.core.read.sniff import FileKind, sniff
from leadimport.core.read.table import ReadOptions, SheetRow, Table
from leadimport.core.read.workbook_reader import read_workbook

_READERS: dict[FileKind, Callable[[Path, str, ReadOptions], Table]] = {
    FileKind.TEXT: read_csv,
    FileKind.WORKBOOK: read_workbook,
}


def read_table(path: Path, filename: str, options: ReadOptions | None = None) -> Table:
    """Open any supported file as a Table; a file that is not one raises UnreadableFile."""
    return _READERS[sniff(path, filename)](path, filename, options or ReadOptions())


__all__ = ["ReadOptions", "SheetRow", "Table", "read_table"]

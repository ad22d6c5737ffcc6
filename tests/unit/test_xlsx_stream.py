"""The streaming xlsx reader gives exactly the rows calamine gives, on every sheet of every corpus workbook."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import python_calamine

from leadimport.core.read.table import ReadOptions
from leadimport.core.read.workbook_reader import read_workbook
from leadimport.errors import UnreadableFile

NEVER = 1 << 62


def _table(path: Path, sheet: str | None, stream_from: int) -> tuple:
    try:
        table = read_workbook(path, path.name, ReadOptions(sheet=sheet), stream_from=stream_from)
        return (table.columns, table.header_row, table.letters, [(r.number, r.values) for r in table.rows],
                [note.render("en") for note in table.notes])
    except UnreadableFile:
        return ("unreadable",)


def _sheets(corpus: Path) -> list[tuple[Path, str | None]]:
    found = []
    for path in sorted([*corpus.rglob("*.xlsx"), *corpus.rglob("*.xlsm")]):
        try:
            names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        except BaseException:  # calamine panics too: such a file is compared as unreadable
            names = [None]
        found += [(path, name) for name in names]
    return found


def test_streamed_sheets_read_as_calamine_reads_them(corpus: Path) -> None:
    sheets = _sheets(corpus)
    assert len(sheets) > 100
    differ = [f"{path.name}:{sheet}" for path, sheet in sheets
              if _table(path, sheet, stream_from=0) != _table(path, sheet, stream_from=NEVER)]
    assert differ == []


@pytest.mark.parametrize("date1904", [False, True])
def test_dates_times_and_durations_typed_as_calamine_types_them(tmp_path: Path, date1904: bool) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.epoch = __import__("openpyxl").utils.datetime.CALENDAR_MAC_1904 if date1904 else book.epoch
    sheet = book.active
    sheet.append(["value", "format"])
    formats = ["h:mm", "yyyy-mm-dd h:mm", "dd/mm/yyyy", "[h]:mm:ss", "0.00", "General", "mm:ss", "d-mmm",
               '"Fecha: "dd/mm/yyyy', "[Red]0.00", "#,##0.00 [$€-1]", "[$-409]mmmm d, yyyy", "0.00%;[Red]-0.00%"]
    values = [0.5, 45000.25, 45000, 1.5, 45000, 45000, 0.75, 45000, 59, 60, 61, 1e-9, 2958466, -1, 0, 12.3456789]
    for value in values:
        for fmt in formats:
            cell = sheet.cell(sheet.max_row + 1, 1, value)
            cell.number_format = fmt
            sheet.cell(cell.row, 2, fmt)
    path = tmp_path / "formats.xlsx"
    book.save(path)
    assert _table(path, None, stream_from=0) == _table(path, None, stream_from=NEVER)


def test_damaged_workbooks_fail_clearly_on_the_stream_path_too(tmp_path: Path) -> None:
    """A cut or scrambled archive opened for streaming either reads or says it cannot: never a crash."""
    import io
    import random

    from openpyxl import Workbook

    rng = random.Random(5)
    for attempt in range(300):
        book = Workbook()
        for _ in range(rng.randint(0, 8)):
            book.active.append([rng.choice(["a", 1, 2.5, None, "x@y.com"]) for _ in range(rng.randint(0, 5))])
        out = io.BytesIO()
        book.save(out)
        data = bytearray(out.getvalue()[: max(rng.randint(0, 5000), 30)])
        for _ in range(5):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"damaged-{attempt}.xlsx"
        path.write_bytes(bytes(data))
        with contextlib.suppress(UnreadableFile):
            list(read_workbook(path, path.name, ReadOptions(), stream_from=0).rows)

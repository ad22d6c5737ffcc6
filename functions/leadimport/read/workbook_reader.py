"""Excel and OpenDocument workbooks through python-calamine (cached formula values, no macros)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import python_calamine

from leadimport.errors import UnreadableFile
from leadimport.read.table import ReadOptions, Table, cell_text, frame_rows


def read_workbook(path: Path, filename: str, options: ReadOptions) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken format
        raise UnreadableFile(f"{filename} is a damaged or unsupported spreadsheet: {exc}.") from exc
    names = workbook.sheet_names
    if options.sheet is not None:
        if options.sheet not in names:
            raise UnreadableFile(
                f"{filename} has no sheet named {options.sheet!r}; its sheets are: {', '.join(names)}."
            )
        sheet_name = options.sheet
    else:
        visible = [meta.name for meta in workbook.sheets_metadata if _is_visible_worksheet(meta)]
        if not visible:
            raise UnreadableFile(f"{filename} has no worksheet to read.")
        sheet_name = visible[0]  # the first sheet, as people expect (seed 000)
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
    except Exception as exc:
        raise UnreadableFile(f"Sheet {sheet_name!r} of {filename} cannot be read: {exc}.") from exc
    table = frame_rows(_numbered(sheet, filename), options, sheet=sheet_name)
    if len(names) > 1 and options.sheet is None:
        table.notes.append(f"read sheet {sheet_name!r} of {len(names)}")
    return table


def _numbered(sheet: python_calamine.CalamineSheet, filename: str) -> Iterator[tuple[int, list[str]]]:
    # iter_rows starts at the sheet's first row, so enumerate gives the numbers Excel shows
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield number, [cell_text(value) for value in cells]
    except Exception as exc:  # a damaged part of the workbook surfaces only while iterating
        raise UnreadableFile(f"{filename} is damaged and cannot be read to the end: {exc}.") from exc


def _is_visible_worksheet(meta: python_calamine.SheetMetadata) -> bool:
    return meta.typ == python_calamine.SheetTypeEnum.WorkSheet and meta.visible == (
        python_calamine.SheetVisibleEnum.Visible
    )

"""Every regular expression that reads what strangers send runs in time linear in its input, or on a
capped value. Each case below took seconds to hours with the pattern it replaced (measured in the
security review: three 16 KB cells of 'a.' pairs took 4.3 s; a 1 KB xlsx, 2.2 s); each must now take
a small fraction of a second at sizes where the old patterns took many seconds."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from leadimport.core.mapping.headers import match_header
from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.read.xlsx_stream import StreamedWorkbook
from leadimport.inbound.options import options_from_mail
from leadimport.inbound.sender_proof import _parse

BUDGET = 1.0  # seconds; the old patterns took from 5 s to hours on these inputs


def _sheet(tmp_path: Path, sheet_xml: bytes) -> Path:
    path = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                         '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                         '</Relationships>')
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def _scan(path: Path) -> object:
    book = StreamedWorkbook(path)
    return book.scan(book.sheets[0])


CASES: dict[str, Callable[[Path], object]] = {
    # an email-like cell whose domain is all dots, three times in a sampled column (14.8 s a cell at 100 KB)
    "email_cells": lambda _: suggest_mapping(["Dato"], [["a@" + "a." * 50_000 + "@"]] * 3),
    # a sheet of '<c ' with no '>', scanned for merged cells and the first column (10 s at 64 K)
    "cell_tags": lambda tmp: _scan(_sheet(tmp, b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                                              b'2006/main"><sheetData>' + b"<c " * 100_000 + b"/></sheetData>"
                                              b"</worksheet>")),
    # a column name of a long run of spaces, through the add-on's suggest_mapping (19 s at 64 K)
    "header_spaces": lambda _: match_header("a" + " " * 64_000 + "b"),
    # an option line ending in a long run of spaces, in a proven sender's email (9.9 s at 64 K)
    "option_line": lambda _: options_from_mail("", "note: a" + " " * 64_000 + "b"),
    # an Authentication-Results of one long word, read before the sender is proven
    "auth_results": lambda _: _parse("mx; " + "a" * 100_000),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_costs_linear_time(case: str, tmp_path: Path) -> None:
    start = time.perf_counter()
    CASES[case](tmp_path)
    assert time.perf_counter() - start < BUDGET, case

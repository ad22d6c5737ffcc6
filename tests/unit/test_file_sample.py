"""The sidebar's "Import a file": a file's sample read in suggest_mapping, a small function serving several
people at once, so only what the sidebar offers (xlsx, csv) is read, by streaming readers, within bounds."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadimport.api.file_sample import PREVIEW_ROWS, read_sample
from leadimport.core.calamine_child import CalamineChild
from leadimport.errors import UnreadableFile


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_gives_its_columns_and_first_rows_as_the_import_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_child(*_: object, **__: object) -> None:
        raise AssertionError("calamine's child process ran in suggest_mapping")

    monkeypatch.setattr(CalamineChild, "__init__", no_child)
    rows = [["Informe de la feria"], ["Nombre", "Correo", "Teléfono"]]
    rows += [[f"Persona {i}", f"p{i}@feria.ec", f"09912345{i:02d}"] for i in range(150)]
    sample = read_sample("Feria.xlsx", b64(xlsx(rows)), None)
    assert (sample["header_row"], sample["columns"]) == (2, ["Nombre", "Correo", "Teléfono"])
    assert len(sample["rows"]) == PREVIEW_ROWS and sample["rows"][0] == {
        "row": 3, "values": ["Persona 0", "p0@feria.ec", "0991234500"]}


def test_a_csv_sample_is_read_like_any_csv() -> None:
    sample = read_sample("leads.csv", b64(b"Nombre;Correo\nAna;ana@x.ec\n"), None)
    assert (sample["columns"], sample["rows"]) == (["Nombre", "Correo"], [{"row": 2, "values": ["Ana", "ana@x.ec"]}])


def test_a_file_the_person_says_has_no_header_is_all_rows() -> None:
    sample = read_sample("leads.csv", b64(b"Ana;ana@x.ec\nLuis;luis@x.ec\n"), None, no_header=True)
    assert (sample["columns"], sample["header_row"], [r["row"] for r in sample["rows"]]) == (
        ["Column A", "Column B"], 0, [1, 2])


@pytest.mark.parametrize("name", ["any_sheets.xls", "any_sheets.ods", "any_sheets.xlsb"])
def test_workbooks_the_sidebar_does_not_offer_are_refused_unread(corpus: Path, name: str) -> None:
    data = (corpus / "calamine-tests" / name).read_bytes()
    with pytest.raises(UnreadableFile, match=r"not an \.xlsx workbook"):
        read_sample(name, b64(data), None)


def test_an_xlsx_that_unpacks_past_what_its_size_holds_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx([["Nombre"], ["Ana"]]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        bomb.writestr("xl/padding.xml", b" " * (30 * 1024 * 1024))  # 30 MB of spaces: a few KB packed
    assert len(out.getvalue()) < 200_000
    with pytest.raises(UnreadableFile, match="unpacks to more than a file this size holds"):
        read_sample("x.xlsx", b64(out.getvalue()), None)


@pytest.mark.parametrize(("content", "reason"), [("not base64!", "did not arrive whole"),
                                                 (b64(b"%PDF-1.4 leads"), "is a PDF")])
def test_a_broken_or_foreign_file_says_why(content: str, reason: str) -> None:
    with pytest.raises(UnreadableFile, match=reason):
        read_sample("leads.xlsx", content, None)

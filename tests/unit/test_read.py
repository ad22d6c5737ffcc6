"""The read stage against our own fixtures and other projects' test files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadimport.errors import UnreadableFile
from leadimport.read import ReadOptions, read_table


def rows_of(path: Path, options: ReadOptions | None = None) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    table = read_table(path, path.name, options)
    return table.columns, [(r.number, r.values) for r in table.rows]


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parents[3] / "shared/corpus/csv-spectrum/csvs")
                                        .glob("*.csv") if p.stem != "location_coordinates"))
def test_csv_spectrum(corpus: Path, name: str) -> None:
    expected = json.loads((corpus / "csv-spectrum/json" / f"{name}.json").read_text())
    path = corpus / "csv-spectrum/csvs" / f"{name}.csv"
    if not expected:
        with pytest.raises(UnreadableFile):
            rows_of(path)
        return
    columns, rows = rows_of(path)
    assert columns == list(expected[0].keys())
    # our reader trims cells (a person's spaces are noise), so compare trimmed values
    assert [dict(zip(columns, values, strict=True)) for _, values in rows] == [
        {k: v.strip() for k, v in record.items()} for record in expected
    ]


def test_csv_semicolon_with_bom_keeps_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes("\ufeffNombre;Correo\r\nAna;ana@x.ec\r\n;\r\n\r\nLuis;luis@x.ec\r\n".encode())
    columns, rows = rows_of(path)
    assert columns == ["Nombre", "Correo"]
    assert rows == [(2, ("Ana", "ana@x.ec")), (5, ("Luis", "luis@x.ec"))]  # blank rows skipped, not renumbered


def test_csv_quoted_newline_keeps_record_on_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('name,notes\nAna,"line one\nline two"\nLuis,ok\n')
    _, rows = rows_of(path)
    assert rows == [(2, ("Ana", "line one\nline two")), (4, ("Luis", "ok"))]


@pytest.mark.parametrize("folder", ["windows-1251-russian", "utf-8", "utf-8-sig", "UTF-16"])
def test_chardet_samples_decode_to_readable_text(corpus: Path, tmp_path: Path, folder: str) -> None:
    for sample in (corpus / "chardet-encoding-samples" / folder).iterdir():
        target = tmp_path / sample.name
        target.write_bytes(sample.read_bytes())
        table = read_table(target, sample.name)
        text = " ".join(table.columns) + " ".join(" ".join(r.values) for r in table.rows)
        assert "\ufffd" not in text
        if "russian" in folder or "russian" in sample.name:
            assert any("\u0400" <= ch <= "\u04ff" for ch in text), sample.name


def test_latin1_csv_from_corpus(corpus: Path) -> None:
    columns, rows = rows_of(corpus / "CharlesNepote-CSV-test-files/CSV-basic-ISO-8859-1.LF.csv")
    assert any("Hélène" in " ".join(values) for _, values in rows) or "Hélène" in " ".join(columns)


def test_xlsx_header_below_notes(corpus: Path) -> None:
    columns, rows = rows_of(corpus / "calamine-tests/header-row.xlsx", ReadOptions(header_row=9))
    assert columns == ["Columns", "Column A", "Column B", "Column C"]
    assert rows == [(10, ("put data here", "1", "2", "3"))]


def test_xlsx_formula_cached_values(corpus: Path) -> None:
    _, rows = rows_of(corpus / "openpyxl-testdata/formulae.xlsx")
    assert [values[0] for _, values in rows[:4]] == ["12345", "12345", "24690", "49380"]


def test_xlsx_dates_and_1904_system(corpus: Path) -> None:
    for name in ("date_1900.xlsx", "date_1904.xlsx"):
        table = read_table(corpus / "openpyxl-testdata" / name, name)
        assert table.columns[0].startswith("2011-10-31"), name


@pytest.mark.parametrize(("name", "words"), [
    ("openpyxl-testdata/null_file.xlsx", "empty"),
    ("openpyxl-testdata/null_archive.xlsx", "not a spreadsheet"),
    ("calamine-tests/pass_protected.xlsx", "password"),
])
def test_unreadable_workbooks_say_why(corpus: Path, name: str, words: str) -> None:
    with pytest.raises(UnreadableFile, match=words):
        read_table(corpus / name, Path(name).name)


def test_truncated_xlsx_and_pdf_are_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Email"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:300])
    with pytest.raises(UnreadableFile, match="damaged"):
        read_table(broken, "broken.xlsx")
    pdf = tmp_path / "leads.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n...")
    with pytest.raises(UnreadableFile, match="PDF"):
        read_table(pdf, "leads.xlsx")


def test_xlsx_numbers_keep_phone_digits(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Phone", "Id"])
    sheet.append([593991234567, 1712345678.0])
    sheet.append([None, None])
    sheet.append(["0991234567", "x"])
    path = tmp_path / "phones.xlsx"
    book.save(path)
    _, rows = rows_of(path)
    assert rows == [(2, ("593991234567", "1712345678")), (4, ("0991234567", "x"))]


def test_first_and_last_row_limits(tmp_path: Path) -> None:
    path = tmp_path / "range.csv"
    path.write_text("email\n" + "".join(f"u{i}@x.com\n" for i in range(2, 12)))
    _, rows = rows_of(path, ReadOptions(first_row=4, last_row=6))
    assert [n for n, _ in rows] == [4, 5, 6]

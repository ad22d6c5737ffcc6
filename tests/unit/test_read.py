"""The read stage against our own fixtures and other projects' test files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions
from leadimport.errors import UnreadableFile


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


def test_a_file_without_a_header_row_is_all_data_its_columns_named_by_letter(tmp_path: Path) -> None:
    """Sperant's "Fila inicial: 1": nothing is taken for column names, not even a first row of labels."""
    path = tmp_path / "sin_encabezado.csv"
    path.write_text("Ana,Paz,ana@x.ec\nLuis,Mora,luis@x.ec,0991234567\n\nEva,Sol,eva@x.ec\n")
    columns, rows = rows_of(path, ReadOptions(no_header=True, known_header=lambda _: True))
    assert columns == ["Column A", "Column B", "Column C", "Column D"]
    assert rows == [(1, ("Ana", "Paz", "ana@x.ec", "")), (2, ("Luis", "Mora", "luis@x.ec", "0991234567")),
                    (4, ("Eva", "Sol", "eva@x.ec", ""))]
    book = Workbook()
    book.active.append(["Nombre", "Correo"])  # labels, but the person said the file has no header
    book.active.append(["Ana", "ana@x.ec"])
    book.save(tmp_path / "sin_encabezado.xlsx")
    columns, rows = rows_of(tmp_path / "sin_encabezado.xlsx", ReadOptions(no_header=True))
    assert columns == ["Column A", "Column B"] and [n for n, _ in rows] == [1, 2]


def test_blank_rows_of_a_headerless_file_are_blank_rows_not_a_repeated_header(tmp_path: Path) -> None:
    """Its stand-in header is blank names: a blank row past the first rows must not match it."""
    path = tmp_path / "sin_encabezado.csv"
    path.write_text("".join(f"Ana{i},a{i}@x.ec\n" for i in range(60)) + "\n,\nLuis,l@x.ec\n")
    table = read_table(path, path.name, ReadOptions(no_header=True))
    assert [r.number for r in table.rows][-2:] == [60, 63]
    assert "repeated_header" not in [n.code for n in table.notes]


def test_values_right_of_the_last_column_are_said(tmp_path: Path) -> None:
    """A headerless file's width comes from its first rows; a later, wider row's extra values are not
    imported, and the job's notes say which rows had them (so does a row wider than its header)."""
    path = tmp_path / "ancho.csv"
    path.write_text("".join(f"Ana{i},a{i}@x.ec\n" for i in range(40)) + "Luis,l@x.ec,nota importante\n")
    table = read_table(path, path.name, ReadOptions(no_header=True))
    assert [r.number for r in table.rows][-1] == 41 and table.columns == ["Column A", "Column B"]
    assert [(n.code, n.params) for n in table.notes if n.code == "values_past_columns"] == [
        ("values_past_columns", {"rows": "41"})]
    path.write_text("Nombre,Correo\nAna,a@x.ec,extra\nLuis,l@x.ec\n")
    table = read_table(path, path.name)
    assert [r.values for r in table.rows] == [("Ana", "a@x.ec"), ("Luis", "l@x.ec")]
    assert [n.params for n in table.notes if n.code == "values_past_columns"] == [{"rows": "2"}]


@pytest.mark.parametrize(("name", "header_row", "first_column"), [
    ("calamine-tests/header-row.xlsx", 9, "Columns"),  # notes above the header
    ("csvkit-examples/examples/test_skip_lines.xlsx", 4, "text"),  # three junk rows
    ("csvkit-examples/examples/test_skip_lines.csv", 4, "a"),
])
def test_header_row_found_under_titles_and_blank_rows(corpus: Path, name: str, header_row: int,
                                                      first_column: str) -> None:
    table = read_table(corpus / name, Path(name).name, ReadOptions(known_header=None))
    assert (table.header_row, table.columns[0]) == (header_row, first_column)
    assert next(table.rows).number == header_row + 1


def test_title_row_with_several_cells_loses_to_known_header_names(tmp_path: Path) -> None:
    from leadimport.core.mapping.headers import is_known_header

    path = tmp_path / "export.csv"
    path.write_text("Empresa:,Inmobiliaria Sol,Usuario:,Ana\n\nNombres,Apellidos,Correo,Celular\nAna,Paz,a@x.ec,099\n")
    table = read_table(path, path.name, ReadOptions(known_header=is_known_header))
    assert (table.header_row, table.columns) == (3, ["Nombres", "Apellidos", "Correo", "Celular"])


def test_a_header_naming_one_field_twice_under_a_title_is_still_the_header(tmp_path: Path) -> None:
    """'Nombre, Correo, Correo' names columns (two emails): only a row repeating one word is a banner."""
    from leadimport.core.mapping.headers import is_known_header

    path = tmp_path / "feria.csv"
    path.write_text("Reporte de leads - Feria,,,\nNombre,Correo,Correo,Teléfono\nAna,a@x.ec,b@x.ec,0991234567\n")
    table = read_table(path, path.name, ReadOptions(known_header=is_known_header))
    assert (table.header_row, table.columns) == (2, ["Nombre", "Correo", "Correo (2)", "Teléfono"])
    path.write_text("Feria,Feria,Feria\nNombre,Correo,Teléfono\nAna,a@x.ec,0991234567\n")  # a merged banner
    assert read_table(path, path.name, ReadOptions(known_header=is_known_header)).header_row == 2


def test_merged_header_and_data_cells_show_their_value(corpus: Path, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([None, None])  # the data start in column B of row 2
    sheet["B2"], sheet["C2"], sheet["E2"] = "Empresa", "Teléfono", "Correo"
    sheet.merge_cells("C2:D2")  # one header over two phone columns
    sheet.append([None, "Andes", "0991234567", "022345678", "a@andes.ec"])
    sheet.append([None, None, "0991234568", None, "b@andes.ec"])
    sheet.merge_cells("B3:B4")  # one company over two contacts
    path = tmp_path / "merged.xlsx"
    book.save(path)
    table = read_table(path, path.name)
    assert (table.columns, table.letters) == (["Empresa", "Teléfono", "Teléfono (2)", "Correo"], ["B", "C", "D", "E"])
    assert [r.values for r in table.rows] == [("Andes", "0991234567", "022345678", "a@andes.ec"),
                                              ("Andes", "0991234568", "", "b@andes.ec")]
    _, rows = rows_of(corpus / "calamine-tests/merge_cells.xls")
    assert rows[0] == (2, ("Column Merge", "Chunk Merged", "Chunk Merged"))


@pytest.mark.parametrize("folder", ["IBM866", "KOI8-R", "MacCyrillic", "windows-1251-russian", "UTF-16LE"])
def test_cyrillic_code_pages_and_bomless_utf16(corpus: Path, tmp_path: Path, folder: str) -> None:
    from leadimport.core.read.text_encoding import SAMPLE_BYTES, detect_encoding

    expected = {"IBM866": "cp866", "KOI8-R": "koi8_r", "MacCyrillic": "mac_cyrillic",
                "windows-1251-russian": "cp1251", "UTF-16LE": "utf-16-le"}[folder]
    for sample in (corpus / "chardet-encoding-samples" / folder).iterdir():
        assert detect_encoding(sample.read_bytes()[:SAMPLE_BYTES]) == expected, sample.name


def test_space_delimited_1c_text_in_cp1251(tmp_path: Path) -> None:
    path = tmp_path / "clients.txt"
    path.write_bytes('Наименование Телефон "Эл. почта"\n"Петров Пётр"   +79161234567 p@x.ru\n'.encode("cp1251"))
    columns, rows = rows_of(path)
    assert columns == ["Наименование", "Телефон", "Эл. почта"]
    assert rows == [(2, ("Петров Пётр", "+79161234567", "p@x.ru"))]


def test_comma_wins_over_space_when_names_have_spaces(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Full Name,Email\nAna María Paz,a@x.com\nLuis Paz,l@x.com\n")
    assert rows_of(path)[0] == ["Full Name", "Email"]


def test_sheet_chosen_by_name_or_number_and_numbers_files_refused(tmp_path: Path) -> None:
    import zipfile

    book = Workbook()
    book.active.append(["Email"])
    second = book.create_sheet("Prospectos")
    second.append(["Correo"])
    second.append(["a@x.ec"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_table(path, "two.xlsx", ReadOptions(sheet="2")).columns == ["Correo"]
    assert read_table(path, "two.xlsx", ReadOptions(sheet="Prospectos")).sheet == "Prospectos"
    numbers = tmp_path / "leads.numbers"
    with zipfile.ZipFile(numbers, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00")
    with pytest.raises(UnreadableFile, match="Export To > Excel"):
        read_table(numbers, "leads.numbers")


@pytest.mark.parametrize(("name", "columns", "first"), [
    ("odoo-base_import/tests/test.ods", ["name", "Some Value", "Counter"], ("foo", "1", "2")),
    ("calamine-tests/date.xls", ["2021-01-01", "15"], ("2021-01-02", "16")),
    ("calamine-tests/date_1904.xlsb", ["2021-01-01", "15"], ("2021-01-02", "16")),
])
def test_ods_xls_and_xlsb_are_read(corpus: Path, name: str, columns: list[str], first: tuple[str, ...]) -> None:
    got_columns, rows = rows_of(corpus / name)
    assert (got_columns, rows[0][1]) == (columns, first)


def test_repeated_header_rows_are_skipped_and_said(tmp_path: Path) -> None:
    path = tmp_path / "joined.csv"
    path.write_text("Nombre,Correo\nAna,a@x.ec\nNombre,Correo\nLuis,l@x.ec\n")
    table = read_table(path, path.name)
    assert [(r.number, r.values) for r in table.rows] == [(2, ("Ana", "a@x.ec")), (4, ("Luis", "l@x.ec"))]
    assert table.notes[-1].render("en") == "Rows repeating the column names were not imported: 3"
    assert table.notes[-1].render("es") == "No se importaron las filas que repiten los nombres de columna: 3"

"""The contract between the two languages: the CSV the add-on's own code builds of a sheet (run in Node,
addon/test/export_sheet.js, against the Apps Script fakes) is read by the backend's own reader, and every
row number and value comes back as the person sees it in the sheet."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from addon_upload import date, sheet_upload
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions
from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import UnreadableFile

# Guayaquil is UTC-5 all year: midnight there is 05:00Z
SHEET: dict[str, Any] = {
    "timeZone": "America/Guayaquil",
    "rows": [
        ["Feria Quito 2026 — leads de la feria", "", "", "", "", "", "", "", "", ""],
        ["Nombre", "Correo", "", "Teléfono", "Teléfono", "Cédula", "Alta", "Notas", "Empresa", "Total"],
        ["José Ñúñez", "jose@sol.ec", "x", 593991234567, "+593 99 765 4321", 912345678, date("2026-03-05T05:00:00Z"),
         'Línea 1\nLínea 2, con coma y "comillas"', "Sol, S.A.", 1234.5],
        ["Иванов Иван Иванович", "ivan@x.ru", "", "", "", "", date("2026-03-05T19:30:00Z"),
         "Многострочная\r\nзаметка", "", "#N/A"],
        ["Oculto", "oculto@x.ec", "", "", "", "", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", ""],
        ["  Émilie Dupont  ", "EMILIE@X.FR", "", 7, "", "", "", "=no es fórmula", "", ""],
    ],
    "extras": {
        "display": {"3:6": "0912345678", "3:10": "$1.234,50", "7:4": "007"},
        "formulas": {"3:10": "=SUM(K3:M3)", "4:10": "=VLOOKUP(A4,Precios!A:B,2,0)"},
        "merges": [[3, 9, 2, 1]],  # I3:I4: one company for both rows, as the person sees it
        "hidden": [5],
    },
    # a date and an amount go as values, the rest as shown; hidden rows left out
    "settings": {"headerRow": 2, "visibleOnly": True, "valueColumns": ["G", "J"],
                 "mapping": {"A": "full_name", "B": "email", "D": "phone", "E": "phone_2", "F": "id_number",
                             "G": "birth_date", "H": "notes", "I": "company", "J": "expected_revenue"}},
}


def export(tmp_path: Path, sheet: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    data, result = sheet_upload(sheet["rows"], sheet["settings"], sheet["timeZone"], sheet["extras"])
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    return path, result


def test_the_add_ons_csv_reads_back_as_the_sheet_holds_it(tmp_path: Path) -> None:
    path, result = export(tmp_path, SHEET)
    assert (result["rows"], result["hidden"], result["formulaErrors"]) == (3, 1, 1)
    table = read_table(path, "Feria 2026 - Leads", ReadOptions(header_row=2, sheet_export=True))
    # a blank header is named by its letter, a repeated one numbered: each still its own column
    assert table.columns == ["Nombre", "Correo", "Column C", "Teléfono", "Teléfono (2)", "Cédula", "Alta", "Notas",
                             "Empresa", "Total"]
    assert table.letters == list("ABCDEFGHIJ")
    rows = {row.number: row for row in table.rows}
    assert list(rows) == [3, 4, 7]  # the sheet's own numbers: a multi-line cell shifts nothing, row 5 hidden
    assert rows[3].values == ("José Ñúñez", "jose@sol.ec", "x", "593991234567", "+593 99 765 4321", "0912345678",
                              "2026-03-05", 'Línea 1\nLínea 2, con coma y "comillas"', "Sol, S.A.", "1234.5")
    assert rows[4].values == ("Иванов Иван Иванович", "ivan@x.ru", "", "", "", "", "2026-03-05 14:30:00",
                              "Многострочная\r\nзаметка", "Sol, S.A.", "")
    assert rows[4].formula_errors == (("J", "#N/A"),)  # sent empty and named, never imported as text
    assert rows[7].values == ("Émilie Dupont", "EMILIE@X.FR", "", "007", "", "", "", "=no es fórmula", "", "")
    assert rows[3].formula_errors == rows[7].formula_errors == ()


def test_a_mapping_by_letter_keeps_blank_and_repeated_headers_and_warns_of_formula_errors(tmp_path: Path) -> None:
    path, _ = export(tmp_path, SHEET)
    table = read_table(path, "x", ReadOptions(header_row=2, sheet_export=True))
    options = ImportOptions(mapping=SHEET["settings"]["mapping"], mapping_by="letter", header_row=2)
    plan = TablePlan(table, options, TenantConfig(name="Sol", default_region="EC", locale="es"))
    assert {m.column: m.field for m in plan.mapping if m.field} == {
        "Nombre": "full_name", "Correo": "email", "Teléfono": "phone", "Teléfono (2)": "phone_2",
        "Cédula": "id_number", "Alta": "birth_date", "Notas": "notes", "Empresa": "company",
        "Total": "expected_revenue"}
    checked = {row.number: validated for chunk in plan.chunks() for row, validated in chunk}
    warning = next(w for w in checked[4].warnings if w.code == "formula_error")
    assert (warning.cell, warning.column, warning.field) == ("J4", "Total", "expected_revenue")
    assert warning.message == "J4 muestra el error de fórmula #N/A: se deja vacío"
    assert checked[3].fields["phone"] == "+593991234567" and checked[3].fields["company"] == "Sol, S.A."


def test_the_same_rows_as_a_plain_csv_would_come_back_shifted(tmp_path: Path) -> None:
    """Why the records carry their numbers: the cells alone, counted by line, put row 4's status on row 4 of
    the file, which is not the person's row 4 (the add-on before this contract sent exactly that)."""
    path, _ = export(tmp_path, SHEET)
    with path.open(encoding="utf-8", newline="") as handle:
        records = [record[2:] for record in csv.reader(handle)]
    plain = tmp_path / "plain.csv"
    with plain.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    assert [row.number for row in read_table(plain, "plain.csv", ReadOptions(header_row=1)).rows] == [2, 4, 6]


def test_a_file_that_is_not_the_add_ons_export_is_refused_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Nombre,Correo\nAna,ana@x.ec\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="not the add-on's upload of a sheet"):
        list(read_table(path, "x.csv", ReadOptions(header_row=1, sheet_export=True)).rows)


@pytest.mark.parametrize("number", ["9" * 5000, "10000001", "-3", "2"])
def test_row_numbers_past_any_sheets_or_out_of_order_are_refused_with_the_reason(tmp_path: Path, number: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"2,,Nombre,Correo\n3,,Ana,ana@x.ec\n{number},,Luis,luis@x.ec\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="does not start with a row number after 3"):
        list(read_table(path, "x.csv", ReadOptions(header_row=2, sheet_export=True)).rows)


def test_the_first_record_is_the_header_and_an_unnamed_last_column_is_still_a_column(tmp_path: Path) -> None:
    """A notes column with no header, last in the sheet: the upload sends it, so the mapping may name it."""
    data, _ = sheet_upload([["Nombre", "Correo", ""], ["Ana", "ana@x.ec", "llamar el lunes"]], {"headerRow": 1})
    path = tmp_path / "upload.csv"
    path.write_bytes(data)
    table = read_table(path, "x", ReadOptions(header_row=1, sheet_export=True))
    assert table.columns == ["Nombre", "Correo", "Column C"]
    options = ImportOptions(mapping={"A": "full_name", "B": "email", "C": "notes", "D": None}, mapping_by="letter")
    plan = TablePlan(table, options, TenantConfig(name="Sol", default_region="EC", locale="es"))
    checked = [validated for chunk in plan.chunks() for _, validated in chunk]
    assert checked[0].fields["notes"] == "llamar el lunes"  # and D, mapped to nothing, is no refusal
    with pytest.raises(UnreadableFile, match="not at its header row 2"):
        read_table(path, "x", ReadOptions(header_row=2, sheet_export=True))

"""Error files and templates: what a person downloads, fixes and sends again."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from werkzeug.http import parse_options_header

from leadimport.api.bodies import SheetSource
from leadimport.core.mapping.catalog import TEMPLATES
from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.models import Counts, ImportOptions, RowIssue, RowResult
from leadimport.core.read.table import SheetRow
from leadimport.core.tenant_config import TenantConfig, TenantUser
from leadimport.core.validate.email_typos import suggested_address
from leadimport.core.validate.row import RowValidator
from leadimport.report import error_files, notify
from leadimport.report.mail.compose import ReportContent, compose
from leadimport.report.notify import attachment_disposition
from leadimport.report.results import JobReport
from leadimport.report.templates import build_template


def _report() -> JobReport:
    report = JobReport(job_id="j", filename="f.csv", columns=["Nombre", "Correo"], locale="es")
    report.add(RowResult(row=2, status="created", lead_id="x"), ("Ana", "a@x.ec"))
    issue = RowIssue(field="email", column="Correo", cell="B3", code="invalid_email", message="'=1+2' no es válido")
    report.add(RowResult(row=3, status="error", errors=[issue]), ("=HYPERLINK(\"http://evil\")", "=1+2\x1f"))
    return report


def test_error_files_neutralise_formulas_and_speak_the_tenants_language() -> None:
    report = _report()
    rows = list(csv.reader(io.StringIO(error_files.errors_csv(report).decode("utf-8-sig"))))
    assert rows[0] == ["Lead Import: fila", "Nombre", "Correo", "Lead Import: estado", "Lead Import: errores"]
    assert rows[1][:3] == ["3", "'=HYPERLINK(\"http://evil\")", "'=1+2\x1f"]
    sheet = load_workbook(io.BytesIO(error_files.errors_xlsx(report))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][:3] == [3, "=HYPERLINK(\"http://evil\")", "=1+2"]  # text, not formulas
    assert all(c.data_type == "s" for c in list(sheet.iter_rows())[1][1:])
    assert error_files.errors_text(report) == "Fila 3, columna B (Correo): '=1+2' no es válido [invalid_email]\n"


def test_templates_map_back_exactly_and_mark_required_columns() -> None:
    tenant = TenantConfig(name="Sol", users=[{"email": "a@sol.ec", "name": "Ana"}], labels={"source": ["Urbania"]})
    for kind in ("person", "company"):
        for locale in ("en", "es", "fr", "ru", "pt"):
            book = load_workbook(io.BytesIO(build_template(kind, locale, tenant)))
            sheet = book.worksheets[0]
            headers = [c.value for c in sheet[1]]
            mapping = suggest_mapping(headers, [])
            assert [m.field for m in mapping] == list(TEMPLATES[kind].fields), (kind, locale)
            required = {c.value for c in sheet[1] if c.fill.fgColor.rgb.endswith("F4B183")}
            assert required == {h for h, f in zip(headers, TEMPLATES[kind].fields, strict=True)
                                if f in TEMPLATES[kind].required}
            lists = {str(v.sqref).split(":")[0][:-1] for v in sheet.data_validations.dataValidation}
            letters = {f: c.column_letter for f, c in zip(TEMPLATES[kind].fields, sheet[1], strict=True)}
            assert {letters["person_type"], letters["id_type"], letters["owner"], letters["source"]} <= lists
            assert len(book.sheetnames) == 3 and book["_lists"].sheet_state == "hidden"


def test_report_email_speaks_the_tenants_language_and_links_the_sheet() -> None:
    report = _report()
    content = ReportContent(job_id="j1", filename="Feria 2026 - Feria", status="done", error=None,
                            counts=report.counts, rows=report.rows, notes=[], attachments={}, locale="ru",
                            sheet_url="https://docs.google.com/spreadsheets/d/abc/edit")
    message = compose(content, "imports@x.test", ["ana@x.ec"])
    assert message["Subject"] == "Импорт лидов завершён: Feria 2026 - Feria — создано 1, обновлено 0, " \
                                 "не импортировано 1"
    text = message.get_body(("plain",)).get_content()
    assert "Строка 3: '=1+2' no es válido" in text and "https://docs.google.com/spreadsheets/d/abc/edit" in text
    page = message.get_body(("html",)).get_content()
    assert "<th>Строка</th><th>Проблема</th>" in page
    assert "href='https://docs.google.com/spreadsheets/d/abc/edit'" in page
    failed = ReportContent(job_id="j2", filename="x.xlsx", status="failed", error="dañado", counts=Counts(), rows=[],
                           notes=[], attachments={}, locale="fr")
    assert compose(failed, "imports@x.test", ["a@x.ec"])["Subject"] == "L'import de leads a échoué : x.xlsx"


def test_templates_keep_a_tenants_labels_as_text() -> None:
    """A label an administrator typed as '=HYPERLINK(…)' lands in the template's lists as text."""
    tenant = TenantConfig(name="t", default_region="EC",
                          labels={"source": ['=HYPERLINK("http://evil","Web")', "Feria"]},
                          users=[TenantUser(email="=cmd@x.ec", name="x")])
    book = load_workbook(io.BytesIO(build_template("person", "es", tenant)))
    cells = [cell for row in book["_lists"].iter_rows() for cell in row if cell.value]
    assert cells and all(cell.data_type == "s" for cell in cells)
    leads = book["Leads"]
    assert all(cell.data_type == "s" for cell in leads[2] if cell.value)


def test_the_files_own_header_row_is_neutralised_too() -> None:
    report = JobReport(job_id="j", filename="f.csv", columns=['=HYPERLINK("http://evil","Nombre")', "@SUM(A1)"],
                       locale="es")
    report.add(RowResult(row=2, status="error", errors=[RowIssue(code="x", message="m")]), ("Ana", "a@x.ec"))
    header = next(csv.reader(io.StringIO(error_files.errors_csv(report).decode("utf-8-sig"))))
    assert header[1:3] == ["'=HYPERLINK(\"http://evil\",\"Nombre\")", "'@SUM(A1)"]
    sheet = load_workbook(io.BytesIO(error_files.errors_xlsx(report))).active
    assert [c.data_type for c in next(sheet.iter_rows())][1:3] == ["s", "s"]


def test_a_report_is_composed_whatever_the_caller_named_things() -> None:
    """CR/LF in a file name or an emailed subject made compose() raise: report_result crash-looped for days,
    sending nothing. A javascript: link was offered as the sheet; a 200-character name filled the subject."""
    content = ReportContent(job_id="j", filename="leads\r\nBcc: everyone@x.test" + "x" * 200, status="done",
                            error=None, counts=Counts(rows=1, created=1), rows=[], notes=[], attachments={},
                            locale="en", sheet_url="javascript:alert(document.cookie)",
                            in_reply_to={"message_id": "<m@x>", "subject": "Leads\nX-Evil: 1", "to": "i@x"})
    message = compose(content, "imports@x.test", ["ana@x.ec"])
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert len(message["Subject"]) < 200
    assert "javascript:" not in message.get_body(("html",)).get_content()


def test_import_options_take_one_address_and_one_line() -> None:
    for bad in ("a@x.ec, b@y.ec", "a@x.ec\r\nBcc: b@y.ec", "Ana <a@x.ec>", "not-an-address"):
        with pytest.raises(ValidationError):
            ImportOptions(notify=bad)
    assert ImportOptions(notify=" Ana@X.ec ").notify == "ana@x.ec"
    assert ImportOptions(filename="a\r\nb.csv").filename == "a b.csv"


def test_the_report_goes_only_to_the_tenants_own_people() -> None:
    config = TenantConfig(name="Sol", users=[TenantUser(email="ana@sol.ec", name="Ana")], report_to=["ventas@sol.ec"])
    job = {"requested_by": "luis@sol.ec", "options": {"notify": "stranger@evil.test"}}
    assert notify._recipients(job, config) == ["luis@sol.ec"]  # a stranger's address: the requester instead
    assert notify._recipients({"options": {"notify": "ventas@sol.ec"}}, config) == ["ventas@sol.ec"]
    assert notify._recipients({"options": {"notify": "ana@sol.ec"}}, config) == ["ana@sol.ec"]
    assert notify._recipients({"options": {"notify": "stranger@evil.test"}}, config) == ["ventas@sol.ec"]


def test_a_sheet_source_links_only_to_google_sheets() -> None:
    source = {"spreadsheet_id": "1AbCdEfGhIjK", "sheet_id": 0, "sheet_title": "Hoja"}
    for url in ("javascript:alert(1)", "https://evil.test/spreadsheets/x", "https://docs.google.com.evil.test/x",
                "https://docs.google.com/spreadsheets/d/x'><script>"):
        with pytest.raises(ValidationError):
            SheetSource.model_validate({**source, "url": url})
    assert SheetSource.model_validate({**source, "url": "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0"})


def test_a_row_imported_without_a_value_is_in_the_files_to_fix_and_in_the_email() -> None:
    """A value that failed its check cost only the value: the row is there to fix and send again, with what was
    typed and its status as imported, and the email says what was left out."""
    report = _report()
    left = RowIssue(field="phone", column="Correo", cell="B4", code="invalid_phone", message="'123' no es un teléfono")
    report.add(RowResult(row=4, status="created", lead_id="y", warnings=[left]), ("Luis", "123"))
    report.add(RowResult(row=5, status="created", lead_id="z", warnings=[RowIssue(code="unknown_owner",
                                                                                  message="dueño")]), ("Eva", "e@x.ec"))
    rows = list(csv.reader(io.StringIO(error_files.errors_csv(report).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["3", "4"]  # an unknown owner leaves no typed value out: not there
    assert rows[2] == ["4", "Luis", "123", "creado", "'123' no es un teléfono"]
    assert [r.row for r in report.first_errors()] == [3, 4]
    content = ReportContent(job_id="j1", filename="f.csv", status="done", error=None, counts=report.counts,
                            rows=report.first_errors(), notes=[], attachments={}, locale="es")
    text = compose(content, "imports@x.test", ["ana@x.ec"]).get_body(("plain",)).get_content()
    assert "Importadas, con valores por corregir" in text and "Fila 4: '123' no es un teléfono" in text


def test_rows_to_complete_never_crowd_out_or_stand_in_for_rows_not_imported() -> None:
    report = JobReport(job_id="j", filename="f.csv", columns=["Nombre", "Teléfono"], locale="es")
    bad_phone = RowIssue(field="phone", column="Teléfono", cell="B2", code="invalid_phone", message="'1' no es válido")
    for row in range(2, 32):  # thirty leads kept without a phone, ahead of one row refused
        report.add(RowResult(row=row, status="created", lead_id=f"l{row}", warnings=[bad_phone]), ("Ana", "1"))
    missing = RowIssue(field="last_name", code="required_missing", message="Apellidos es obligatorio")
    report.add(RowResult(row=40, status="error", errors=[missing], warnings=[bad_phone]), ("Luis", "1"))
    first = report.first_errors()
    assert 40 in [r.row for r in first] and len(first) == 21
    content = ReportContent(job_id="j", filename="f.csv", status="done", error=None, counts=report.counts, rows=first,
                            notes=[], attachments={}, locale="es")
    text = compose(content, "imports@x.test", ["ana@x.ec"]).get_body(("plain",)).get_content()
    not_imported, _, left = text.partition("Importadas, con valores por corregir")
    assert "Fila 40: Apellidos es obligatorio" in not_imported and "Fila 40" not in left
    rows = list(csv.reader(io.StringIO(error_files.errors_csv(report).decode("utf-8-sig"))))
    assert rows[-1][-2:] == ["error", "Apellidos es obligatorio; '1' no es válido"]  # all to fix before it goes


def test_an_address_that_looks_mistyped_is_imported_as_typed_and_sent_back_with_the_likely_one() -> None:
    """gmial.com, hotmal.com, .con: a warning with the address the person likely meant, in the report, the
    error file and the email; never corrected, since a company may own a domain one letter from Gmail's."""
    tenant = TenantConfig(name="Sol", default_region="EC", locale="es")
    validator = RowValidator(suggest_mapping(["Nombres", "Apellidos", "Correo", "Correo 2"], []), {}, tenant)
    row = validator.validate(SheetRow(4, ("Luis", "Paz", "Luis@Gmial.com", "luis@empresa.con")))
    assert not row.errors and row.fields["email"] == "luis@gmial.com"  # as typed
    assert [(w.code, w.cell) for w in row.warnings] == [("email_typo", "C4"), ("email_typo", "D4")]
    assert "luis@gmail.com" in row.warnings[0].message and "luis@empresa.com" in row.warnings[1].message
    report = _report()
    report.add(RowResult(row=4, status="created", lead_id="y", warnings=row.warnings), ("Luis", "Luis@Gmial.com"))
    rows = list(csv.reader(io.StringIO(error_files.errors_csv(report).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["3", "4"] and "luis@gmail.com" in rows[2][-1]
    content = ReportContent(job_id="j1", filename="f.csv", status="done", error=None, counts=report.counts,
                            rows=report.first_errors(), notes=[], attachments={}, locale="es")
    text = compose(content, "imports@x.test", ["ana@x.ec"]).get_body(("plain",)).get_content()
    assert "Fila 4: luis@gmial.com parece tener una errata: ¿quiso decir luis@gmail.com?" in text


@pytest.mark.parametrize("domain", ["gmail.com", "inmosol.ec", "sol.pe", "empresa.com.ec", "uol.com.br",
                                    "live.com.mx", "gmx.de", "hotmail.cl", "mail.ru", "yandex.ru", "bk.ec",
                                    "orange.fr", "correo.gob.ec", "email.com", "protonmail.ch"])
def test_real_domains_of_our_markets_are_never_taken_for_slips(domain: str) -> None:
    assert suggested_address(f"ana@{domain}") is None


@pytest.mark.parametrize(("typed", "meant"), [
    ("gmial.com", "gmail.com"), ("gmai.com", "gmail.com"), ("gmail.co", "gmail.com"), ("gmail.es", "gmail.com"),
    ("hotmal.com", "hotmail.com"), ("hotmial.com", "hotmail.com"), ("hotmail.con", "hotmail.com"),
    ("outlok.es", "outlook.es"), ("yahooo.com", "yahoo.com"), ("empresa.con", "empresa.com"),
    ("sol.nte", "sol.net"), ("yandx.ru", "yandex.ru")])
def test_slips_on_common_providers_get_the_likely_address(typed: str, meant: str) -> None:
    assert suggested_address(f"ana@{typed}") == f"ana@{meant}"


@pytest.mark.parametrize("name", ['Leads "Feria" 2026-errors.xlsx', "Клиенты; ñ\\x-errors.csv", "plain-errors.txt"])
def test_a_linked_error_file_downloads_under_its_whole_name(name: str) -> None:
    """The link's Content-Disposition carries the person's file name, which a sheet's title may fill with
    quotes, semicolons or any script: written raw, 'Leads "Feria"' downloaded as 'Leads '."""
    kind, options = parse_options_header(attachment_disposition(name))
    assert kind == "attachment" and options["filename"] == name
    assert attachment_disposition(name).isascii()

"""The files a person fixes and sends again: the rows not imported with their own cells, plus the
status and the reasons (csv and xlsx), and seed 000's plain-text list of row + message.

Headers and words are in the tenant's language; every cell is written so it can never run as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from leadimport.core.models import RowIssue, RowResult
from leadimport.report.safe_cells import safe_csv_row, text_cell

if TYPE_CHECKING:
    from leadimport.report.results import JobReport

_WORDS = {
    # the columns we add are named as ours, so the file sent back fixed never maps them to a field
    # ("Estado" alone would be the state)
    "row_column": {"en": "Lead Import: row", "es": "Lead Import: fila", "fr": "Lead Import : ligne",
            "ru": "Lead Import: строка", "pt": "Lead Import: linha"},
    "status": {"en": "Lead Import: status", "es": "Lead Import: estado", "fr": "Lead Import : statut",
               "ru": "Lead Import: статус", "pt": "Lead Import: estado"},
    "errors": {"en": "Lead Import: errors", "es": "Lead Import: errores", "fr": "Lead Import : erreurs",
               "ru": "Lead Import: ошибки", "pt": "Lead Import: erros"},
    "row": {"en": "Row", "es": "Fila", "fr": "Ligne", "ru": "Строка", "pt": "Linha"},
    "sheet": {"en": "Errors", "es": "Errores", "fr": "Erreurs", "ru": "Ошибки", "pt": "Erros"},
    "error": {"en": "error", "es": "error", "fr": "erreur", "ru": "ошибка", "pt": "erro"},
    "warning": {"en": "warning", "es": "aviso", "fr": "avertissement", "ru": "предупреждение", "pt": "aviso"},
    "column": {"en": "column", "es": "columna", "fr": "colonne", "ru": "столбец", "pt": "coluna"},
}
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")


def _word(name: str, locale: str) -> str:
    return _WORDS[name].get(locale, _WORDS[name]["en"])


def _error_rows(report: JobReport) -> list[tuple[RowResult, tuple[str, ...], str]]:
    return [(r, report.error_values.get(r.row, ()), "; ".join(i.message for i in r.errors))
            for r in report.rows if r.status == "error"]


def errors_csv(report: JobReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    locale = report.locale
    # the file's own header too: a header cell '=HYPERLINK(…)' would run in whoever opens the error file
    writer.writerow(safe_csv_row([_word("row_column", locale), *report.columns, _word("status", locale),
                                  _word("errors", locale)]))
    for result, cells, message in _error_rows(report):
        writer.writerow(safe_csv_row([result.row, *cells, _word("error", locale), message]))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8


def errors_xlsx(report: JobReport) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_word("sheet", report.locale))
    locale = report.locale
    header = [_word("row_column", locale), *report.columns, _word("status", locale), _word("errors", locale)]
    sheet.append([text_cell(sheet, name, font=Font(bold=True), fill=_HEADER_FILL) for name in header])
    for result, cells, message in _error_rows(report):
        bad = {issue.column for issue in result.errors if issue.column}
        sheet.append([
            result.row,
            *(text_cell(sheet, value, fill=_ERROR_FILL) if column in bad else text_cell(sheet, value)
              for column, value in zip(report.columns, cells, strict=False)),
            text_cell(sheet, _word("error", locale)),
            text_cell(sheet, message),
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_text(report: JobReport) -> str:
    locale = report.locale
    lines = []
    for result in report.rows:
        for issue in result.errors:
            lines.append(_line(result.row, issue, locale, warning=False))
        for issue in result.warnings:
            lines.append(_line(result.row, issue, locale, warning=True))
    return "\n".join(lines) + ("\n" if lines else "")


def _line(row: int, issue: RowIssue, locale: str, warning: bool) -> str:
    where = f"{_word('row', locale)} {row}"
    if issue.cell and issue.column:
        where += f", {_word('column', locale)} {issue.cell[: len(issue.cell) - len(str(row))]} ({issue.column})"
    kind = f" ({_word('warning', locale)})" if warning else ""
    return f"{where}{kind}: {issue.message} [{issue.code}]"

"""The files a person fixes and sends again: the rows not imported, and the rows imported without a value
that failed its check, with their own cells, plus the status and the reasons (csv and xlsx), and seed
000's plain-text list of row + message.

Headers and words are in the tenant's language (the i18n catalog's "errorfile" and "common" texts); every
cell is written so it can never run as a formula.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from leadimport.core.models import TO_FIX_CODES, RowIssue, RowResult, to_fix
from leadimport.i18n import messages
from leadimport.i18n.catalog import text
from leadimport.report.safe_cells import safe_csv_row, text_cell

if TYPE_CHECKING:
    from leadimport.report.results import JobReport

_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")


def _header(report: JobReport) -> list[str]:
    # the columns we add are named as ours ("Lead Import: …"), so the file sent back fixed never maps
    # them to a field ("Estado" alone would be the state)
    locale = report.locale
    return [text("errorfile.row_column", locale), *report.columns, text("common.status_header", locale),
            text("errorfile.errors", locale)]


def _error_rows(report: JobReport) -> list[tuple[RowResult, tuple[str, ...], str, list[RowIssue]]]:
    """(result, its cells, its status word, the issues to fix) of each row to fix: the rows not imported,
    and the imported rows a value of which was left out (sent back fixed, they update their lead)."""
    rows = []
    for r in sorted(report.rows, key=lambda result: result.row):  # rows merged into earlier ones come last
        if r.status == "error":  # its errors, and the values that failed beside them: all to fix before it goes
            issues = [*r.errors, *(w for w in r.warnings if w.code in TO_FIX_CODES)]
            rows.append((r, report.error_values.get(r.row, ()), text("common.error", report.locale), issues))
        elif r.row in report.error_values and to_fix(r):
            issues = [w for w in r.warnings if w.code in TO_FIX_CODES]
            rows.append((r, report.error_values[r.row], messages.word(r.status, report.locale), issues))
    return rows


def errors_csv(report: JobReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    # the file's own header too: a header cell '=HYPERLINK(…)' would run in whoever opens the error file
    writer.writerow(safe_csv_row(_header(report)))
    for result, cells, status, issues in _error_rows(report):
        writer.writerow(safe_csv_row([result.row, *cells, status, "; ".join(i.message for i in issues)]))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read it as UTF-8


def errors_xlsx(report: JobReport) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(text("errorfile.sheet", report.locale))
    sheet.append([text_cell(sheet, name, font=Font(bold=True), fill=_HEADER_FILL) for name in _header(report)])
    for result, cells, status, issues in _error_rows(report):
        bad = {issue.column for issue in issues if issue.column}
        sheet.append([
            result.row,
            *(text_cell(sheet, value, fill=_ERROR_FILL) if column in bad else text_cell(sheet, value)
              for column, value in zip(report.columns, cells, strict=False)),
            text_cell(sheet, status),
            text_cell(sheet, "; ".join(i.message for i in issues)),
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
    where = f"{text('common.row', locale)} {row}"
    if issue.cell and issue.column:
        column = issue.cell[: len(issue.cell) - len(str(row))]
        where += f", {text('errorfile.column', locale)} {column} ({issue.column})"
    kind = f" ({text('common.warning', locale)})" if warning else ""
    return f"{where}{kind}: {issue.message} [{issue.code}]"

"""Write-back with gspread's client against SheetsApiDouble (a local test double of Sheets v4):
the exact requests, the cells written and the ones left alone, retries, and idempotence."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.auth.transport.requests import AuthorizedSession

from doubles.sheets_api import Sheet, SheetsApiDouble
from leadimport.core.models import RowIssue, RowResult
from leadimport.errors import TerminalError, TransientError
from leadimport.report.sheet_writeback import SheetTarget, stamp_hash, stamp_key, status_text, write_back
from leadimport.report.sheets_client import SheetsClient

SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"
DATA = [
    ["Nombre", "Correo", "Teléfono"],
    ["Ana Torres", "ana@sol.pe", "987654321"],
    ["", "", ""],  # blank: the job never read it
    ["Luis", "luis@", "987000111"],
    ["Eva", "eva@sol.pe", "=HYPERLINK(\"x\")"],
]


JOB, SECRET = "job-1", "a-secret-only-the-add-on-and-the-job-know"


@pytest.fixture
def double() -> Iterator[SheetsApiDouble]:
    """Every tab added is stamped for JOB, as the add-on does in its user's session when they submit."""
    server = SheetsApiDouble()
    add = server.add_sheet

    def add_stamped(*args: Any, **kwargs: Any) -> Sheet:
        sheet = add(*args, **kwargs)
        sheet.metadata[stamp_key(JOB)] = SECRET
        return sheet

    server.add_sheet = add_stamped  # type: ignore[method-assign]
    yield server
    server.close()


def client(double: SheetsApiDouble, tries: int = 5) -> SheetsClient:
    return SheetsClient(AuthorizedSession(AnonymousCredentials()), double.url, tries=tries, backoff=0.01)


def target(**changes: object) -> SheetTarget:
    return SheetTarget.model_validate({"spreadsheet_id": SHEET_ID, "sheet_id": 7, "sheet_title": "Leads",
                                       "status_column": 4, "data_columns": 3, "header_row": 1,
                                       "stamp_hash": stamp_hash(SECRET), **changes})


ROWS = [
    RowResult(row=2, status="created", lead_id="lead-a"),
    RowResult(row=4, status="error", errors=[RowIssue(field="email", column="Correo", cell="B4",
                                                      code="invalid_email", message="=Correo no válido")]),
    RowResult(row=5, status="updated", lead_id="lead-e",
              warnings=[RowIssue(code="unknown_owner", message="Propietario desconocido")]),
]


def test_writes_status_and_id_beside_the_data_in_five_requests(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=3)  # no room yet for our two columns
    before = dict(sheet.cells)
    result = write_back(client(double), target(), ROWS, "es", JOB)
    assert result.status == "written" and result.rows == 3
    calls = [(r.method, r.path.rsplit("/", 1)[-1]) for r in double.calls(SHEET_ID)]
    assert calls == [("POST", "developerMetadata:search"), ("GET", SHEET_ID), ("GET", "'Leads'!D1:E1"),
                     ("POST", f"{SHEET_ID}:batchUpdate"), ("POST", "values:batchUpdate")]
    setup = double.calls(SHEET_ID)[3].body["requests"]
    assert setup[0] == {"appendDimension": {"sheetId": 7, "dimension": "COLUMNS", "length": 2}}
    rules = [r["addConditionalFormatRule"]["rule"]["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
             for r in setup if "addConditionalFormatRule" in r]
    assert rules == ["error", "creado", "actualizado", "sin cambios", "omitido"]
    values = double.calls(SHEET_ID)[4].body
    assert values["valueInputOption"] == "RAW"  # a message starting with "=" stays text
    assert [d["range"] for d in values["data"]] == ["'Leads'!D1:E1", "'Leads'!D2:E5"]
    assert values["data"][1]["values"][1:3] == [[None, None], ["error: =Correo no válido [B4]", ""]]
    assert sheet.value(1, "D") == "Lead Import: estado" and sheet.value(1, "E") == "Lead Import: id del lead"
    assert sheet.value(2, "D") == "creado" and sheet.value(2, "E") == "lead-a"
    assert sheet.value(3, "D") is None  # the blank row keeps its (empty) cells
    assert sheet.value(5, "D") == "actualizado (aviso: Propietario desconocido)"
    assert {k: v for k, v in sheet.cells.items() if k[1] < 3} == before  # the person's own cells untouched


def test_a_second_delivery_writes_the_same_cells_and_adds_no_formats(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=10)
    write_back(client(double), target(), ROWS, "en", JOB)
    first = dict(sheet.cells)
    double.requests.clear()
    write_back(client(double), target(), ROWS, "en", JOB)
    assert sheet.cells == first
    assert len(sheet.conditional_formats) == 5
    assert [r.method for r in double.calls(SHEET_ID)] == ["POST", "GET", "GET", "POST"]  # no second batchUpdate


def test_renamed_tab_is_found_by_its_id(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads (Ana's copy)", DATA, sheet_id=7, columns=5)
    result = write_back(client(double), target(sheet_title="Leads"), ROWS, "en", JOB)
    assert result.range == "'Leads (Ana''s copy)'!D1:E5"
    assert sheet.value(2, "D") == "created"


def test_columns_holding_the_persons_own_header_are_never_overwritten(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", [[*DATA[0], "Notas"], *DATA[1:]], sheet_id=7, columns=6)
    result = write_back(client(double), target(), ROWS, "en", JOB)
    assert result.status == "columns_taken"
    assert sheet.value(1, "D") == "Notas" and sheet.value(2, "D") is None


def test_a_status_column_inside_the_data_is_refused(double: SheetsApiDouble) -> None:
    double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7)
    with pytest.raises(TerminalError):
        write_back(client(double), target(status_column=3), ROWS, "en", JOB)
    assert double.requests == []


def test_deleted_sheet_is_reported_not_retried(double: SheetsApiDouble) -> None:
    double.add_sheet(SHEET_ID, "Other", DATA, sheet_id=1)  # the stamped tab went with it
    assert write_back(client(double), target(), ROWS, "en", JOB).status == "not_stamped"


def test_429_and_500_are_retried_with_backoff(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    double.fail_next = [(429, {"Retry-After": "0"}), (500, {}), (503, {})]
    sheets = client(double)
    write_back(sheets, target(), ROWS, "en", JOB)
    assert sheet.value(2, "D") == "created"
    assert [r.status for r in double.requests[:4]] == [429, 500, 503, 200]
    assert sheets.calls == len(double.requests) == 8


def test_an_api_that_keeps_failing_hands_the_job_back_for_a_later_retry(double: SheetsApiDouble) -> None:
    double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    double.fail_next = [(500, {})] * 3
    with pytest.raises(TransientError):
        write_back(client(double, tries=3), target(), ROWS, "en", JOB)


def test_a_hundred_thousand_rows_go_in_two_value_requests(double: SheetsApiDouble) -> None:
    rows = [["Email"]] + [[f"p{i}@x.pe"] for i in range(100_000)]
    sheet = double.add_sheet(SHEET_ID, "Big", rows, sheet_id=7, columns=3)
    results = [RowResult(row=n, status="created", lead_id=f"l{n}") for n in range(2, 100_002)]
    write_back(client(double), target(sheet_title="Big", status_column=2, data_columns=1), results, "en", JOB)
    value_calls = [r for r in double.calls(SHEET_ID) if r.path.endswith("values:batchUpdate")]
    assert [sum(len(d["values"]) for d in r.body["data"]) for r in value_calls] == [50_001, 50_000]
    assert all(len(d["values"]) <= 5_000 for r in value_calls for d in r.body["data"])
    assert sheet.value(100_001, "B") == "created" and sheet.value(100_001, "C") == "l100001"


def test_status_text_lists_every_error_with_its_cell() -> None:
    result = RowResult(row=3, status="error", errors=[
        RowIssue(code="invalid_email", message="Adresse invalide", cell="B3"),
        RowIssue(code="no_contact", message="Ni e-mail ni téléphone")])
    assert status_text(result, "fr") == "erreur: Adresse invalide [B3]; Ni e-mail ni téléphone"


@pytest.mark.parametrize("forged", ["missing", "another secret", "another tab", "another job"])
def test_a_tab_this_jobs_requester_did_not_stamp_gets_not_one_cell(double: SheetsApiDouble, forged: str) -> None:
    """Another tenant's user names a spreadsheet shared with our writer: without its owner's stamp for this job,
    on this very tab, nothing is read of it but the stamp lookup, nothing is written, and nothing is told."""
    sheet = double.add_sheet(SHEET_ID, "Their leads", DATA, sheet_id=7, columns=5)
    sheet.metadata.clear()
    if forged == "another secret":
        sheet.metadata[stamp_key(JOB)] = "guessed"
    elif forged == "another tab":
        double.add_sheet(SHEET_ID, "Mine", DATA, sheet_id=8)  # stamped, but not the tab the job names
    elif forged == "another job":
        sheet.metadata[stamp_key("job-2")] = SECRET
    before = dict(sheet.cells)
    result = write_back(client(double), target(), ROWS, "en", JOB)
    assert (result.status, result.rows, result.range) == ("not_stamped", 0, None)
    assert [r.path.rsplit("/", 1)[-1] for r in double.calls(SHEET_ID)] == [f"{SHEET_ID}/developerMetadata:search"
                                                                          .rsplit("/", 1)[-1]]
    assert sheet.cells == before and sheet.conditional_formats == []


def test_a_spreadsheet_not_shared_with_us_reads_the_same_as_one_not_stamped(double: SheetsApiDouble) -> None:
    """Whether an id names a spreadsheet shared with our writer is not the caller's to learn."""
    double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    unknown = write_back(client(double), target(spreadsheet_id="1" + SHEET_ID[1:].lower()), ROWS, "en", JOB)
    known = write_back(client(double), target(), ROWS, "en", "another-job")
    assert (unknown.status, unknown.range) == (known.status, known.range) == ("not_stamped", None)

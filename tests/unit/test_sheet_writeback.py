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
from leadimport.core.row_identity import fingerprint
from leadimport.errors import TransientError
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
    """The job's target: its tab, its stamp, its upload's header row and width, and the email (B) as identity."""
    return SheetTarget.model_validate({"spreadsheet_id": SHEET_ID, "sheet_id": 7, "sheet_title": "Leads",
                                       "stamp_hash": stamp_hash(SECRET), "header_row": 1, "columns": 3,
                                       "checks": (1,), **changes})


def result(row: int, status: str, data: list[list[Any]] = DATA, **fields: Any) -> RowResult:
    """A row's result as the import made it: with the fingerprint of the identity cell it read (the email)."""
    return RowResult(row=row, status=status, check=fingerprint([data[row - 1][1]]), **fields)


ROWS = [
    result(2, "created", lead_id="lead-a"),
    result(4, "error", errors=[RowIssue(field="email", column="Correo", cell="B4", code="invalid_email",
                                        message="=Correo no válido")]),
    result(5, "updated", lead_id="lead-e",
           warnings=[RowIssue(code="unknown_owner", message="Propietario desconocido")]),
]


def test_writes_status_and_id_beside_the_data_in_seven_requests(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=3)  # no room yet for our two columns
    before = dict(sheet.cells)
    done = write_back(client(double), target(), ROWS, "es", JOB)
    assert (done.status, done.rows, done.moved, done.unplaced, done.status_column) == ("written", 3, 0, 0, "D")
    calls = [(r.method, r.path.rsplit("/", 1)[-1]) for r in double.calls(SHEET_ID)]
    assert calls == [("POST", "developerMetadata:search"), ("GET", SHEET_ID), ("GET", "'Leads'!A1:C1"),
                     ("GET", "values:batchGet"), ("GET", "values:batchGet"), ("POST", f"{SHEET_ID}:batchUpdate"),
                     ("POST", "values:batchUpdate")]
    identity = double.calls(SHEET_ID)[3:5]  # the identity cells as they are now, as shown and as stored
    assert [(r.query["ranges"], r.query["valueRenderOption"]) for r in identity] == [
        (["'Leads'!B2:B1000"], ["FORMATTED_VALUE"]), (["'Leads'!B2:B1000"], ["UNFORMATTED_VALUE"])]
    setup = double.calls(SHEET_ID)[5].body["requests"]
    assert setup[0] == {"appendDimension": {"sheetId": 7, "dimension": "COLUMNS", "length": 2}}
    rules = [r["addConditionalFormatRule"]["rule"]["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
             for r in setup if "addConditionalFormatRule" in r]
    assert rules == ["error", "creado", "actualizado", "sin cambios", "omitido"]
    values = double.calls(SHEET_ID)[6].body
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
    again = write_back(client(double), target(), ROWS, "en", JOB)
    assert sheet.cells == first and again.status_column == "D"  # found by its header, in any language
    assert len(sheet.conditional_formats) == 5
    assert [r.method for r in double.calls(SHEET_ID)] == ["POST", "GET", "GET", "GET", "GET", "POST"]  # no setup


def test_renamed_tab_is_found_by_its_id(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads (Ana's copy)", DATA, sheet_id=7, columns=5)
    done = write_back(client(double), target(sheet_title="Leads"), ROWS, "en", JOB)
    assert done.range == "'Leads (Ana''s copy)'!D1:E5"
    assert sheet.value(2, "D") == "created"


def test_results_go_right_of_every_header_the_person_added_since(double: SheetsApiDouble) -> None:
    """Whatever the request said: a column named since the upload is the person's, never ours."""
    sheet = double.add_sheet(SHEET_ID, "Leads", [[*DATA[0], "Notas"], *DATA[1:]], sheet_id=7, columns=6)
    done = write_back(client(double), target(), ROWS, "en", JOB)
    assert (done.status, done.status_column) == ("written", "E")
    assert sheet.value(1, "D") == "Notas" and sheet.value(2, "D") is None and sheet.value(2, "E") == "created"


def test_cells_without_a_header_where_our_columns_would_go_are_never_overwritten(double: SheetsApiDouble) -> None:
    rows = [list(r) for r in DATA]
    rows[1] += ["", "", "apunte de Ana"]  # F2: someone's note, under no header
    sheet = double.add_sheet(SHEET_ID, "Leads", rows, sheet_id=7, columns=8)
    done = write_back(client(double), target(columns=4), ROWS, "en", JOB)  # the upload sent A:D
    assert done.status == "columns_taken"
    assert sheet.value(2, "F") == "apunte de Ana" and sheet.value(1, "E") is None


def test_an_earlier_status_column_beside_someone_elses_header_is_refused(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", [[*DATA[0], "Lead Import: status", "Notas"], *DATA[1:]],
                             sheet_id=7, columns=6)
    assert write_back(client(double), target(), ROWS, "en", JOB).status == "columns_taken"
    assert sheet.value(1, "E") == "Notas" and sheet.value(2, "D") is None


def test_a_sheet_sorted_since_the_import_gets_each_status_beside_its_own_person(double: SheetsApiDouble) -> None:
    """Sorted by name after the upload, one row deleted, one duplicated: statuses follow their people, and the
    rows the writer cannot place are left alone and counted, never written beside someone else."""
    imported = [["Nombre", "Correo"], ["Zoe", "zoe@x.pe"], ["Ana", "ana@x.pe"], ["Luis", "luis@x.pe"],
                ["Eva", "eva@x.pe"], ["Iván", "ivan@x.pe"]]
    results = [result(2, "created", imported, lead_id="z"), result(3, "updated", imported, lead_id="a"),
               result(4, "created", imported, lead_id="l"), result(5, "created", imported, lead_id="e"),
               result(6, "created", imported, lead_id="i")]
    now = [["Nombre", "Correo"], ["Ana", "ANA@x.pe "], ["Eva", "eva@x.pe"], ["Iván", "ivan@x.pe"],
           ["Iván (copia)", "ivan@x.pe"], ["Zoe", "zoe@x.pe"]]  # Luis deleted, Iván pasted twice
    sheet = double.add_sheet(SHEET_ID, "Leads", now, sheet_id=7, columns=2)
    done = write_back(client(double), target(columns=2), results, "en", JOB)
    assert (done.status, done.rows, done.moved, done.unplaced, done.unplaced_rows) == ("written", 3, 3, 2, [4, 6])
    beside = {sheet.value(r, "A"): (sheet.value(r, "C"), sheet.value(r, "D")) for r in range(2, 7)}
    assert beside == {"Ana": ("updated", "a"), "Eva": ("created", "e"), "Zoe": ("created", "z"),
                      "Iván": (None, None), "Iván (copia)": (None, None)}


def test_a_result_that_does_not_say_whose_row_it_was_is_not_written(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    done = write_back(client(double), target(), [RowResult(row=2, status="created", lead_id="x")], "en", JOB)
    assert (done.rows, done.unplaced) == (0, 1) and sheet.value(2, "D") is None


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
    assert sheets.calls == len(double.requests) == 11


def test_an_api_that_keeps_failing_hands_the_job_back_for_a_later_retry(double: SheetsApiDouble) -> None:
    double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    double.fail_next = [(500, {})] * 3
    with pytest.raises(TransientError):
        write_back(client(double, tries=3), target(), ROWS, "en", JOB)


def test_a_hundred_thousand_rows_go_in_two_value_requests(double: SheetsApiDouble) -> None:
    rows = [["Nombre", "Email"]] + [["", f"p{i}@x.pe"] for i in range(100_000)]
    sheet = double.add_sheet(SHEET_ID, "Big", rows, sheet_id=7, columns=3)
    results = [result(n, "created", rows, lead_id=f"l{n}") for n in range(2, 100_002)]
    done = write_back(client(double), target(sheet_title="Big", columns=2), results, "en", JOB)
    assert (done.rows, done.unplaced) == (100_000, 0)
    value_calls = [r for r in double.calls(SHEET_ID) if r.path.endswith("values:batchUpdate")]
    assert [sum(len(d["values"]) for d in r.body["data"]) for r in value_calls] == [50_001, 50_000]
    assert all(len(d["values"]) <= 5_000 for r in value_calls for d in r.body["data"])
    assert sheet.value(100_001, "C") == "created" and sheet.value(100_001, "D") == "l100001"


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


def test_a_row_whose_identity_cells_were_all_empty_is_never_placed(double: SheetsApiDouble) -> None:
    """Nothing tells such a row from the next person's with empty cells, nor from rows past the data."""
    imported = [["Nombre", "Correo"], ["", ""], ["Ana", "ana@x.pe"]]
    sheet = double.add_sheet(SHEET_ID, "Leads", [["Nombre", "Correo"], ["", ""], ["Ana", "ana@x.pe"]], sheet_id=7,
                             columns=2)
    results = [result(2, "updated", imported, lead_id="L"), result(3, "created", imported, lead_id="A"),
               RowResult(row=2_000, status="created", lead_id="far", check=fingerprint([""]))]
    done = write_back(client(double), target(columns=2), results, "en", JOB)
    assert (done.rows, done.unplaced_rows) == (1, [2, 2_000])
    assert sheet.value(2, "C") is None and sheet.value(3, "C") == "created"


def test_a_phone_shown_in_scientific_notation_or_a_failed_formula_still_finds_its_row(double: SheetsApiDouble) -> None:
    """The add-on sent a number shown as 5.93991E+11 as the number, and a failed formula as an empty cell."""
    imported = [["Nombre", "Teléfono"], ["Ana", "593991234567"], ["Luis", ""]]
    sheet = double.add_sheet(SHEET_ID, "Leads", [["Nombre", "Teléfono"], ["Luis", "#N/A"], ["Ana", 593991234567]],
                             sheet_id=7, columns=2)
    sheet.shown[(2, 1)] = "5.93991E+11"
    results = [RowResult(row=2, status="created", lead_id="A", check=fingerprint(imported[1])),
               RowResult(row=3, status="error", check=fingerprint(imported[2]))]  # name and phone: its identity
    done = write_back(client(double), target(columns=2, checks=(0, 1)), results, "en", JOB)
    assert (done.rows, done.moved, done.unplaced) == (2, 2, 0)
    assert sheet.value(3, "C") == "created" and sheet.value(2, "C") == "error"


def test_status_columns_at_the_grids_edge_are_added_not_refused(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=4)  # room for the status, not the id
    done = write_back(client(double), target(), ROWS, "en", JOB)
    assert (done.status, done.status_column) == ("written", "D")
    assert sheet.columns == 5 and sheet.value(2, "E") == "lead-a"


def test_an_earlier_status_column_with_someone_elses_cells_beside_it_is_refused(double: SheetsApiDouble) -> None:
    rows = [[*DATA[0], "Lead Import: status", ""], *[[*r, "", ""] for r in DATA[1:]]]
    rows[1][4] = "nota de Ana"  # E2: under no header, beside our status column
    sheet = double.add_sheet(SHEET_ID, "Leads", rows, sheet_id=7, columns=6)
    assert write_back(client(double), target(), ROWS, "en", JOB).status == "columns_taken"
    assert sheet.value(2, "E") == "nota de Ana" and sheet.value(2, "D") is None
    sheet.cells.pop((1, 4))
    assert write_back(client(double), target(), ROWS, "en", JOB).status_column == "D"  # empty again: ours


def test_an_import_from_before_row_identities_writes_nothing(double: SheetsApiDouble) -> None:
    sheet = double.add_sheet(SHEET_ID, "Leads", DATA, sheet_id=7, columns=5)
    legacy = [RowResult(row=2, status="created", lead_id="x"), RowResult(row=4, status="error")]
    done = write_back(client(double), target(checks=()), legacy, "en", JOB)
    assert (done.status, done.unplaced) == ("no_row_identity", 2)
    assert sheet.value(1, "D") is None  # not even the headers

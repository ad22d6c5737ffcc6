"""Write each row's outcome back beside the person's data in the Google Sheet it came from.

Two columns right of the data (status, lead id), never one of the person's own: the status in the
tenant's language (with the error messages and their cells), the lead id. Rows the job did not read
are sent as null, which the Sheets API skips, so their cells keep what they had. Values go in as RAW
text: a message that starts with "=" stays text. Writing the same result twice writes the same cells.

Only a sheet its own requester stamped is written. Every tenant shares its sheets with one writer account,
and a job's source (spreadsheet, tab) comes from the caller: a user of one tenant could name another
tenant's shared spreadsheet. So start_import gives the add-on a secret for the job, the add-on stamps the
tab with it as developer metadata in the user's own session (which only someone who can edit that very
sheet can do), and the job keeps only its hash. Before it reads or writes anything else, the writer looks
for the stamp on the tab and writes nothing, and tells nothing of the sheet, where it is missing or wrong.

Where the results go is worked out from the job and the sheet, never from the request: the columns come
from the tab's header row as it is now and the upload's width (an earlier import's columns are found by
their header; new ones go right of every header cell, and only if no one has written there), and each
row is found by the identity cells its result was made from (core/row_identity.py), so a sheet sorted or
edited since the import gets no status beside the wrong person.

Requests: one stamp lookup, one metadata read, one header read (and one look at new columns), one read of
the identity columns, one batchUpdate the first time (grid size, colours as conditional formats, which
follow the text when the person edits), and one values batchUpdate per 50,000 rows.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from typing import Any

from gspread.exceptions import APIError
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from pydantic import BaseModel, ConfigDict

from leadimport.core.models import ColumnMapping, RowIssue, RowResult
from leadimport.core.read.sheet_export import FORMULA_ERROR
from leadimport.core.read.table import column_letter
from leadimport.core.row_identity import check_columns, fingerprint
from leadimport.i18n import messages
from leadimport.report.sheets_client import SheetsClient

RANGE_ROWS = 5_000  # rows per ValueRange
REQUEST_ROWS = 50_000  # rows per values:batchUpdate (well under the API's request size limit)
MAX_TEXT = 1_000  # a status cell stays readable
_COLOURS = {  # Google's own light tints: error red, created green, updated blue, the rest grey
    "error": {"red": 0.957, "green": 0.78, "blue": 0.765},
    "created": {"red": 0.851, "green": 0.918, "blue": 0.827},
    "updated": {"red": 0.812, "green": 0.886, "blue": 0.953},
    "unchanged": {"red": 0.937, "green": 0.937, "blue": 0.937},
    "skipped": {"red": 0.937, "green": 0.937, "blue": 0.937},
}


class SheetTarget(BaseModel):
    """Where a job's results go, from the job alone: the tab it was stamped for, and its own upload's header
    row, width and identity columns. Nothing here is taken from a request's say of where to write."""

    model_config = ConfigDict(extra="ignore")

    spreadsheet_id: str
    sheet_id: int
    sheet_title: str
    stamp_hash: str | None = None  # of the secret the add-on stamped the tab with; None: nothing to prove it
    header_row: int = 1  # the upload's header row (read/sheet_export.py: the sheet's own row number)
    columns: int = 0  # the upload's columns, from A: our two columns go right of them and of any header
    checks: tuple[int, ...] = ()  # the identity columns each result's `check` was made of (core/row_identity.py)


def sheet_target(job: dict[str, Any]) -> SheetTarget:
    """The job's target: its source (the tab and the stamp's hash), its options and its upload's mapping."""
    mapping = [ColumnMapping.model_validate(m) for m in job.get("mapping") or []]
    return SheetTarget.model_validate({**job["source"], "header_row": (job.get("options") or {}).get("header_row") or 1,
                                       "columns": len(mapping), "checks": check_columns(mapping)})


def stamp_key(job_id: str) -> str:
    """The developer metadata key the add-on stamps the tab with for this job."""
    return f"leadimport-job-{job_id}"


def stamp_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class WriteBackResult(BaseModel):
    status: str  # written | not_stamped | sheet_missing | columns_taken | no_row_identity
    rows: int = 0
    requests: int = 0
    range: str | None = None
    moved: int = 0  # rows found further up or down (the sheet was sorted): written beside the same person
    unplaced: int = 0  # rows no longer found in the sheet: left unwritten, their status is in the report
    unplaced_rows: list[int] = []  # the first of them, by the row they had when imported
    status_column: str | None = None  # where the statuses went ("K"), for the sidebar to say


def status_text(result: RowResult, locale: str) -> str:
    text = messages.word(result.status, locale)
    if result.errors:
        text += ": " + "; ".join(_issue(i) for i in result.errors)
    elif result.warnings:
        text += f" ({messages.word('warning', locale)}: " + "; ".join(_issue(i) for i in result.warnings) + ")"
    return text[:MAX_TEXT]


def _issue(issue: RowIssue) -> str:
    return f"{issue.message} [{issue.cell}]" if issue.cell else issue.message


def write_back(client: SheetsClient, target: SheetTarget, rows: Sequence[RowResult], locale: str,
               job_id: str) -> WriteBackResult:
    if not _stamped(client, target, job_id):  # not a sheet this job's requester could edit: not one cell
        return WriteBackResult(status="not_stamped", requests=client.calls)
    sheet = _sheet(client, target)
    if sheet is None:
        return WriteBackResult(status="sheet_missing", requests=client.calls)
    if rows and not any(r.check for r in rows):  # an add-on from before row identities: nothing can be placed
        return WriteBackResult(status="no_row_identity", requests=client.calls, unplaced=len(rows))
    title = sheet["properties"]["title"]  # the current title: the person may have renamed the tab
    grid = sheet["properties"].get("gridProperties", {})
    status_column = _result_column(client, target, title, grid)
    if status_column is None:
        return WriteBackResult(status="columns_taken", requests=client.calls)
    status_col, id_col = column_letter(status_column - 1), column_letter(status_column)
    header_range = f"{_quote(title)}!{status_col}{target.header_row}:{id_col}{target.header_row}"
    placed, moved, unplaced = _place(client, target, title, grid.get("rowCount", 1000), rows)
    setup = _grid_requests(sheet, target, status_column) + _format_requests(sheet, target, status_column, locale)
    if setup:
        client.batch_update(target.spreadsheet_id, {"requests": setup})
    headers = [messages.word("status_header", locale), messages.word("lead_id_header", locale)]
    data = [{"range": f"{_quote(title)}!{status_col}{start}:{id_col}{start + len(values) - 1}", "values": values}
            for start, values in _blocks(placed, locale)]
    for request_data in _requests({"range": header_range, "values": [headers]}, data):
        client.values_batch_update(target.spreadsheet_id, {"valueInputOption": "RAW", "data": request_data})
    last = placed[-1][0] if placed else target.header_row
    return WriteBackResult(status="written", rows=len(placed), requests=client.calls, moved=moved,
                           unplaced=len(unplaced), unplaced_rows=unplaced[:20], status_column=status_col,
                           range=f"{_quote(title)}!{status_col}{target.header_row}:{id_col}{last}")


def _result_column(client: SheetsClient, target: SheetTarget, title: str, grid: dict[str, Any]) -> int | None:
    """Our status column (1-based; the lead id goes in the next), worked out from the sheet as it is now:
    the one an earlier import made, else the first right of the upload's columns and of every header
    cell, provided that no one has written in it. None: the columns it would take hold someone's cells."""
    width = grid.get("columnCount", 26)
    header_range = f"{_quote(title)}!A{target.header_row}:{column_letter(width - 1)}{target.header_row}"
    header = [str(v) for v in (client.values_get(target.spreadsheet_id, header_range).get("values") or [[]])[0]]
    ours, ids = _all_headers("status_header"), _all_headers("lead_id_header")
    found = next((i for i, cell in enumerate(header) if cell in ours), None)
    if found is not None:
        beside = header[found + 1] if found + 1 < len(header) else ""
        if beside in ids:
            return found + 1
        # our status column, but no lead id header beside it: ours only if nobody wrote in that column
        return found + 1 if not beside and _empty(client, target, title, grid, found + 2, found + 2) else None
    column = max(target.columns, len(header)) + 1  # header is trimmed: its last cell is not blank
    return column if _empty(client, target, title, grid, column, column + 1) else None


def _empty(client: SheetsClient, target: SheetTarget, title: str, grid: dict[str, Any], first: int,
           last: int) -> bool:
    """Nobody has written in columns first..last (1-based) from the header row down; columns past the grid
    do not exist yet, and are empty."""
    last = min(last, grid.get("columnCount", 26))
    if first > last:
        return True
    cells = f"{_quote(title)}!{column_letter(first - 1)}{target.header_row}:{column_letter(last - 1)}"
    return not client.values_get(target.spreadsheet_id, cells + str(grid.get("rowCount", 1000))).get("values")


def _place(client: SheetsClient, target: SheetTarget, title: str, row_count: int,
           rows: Sequence[RowResult]) -> tuple[list[tuple[int, RowResult]], int, list[int]]:
    """Where each result goes: beside the row whose identity cells are the ones the result was made from.

    A row still where it was gets its result there; one that moved (a sort, an inserted row) gets it at
    the one place that now holds its cells; a row found nowhere, or in more places than one, gets nothing
    (its status is in the report). Returns ((sheet row, result) in row order, how many moved, unplaced)."""
    first = target.header_row + 1
    now = _identities(client, target, title, first, row_count)
    blank = fingerprint("" for _ in target.checks)
    placed: dict[int, RowResult] = {}
    pending = []
    for result in rows:
        # a row whose identity cells were all empty cannot be told from anyone else's: never placed
        if result.check not in (None, blank) and result.check in now.get(result.row, ()) and result.row not in placed:
            placed[result.row] = result
        else:
            pending.append(result)
    where: dict[str, list[int]] = {}
    for row, prints in now.items():
        if row not in placed:
            for print_ in prints - {blank}:
                where.setdefault(print_, []).append(row)
    unplaced, moved = [], 0
    for result in pending:
        candidates = where.get(result.check or "", []) if result.check != blank else []
        if len(candidates) == 1 and candidates[0] not in placed:
            placed[candidates[0]] = result
            moved += 1
        else:
            unplaced.append(result.row)
    return sorted(placed.items()), moved, sorted(unplaced)


def _identities(client: SheetsClient, target: SheetTarget, title: str, first: int,
                row_count: int) -> dict[int, set[str]]:
    """Each sheet row's identity fingerprints as it is now, rows first..row_count (none past the grid).

    Read as shown and as stored: the add-on sent what a cell shows, but a number shown in scientific
    notation as the number itself (SheetData.js); a formula's error is an empty cell, as it was sent."""
    if row_count < first:
        return {}
    ranges = [f"{_quote(title)}!{column_letter(c)}{first}:{column_letter(c)}{row_count}" for c in target.checks]
    now: dict[int, set[str]] = {}
    for render in ("FORMATTED_VALUE", "UNFORMATTED_VALUE"):
        found = client.values_batch_get(target.spreadsheet_id, ranges, params={"valueRenderOption": render})
        columns = [[_cell(row[0]) if row else "" for row in item.get("values") or []]
                   for item in found.get("valueRanges") or []]
        for index in range(max((len(c) for c in columns), default=0)):
            now.setdefault(first + index, set()).add(fingerprint(c[index] if index < len(c) else "" for c in columns))
    return now


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 593991234567.0 as stored is the 593991234567 the add-on sent
    text = str(value)
    return "" if FORMULA_ERROR.match(text) else text


def _stamped(client: SheetsClient, target: SheetTarget, job_id: str) -> bool:
    """The tab carries this job's stamp, with the secret whose hash the job keeps."""
    if not target.stamp_hash:
        return False
    search = f"{SPREADSHEETS_API_V4_BASE_URL}/{target.spreadsheet_id}/developerMetadata:search"
    try:
        found = client.request("post", search, json={
            "dataFilters": [{"developerMetadataLookup": {"metadataKey": stamp_key(job_id)}}]})
    except APIError as exc:  # not shared with us, or no such spreadsheet: the same answer, so it tells nothing
        if exc.response.status_code in (400, 403, 404):
            return False
        raise
    for match in found.json().get("matchedDeveloperMetadata") or []:
        metadata = match.get("developerMetadata") or {}
        if (metadata.get("location") or {}).get("sheetId") == target.sheet_id and hmac.compare_digest(
                stamp_hash(str(metadata.get("metadataValue") or "")), target.stamp_hash):
            return True
    return False


def _sheet(client: SheetsClient, target: SheetTarget) -> dict[str, Any] | None:
    meta = client.fetch_sheet_metadata(target.spreadsheet_id, params={
        "fields": "sheets(properties(sheetId,title,gridProperties),conditionalFormats(ranges))"})
    return next((s for s in meta.get("sheets", []) if s["properties"]["sheetId"] == target.sheet_id), None)


def _blocks(rows: list[tuple[int, RowResult]], locale: str) -> Iterator[tuple[int, list[list[str | None]]]]:
    """(first row, [[status, lead id] or [None, None] …]) runs of at most RANGE_ROWS rows."""
    index = 0
    while index < len(rows):
        start = rows[index][0]
        values: list[list[str | None]] = []
        while index < len(rows) and rows[index][0] < start + RANGE_ROWS:
            row, result = rows[index]
            values.extend([[None, None]] * (row - start - len(values)))  # rows not read: left alone
            values.append([status_text(result, locale), result.lead_id or ""])
            index += 1
        yield start, values


def _requests(header: dict[str, Any], data: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """The header travels with the first request; then at most REQUEST_ROWS rows a request."""
    batch: list[dict[str, Any]] = [header]
    size = 0
    for item in data:
        if size and size + len(item["values"]) > REQUEST_ROWS:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item["values"])
    if batch:
        yield batch


def _grid_requests(sheet: dict[str, Any], target: SheetTarget, status_column: int) -> list[dict[str, Any]]:
    columns = sheet["properties"].get("gridProperties", {}).get("columnCount", 26)
    needed = status_column + 1
    if columns >= needed:
        return []
    return [{"appendDimension": {"sheetId": target.sheet_id, "dimension": "COLUMNS", "length": needed - columns}}]


def _format_requests(sheet: dict[str, Any], target: SheetTarget, status_column: int,
                     locale: str) -> list[dict[str, Any]]:
    """Colours by status as conditional formats on the status column, added once."""
    column = status_column - 1
    for rule in sheet.get("conditionalFormats", []):
        if any(r.get("startColumnIndex") == column and r.get("endColumnIndex") == column + 1
               for r in rule.get("ranges", [])):
            return []  # an earlier delivery added them
    cells = {"sheetId": target.sheet_id, "startRowIndex": target.header_row, "startColumnIndex": column,
             "endColumnIndex": column + 1}
    requests: list[dict[str, Any]] = [{"repeatCell": {
        "range": {**cells, "startRowIndex": target.header_row - 1, "endRowIndex": target.header_row,
                  "endColumnIndex": column + 2},
        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
        "fields": "userEnteredFormat.textFormat.bold"}}]
    for index, (status, colour) in enumerate(_COLOURS.items()):
        requests.append({"addConditionalFormatRule": {"index": index, "rule": {
            "ranges": [cells],
            "booleanRule": {"condition": {"type": "TEXT_STARTS_WITH",
                                          "values": [{"userEnteredValue": messages.word(status, locale)}]},
                            "format": {"backgroundColor": colour}}}}})
    return requests


def _all_headers(name: str) -> set[str]:
    return {messages.word(name, locale) for locale in ("en", "es", "fr", "ru", "pt")}


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"

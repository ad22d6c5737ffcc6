"""Write each row's outcome back beside the person's data in the Google Sheet it came from.

Two columns the add-on reserved right of the data (status, lead id), never one of the person's
own: the status in the tenant's language (with the error messages and their cells), the lead id.
Rows the job did not read (blank, or already imported and left out) are sent as null, which the
Sheets API skips, so their cells keep what they had. Values go in as RAW text: a message that
starts with "=" stays text. Writing the same result twice writes the same cells: idempotent.

Only a sheet its own requester stamped is written. Every tenant shares its sheets with one writer account,
and a job's source (spreadsheet, tab) comes from the caller: a user of one tenant could name another
tenant's shared spreadsheet. So start_import gives the add-on a secret for the job, the add-on stamps the
tab with it as developer metadata in the user's own session (which only someone who can edit that very
sheet can do), and the job keeps only its hash. Before it reads or writes anything else, the writer looks
for the stamp on the tab and writes nothing, and tells nothing of the sheet, where it is missing or wrong.

Requests: one stamp lookup, one metadata read, one header read, one batchUpdate the first time (grid size, colours
as conditional formats, which follow the text when the person edits), and one values batchUpdate
per 50,000 rows.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from typing import Any

from gspread.exceptions import APIError
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from pydantic import BaseModel, ConfigDict

from leadimport.core.models import RowIssue, RowResult
from leadimport.core.read.table import column_letter
from leadimport.errors import TerminalError
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
    """What the add-on said of the sheet when it submitted (the job's source)."""

    model_config = ConfigDict(extra="ignore")

    spreadsheet_id: str
    sheet_id: int
    sheet_title: str
    status_column: int  # 1-based; the lead id goes in the next one
    data_columns: int
    header_row: int
    stamp_hash: str | None = None  # of the secret the add-on stamped the tab with; None: nothing to prove it


def stamp_key(job_id: str) -> str:
    """The developer metadata key the add-on stamps the tab with for this job."""
    return f"leadimport-job-{job_id}"


def stamp_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class WriteBackResult(BaseModel):
    status: str  # written | not_stamped | sheet_missing | columns_taken
    rows: int = 0
    requests: int = 0
    range: str | None = None


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
    if target.status_column <= target.data_columns:
        raise TerminalError("The status column given overlaps the sheet's data: nothing was written.")
    if not _stamped(client, target, job_id):  # not a sheet this job's requester could edit: not one cell
        return WriteBackResult(status="not_stamped", requests=client.calls)
    sheet = _sheet(client, target)
    if sheet is None:
        return WriteBackResult(status="sheet_missing", requests=client.calls)
    title = sheet["properties"]["title"]  # the current title: the person may have renamed the tab
    status_col, id_col = column_letter(target.status_column - 1), column_letter(target.status_column)
    headers = [messages.word("status_header", locale), messages.word("lead_id_header", locale)]
    header_range = f"{_quote(title)}!{status_col}{target.header_row}:{id_col}{target.header_row}"
    current = (client.values_get(target.spreadsheet_id, header_range).get("values") or [[]])[0]
    if any(cell and cell not in _all_headers() for cell in current):
        return WriteBackResult(status="columns_taken", requests=client.calls, range=header_range)
    setup = _grid_requests(sheet, target) + _format_requests(sheet, target, locale)
    if setup:
        client.batch_update(target.spreadsheet_id, {"requests": setup})
    ordered = sorted(rows, key=lambda r: r.row)
    data = [{"range": f"{_quote(title)}!{status_col}{start}:{id_col}{start + len(values) - 1}", "values": values}
            for start, values in _blocks(ordered, locale)]
    for request_data in _requests({"range": header_range, "values": [headers]}, data):
        client.values_batch_update(target.spreadsheet_id, {"valueInputOption": "RAW", "data": request_data})
    last = ordered[-1].row if ordered else target.header_row
    return WriteBackResult(status="written", rows=len(ordered), requests=client.calls,
                           range=f"{_quote(title)}!{status_col}{target.header_row}:{id_col}{last}")


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


def _blocks(rows: list[RowResult], locale: str) -> Iterator[tuple[int, list[list[str | None]]]]:
    """(first row, [[status, lead id] or [None, None] …]) runs of at most RANGE_ROWS rows."""
    index = 0
    while index < len(rows):
        start = rows[index].row
        values: list[list[str | None]] = []
        while index < len(rows) and rows[index].row < start + RANGE_ROWS:
            result = rows[index]
            values.extend([[None, None]] * (result.row - start - len(values)))  # rows not read: left alone
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


def _grid_requests(sheet: dict[str, Any], target: SheetTarget) -> list[dict[str, Any]]:
    columns = sheet["properties"].get("gridProperties", {}).get("columnCount", 26)
    needed = target.status_column + 1
    if columns >= needed:
        return []
    return [{"appendDimension": {"sheetId": target.sheet_id, "dimension": "COLUMNS", "length": needed - columns}}]


def _format_requests(sheet: dict[str, Any], target: SheetTarget, locale: str) -> list[dict[str, Any]]:
    """Colours by status as conditional formats on the status column, added once."""
    column = target.status_column - 1
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


def _all_headers() -> set[str]:
    return {messages.word(name, locale) for name in ("status_header", "lead_id_header")
            for locale in ("en", "es", "fr", "ru", "pt")}


def _quote(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"

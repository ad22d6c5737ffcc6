"""SheetsApiDouble: a local HTTP test double of the few Sheets v4 endpoints write-back calls.

Values are read back as the API's default FORMATTED_VALUE would give them: text, as the test wrote them.

No emulator of the Sheets API exists, so this double holds a grid per sheet, applies the requests
the real API would (values skipped where null, grid limits enforced, conditional formats kept),
records every request it received, and can be told to answer the next requests with an error.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_A1 = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


@dataclass
class Sheet:
    sheet_id: int
    title: str
    rows: int = 1000
    columns: int = 26
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row 0-based, column 0-based)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)  # developer metadata on the tab: key → value
    shown: dict[tuple[int, int], str] = field(default_factory=dict)  # a cell shown unlike its value: "5.93991E+11"

    def value(self, a1_row: int, column: str) -> Any:
        return self.cells.get((a1_row - 1, column_index(column)))


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int


class SheetsApiDouble:
    def __init__(self) -> None:
        self.spreadsheets: dict[str, list[Sheet]] = {}
        self.requests: list[Recorded] = []
        self.fail_next: list[tuple[int, dict[str, str]]] = []  # (status, headers) answered before any real work
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()

    def add_sheet(self, spreadsheet_id: str, title: str, rows: list[list[Any]], sheet_id: int = 0,
                  columns: int | None = None) -> Sheet:
        sheet = Sheet(sheet_id, title, rows=max(1000, len(rows)), columns=columns or max(len(r) for r in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in (None, ""):
                    sheet.cells[(r, c)] = value
        self.spreadsheets.setdefault(spreadsheet_id, []).append(sheet)
        return sheet

    def stamp(self, spreadsheet_id: str, sheet_id: int, key: str, value: str) -> None:
        """What the add-on's Sheet.addDeveloperMetadata does, in the user's own session."""
        next(s for s in self.spreadsheets[spreadsheet_id] if s.sheet_id == sheet_id).metadata[key] = value

    def calls(self, spreadsheet_id: str) -> list[Recorded]:
        return [r for r in self.requests if f"/spreadsheets/{spreadsheet_id}" in r.path]

    # the API

    def _find(self, spreadsheet_id: str, a1: str) -> tuple[Sheet, int, int, int, int]:
        match = _A1.match(a1)
        if not match:
            raise _ApiError(400, f"Unable to parse range: {a1}")
        title = (match.group(1) or "").replace("''", "'") or match.group(2)
        sheet = next((s for s in self.spreadsheets.get(spreadsheet_id, []) if s.title == title), None)
        if sheet is None:
            raise _ApiError(400, f"Unable to parse range: {a1}")
        c1, r1 = column_index(match.group(3)), int(match.group(4)) - 1
        c2 = column_index(match.group(5)) if match.group(5) else c1
        r2 = int(match.group(6)) - 1 if match.group(6) else r1
        return sheet, r1, c1, r2, c2

    def _get(self, spreadsheet_id: str) -> dict[str, Any]:
        return {"spreadsheetId": spreadsheet_id, "sheets": [
            {"properties": {"sheetId": s.sheet_id, "title": s.title,
                            "gridProperties": {"rowCount": s.rows, "columnCount": s.columns}},
             **({"conditionalFormats": s.conditional_formats} if s.conditional_formats else {})}
            for s in self.spreadsheets[spreadsheet_id]]}

    def _metadata_search(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """developerMetadata:search by key, as the write-back asks it (an unshared spreadsheet is a 404)."""
        keys = {f["developerMetadataLookup"]["metadataKey"] for f in body["dataFilters"]}
        found = [{"developerMetadata": {"metadataKey": key, "metadataValue": value, "visibility": "DOCUMENT",
                                        "location": {"locationType": "SHEET", "sheetId": sheet.sheet_id}}}
                 for sheet in self.spreadsheets[spreadsheet_id] for key, value in sheet.metadata.items()
                 if key in keys]
        return {"matchedDeveloperMetadata": found} if found else {}

    def _values_get(self, spreadsheet_id: str, a1: str, render: str = "FORMATTED_VALUE") -> dict[str, Any]:
        """As shown (text, the default) or, with UNFORMATTED_VALUE, as stored (a number stays a number)."""
        sheet, r1, c1, r2, c2 = self._find(spreadsheet_id, a1)

        def cell(r: int, c: int) -> Any:
            value = sheet.cells.get((r, c), "")
            if render == "UNFORMATTED_VALUE":
                return value
            return sheet.shown.get((r, c), value if isinstance(value, str) else str(value))

        values = [[cell(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        while values and not any(v != "" for v in values[-1]):
            values.pop()
        values = [_trim(row) for row in values]
        return {"range": a1, "majorDimension": "ROWS", **({"values": values} if values else {})}

    def _values_batch_update(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
            raise _ApiError(400, "valueInputOption is required")
        updated = 0
        for item in body["data"]:
            sheet, r1, c1, r2, c2 = self._find(spreadsheet_id, item["range"])
            if r2 >= sheet.rows or c2 >= sheet.columns:
                raise _ApiError(400, f"Range ({item['range']}) exceeds grid limits. Max rows: {sheet.rows}, "
                                     f"max columns: {sheet.columns}")
            for dr, row in enumerate(item["values"]):
                if r1 + dr > r2:
                    raise _ApiError(400, "Requested writing within range, but tried writing past it")
                for dc, value in enumerate(row):
                    if value is None:  # null: the API leaves the cell as it is
                        continue
                    sheet.cells[(r1 + dr, c1 + dc)] = value
                    updated += 1
        return {"spreadsheetId": spreadsheet_id, "totalUpdatedCells": updated}

    def _batch_update(self, spreadsheet_id: str, body: dict[str, Any]) -> dict[str, Any]:
        sheets = {s.sheet_id: s for s in self.spreadsheets[spreadsheet_id]}
        replies: list[dict[str, Any]] = []
        for request in body["requests"]:
            (kind, spec), = request.items()
            if kind == "appendDimension":
                sheet = sheets[spec["sheetId"]]
                if spec["dimension"] == "COLUMNS":
                    sheet.columns += spec["length"]
                else:
                    sheet.rows += spec["length"]
            elif kind == "addConditionalFormatRule":
                rule = spec["rule"]
                sheets[rule["ranges"][0]["sheetId"]].conditional_formats.insert(spec.get("index", 0), rule)
            elif kind == "repeatCell":
                sheets[spec["range"]["sheetId"]].formats.append(spec)
            else:
                raise _ApiError(400, f"the double does not implement {kind}")
            replies.append({})
        return {"spreadsheetId": spreadsheet_id, "replies": replies}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                status, payload, headers = double._route(method, parts.path, body, parse_qs(parts.query))
                with double._lock:
                    double.requests.append(Recorded(method, unquote(parts.path), parse_qs(parts.query), body, status))
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_PUT(self) -> None:
                self._serve("PUT")

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def _route(self, method: str, path: str, body: Any,
               query: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        with self._lock:
            if self.fail_next:
                status, headers = self.fail_next.pop(0)
                return status, {"error": {"code": status, "message": "injected", "status": "UNAVAILABLE"}}, headers
            try:
                return 200, self._dispatch(method, unquote(path), body, query), {}
            except _ApiError as exc:
                return exc.status, {"error": {"code": exc.status, "message": exc.message,
                                              "status": "INVALID_ARGUMENT"}}, {}
            except KeyError as exc:
                return 404, {"error": {"code": 404, "message": f"Requested entity was not found: {exc}",
                                       "status": "NOT_FOUND"}}, {}

    def _dispatch(self, method: str, path: str, body: Any, query: dict[str, list[str]]) -> Any:
        prefix = "/v4/spreadsheets/"
        if not path.startswith(prefix):
            raise _ApiError(404, "unknown path")
        rest = path[len(prefix):]
        if method == "GET" and rest.endswith("/values:batchGet"):
            spreadsheet_id = rest.removesuffix("/values:batchGet")
            render = (query.get("valueRenderOption") or ["FORMATTED_VALUE"])[0]
            return {"spreadsheetId": spreadsheet_id,
                    "valueRanges": [self._values_get(spreadsheet_id, a1, render) for a1 in query.get("ranges", [])]}
        if method == "GET" and "/values/" in rest:
            spreadsheet_id, _, a1 = rest.partition("/values/")
            return self._values_get(spreadsheet_id, a1)
        if method == "GET":
            return self._get(rest)
        if method == "POST" and rest.endswith("/developerMetadata:search"):
            return self._metadata_search(rest.removesuffix("/developerMetadata:search"), body)
        if method == "POST" and rest.endswith("/values:batchUpdate"):
            return self._values_batch_update(rest.removesuffix("/values:batchUpdate"), body)
        if method == "POST" and rest.endswith(":batchUpdate"):
            return self._batch_update(rest.removesuffix(":batchUpdate"), body)
        raise _ApiError(404, f"the double does not implement {method} {path}")


class _ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] == "":
        row = row[:-1]
    return row

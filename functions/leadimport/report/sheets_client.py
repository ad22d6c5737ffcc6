"""gspread's low-level Sheets v4 client, with bounded retries and an endpoint that tests can move.

gspread's own BackOffHTTPClient waits up to 128 s per call and calls itself not production ready;
here a call is tried a few times with exponential backoff (honouring Retry-After) and then handed
back to the platform as a TransientError, so report_result is retried instead of hanging.
"""

from __future__ import annotations

import random
import time
from typing import Any

import google.auth
from google.auth.credentials import AnonymousCredentials
from google.auth.transport.requests import AuthorizedSession
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient
from gspread.urls import SPREADSHEETS_API_V4_BASE_URL
from requests import RequestException, Response

from leadimport.errors import TransientError
from leadimport.settings import Settings

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}


class SheetsClient(HTTPClient):
    def __init__(self, session: AuthorizedSession, endpoint: str | None = None, tries: int = 5,
                 backoff: float = 1.0):
        super().__init__(auth=None, session=session)  # type: ignore[arg-type]  # a ready session needs no auth
        self.timeout = 60
        self._endpoint = endpoint.rstrip("/") if endpoint else None
        self._tries, self._backoff = tries, backoff
        self.calls = 0  # requests sent, retries included: write-back reports it

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
        if self._endpoint:
            endpoint = endpoint.replace(SPREADSHEETS_API_V4_BASE_URL.removesuffix("/v4/spreadsheets"), self._endpoint)
        for attempt in range(1, self._tries + 1):
            self.calls += 1
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as exc:
                status = exc.response.status_code
                if status not in RETRY_STATUSES:
                    raise
                if attempt == self._tries:
                    raise TransientError(f"The Sheets API kept answering {status}; will try again later.") from exc
                self._wait(attempt, exc.response.headers.get("Retry-After"))
            except RequestException as exc:
                if attempt == self._tries:
                    raise TransientError(f"The Sheets API cannot be reached: {type(exc).__name__}") from exc
                self._wait(attempt, None)
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = self._backoff * 2 ** (attempt - 1) * (1 + random.random() / 4)
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 60.0))
        time.sleep(delay)


def sheets_client(settings: Settings, **kwargs: Any) -> SheetsClient:
    """The function's own account (the sheet is shared with it by the add-on); anonymous for a local double."""
    if settings.sheets_endpoint:
        credentials = AnonymousCredentials()
    else:
        credentials, _ = google.auth.default(scopes=SCOPES)
    return SheetsClient(AuthorizedSession(credentials), settings.sheets_endpoint, **kwargs)

"""Exceptions that decide whether the platform retries, and whether a retry blames the input.

A bad row never raises (it becomes a RowIssue). A bad file raises TerminalError: the job fails
with the message and the report still goes out. Anything else escapes a function, so the platform
delivers the event again: TransientError and the outages of Google's services (busy_reason) are
waited out; any other exception is a crash, and MAX_CRASHES of them end the work as poison.
"""

import requests
from google.api_core import exceptions as api
from google.auth.exceptions import TransportError

# What Google's clients raise when a service is unavailable, overloaded or slow
_OUTAGES = (api.ServiceUnavailable, api.DeadlineExceeded, api.InternalServerError, api.BadGateway,
            api.GatewayTimeout, api.TooManyRequests, api.ResourceExhausted, api.RetryError,
            requests.ConnectionError, requests.Timeout, TransportError, ConnectionError, TimeoutError)


class LeadImportError(Exception):
    """Base of the project's exceptions."""


class TerminalError(LeadImportError):
    """Retrying cannot help: end the job with this message."""


class UnreadableFile(TerminalError):
    """The uploaded file cannot be read as a table."""


class TransientError(LeadImportError):
    """Retrying later may succeed (another delivery holds the job, a key is being claimed)."""


def busy_reason(failure: BaseException) -> str | None:
    """"contention" (another delivery or import holds what this one needs), "outage" (a service did not
    answer), or None: a crash, which a retry may well repeat."""
    if isinstance(failure, TransientError | api.Aborted):  # Aborted: Firestore's own "too much contention"
        return "contention"
    if isinstance(failure, _OUTAGES):
        return "outage"
    return None

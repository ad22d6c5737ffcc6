"""Exceptions that decide whether the platform retries, and whether a retry blames the input.

A bad row never raises (it becomes a RowIssue). A bad file raises TerminalError: the job fails
with the message and the report still goes out. Anything else escapes a function, so the platform
delivers the event again: TransientError and the outages of Google's services (store/outages.py) are
waited out; any other exception is a crash, and MAX_CRASHES of them end the work as poison.
"""


class LeadImportError(Exception):
    """Base of the project's exceptions."""


class TerminalError(LeadImportError):
    """Retrying cannot help: end the job with this message."""


class UnreadableFile(TerminalError):
    """The uploaded file cannot be read as a table."""


class TransientError(LeadImportError):
    """Retrying later may succeed (another delivery holds the job, a key is being claimed)."""

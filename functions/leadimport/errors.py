"""Exceptions that decide whether the platform retries.

A bad row never raises (it becomes a RowIssue). A bad file raises TerminalError: the job fails
with the message and the report still goes out. Only TransientError escapes a function, so the
platform delivers the event again.
"""


class LeadImportError(Exception):
    """Base of the project's exceptions."""


class TerminalError(LeadImportError):
    """Retrying cannot help: end the job with this message."""


class UnreadableFile(TerminalError):
    """The uploaded file cannot be read as a table."""


class TransientError(LeadImportError):
    """Retrying later may succeed (another delivery holds the job, a key is being claimed)."""

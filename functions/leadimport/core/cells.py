"""A cell's value as the text a person would type: shared by the readers and calamine's child process,
which imports nothing heavier than this."""

from __future__ import annotations

import datetime as dt


def cell_text(value: object) -> str:
    """A cell as the text a person would type; integral floats lose their '.0' (phones, ids)."""
    if type(value) is str:  # most cells: decided first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):  # a time-of-day or duration cell
        return str(value)
    return str(value).strip()

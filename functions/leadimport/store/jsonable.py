"""Firestore documents as JSON: timestamps become ISO text, everything else stays as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value

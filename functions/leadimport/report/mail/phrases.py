"""The report email's own words in each tenant language (row messages come from i18n/messages.py).

The texts live in the i18n catalog (msgctxt "mail"; "Row" is shared with the error files as "common.row").
"""

from __future__ import annotations

from typing import Any

from leadimport.i18n.catalog import text


def phrase(name: str, locale: str, **params: Any) -> str:
    return text("common.row" if name == "row" else f"mail.{name}", locale, **params)

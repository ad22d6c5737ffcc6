"""Job notes — what the reader and the mapper want the person to know about the whole file — in the
tenant's language. Stages record a code and its details; the pipeline renders them once, for the
job, the report and its email. The texts live in the i18n catalog (msgctxt "note")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leadimport.i18n.catalog import text


@dataclass(frozen=True, slots=True)
class Note:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, locale: str) -> str:
        return text(f"note.{self.code}", locale, **self.params)


def listed(items: list[Any], most: int = 20) -> str:
    """'3, 7, 9 …': a list as a note shows it, cut after `most` items."""
    return ", ".join(str(i) for i in items[:most]) + (" …" if len(items) > most else "")

"""In-file duplicates: a second row with a key of the chain (email, phone, document, name) seen earlier."""

from __future__ import annotations

from collections.abc import Sequence

from leadimport.core.key_table import KeyTable
from leadimport.core.mapping.catalog import BY_NAME
from leadimport.core.models import RowIssue
from leadimport.core.validate import ValidatedRow
from leadimport.i18n import messages

_NONE: tuple[RowIssue, ...] = ()  # most rows: no allocation


class InFileDuplicates:
    """Remembers the first row holding each key; later rows with the same key are refused."""

    def __init__(self, kinds: list[str], locale: str = "en"):
        self._kinds = kinds
        self._locale = locale
        self._first = KeyTable()  # compact: a million-row file keeps two keys a row

    def check(self, row: ValidatedRow) -> Sequence[RowIssue]:
        """The row's duplicates of earlier rows, one issue per key; a row without any is remembered."""
        if row.errors:
            return _NONE
        issues: list[RowIssue] = []
        for kind in self._kinds:
            value = row.keys.get(kind)
            first = self._first.first_row(f"{kind}\x1f{value}") if value else None
            if first is not None:
                issues.append(RowIssue(
                    field=kind, code="duplicate_in_file",
                    message=messages.render("duplicate_in_file", self._locale, first=first, value=value,
                                            field=_label(kind, self._locale)),
                ))
        if issues:
            return issues
        for kind in self._kinds:
            if kind in row.keys:
                self._first.remember(f"{kind}\x1f{row.keys[kind]}", row.row)
        return _NONE


def _label(kind: str, locale: str) -> str:
    field = "full_name" if kind == "name" else kind
    return BY_NAME[field].label(locale) if field in BY_NAME else kind

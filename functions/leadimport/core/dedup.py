"""In-file duplicates: a second row with a key of the chain (email, phone, document, name) seen earlier."""

from __future__ import annotations

from collections.abc import Sequence

from leadimport.core.key_table import KeyTable
from leadimport.core.mapping.catalog import key_label
from leadimport.core.models import RowIssue
from leadimport.core.validate import ValidatedRow
from leadimport.i18n import messages

_NONE: tuple[RowIssue, ...] = ()  # most rows: no allocation


class InFileDuplicates:
    """Remembers the first row holding each key; later rows with the same key are refused, or, when the
    tenant merges repeated rows, marked as repeats of it (`repeat_of`), with a warning that says so."""

    def __init__(self, kinds: list[str], locale: str = "en", merge: bool = False):
        self._kinds = kinds
        self._locale = locale
        self._merge = merge
        self._first = KeyTable()  # compact: a million-row file keeps two keys a row

    def check(self, row: ValidatedRow) -> Sequence[RowIssue]:
        """The row's duplicates of earlier rows, one issue per key; a row without any is remembered. A
        repeat to merge gets one warning; one whose keys name different earlier rows is refused (which lead
        it would complete is anybody's guess)."""
        if row.errors:
            return _NONE
        found = [(kind, row.keys[kind], first) for kind in self._kinds if kind in row.keys
                 for first in [self._first.first_row(f"{kind}\x1f{row.keys[kind]}")] if first is not None]
        if not found:
            self._remember(row, row.row)
            return _NONE
        firsts = {first for _, _, first in found}
        if self._merge and len(firsts) == 1:
            kind, _, first = found[0]
            row.repeat_of = first
            self._remember(row, first)  # its other keys are that lead's too: a third row with them merges there
            return [RowIssue(field=kind, code="merged_into_row", message=messages.render(
                "merged_into_row", self._locale, first=first, field=key_label(kind, self._locale)))]
        return [RowIssue(field=kind, code="duplicate_in_file", message=messages.render(
            "duplicate_in_file", self._locale, first=first, value=value, field=key_label(kind, self._locale)))
            for kind, value, first in found]

    def _remember(self, row: ValidatedRow, first: int) -> None:
        for kind in self._kinds:
            if kind in row.keys:
                self._first.remember(f"{kind}\x1f{row.keys[kind]}", first)

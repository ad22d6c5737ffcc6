"""In-file duplicates: a second row with a key of the chain (email, phone, document, name) seen earlier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from leadimport.core.key_table import KeyTable
from leadimport.core.mapping.catalog import key_label
from leadimport.core.models import RowIssue
from leadimport.core.validate.row import ValidatedRow
from leadimport.i18n import messages

_NONE: tuple[RowIssue, ...] = ()  # most rows: no allocation
RESERVE_ROWS = 1_000_000


class InFileDuplicates:
    """Remembers the first row holding each key; later rows with the same key are refused, or, when the
    tenant merges repeated rows, marked as repeats of it (`repeat_of`), with a warning that says so."""

    def __init__(self, kinds: list[str], locale: str = "en", merge: bool = False):
        self.kinds = list(dict.fromkeys(kinds))  # a chain that names a kind twice checks it once
        self._locale = locale
        self._merge = merge
        self._first = KeyTable()  # compact: a million-row file keeps two keys a row

    def reserve(self, rows: int) -> None:
        """Room for about `rows` rows' keys before the first: growing rehashes every key in Python, about a
        microsecond a row over a big file, on the one process every row passes through. An estimate, so it
        is held to what a million-row file needs anyway (80 MB for two keys a row): past that, it grows."""
        keys = len(self.kinds) * min(rows, RESERVE_ROWS)
        if not len(self._first):
            self._first = KeyTable(1 << max(12, (2 * keys).bit_length()))

    def check(self, row: ValidatedRow) -> Sequence[RowIssue]:
        """The row's duplicates of earlier rows, one issue per key; a row without any is remembered. A
        repeat to merge gets one warning (and its `repeat_of`); one whose keys name different earlier rows is
        refused (which lead it would complete is anybody's guess)."""
        if row.errors:
            return _NONE
        keys, fingerprint = row.keys, self._first.fingerprint
        found, repeat_of = self.find(row.row, [(kind, *fingerprint(f"{kind}\x1f{keys[kind]}"))
                                               for kind in self.kinds if kind in keys])
        if not found:
            return _NONE
        row.repeat_of = repeat_of
        return self.issues(found, keys, repeat_of)

    def find(self, number: int, prints: Sequence[tuple[str, int, int]]) -> tuple[list[tuple[str, int]], int | None]:
        """For a valid row's keys, by fingerprint (kind, low, high): the earlier rows holding any of them, as
        (kind, first row), and the row it merges into, if it does. A row that finds none is remembered."""
        found = self._first.claim(prints, number)
        if not found:
            return found, None
        if self._merge and len({first for _, first in found}) == 1:
            first = found[0][1]
            for _, low, high in prints:  # its other keys are that lead's too: a third row with them merges there
                self._first.remember_at(low, high, first)
            return found[:1], first
        return found, None

    def issues(self, found: list[tuple[str, int]], keys: dict[str, str], repeat_of: int | None) -> list[RowIssue]:
        """What find() found, in the row's words: one warning for a merge, else an error per key."""
        if repeat_of is not None:
            kind = found[0][0]
            return [RowIssue(field=kind, code="merged_into_row", message=messages.render(
                "merged_into_row", self._locale, first=repeat_of, field=key_label(kind, self._locale)))]
        return [RowIssue(field=kind, code="duplicate_in_file", message=messages.render(
            "duplicate_in_file", self._locale, first=first, value=keys[kind], field=key_label(kind, self._locale)))
            for kind, first in found]


def with_duplicates(validated: ValidatedRow, duplicates: Sequence[RowIssue]) -> ValidatedRow:
    """A row with what InFileDuplicates found: a repeat merged into an earlier row's lead is warned; any
    other duplicate is refused."""
    if validated.repeat_of:
        return replace(validated, warnings=[*validated.warnings, *duplicates])
    return replace(validated, errors=[*validated.errors, *duplicates])

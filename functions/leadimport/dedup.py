"""In-file duplicates: a second row with an email or phone seen earlier in the file is an error."""

from __future__ import annotations

from leadimport.models import RowIssue
from leadimport.validate import ValidatedRow

_LABELS = {"email": "email", "phone": "phone"}


class InFileDuplicates:
    """Remembers the first row holding each key; later rows with the same key are refused."""

    def __init__(self, kinds: list[str]):
        self._kinds = kinds
        self._first: dict[tuple[str, str], int] = {}

    def check(self, row: ValidatedRow) -> None:
        if row.errors:
            return
        for kind in self._kinds:
            value = row.keys.get(kind)
            first = self._first.get((kind, value)) if value else None
            if first is not None:
                row.errors.append(RowIssue(
                    field=kind, code="duplicate_in_file",
                    message=f"Same {_LABELS.get(kind, kind)} as row {first} ({value})",
                ))
        if not row.errors:
            for kind in self._kinds:
                if kind in row.keys:
                    self._first[(kind, row.keys[kind])] = row.row

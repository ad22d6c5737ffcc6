"""Which person a sheet row was, so that a result is written beside that person and nobody else.

Between the upload and the write-back the person may sort, filter or insert rows. Each result of a
sheet's import keeps a short fingerprint of the row's identity cells (email, phone, document, name)
as the upload had them; the write-back reads the same cells from the sheet, writes where they still
match, follows a row that moved to the one place that has them, and leaves alone any it cannot place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from leadimport.core.models import ColumnMapping

CHECK_FIELDS = ("email", "phone", "id_number", "full_name", "last_name", "first_name", "company")
MAX_CHECK_COLUMNS = 3  # enough to tell people apart; each is one more column the write-back reads


def check_columns(mapping: Sequence[ColumnMapping]) -> tuple[int, ...]:
    """The indexes of the columns a row's fingerprint is made of, in a fixed order."""
    index = {m.field: i for i, m in enumerate(mapping) if m.field}
    chosen = tuple(index[f] for f in CHECK_FIELDS if f in index) or tuple(sorted(index.values()))
    return chosen[:MAX_CHECK_COLUMNS]  # no name nor contact mapped: the first columns that are


def fingerprint(cells: Iterable[str]) -> str:
    """The same for the same text, however its spaces or letter case were written in the sheet."""
    joined = "\x1f".join(" ".join(cell.split()).casefold() for cell in cells)
    return hashlib.blake2b(joined.encode(), digest_size=8).hexdigest()

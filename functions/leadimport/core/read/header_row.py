"""Which row holds the column names when a title, notes or blank rows stand above it.

People put a report title, an export date or a logo row above the real header; Sperant's and
1C's own exports do it too. The header is the first wide row made only of labels, preferring the
row whose labels are known field names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

SCAN_ROWS = 30  # non-blank rows looked at before giving up and taking the first one
_NUMBER = re.compile(r"^[+-]?[\d\s.,()/:-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.\w+$")


def _is_label(text: str) -> bool:
    """A cell that could name a column: not a number, date, email or a long sentence."""
    return bool(text) and not _NUMBER.match(text) and not _EMAIL.match(text) and len(text) <= 80


def _looks_like_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return True


def pick_header(rows: Sequence[tuple[int, list[str]]], is_known: Callable[[str], bool] | None = None) -> int:
    """The index in `rows` (non-blank (number, cells) pairs) of the header row."""
    if not rows:
        return 0
    widths = [sum(1 for cell in cells if cell) for _, cells in rows]
    widest = max(widths)
    need = 1 if widest == 1 else max(2, (widest + 1) // 2)
    candidates: list[tuple[int, int]] = []  # (known labels, index)
    for index, (_, cells) in enumerate(rows):
        filled = [cell for cell in cells if cell]
        labels = sum(1 for c in filled if _is_label(c) and not _looks_like_date(c))
        # a header may name a column "2024"; it never holds an email
        if len(filled) < need or labels < 0.8 * len(filled) or any(_EMAIL.match(c) for c in filled):
            continue
        known = sum(1 for c in filled if is_known and is_known(c))
        distinct_known = len({c.casefold() for c in filled if is_known and is_known(c)})
        if len({c.casefold() for c in filled}) < len(filled) * 0.8 and distinct_known < 2:
            continue  # a row repeating one word is a banner; "Nombre, Correo, Correo" names columns (two emails)
        candidates.append((known, index))
    if not candidates:
        return 0
    best_known = max(known for known, _ in candidates)
    if best_known >= 2 or (best_known == 1 and widest == 1):
        return next(index for known, index in candidates if known == best_known)
    return candidates[0][1]

"""Which field each column holds: the explicit mapping, else headers, else the column's contents.

Each field goes to one column only: when two columns claim it, the more confident one keeps it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from leadimport.errors import TerminalError
from leadimport.mapping.catalog import FIELDS, is_known_field
from leadimport.models import ColumnMapping

_FUZZY_CUTOFF = 0.8  # Odoo's base_import accepts a distance of 0.2
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: 'Correo Electrónico:' → 'correoelectronico'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # keep й/ё distinct from и/е: strip only the marks Latin letters carry
    kept = "".join(
        ch for i, ch in enumerate(decomposed)
        if not (unicodedata.combining(ch) and i and decomposed[i - 1].isascii())
    )
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", kept))


_SYNONYMS: dict[str, str] = {}
for _spec in FIELDS:
    for _name in (_spec.name, _spec.label, *_spec.synonyms):
        _SYNONYMS.setdefault(fold(_name), _spec.name)


def suggest_mapping(
    columns: Sequence[str],
    samples: Sequence[Sequence[str]],
    explicit: dict[str, str | None] | None = None,
) -> list[ColumnMapping]:
    """One ColumnMapping per column, in column order; `samples` are a few data rows."""
    if explicit:
        return _explicit(columns, explicit)
    candidates: list[ColumnMapping] = []
    for index, column in enumerate(columns):
        values = [row[index] for row in samples if index < len(row) and row[index]]
        candidates.append(_by_header(column) or _by_contents(column, values) or _unmapped(column))
    return _one_column_per_field(candidates)


def _explicit(columns: Sequence[str], explicit: dict[str, str | None]) -> list[ColumnMapping]:
    by_fold = {fold(name): target for name, target in explicit.items()}
    unknown_columns = [name for name in explicit if fold(name) not in {fold(c) for c in columns}]
    if unknown_columns:
        raise TerminalError(
            "The mapping names columns the file does not have: "
            + ", ".join(repr(name) for name in unknown_columns)
            + ". The file's columns are: " + ", ".join(repr(c) for c in columns) + "."
        )
    bad_fields = sorted({t for t in explicit.values() if t and not is_known_field(t)})
    if bad_fields:
        raise TerminalError("The mapping names unknown fields: " + ", ".join(bad_fields) + ".")
    result = []
    for column in columns:
        target = by_fold.get(fold(column))
        result.append(ColumnMapping(column=column, field=target, confidence=1.0, reason="given in the mapping")
                      if target else _unmapped(column))
    taken: dict[str, str] = {}
    for item in result:
        if item.field and item.field in taken:
            raise TerminalError(f"The mapping sends both {taken[item.field]!r} and {item.column!r} to {item.field}.")
        if item.field:
            taken[item.field] = item.column
    return result


def _by_header(column: str) -> ColumnMapping | None:
    key = fold(column)
    if not key:
        return None
    if key in _SYNONYMS:
        return ColumnMapping(column=column, field=_SYNONYMS[key], confidence=1.0, reason="known header name")
    close = difflib.get_close_matches(key, _SYNONYMS.keys(), n=1, cutoff=_FUZZY_CUTOFF)
    if close:
        ratio = difflib.SequenceMatcher(None, key, close[0]).ratio()
        return ColumnMapping(
            column=column, field=_SYNONYMS[close[0]], confidence=round(0.9 * ratio, 2),
            reason=f"header close to {close[0]!r}",
        )
    return None


def _by_contents(column: str, values: list[str]) -> ColumnMapping | None:
    if len(values) < 3:
        return None
    for field, pattern, what in (("email", _EMAIL, "emails"), ("phone", _PHONE, "phone numbers")):
        share = sum(1 for v in values if pattern.match(v)) / len(values)
        if share >= 0.8:
            return ColumnMapping(column=column, field=field, confidence=round(0.8 * share, 2),
                                 reason=f"{share:.0%} of its values look like {what}")
    return None


def _unmapped(column: str) -> ColumnMapping:
    return ColumnMapping(column=column, field=None, confidence=0.0, reason="not recognised")


def _one_column_per_field(candidates: list[ColumnMapping]) -> list[ColumnMapping]:
    best: dict[str, int] = {}
    for index, item in enumerate(candidates):
        if item.field and (item.field not in best or item.confidence > candidates[best[item.field]].confidence):
            best[item.field] = index
    return [
        item if not item.field or best[item.field] == index
        else ColumnMapping(column=item.column, field=None, confidence=0.0,
                           reason=f"{item.field} is taken by {candidates[best[item.field]].column!r}")
        for index, item in enumerate(candidates)
    ]

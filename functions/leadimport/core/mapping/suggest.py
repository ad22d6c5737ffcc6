"""Which field each column holds: the explicit mapping, else the tenant's saved mapping for these
headers, else the header name, else the column's contents.

Each field goes to one column only: when two columns claim it, the more confident one keeps it
(the first on a tie) and the other moves to the field's overflow (a second phone) if it has one.
"""

from __future__ import annotations

from collections.abc import Sequence

from leadimport.core.mapping.catalog import BY_NAME, is_known_field
from leadimport.core.mapping.contents import recognise_values
from leadimport.core.mapping.headers import match_header
from leadimport.core.mapping.reasons import Why, because, why
from leadimport.core.models import ColumnMapping
from leadimport.core.text import fold
from leadimport.errors import TerminalError

OWN_COLUMN_PREFIX = "leadimport"  # "Lead Import: estado", "Lead Import : erreurs": the columns we add
SAMPLE_ROWS = 50  # rows the mapper looks at to recognise a column by its contents


def suggest_mapping(
    columns: Sequence[str],
    samples: Sequence[Sequence[str]],
    explicit: dict[str, str | None] | None = None,
    saved: dict[str, str | None] | None = None,
    custom_fields: Sequence[str] = (),
) -> list[ColumnMapping]:
    """One ColumnMapping per column, in column order; `samples` are a few data rows."""
    if explicit:
        return _given(columns, explicit, why("given"))
    if saved:
        return _given(columns, saved, why("saved"))
    custom = {fold(name): name for name in custom_fields}
    candidates = []
    for index, column in enumerate(columns):
        values = [row[index] for row in samples if index < len(row) and row[index]]
        if fold(column).startswith(OWN_COLUMN_PREFIX):  # our error file or write-back sent back: never data
            candidates.append(_unmapped(column, why("own_column")))
        elif fold(column) in custom:
            candidates.append(ColumnMapping(column=column, field=f"custom.{custom[fold(column)]}", confidence=1.0,
                                            **because(why("tenant_field"))))
        else:
            candidates.append(_suggest_one(column, values))
    return _description_beside_address(_lone_name_is_full_name(_one_column_per_field(candidates)))


KEPT_COLUMNS = 50  # unrecognised columns kept as custom fields, at most: a lead is one document, not a sheet


def keep_unrecognised(mapping: list[ColumnMapping]) -> list[ColumnMapping]:
    """The tenant's keep_unmapped: a column the mapper did not recognise is kept as a custom field named
    after its header, as HubSpot creates a property. A column a person left out of their mapping stays out."""
    result, kept = [], 0
    used = {fold(m.field) for m in mapping if m.field and m.field.startswith("custom.")}
    for item in mapping:
        name = " ".join(item.column.split())[:100].strip()
        for n in range(2, KEPT_COLUMNS + 2):  # two long headers alike in their first 100 characters stay two
            if fold(f"custom.{name}") not in used:
                break
            name = f"{name[:94]} ({n})"
        if item.field is None and [part for part, _ in item.why] == ["not_recognised"] and kept < KEPT_COLUMNS \
                and name and not (name.startswith("__") and name.endswith("__")):  # Firestore's reserved names
            item = ColumnMapping(column=item.column, field=f"custom.{name}", confidence=0.5,
                                 **because(why("kept_as_custom", name=name)))
            used.add(fold(item.field or ""))
            kept += 1
        result.append(item)
    return result


def by_letter(given: dict[str, str | None], letters: Sequence[str], columns: Sequence[str]) -> dict[str, str | None]:
    """A mapping keyed by column letter, keyed by the table's own column names instead. A letter the table
    does not have is refused if it names a field, and left out if it names none (an empty column)."""
    names = dict(zip(letters, columns, strict=True))
    given = {letter: field for letter, field in given.items() if field or letter.strip().upper() in names}
    unknown = [letter for letter in given if letter.strip().upper() not in names]
    if unknown:
        raise TerminalError(
            "The mapping names columns the sheet does not send: " + ", ".join(repr(k) for k in unknown)
            + ". Its columns are: " + ", ".join(f"{letter} ({name!r})" for letter, name in names.items()) + "."
        )
    return {names[letter.strip().upper()]: field for letter, field in given.items()}


def _suggest_one(column: str, values: list[str]) -> ColumnMapping:
    header = match_header(column)
    contents = recognise_values(values)
    if header and (header.confidence >= 0.9 or not contents or contents[0] == header.field):
        return ColumnMapping(column=column, field=header.field, confidence=header.confidence, **because(header.why))
    if contents:
        field, share, found = contents
        parts = [found, why("header_suggested", field=header.field)] if header else [found]
        return ColumnMapping(column=column, field=field, confidence=round(0.8 * share, 2), **because(*parts))
    return _unmapped(column)


def _given(columns: Sequence[str], given: dict[str, str | None], reason: Why) -> list[ColumnMapping]:
    by_fold = {fold(name): target for name, target in given.items()}
    folded_columns = {fold(c) for c in columns}
    unknown_columns = [name for name in given if fold(name) not in folded_columns]
    if unknown_columns:
        raise TerminalError(
            "The mapping names columns the file does not have: "
            + ", ".join(repr(name) for name in unknown_columns)
            + ". The file's columns are: " + ", ".join(repr(c) for c in columns) + "."
        )
    bad_fields = sorted({t for t in given.values() if t and not is_known_field(t)})
    if bad_fields:
        raise TerminalError("The mapping names unknown fields: " + ", ".join(bad_fields) + ".")
    result = []
    taken: dict[str, str] = {}
    for column in columns:
        target = by_fold.get(fold(column))
        if target and target in taken:
            raise TerminalError(f"The mapping sends both {taken[target]!r} and {column!r} to {target}.")
        if target:
            taken[target] = column
        result.append(ColumnMapping(column=column, field=target, confidence=1.0, **because(reason))
                      if target else _unmapped(column, why("not_in_mapping")))
    return result


def _unmapped(column: str, reason: Why = ("not_recognised", {})) -> ColumnMapping:
    return ColumnMapping(column=column, field=None, confidence=0.0, **because(reason))


def _one_column_per_field(candidates: list[ColumnMapping]) -> list[ColumnMapping]:
    result = list(candidates)
    order = sorted(range(len(result)), key=lambda i: -result[i].confidence)  # stable: the first wins ties
    owner: dict[str, int] = {}
    for index in order:
        item = result[index]
        if not item.field:
            continue
        field = item.field
        if field in owner:
            overflow = BY_NAME[field].overflow if field in BY_NAME else None
            if overflow and overflow not in owner:
                owner[overflow] = index
                result[index] = item.model_copy(update={"field": overflow, **because(
                    *item.why, why("taken", field=field, column=repr(result[owner[field]].column)))})
                continue
            taken = why("taken", field=field, column=repr(result[owner[field]].column))
            result[index] = ColumnMapping(column=item.column, field=None, confidence=0.0, **because(taken))
            continue
        owner[field] = index
    return result


_GENERIC_NAMES = frozenset(fold(w) for w in ("name", "nombre", "nome", "nom", "имя"))


def _lone_name_is_full_name(mapping: list[ColumnMapping]) -> list[ColumnMapping]:
    """'Nombre' beside 'Apellidos' is a first name; 'Nombre' alone holds the whole name."""
    fields = {m.field for m in mapping if m.field}
    if "full_name" in fields or ("first_name" in fields) == ("last_name" in fields):
        return mapping
    return [
        m.model_copy(update={"field": "full_name", **because(why("only_name"))})
        if m.field in {"first_name", "last_name"} and fold(m.column) in _GENERIC_NAMES else m
        for m in mapping
    ]


_DESCRIPTION = frozenset(fold(w) for w in ("description", "descripción", "descrição", "описание"))


def _description_beside_address(mapping: list[ColumnMapping]) -> list[ColumnMapping]:
    """Seed 001's template puts "Description" (of the place or the address) right of "Address"; a bare
    description anywhere else is a note, as before."""
    if any(m.field == "address_details" for m in mapping):
        return mapping
    for index in range(1, len(mapping)):
        item = mapping[index]
        if mapping[index - 1].field == "address" and fold(item.column) in _DESCRIPTION and item.confidence < 1:
            return [*mapping[:index], ColumnMapping(column=item.column, field="address_details", confidence=0.9,
                                                    **because(why("beside_address"))), *mapping[index + 1:]]
    return mapping


def restrict_mapping(mapping: list[ColumnMapping], allowed: set[str]) -> list[ColumnMapping]:
    """Keep only the columns a bulk operation uses (its keys, the owner); the rest are not imported."""
    return [m if m.field in allowed or m.field is None
            else ColumnMapping(column=m.column, field=None, confidence=0.0,
                               **because(why("not_in_operation", field=str(m.field))))
            for m in mapping]

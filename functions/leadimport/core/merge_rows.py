"""Rows merged into an earlier row's lead (the tenant's `repeated_rows: "merge"`), with no I/O.

The check pass marks each repeat with the row it repeats (core/dedup.py); the write stage writes repeats
after every row they repeat. The repeats of one row that reach the writer together are folded here into
one row, in file order, so that their lead is written once, however often a person appears in the file:
a later non-empty value fills or updates an earlier one; a job's default never overrides a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from leadimport.core.validate.row import ValidatedRow

Keys = Callable[[dict[str, Any]], dict[str, str]]


def fold(rows: list[ValidatedRow], keys: Keys) -> tuple[list[ValidatedRow], dict[int, list[ValidatedRow]]]:
    """(the rows to write, and for each folded one the rows it stands for, by its number: its first's)."""
    out: list[ValidatedRow] = []
    groups: dict[int, list[ValidatedRow]] = {}
    for row in rows:
        if row.repeat_of is None:
            out.append(row)
        else:
            groups.setdefault(row.repeat_of, []).append(row)
    members = {}
    for group in groups.values():
        combined = _combined(group, keys)
        out.append(combined)
        members[combined.row] = group
    return out, members


def _combined(group: list[ValidatedRow], keys: Keys) -> ValidatedRow:
    fields: dict[str, Any] = {}
    opportunity: dict[str, Any] = {}
    by_cell: set[str] = set()
    fill_only: set[str] = set()
    new_only: set[str] = set()
    for row in group:
        defaulted = row.fill_only | row.new_only
        for name, value in row.fields.items():
            if name in defaulted and name in fields:
                continue  # a default never overrides what a cell said
            if name == "tags":
                have = list(fields.get("tags") or [])
                known = {tag.casefold() for tag in have}
                fields["tags"] = have + [tag for tag in value if tag.casefold() not in known]
            elif name == "custom":
                fields["custom"] = {**(fields.get("custom") or {}), **value}
            else:
                fields[name] = value
        by_cell |= set(row.fields) - defaulted
        fill_only |= row.fill_only
        new_only |= row.new_only
        opportunity.update(row.opportunity)
    first = group[0]
    return replace(first, fields=fields, keys=keys(fields), errors=[], warnings=[], opportunity=opportunity,
                   fill_only=frozenset(fill_only - by_cell), new_only=frozenset(new_only - by_cell))

"""A checked row as one line of JSON: how a big file's rows travel to import_chunk in chunk files, and
how the check pass's worker processes hand their rows back (core/check_workers.py).

Every part of a row the writer uses goes in the line (tests/unit/test_fanout_files.py holds it to that):
a fanned-out import must decide what a small one decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from leadimport.core.models import RowIssue
from leadimport.core.read.table import SheetRow
from leadimport.core.validate.row import ValidatedRow

CheckedRow = tuple[SheetRow, ValidatedRow]
Lines = list[tuple[bytes, bool]]  # rows as UTF-8 lines, each with whether it merges into an earlier row's lead


def _issues(issues: list[RowIssue]) -> list[dict]:
    return [issue.model_dump(exclude_none=True) for issue in issues]


def encode_line(row: SheetRow, checked: ValidatedRow) -> str:
    return json.dumps([row.number, row.values, checked.fields, checked.keys, _issues(checked.errors),
                       _issues(checked.warnings), checked.opportunity, sorted(checked.fill_only),
                       sorted(checked.new_only), checked.repeat_of], ensure_ascii=False, separators=(",", ":"))


def decode_line(line: str) -> CheckedRow:
    number, values, fields, keys, errors, warnings, opportunity, fill_only, new_only, repeat_of = json.loads(line)
    return SheetRow(number, tuple(values)), ValidatedRow(
        number, fields, keys, [RowIssue(**issue) for issue in errors], [RowIssue(**issue) for issue in warnings],
        opportunity, frozenset(fill_only), frozenset(new_only), repeat_of)


def encode_rows(rows: list[CheckedRow]) -> bytes:
    return join_lines([encode_line(row, checked).encode() for row, checked in rows])


def join_lines(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


def split_lines(data: bytes) -> Iterator[str]:
    """The lines join_lines joined, split where it joined them and only there: str.splitlines() also splits
    at U+2028, U+0085 and the like, which json.dumps(ensure_ascii=False) leaves as they are in a cell."""
    return (line.decode() for line in data.split(b"\n") if line)


def decode_rows(data: bytes) -> list[CheckedRow]:
    return [decode_line(line) for line in split_lines(data)]

"""A big file's checked rows travel to import_chunk in chunk files: every part of a row the writer uses
must come back as it went, or a fanned-out import would decide differently from a small one."""

from __future__ import annotations

import dataclasses

from leadimport.core.models import RowIssue
from leadimport.core.read.table import SheetRow
from leadimport.core.row_lines import decode_rows, encode_rows
from leadimport.core.validate.row import ValidatedRow


def test_a_checked_row_comes_back_from_its_chunk_file_whole() -> None:
    row = ValidatedRow(
        7, {"first_name": "Ana", "owner": "ana@sol.ec", "source": "Feria", "custom": {"Proyecto": "Mirador"}},
        keys={"email": "ana@x.ec"}, errors=[], warnings=[RowIssue(field="owner", code="unknown_owner", message="x")],
        opportunity={"opportunity_subject": "Casa"}, fill_only=frozenset({"source", "custom.Proyecto"}),
        new_only=frozenset({"owner"}), repeat_of=3)
    # every field of ValidatedRow is given a value unlike its default, so one left out of the file shows
    defaults = ValidatedRow(0, {})
    assert all(getattr(row, f.name) != getattr(defaults, f.name) for f in dataclasses.fields(ValidatedRow)
               if f.name not in {"errors"})
    [(sheet_row, back)] = decode_rows(encode_rows([(SheetRow(7, ("Ana", "a@x.ec")), row)]))
    assert back == row and sheet_row.values == ("Ana", "a@x.ec")


def test_a_cell_with_any_unicode_line_break_comes_back_in_its_own_row() -> None:
    """Pasted notes carry U+2028 and U+2029, and a latin-1 file's 0x85 reads as U+0085: JSON keeps them as
    they are, so a chunk file split at every Unicode line break would cut the row in two."""
    breaks = "uno\u2028dos\u2029tres\x85cuatro\x0bcinco\x0cseis\x1csiete\rocho"
    rows = [(SheetRow(n, ("Ana", breaks)), ValidatedRow(n, {"notes": breaks})) for n in (2, 3)]
    back = decode_rows(encode_rows(rows))
    assert [(row.number, row.values, checked.fields) for row, checked in back] == [
        (2, ("Ana", breaks), {"notes": breaks}), (3, ("Ana", breaks), {"notes": breaks})]

"""Fuzzed files never crash the reader: every input either gives rows or fails with a clear reason."""

from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from leadimport.core.read.files import read_table
from leadimport.errors import UnreadableFile

_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc"))
_CELLS = st.one_of(st.none(), st.text(_PRINTABLE, max_size=30), st.integers(-10**15, 10**15),
                   st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.dates())


def _read_all(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            table = read_table(path, name)
            rows = list(table.rows)
        except UnreadableFile as exc:
            assert str(exc)  # a reason a person can read
            return
        assert all(len(row.values) == len(table.columns) for row in rows)
        numbers = [row.number for row in rows]
        assert numbers == sorted(set(numbers)) and all(n > table.header_row for n in numbers)


@_FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _read_all(data, "upload.csv")


@_FUZZ
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=6),
                max_size=12),
       st.sampled_from([",", ";", "\t", "|", " "]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1251", "cp1252", "latin-1"]))
def test_delimited_text_in_any_encoding(rows: list[list[str]], delimiter: str, encoding: str) -> None:
    text = "\n".join(delimiter.join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
    _read_all(text.encode(encoding, errors="replace"), "leads.txt")


@_FUZZ
@given(st.lists(st.lists(_CELLS, max_size=6), max_size=10), st.integers(0, 5000), st.randoms())
def test_workbooks_whole_and_damaged(rows: list[list[object]], cut: int, rng: random.Random) -> None:
    book = Workbook()
    for row in rows:
        book.active.append([str(c) if isinstance(c, float) and c != c else c for c in row])
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    _read_all(data, "leads.xlsx")
    damaged = bytearray(data[: max(cut, 30)])
    for _ in range(5):
        # a position drawn as a fraction: the file's length varies with openpyxl's timestamps, and a draw
        # bounded by it would make hypothesis see a different strategy from one run to the next
        damaged[int(rng.random() * len(damaged))] = rng.randrange(256)
    _read_all(bytes(damaged), "leads.xlsx")

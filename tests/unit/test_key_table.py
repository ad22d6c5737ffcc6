"""The compact table of keys seen in a file: first rows kept, growth, and nothing found that was not put."""

from __future__ import annotations

import random

from leadimport.core.key_table import KeyTable


def test_first_rows_survive_growth_and_misses_stay_misses() -> None:
    table = KeyTable(capacity=4)
    keys = [f"email\x1fuser{i}@example.com" for i in range(50_000)]
    for row, key in enumerate(keys, start=2):
        assert table.first_row(key) is None
        table.remember(key, row)
    for row, key in enumerate(keys, start=2):
        table.remember(key, 999_999)  # a later row never replaces the first
        assert table.first_row(key) == row
    assert len(table) == 50_000
    rng = random.Random(3)
    assert all(table.first_row(f"email\x1fother{rng.random()}@example.com") is None for _ in range(20_000))
    assert table.first_row("phone\x1fuser7@example.com") is None  # the kind is part of the key

"""The compact table of keys seen in a file: first rows kept, growth, and nothing found that was not put."""

from __future__ import annotations

import random

from leadimport.core.key_table import KeyTable, keyed_fingerprint


def test_first_rows_survive_growth_and_misses_stay_misses() -> None:
    table = KeyTable(capacity=4)
    prints = [("email", *KeyTable.fingerprint(f"email\x1fuser{i}@example.com")) for i in range(50_000)]
    for row, key in enumerate(prints, start=2):
        assert table.claim([key], row) == []  # not there yet: remembered
    for row, key in enumerate(prints, start=2):
        table.remember_at(key[1], key[2], 999_999)  # a later row never replaces the first
        assert table.claim([key], 999_999) == [("email", row)]
    assert len(table) == 50_000
    rng = random.Random(3)
    fresh = KeyTable(capacity=4)  # misses, looked up in a table that holds them all
    for row, key in enumerate(prints, start=2):
        fresh.claim([key], row)
    assert all(table.claim([("email", *KeyTable.fingerprint(f"email\x1fother{rng.random()}@example.com"))], 1)
               == [] for _ in range(20_000))
    assert fresh.claim([("phone", *KeyTable.fingerprint("phone\x1fuser7@example.com"))], 1) == []  # the kind counts
    assert len(fresh) == 50_001


def test_claim_finds_every_earlier_key_of_a_row_or_remembers_them_all() -> None:
    """The dedup's one call a row, by fingerprints made in worker processes (keyed alike in all of them)."""
    fingerprint = keyed_fingerprint(b"0123456789abcdef")
    assert fingerprint("email\x1fana@x.ec") == keyed_fingerprint(b"0123456789abcdef")("email\x1fana@x.ec")
    assert fingerprint("email\x1fana@x.ec") != keyed_fingerprint(b"another secret!!")("email\x1fana@x.ec")
    table = KeyTable(capacity=4)

    def prints(**keys: str) -> list[tuple[str, int, int]]:
        return [(kind, *fingerprint(f"{kind}\x1f{value}")) for kind, value in keys.items()]

    for row in range(2, 20_002):  # through many growths
        assert table.claim(prints(email=f"u{row}@x.ec", phone=f"+5939{row:08d}"), row) == []
    assert len(table) == 40_000
    assert table.claim(prints(email="u7@x.ec", phone="+593900009000"), 30_000) == [("email", 7), ("phone", 9000)]
    assert table.claim(prints(email="new@x.ec", phone="+593900000011"), 30_001) == [("phone", 11)]
    assert len(table) == 40_000  # a row that found one of its keys remembers none of them
    assert table.claim(prints(email="new@x.ec"), 30_002) == []
    assert table.claim([*prints(email="twice@x.ec"), *prints(email="twice@x.ec")], 30_003) == []  # a key twice
    assert len(table) == 40_002
    assert table.claim(prints(email="twice@x.ec"), 30_004) == [("email", 30_003)]

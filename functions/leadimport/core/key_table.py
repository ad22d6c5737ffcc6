"""A compact map from keys seen in a file to the first row that held each: about 40 bytes a key.

A dict of (kind, value) tuples costs some 180 bytes a key, 360 MB for the two keys of each of a
million rows. Here each key is a 128-bit fingerprint (two independent 64-bit hashes) in flat
arrays, probed linearly: a false match needs both hashes of two different keys to agree, about
one chance in 10^26 for a million-row file.
"""

from __future__ import annotations

import hashlib
import struct
from array import array
from collections.abc import Callable, Sequence
from typing import TypeVar

_TWO_INT64 = struct.Struct("<qq")
T = TypeVar("T")


class KeyTable:
    """Keys known by their fingerprints (two 64-bit halves): claim() looks a row's keys up and remembers
    them, remember_at() files one under a given row. fingerprint() makes them for this process (hash() is
    salted per process); keyed_fingerprint(), alike in every process of one check pass."""

    def __init__(self, capacity: int = 1 << 12):
        self._size = 0
        self._allocate(capacity)

    def _allocate(self, capacity: int) -> None:
        self._mask = capacity - 1
        self._low = array("q", [0]) * capacity
        self._high = array("q", [0]) * capacity
        self._rows = array("i", [0]) * capacity  # 0: an empty slot (rows are numbered from 1)

    @staticmethod
    def fingerprint(key: str) -> tuple[int, int]:
        # two hashes of different strings (a tuple's hash would only remix the first)
        return hash(key), hash(key + "\x1f")

    def remember_at(self, low: int, high: int, row: int) -> None:
        """Keeps the first row for a key: a key already present is left as it is."""
        self.claim([(None, low, high)], row)

    def claim(self, prints: Sequence[tuple[T, int, int]], row: int) -> list[tuple[T, int]]:
        """For keys known by fingerprint, each with a label: (label, first row) of those already present, and
        when none is, all of them remembered for `row`. One call a row: the in-file dedup's whole lookup."""
        if (self._size + len(prints)) * 2 > self._mask + 1:
            self._grow()
        mask, rows, lows, highs = self._mask, self._rows, self._low, self._high
        found = []
        for label, low, high in prints:
            slot = low & mask
            while rows[slot]:
                if lows[slot] == low and highs[slot] == high:
                    found.append((label, rows[slot]))
                    break
                slot = (slot + 1) & mask
        if found:
            return found
        for _, low, high in prints:
            slot = low & mask
            while rows[slot]:
                if lows[slot] == low and highs[slot] == high:
                    break  # the same key twice in one row: once is enough
                slot = (slot + 1) & mask
            else:
                lows[slot], highs[slot], rows[slot] = low, high, row
                self._size += 1
        return found

    def _grow(self) -> None:
        lows, highs, rows = self._low, self._high, self._rows  # moved straight across: no list of entries
        self._allocate((self._mask + 1) * 2)
        mask, new_lows, new_highs, new_rows = self._mask, self._low, self._high, self._rows
        for slot, row in enumerate(rows):
            if row:  # keys are distinct: only a free slot is looked for
                low = lows[slot]
                at = low & mask
                while new_rows[at]:
                    at = (at + 1) & mask
                new_lows[at], new_highs[at], new_rows[at] = low, highs[slot], row

    def __len__(self) -> int:
        return self._size


def keyed_fingerprint(secret: bytes) -> Callable[[str], tuple[int, int]]:
    """A fingerprint every process of one check pass makes alike (hash() is salted per process), keyed with
    the pass's secret so that nobody can write a file of keys that collide in the table's probes."""
    keyed, unpack = hashlib.blake2b(digest_size=16, key=secret), _TWO_INT64.unpack

    def fingerprint(key: str) -> tuple[int, int]:
        state = keyed.copy()  # half the cost of keying a new one
        state.update(key.encode())
        return unpack(state.digest())

    return fingerprint

"""A compact map from keys seen in a file to the first row that held each: about 40 bytes a key.

A dict of (kind, value) tuples costs some 180 bytes a key, 360 MB for the two keys of each of a
million rows. Here each key is a 128-bit fingerprint (two independent 64-bit hashes) in flat
arrays, probed linearly: a false match needs both hashes of two different keys to agree, about
one chance in 10^26 for a million-row file.
"""

from __future__ import annotations

from array import array


class KeyTable:
    """first_row(key) and remember(key, row) for the lifetime of one process (hash() is per process)."""

    def __init__(self, capacity: int = 1 << 12):
        self._size = 0
        self._allocate(capacity)

    def _allocate(self, capacity: int) -> None:
        self._mask = capacity - 1
        self._low = array("q", [0]) * capacity
        self._high = array("q", [0]) * capacity
        self._rows = array("i", [0]) * capacity  # 0: an empty slot (rows are numbered from 1)

    @staticmethod
    def _fingerprint(key: str) -> tuple[int, int]:
        # two hashes of different strings (a tuple's hash would only remix the first)
        return hash(key), hash(key + "\x1f")

    def first_row(self, key: str) -> int | None:
        low, high = self._fingerprint(key)
        slot = low & self._mask
        rows, lows, highs = self._rows, self._low, self._high
        while rows[slot]:
            if lows[slot] == low and highs[slot] == high:
                return rows[slot]
            slot = (slot + 1) & self._mask
        return None

    def remember(self, key: str, row: int) -> None:
        """Keeps the first row for a key: a key already present is left as it is."""
        if (self._size + 1) * 2 > self._mask + 1:
            self._grow()
        self._put(*self._fingerprint(key), row)

    def _put(self, low: int, high: int, row: int) -> None:
        slot = low & self._mask
        while self._rows[slot]:
            if self._low[slot] == low and self._high[slot] == high:
                return
            slot = (slot + 1) & self._mask
        self._low[slot], self._high[slot], self._rows[slot] = low, high, row
        self._size += 1

    def _grow(self) -> None:
        lows, highs, rows = self._low, self._high, self._rows  # moved straight across: no list of entries
        self._size = 0
        self._allocate((self._mask + 1) * 2)
        for slot, row in enumerate(rows):
            if row:
                self._put(lows[slot], highs[slot], row)

    def __len__(self) -> int:
        return self._size

"""Firestore writes grouped into WriteBatch commits of at most 500 (Firestore's limit)."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore

MAX_WRITES = 500


class BatchedWrites:
    """Collects set/update/create writes and commits them in batches of MAX_WRITES."""

    def __init__(self, db: firestore.Client):
        self._db = db
        self._batch = db.batch()
        self._pending = 0
        self.committed = 0

    def set(self, ref: firestore.DocumentReference, data: dict[str, Any], merge: bool = False) -> None:
        self._batch.set(ref, data, merge=merge)
        self._added()

    def update(self, ref: firestore.DocumentReference, data: dict[str, Any]) -> None:
        self._batch.update(ref, data)
        self._added()

    def _added(self) -> None:
        self._pending += 1
        if self._pending >= MAX_WRITES:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._batch.commit()
            self.committed += self._pending
            self._batch, self._pending = self._db.batch(), 0

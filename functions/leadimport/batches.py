"""Firestore writes grouped into WriteBatch commits of at most 500 (Firestore's limit)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from google.cloud import firestore

MAX_WRITES = 500
IN_FLIGHT = 4  # commits sent together when their order does not matter


def create_together(db: firestore.Client, docs: Iterable[tuple[firestore.DocumentReference, dict[str, Any]]]) -> None:
    """create() every document, in batches of MAX_WRITES committed side by side (key claims: no order
    between them). Every batch is waited for; then the first failure, AlreadyExists say, is raised."""
    docs = list(docs)
    batches = []
    for start in range(0, len(docs), MAX_WRITES):
        batch = db.batch()
        for ref, data in docs[start:start + MAX_WRITES]:
            batch.create(ref, data)
        batches.append(batch)
    if len(batches) <= 1:
        for batch in batches:
            batch.commit()
        return
    with ThreadPoolExecutor(max_workers=min(IN_FLIGHT, len(batches))) as pool:
        futures = [pool.submit(batch.commit) for batch in batches]
    for future in futures:
        future.result()


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

"""Firestore writes grouped into WriteBatch commits of at most 500 (Firestore's limit)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore

MAX_WRITES = 500
IN_FLIGHT = 4  # commits sent together when their order does not matter
_SETTLE_ROUNDS = 3  # create / find rounds before create_or_find settles the rest one by one


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


def create_or_find(db: firestore.Client,
                   docs: list[tuple[firestore.DocumentReference, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """create() every document that does not exist yet; returns those that did (path → what they hold).

    Claims, mostly: the caller compares what it finds with what it wanted. When a batch fails on a
    document that exists, one get_all finds every such document and the rest are created again,
    so a conflict costs a few round trips, never one per document. A batch the emulator applied in
    part is found the same way (holding the caller's own data).
    """
    found: dict[str, dict[str, Any]] = {}
    pending = list(docs)
    for _ in range(_SETTLE_ROUNDS):
        try:
            create_together(db, pending)
            return found
        except AlreadyExists:
            pass
        existing = {snap.reference.path: snap.to_dict() or {}
                    for snap in db.get_all([ref for ref, _ in pending]) if snap.exists}
        found.update(existing)
        pending = [(ref, data) for ref, data in pending if ref.path not in existing]
    for ref, data in pending:  # other writers keep taking documents: one at a time, to an end
        try:
            ref.create(data)
        except AlreadyExists:
            found[ref.path] = ref.get().to_dict() or {}
    return found


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

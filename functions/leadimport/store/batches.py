"""Firestore writes grouped into WriteBatch commits of at most 500 (Firestore's limit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from google.api_core.exceptions import AlreadyExists, FailedPrecondition
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
    so a conflict costs a few round trips, never one per document. (On the npm fallback emulator,
    whose commits are not atomic, a batch applied in part is found the same way, holding the
    caller's own data.)
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


@dataclass
class _Write:
    op: str  # "set", "create", "update" or "delete"
    ref: firestore.DocumentReference
    data: dict[str, Any] | None = None
    merge: bool = False
    read_at: dt.datetime | None = None  # applies only while the document's update_time is still this
    tied_to: str | None = None  # dropped with the guarded write on this document, when that one is


class BatchedWrites:
    """Collects set/update/delete writes and commits them in batches of MAX_WRITES.

    An update or delete may carry the update_time its document was read at (`read_at`): Firestore
    applies it only if nobody has written the document since, so a read-modify-write never loses
    another writer's change; a create applies only if the document does not exist. A batch with a
    stale guard fails whole; it is sent again without the writes on documents that changed (and the
    writes tied to them, which always travel in the same batch), whose paths gather in `changed` for
    the caller to read again and decide anew.
    """

    def __init__(self, db: firestore.Client):
        self._db = db
        self._pending: list[_Write] = []
        self.changed: set[str] = set()

    def set(self, ref: firestore.DocumentReference, data: dict[str, Any], merge: bool = False,
            tied_to: firestore.DocumentReference | None = None) -> None:
        self._add(_Write("set", ref, data, merge=merge, tied_to=tied_to.path if tied_to else None))

    def create(self, ref: firestore.DocumentReference, data: dict[str, Any]) -> None:
        self._add(_Write("create", ref, data))

    def update(self, ref: firestore.DocumentReference, data: dict[str, Any],
               read_at: dt.datetime | None = None) -> None:
        self._add(_Write("update", ref, data, read_at=read_at))

    def delete(self, ref: firestore.DocumentReference, read_at: dt.datetime | None = None) -> None:
        self._add(_Write("delete", ref, read_at=read_at))

    def _add(self, write: _Write) -> None:
        room = 2 if write.read_at else 1  # a guarded write keeps room for the write tied to it, added next
        if len(self._pending) + room > MAX_WRITES:
            self.flush()
        self._pending.append(write)

    def flush(self) -> None:
        writes, self._pending = self._pending, []
        while writes:
            batch = self._db.batch()
            for write in writes:
                option = self._db.write_option(last_update_time=write.read_at) if write.read_at else None
                if write.op == "set":
                    batch.set(write.ref, write.data or {}, merge=write.merge)
                elif write.op == "create":
                    batch.create(write.ref, write.data or {})
                elif write.op == "update":
                    batch.update(write.ref, write.data or {}, option=option)
                else:
                    batch.delete(write.ref, option=option)
            try:
                batch.commit()
            except (FailedPrecondition, AlreadyExists):
                changed = _changed_since_read(self._db, [w for w in writes if w.read_at or w.op == "create"])
                if not changed:
                    raise
                self.changed |= changed
                writes = [w for w in writes if w.ref.path not in changed and w.tied_to not in changed]
                continue
            return


def _changed_since_read(db: firestore.Client, guarded: list[_Write]) -> set[str]:
    """The guarded documents written (or deleted) since they were read, and those a create finds
    already there: one get_all."""
    if not guarded:
        return set()
    wanted = {write.ref.path: write for write in guarded}
    changed = set()
    for snap in db.get_all([write.ref for write in guarded]):
        write = wanted[snap.reference.path]
        if snap.exists if write.op == "create" else (not snap.exists or snap.update_time != write.read_at):
            changed.add(snap.reference.path)
    return changed

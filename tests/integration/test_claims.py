"""create_or_find, the claim mechanism under key claims, before-images and outside-chain keys: a
conflict is settled in a few round trips, never one per document, and finds exactly what exists."""

from __future__ import annotations

import collections
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from leadimport.store.batches import create_or_find
from leadimport.store.clients import firestore_client

pytestmark = pytest.mark.stack


def test_a_conflict_is_settled_in_a_few_round_trips(stack: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    db = firestore_client()
    claims = db.collection("claims-test").document(uuid.uuid4().hex).collection("keys")
    taken = {n: {"holder": "other"} for n in range(0, 1200, 4)}  # every fourth already held by someone else
    for n, data in taken.items():
        claims.document(f"k{n}").create(data)
    calls: collections.Counter[str] = collections.Counter()
    api = db._firestore_api

    def counting(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return method(*args, **kwargs)
        return call

    for name in ("commit", "batch_get_documents", "get_document"):
        monkeypatch.setattr(api, name, counting(name, getattr(api, name)))
    found = create_or_find(db, [(claims.document(f"k{n}"), {"holder": "me"}) for n in range(1200)])
    monkeypatch.undo()
    assert {path.rsplit("/", 1)[1] for path, data in found.items() if data == {"holder": "other"}} == {
        f"k{n}" for n in taken}
    stored = {doc.id: doc.to_dict() for doc in claims.stream()}
    assert len(stored) == 1200
    assert all(stored[f"k{n}"] == ({"holder": "other"} if n in taken else {"holder": "me"}) for n in range(1200))
    # 3 batches that fail, one get_all, 3 batches of the rest: not 1,200 single creates and reads
    assert calls["get_document"] == 0 and calls["batch_get_documents"] <= 2 and calls["commit"] <= 8

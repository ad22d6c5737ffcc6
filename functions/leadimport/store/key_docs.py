"""Dedup key documents: one per (kind, normalised value) naming the lead that holds it.

Ids are hashes (core/keys.py's key_id), so no email or phone appears in a document path or a log line.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.cloud import firestore

from leadimport.core.keys import key_id
from leadimport.store.batches import BatchedWrites


def key_ref(tenant: firestore.DocumentReference, kind: str, value: str) -> firestore.DocumentReference:
    return tenant.collection("lead_keys").document(key_id(kind, value))


def release_keys(db: firestore.Client, tenant: firestore.DocumentReference,
                 keys: Iterable[tuple[str, str, str]]) -> None:
    """Delete key documents (kind, value, lead id), each only while it still names that lead: one get_all,
    then batched deletes guarded by what was read, so a key another lead takes meanwhile stays with it."""
    owners = {key_ref(tenant, kind, value).path: lead_id for kind, value, lead_id in keys}
    if not owners:
        return
    writes = BatchedWrites(db)
    for snap in db.get_all([db.document(path) for path in owners]):
        if snap.exists and (snap.to_dict() or {}).get("lead_id") == owners[snap.reference.path]:
            writes.delete(snap.reference, read_at=snap.update_time)
    writes.flush()

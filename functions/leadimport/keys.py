"""Dedup keys: one document per (kind, normalised value) naming the lead that holds it.

Ids are hashes, so no email or phone appears in a document path or a log line.
"""

from __future__ import annotations

import hashlib

from google.cloud import firestore


def key_id(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:40]


def key_ref(tenant: firestore.DocumentReference, kind: str, value: str) -> firestore.DocumentReference:
    return tenant.collection("lead_keys").document(key_id(kind, value))


def new_lead_id(job_id: str, row: int) -> str:
    """The id a row's new lead gets: the same on every retry, so a replay recognises its own lead."""
    return hashlib.sha256(f"{job_id}\x1f{row}".encode()).hexdigest()[:20]

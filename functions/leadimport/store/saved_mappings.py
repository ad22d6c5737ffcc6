"""Mappings a tenant confirmed, remembered by the file's header fingerprint (Odoo's learned mappings).

The fingerprint is the set of folded column names, so the same export with its columns in another
order, or with different capitals, finds the same mapping again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from google.cloud import firestore

from leadimport.core.text import fold


def header_fingerprint(columns: Sequence[str]) -> str:
    names = sorted({fold(c) for c in columns if fold(c)})
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:32]


def _ref(tenant: firestore.DocumentReference, columns: Sequence[str]) -> firestore.DocumentReference:
    return tenant.collection("mappings").document(header_fingerprint(columns))


def load_saved_mapping(tenant: firestore.DocumentReference, columns: Sequence[str]) -> dict[str, str | None] | None:
    snapshot = _ref(tenant, columns).get()
    if not snapshot.exists:
        return None
    saved = (snapshot.to_dict() or {}).get("mapping") or {}
    present = {fold(c) for c in columns}
    return {column: target for column, target in saved.items() if fold(column) in present} or None


def save_mapping(tenant: firestore.DocumentReference, columns: Sequence[str], mapping: dict[str, str | None],
                 job_id: str) -> None:
    _ref(tenant, columns).set({"columns": list(columns), "mapping": mapping, "job_id": job_id,
                               "saved_at": firestore.SERVER_TIMESTAMP})

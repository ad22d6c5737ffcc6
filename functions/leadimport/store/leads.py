"""A tenant's leads in Firestore, tenants/{t}/leads/{lead_id}: the one place the collection is named, for
the matcher, the writer, undo, reassignment and the CLI's `leads`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.cloud import firestore

from leadimport.store.jsonable import plain


def leads_of(tenant: firestore.DocumentReference) -> firestore.CollectionReference:
    return tenant.collection("leads")


def lead_ref(tenant: firestore.DocumentReference, lead_id: str) -> firestore.DocumentReference:
    return leads_of(tenant).document(lead_id)


def stream_leads(tenant: firestore.DocumentReference) -> Iterator[dict[str, Any]]:
    """Every lead of the tenant as JSON, its id first (timestamps as ISO text), as Firestore streams them."""
    for snap in leads_of(tenant).stream():
        yield {"id": snap.id, **plain(snap.to_dict() or {})}

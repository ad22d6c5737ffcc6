"""How long a job's details are kept. Firestore's TTL policy (infra/firestore.tf) deletes a document
once its `expire_at` has passed, so nothing here deletes; the job itself and its report stay."""

from __future__ import annotations

import datetime as dt

EXPIRES_FIELD = "expire_at"
# what TTL clears: delivery attempts, chunk checkpoints and finish leases, before-images, the daily
# counts of unproven mail a tenant's address received, and the daily answers spent on each sender
TTL_COLLECTIONS = ("attempts", "chunks", "finish", "before", "inbound_refusals", "inbound_reply_budget")
DETAIL_DAYS = 30  # attempts, chunks, finish: only a running job needs them
UNDO_DAYS = 90  # before-images: an import can be undone this long after it ran


def expires(days: int) -> dict[str, dt.datetime]:
    """The field that lets TTL delete a document `days` from now."""
    return {EXPIRES_FIELD: dt.datetime.now(dt.UTC) + dt.timedelta(days=days)}

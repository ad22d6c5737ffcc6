"""Claims that keep a message to one send, however often the event or webhook that causes it comes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore

from leadimport.errors import TransientError

# A delivery marked "sending" for longer than this died mid-send: send again.
SEND_TIMEOUT = dt.timedelta(minutes=5)
DONE = ("sent", "no_recipient", "refused")
Delivery = Literal["email", "sheet"]


def delivery_ref(job: firestore.DocumentReference, kind: Delivery) -> firestore.DocumentReference:
    """import_jobs/{job}/deliveries/{email|sheet}: whether the report went out, and how."""
    return job.collection("deliveries").document(kind)


def delivery_state(job: firestore.DocumentReference, kind: Delivery) -> dict[str, Any] | None:
    """The delivery's document (status, at, …), or None while nothing was tried."""
    snap = delivery_ref(job, kind).get()
    return (snap.to_dict() or {}) if snap.exists else None


def claim_delivery(delivery: firestore.DocumentReference) -> bool:
    """True when this call should send: nobody has, and nobody is sending right now."""
    now = dt.datetime.now(dt.UTC)
    try:
        delivery.create({"status": "sending", "at": now})
        return True
    except AlreadyExists:
        pass
    state = delivery.get().to_dict() or {}
    if state.get("status") in DONE:
        return False
    at = state.get("at")
    if state.get("status") == "sending" and isinstance(at, dt.datetime) and now - at < SEND_TIMEOUT:
        raise TransientError("Another delivery is sending this report right now.")
    delivery.update({"status": "sending", "at": now})
    return True

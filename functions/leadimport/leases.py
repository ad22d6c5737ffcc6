"""Leases: one delivery at a time works on a job, or on one chunk of a job; a dead holder's work is taken over.

A leased document carries `attempt` and `lease_until`. Each attempt also create()s
`attempts/{n}` under it: create() is the one write every Firestore (and the npm emulator, whose
transactions take no locks) refuses twice, so two deliveries never both take over one lease.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore

from leadimport.errors import TransientError
from leadimport.retention import DETAIL_DAYS, expires


@dataclass
class Lease:
    ref: firestore.DocumentReference
    attempt: int
    settled: bool  # nothing for this delivery to do: the work ended (or moved on) before it came
    found: dict[str, Any] = field(default_factory=dict)  # the document as an earlier delivery left it


def take(ref: firestore.DocumentReference, fields: dict[str, Any], length: dt.timedelta, *,
         settled: Callable[[dict[str, Any]], bool],
         on_takeover: Callable[[dict[str, Any]], dict[str, Any]] = lambda found: {}) -> Lease:
    """Create the document with a lease, or take it over from a delivery whose lease ran out.

    Raises TransientError while another delivery holds a live lease, so the platform retries this
    one later: by then the work has ended (and this delivery ends quietly) or its holder has died
    (and this delivery takes over).
    """
    now = dt.datetime.now(dt.UTC)
    try:
        ref.create({**fields, "attempt": 1, "lease_until": now + length})
        ref.collection("attempts").document("1").create({"at": now, **expires(DETAIL_DAYS)})
        return Lease(ref, 1, settled=False)
    except AlreadyExists:
        pass
    found = ref.get().to_dict() or {}
    if settled(found):
        return Lease(ref, int(found.get("attempt") or 1), settled=True, found=found)
    lease_until = found.get("lease_until")
    if isinstance(lease_until, dt.datetime) and lease_until > now:
        raise TransientError(f"{ref.id} is being processed by another delivery.")
    attempt = int(found.get("attempt") or 0) + 1
    try:
        ref.collection("attempts").document(str(attempt)).create({"at": now, **expires(DETAIL_DAYS)})
    except AlreadyExists as exc:
        raise TransientError(f"{ref.id} was just taken over by another delivery.") from exc
    ref.update({**on_takeover(found), "attempt": attempt, "lease_until": now + length})
    return Lease(ref, attempt, settled=False, found=found)


def renew(lease: Lease, length: dt.timedelta, fields: dict[str, Any] | None = None) -> None:
    """The holder is alive (and here is what it has done): a fresh lease, in the same write."""
    lease.ref.update({**(fields or {}), "lease_until": dt.datetime.now(dt.UTC) + length})


def release(lease: Lease) -> None:
    """The holder crashed (not a bad input): let the platform's retry take over at once."""
    lease.ref.update({"lease_until": dt.datetime.now(dt.UTC)})


class Renewer:
    """Renews a lease (with the holder's progress) at most every RENEW_SECONDS, however fast the work
    goes: a write per batch of rows would be a third of a re-import's round trips."""

    RENEW_SECONDS = 5.0  # also how fresh the progress a person watches is; a lease must last 4 times this

    def __init__(self, lease: Lease, length: dt.timedelta):
        self._lease, self._length = lease, length
        self._last = time.monotonic()

    def progress(self, fields: dict[str, Any]) -> None:
        if time.monotonic() - self._last >= self.RENEW_SECONDS:
            renew(self._lease, self._length, fields)
            self._last = time.monotonic()

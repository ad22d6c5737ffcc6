"""Leases: one delivery at a time works on a job, or on one chunk of a job; a dead holder's work is taken over.

A leased document carries `attempt` and `lease_until`. Each attempt also create()s
`attempts/{n}` under it, so two deliveries never both take over one lease.

The lease also remembers why each holder stopped, so a retry blames the right thing. A holder that
met contention or an outage releases it as `busy`: the input is fine, and the platform retries it
with backoff for as long as it retries. Only a holder that crashed (an exception nobody expected)
or died (its lease ran out) counts toward MAX_CRASHES, the sign of a poison input.
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
from leadimport.store.outages import busy_reason
from leadimport.store.retention import DETAIL_DAYS, expires

MAX_CRASHES = 4  # holders that crashed or died before the work is given up as poison
# Contention and outages are retried until this long after the first one, then the work ends saying
# so: Eventarc retries a 2nd-gen function's event for 24 hours, so we end it before it gives up.
BUSY_WINDOW = dt.timedelta(hours=20)


@dataclass
class Lease:
    ref: firestore.DocumentReference
    attempt: int
    settled: bool  # nothing for this delivery to do: the work ended (or moved on) before it came
    found: dict[str, Any] = field(default_factory=dict)  # the document as an earlier delivery left it
    crashes: int = 0  # earlier holders that crashed or died
    busy_since: dt.datetime | None = None  # the first time a holder met contention or an outage
    busy: str | None = None  # what it met last: "contention" or "outage"

    def gave_up(self) -> str | None:
        """Why this holder should end the work instead of trying: "crashed", "busy", or None to go on."""
        if self.crashes >= MAX_CRASHES:
            return "crashed"
        if self.busy_since and dt.datetime.now(dt.UTC) - self.busy_since > BUSY_WINDOW:
            return "busy"
        return None


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
        ref.create({**fields, "attempt": 1, "crashes": 0, "lease_until": now + length})
        ref.collection("attempts").document("1").create({"at": now, **expires(DETAIL_DAYS)})
        return Lease(ref, 1, settled=False)
    except AlreadyExists:
        pass
    found = ref.get().to_dict() or {}
    if settled(found):
        return Lease(ref, int(found.get("attempt") or 1), settled=True, found=found)
    if holder_alive(found, now):
        raise TransientError(f"{ref.id} is being processed by another delivery.")
    attempt, crashes = takeover(found)
    try:
        ref.collection("attempts").document(str(attempt)).create({"at": now, **expires(DETAIL_DAYS)})
    except AlreadyExists as exc:
        raise TransientError(f"{ref.id} was just taken over by another delivery.") from exc
    ref.update({**on_takeover(found), "attempt": attempt, "crashes": crashes, "released": None,
                "lease_until": now + length})
    return Lease(ref, attempt, settled=False, found=found, crashes=crashes, busy_since=found.get("busy_since"),
                 busy=found.get("busy"))


def holder_alive(found: dict[str, Any], now: dt.datetime) -> bool:
    """Another delivery holds a lease that has not run out: this one waits (the platform retries it)."""
    lease_until = found.get("lease_until")
    return isinstance(lease_until, dt.datetime) and lease_until > now


def takeover(found: dict[str, Any]) -> tuple[int, int]:
    """The attempt a delivery taking over the work makes, and the crashes counted so far.

    A holder that released the lease as busy met contention or an outage; any other crashed or died (a job
    start_import created, waiting for its file, had no holder yet: attempt 0).
    """
    held = int(found.get("attempt") or 0)
    return held + 1, int(found.get("crashes") or 0) + (held > 0 and found.get("released") != "busy")


def renew(lease: Lease, length: dt.timedelta, fields: dict[str, Any] | None = None) -> None:
    """The holder is alive (and here is what it has done): a fresh lease, in the same write."""
    lease.ref.update({**(fields or {}), "lease_until": dt.datetime.now(dt.UTC) + length})


def release(lease: Lease, failure: BaseException) -> None:
    """The holder failed: let the platform's retry take over at once, and record whether the failure
    counts against the input (a crash) or not (contention or an outage: the retry will wait it out)."""
    now = dt.datetime.now(dt.UTC)
    reason = busy_reason(failure)
    fields: dict[str, Any] = {"released": "crash"} if reason is None else {
        "released": "busy", "busy": reason, "busy_since": lease.busy_since or now}
    lease.ref.update({**fields, "lease_until": now})


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

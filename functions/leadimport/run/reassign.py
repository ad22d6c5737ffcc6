"""Reassign leads from one user to another (seed 004's "Reasignar clientes"), as a job like an import.

Optionally only the leads of some segments, and the orphans (leads nobody owns) to a user. With
`keep_original` the origin user keeps the lead as a co-owner (seed 004's "Mantener asignación en
usuario origen"). Each changed lead gets a before-image, so `leadimport undo` reverts the job too,
and the report and email go out as for an import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from typing import Any

from google.cloud import firestore, storage

from leadimport.core import history
from leadimport.core.models import Reassignment, RowIssue, RowResult
from leadimport.core.validate.owners import OwnerDirectory
from leadimport.errors import TerminalError
from leadimport.i18n import messages
from leadimport.report.results import JobReport
from leadimport.run.lifecycle import end_job
from leadimport.store import jobs
from leadimport.store.batches import BatchedWrites
from leadimport.store.leads import leads_of
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant

_ROUNDS = 5  # a lead that keeps changing while it is reassigned is reported after this many looks
_SLICE = 200  # leads judged and written together (a before-image and an update each: 400 writes, one batch)


def reassign(db: firestore.Client, gcs: storage.Client, reports_bucket: str, tenant_id: str,
             request: Reassignment, requested_by: str | None = None) -> tuple[str, JobReport]:
    tenant = tenant_ref(db, tenant_id)
    config = load_tenant(db, tenant_id)
    users = OwnerDirectory(config.users)
    destination = _user(users, request.to_user)
    origin = _user(users, request.from_user) if request.from_user else None
    if origin is None and not request.orphans:
        raise TerminalError("Say whose leads to reassign (--from) or reassign the orphans (--orphans).")
    job_id = "reassign-" + uuid.uuid4().hex[:16]
    label = f"reassign {origin or ''}{' + ' if origin and request.orphans else ''}" \
            f"{'orphans' if request.orphans else ''} → {destination}"
    claim = jobs.begin_job(tenant, job_id, {"tenant": tenant_id, "source": {"kind": "reassign", "filename": label},
                                            "options": request.model_dump(), "requested_by": requested_by})
    report = JobReport(job_id=job_id, filename=label, columns=["lead"], locale=config.locale)
    reports = gcs.bucket(reports_bucket)
    try:
        _move(db, tenant, claim, request, origin, destination, report)
    except Exception as exc:
        # every job ends: this one failed, with what it did write, which undo can revert (if even this
        # fails, the job's lease runs out and jobs.end_abandoned ends it)
        with contextlib.suppress(Exception):
            end_job(claim.ref, reports, tenant_id, report, "failed", f"The reassignment stopped after "
                    f"{report.counts.updated} leads ({type(exc).__name__}). Undo it to put them back, or run it "
                    "again to move the rest.", [])
        raise
    end_job(claim.ref, reports, tenant_id, report, "done", None,
            [f"{report.counts.updated} leads reassigned to {destination}"])
    return job_id, report


def _move(db: firestore.Client, tenant: firestore.DocumentReference, claim: jobs.JobClaim, request: Reassignment,
          origin: str | None, destination: str, report: JobReport) -> None:
    """Give each lead of the origin (or each orphan) to the destination, a slice at a time; each lead is
    written only while it is still as read, and one that changed meanwhile is judged again as it is now."""
    wanted = {s.casefold() for s in request.segments}
    progress = jobs.progress_recorder(claim)

    def moves(lead: dict[str, Any]) -> bool:
        owner = lead.get("owner")
        return bool((origin and owner == origin) or (request.orphans and not owner)) and (
            not wanted or str(lead.get("segment") or "").casefold() in wanted)

    leads = leads_of(tenant).stream()  # no query can select "no owner": scan the tenant
    numbers: dict[str, int] = {}  # lead → its row in the report (and in its before-image), kept across rounds
    while chunk := list(itertools.islice(leads, _SLICE)):
        _move_slice(db, tenant, claim.job_id, chunk, moves, destination, origin if request.keep_original else None,
                    report, numbers)
        progress(report.counts)


def _move_slice(db: firestore.Client, tenant: firestore.DocumentReference, job_id: str,
                snaps: list[firestore.DocumentSnapshot], moves: Callable[[dict[str, Any]], bool], destination: str,
                co_owner: str | None, report: JobReport, numbers: dict[str, int]) -> None:
    before = jobs.before_images(tenant, job_id)
    now = dt.datetime.now(dt.UTC)
    for _ in range(_ROUNDS):
        writes = BatchedWrites(db)
        planned = []
        for snap in snaps:
            lead = snap.to_dict() or {}
            if history.written_by(lead, job_id):  # our own write landed, though its commit was answered with an error
                report.add(RowResult(row=lead["last_import"]["row"], status="updated", lead_id=snap.id), (snap.id,))
                continue
            if not snap.exists or not moves(lead):
                continue
            number = numbers.setdefault(snap.id, len(numbers) + 1)
            update = _update(lead, job_id, number, destination, co_owner, now)
            writes.update(snap.reference, update, read_at=snap.update_time)
            writes.set(before.document(snap.id), history.before_image(number, lead, update), tied_to=snap.reference)
            planned.append((snap, number))
        between_read_and_write(planned)
        writes.flush()
        for snap, number in planned:
            if snap.reference.path not in writes.changed:
                report.add(RowResult(row=number, status="updated", lead_id=snap.id), (snap.id,))
        snaps = [snap for snap, _ in planned if snap.reference.path in writes.changed]
        if not snaps:
            return
        snaps = list(db.get_all([snap.reference for snap in snaps]))  # changed under us: judged again as now
    for snap in (snap for snap in snaps if snap.exists and moves(snap.to_dict() or {})):  # kept changing: said so
        report.add(RowResult(row=numbers[snap.id], status="error", lead_id=snap.id, errors=[RowIssue(
            code="concurrent_conflict", message=messages.render("concurrent_conflict", report.locale))]), (snap.id,))


def between_read_and_write(planned: list[tuple[firestore.DocumentSnapshot, int]]) -> None:
    """Runs after a slice of leads is read and judged, before it is written: nothing in production; a
    test lands an import here, which is the race the preconditions guard."""


def _user(users: OwnerDirectory, text: str) -> str:
    found = users.resolve(text)
    if not found.email:
        raise TerminalError(f"'{text}' is not one active user of this tenant: name a user by email.")
    return found.email


def _update(lead: dict[str, Any], job_id: str, row: int, owner: str, co_owner: str | None,
            now: dt.datetime) -> dict[str, Any]:
    update = history.updated(lead, {"owner": owner}, job_id, row, now)
    if co_owner:
        update["co_owners"] = sorted({*lead.get("co_owners", []), co_owner})
    return update

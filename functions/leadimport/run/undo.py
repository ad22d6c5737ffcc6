"""Revert one import: delete the leads it created, restore the leads it updated from the
before-images kept with the job, and give the dedup keys back to the values the leads hold again.

A lead another import (or person) has changed since is left alone and reported. Every delete and
restore is written only while the lead is still as undo read it (a `last_update_time`
precondition), so an import that lands between undo's look and its write is never reverted: the
lead is read again and judged again. Undo can run any number of times: deleted leads are gone,
restored before-images are marked done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.api_core.exceptions import AlreadyExists, FailedPrecondition
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath
from pydantic import BaseModel, Field

from leadimport.core import history
from leadimport.core.keys import key_forms
from leadimport.errors import TerminalError
from leadimport.store.jobs import before_images, end_abandoned, jobs_of
from leadimport.store.key_docs import key_ref, release_keys
from leadimport.store.leads import lead_ref, leads_of
from leadimport.store.retention import UNDO_DAYS

_ROUNDS = 5  # a lead that keeps changing under undo is left alone after this many looks
RESTORED = "restored"  # an image whose lead is restored, its keys not yet mended


class UndoReport(BaseModel):
    job_id: str
    deleted: int = 0  # leads the job created
    restored: int = 0  # leads the job updated, back as they were
    left: list[dict[str, str]] = Field(default_factory=list)  # leads changed since: {lead_id, reason}
    opportunities_deleted: int = 0
    # the leads put back as they were: the add-on marks their rows in the sheet (not kept on the job)
    undone_leads: list[str] = Field(default_factory=list, exclude=True)


def undo_job(db: firestore.Client, tenant: firestore.DocumentReference, job_id: str) -> UndoReport:
    job_ref = jobs_of(tenant).document(job_id)
    snap = job_ref.get()
    if not snap.exists:
        raise TerminalError(f"There is no import {job_id} in this tenant.")
    job = end_abandoned(snap)
    if job.get("status") == "running":
        raise TerminalError(f"Import {job_id} is still running: undo it once it has finished.")
    # counted from the job's creation, before any before-image of it was written: each image expires UNDO_DAYS
    # after its own write (retention.py), so none is gone yet. Counted from the end, a long job's first images
    # could have expired, and undo would delete what it created but not restore what it changed.
    created = job.get("created_at")
    if isinstance(created, dt.datetime) and dt.datetime.now(dt.UTC) - created > dt.timedelta(days=UNDO_DAYS):
        raise TerminalError(f"Import {job_id} ran more than {UNDO_DAYS} days ago and can no longer be undone.")
    report = UndoReport(job_id=job_id)
    undone: set[str] = set()
    leads = leads_of(tenant)
    for snap in leads.where(filter=FieldFilter("created_by_job", "==", job_id)).stream():
        if _delete_created(db, tenant, snap, job_id, report):
            undone.add(snap.id)
    for snap in before_images(tenant, job_id).stream():
        before = snap.to_dict() or {}
        if before.get("undone") is True:
            undone.add(snap.id)
            continue
        if before.get("undone") == RESTORED:  # an earlier undo restored the lead and stopped before its keys
            _repair_keys(db, tenant, snap.reference, before, job_id, report)
            undone.add(snap.id)
        elif _restore(db, tenant, snap.reference, before, job_id, report):
            undone.add(snap.id)
    for snap in tenant.collection("opportunities").where(filter=FieldFilter("job_id", "==", job_id)).stream():
        if (snap.to_dict() or {}).get("lead_id") in undone:
            snap.reference.delete()
            report.opportunities_deleted += 1
    job_ref.update({"undo": {**report.model_dump(exclude={"job_id"}), "at": dt.datetime.now(dt.UTC)}})
    report.undone_leads = sorted(undone)
    return report


def _delete_created(db: firestore.Client, tenant: firestore.DocumentReference, snap: firestore.DocumentSnapshot,
                    job_id: str, report: UndoReport) -> bool:
    """Delete a lead the job created, unless a later import changed it (judged again whenever it moves)."""
    for _ in range(_ROUNDS):
        lead = snap.to_dict() or {}
        if not snap.exists or not history.written_by(lead, job_id):
            report.left.append({"lead_id": snap.id, "reason": "changed by a later import" if snap.exists
                                else "deleted"})
            return False
        between_look_and_write(snap.id)
        try:  # the lead first: a key left behind is stale and reclaimable
            snap.reference.delete(option=db.write_option(last_update_time=snap.update_time))
        except FailedPrecondition:
            snap = snap.reference.get()  # written since undo looked: look again
            continue
        release_keys(db, tenant, [(kind, value, snap.id) for kind, value in key_forms(lead)])
        report.deleted += 1
        return True
    report.left.append({"lead_id": snap.id, "reason": "kept changing while undo ran"})
    return False


def _restore(db: firestore.Client, tenant: firestore.DocumentReference, image: firestore.DocumentReference,
             before: dict[str, Any], job_id: str, report: UndoReport) -> bool:
    lead_id = image.id
    ref = lead_ref(tenant, lead_id)
    for _ in range(_ROUNDS):
        snap = ref.get()
        # its last write is this job's (a repeat merged into it is a later row of the same job)
        if not snap.exists or not history.written_by(snap.to_dict() or {}, job_id):
            report.left.append({"lead_id": lead_id,
                                "reason": "changed by a later import" if snap.exists else "deleted"})
            return False
        current = snap.to_dict() or {}
        missing = before.get("missing", [])
        restored = {k: v for k, v in {**current, **before.get("fields", {})}.items() if k not in missing}
        # every field the import wrote, back as it was (or gone, if it added it)
        fields = {**before.get("fields", {}), **dict.fromkeys(missing, firestore.DELETE_FIELD)}
        # and every key of a value the lead no longer holds is to be freed (chain keys and those outside it)
        release = [{"kind": kind, "value": value} for kind, value in sorted(key_forms(current) - key_forms(restored))]
        between_look_and_write(lead_id)
        # the lead and its image in one commit: a re-run never restores it again, and finds the keys to mend
        batch = db.batch()
        batch.update(ref, {FieldPath(name).to_api_repr(): value for name, value in fields.items()},
                     option=db.write_option(last_update_time=snap.update_time))
        batch.update(image, {"undone": RESTORED, "release": release})
        try:
            batch.commit()
        except FailedPrecondition:
            continue  # written since undo looked: look again
        break
    else:
        report.left.append({"lead_id": lead_id, "reason": "kept changing while undo ran"})
        return False
    _repair_keys(db, tenant, image, {**before, "release": release}, job_id, report)
    return True


def _repair_keys(db: firestore.Client, tenant: firestore.DocumentReference, image: firestore.DocumentReference,
                 before: dict[str, Any], job_id: str, report: UndoReport) -> None:
    """After a restore: free the keys of values the lead gave back, point the ones it holds again at it, and
    only then mark the image done. Each step is safe to repeat, so a re-run after a crash finishes it."""
    lead_id = image.id
    release_keys(db, tenant, [(key["kind"], key["value"], lead_id) for key in before.get("release") or []])
    keys_before, keys_after = before.get("keys_before", {}), before.get("keys_after", {})
    moved = [kind for kind in set(keys_before) | set(keys_after) if keys_before.get(kind) != keys_after.get(kind)]
    for kind in moved:
        if kind in keys_before:
            _reclaim_key(tenant, lead_id, kind, keys_before[kind], job_id, report)
    image.update({"undone": True})
    report.restored += 1


def between_look_and_write(lead_id: str) -> None:
    """Runs after undo judged a lead and before it writes: nothing in production; a test lands an import
    here, which is the race the preconditions guard."""


def _reclaim_key(tenant: firestore.DocumentReference, lead_id: str, kind: str, value: str, job_id: str,
                 report: UndoReport) -> None:
    """The value the lead holds again points at it again, unless another lead took it meanwhile."""
    ref = key_ref(tenant, kind, value)
    try:
        ref.create({"kind": kind, "lead_id": lead_id, "job_id": f"undo:{job_id}",
                    "claimed_at": dt.datetime.now(dt.UTC)})
    except AlreadyExists:
        holder = (ref.get().to_dict() or {}).get("lead_id")
        if holder != lead_id:
            report.left.append({"lead_id": lead_id, "reason": f"its old {kind} now belongs to lead {holder}"})

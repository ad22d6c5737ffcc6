"""Reassign leads from one user to another (seed 004's "Reasignar clientes"), as a job like an import.

Optionally only the leads of some segments, and the orphans (leads nobody owns) to a user. With
`keep_original` the origin user keeps the lead as a co-owner (seed 004's "Mantener asignación en
usuario origen"). Each changed lead gets a before-image, so `leadimport undo` reverts the job too,
and the report and email go out as for an import.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from google.cloud import firestore, storage
from pydantic import BaseModel, Field

from leadimport import jobs
from leadimport.batches import BatchedWrites
from leadimport.errors import TerminalError
from leadimport.models import RowResult
from leadimport.report_files import JobReport, announce_finished, store_report
from leadimport.tenants import load_tenant
from leadimport.undo import before_image
from leadimport.validate.owners import OwnerDirectory


class Reassignment(BaseModel):
    to_user: str
    from_user: str | None = None  # None: only orphans (with orphans=True)
    segments: list[str] = Field(default_factory=list)  # only leads in one of these segments
    orphans: bool = False  # leads with no owner go to the destination too
    keep_original: bool = False  # the origin user stays on the lead as a co-owner
    notify: str | None = None


def reassign(db: firestore.Client, gcs: storage.Client, reports_bucket: str, tenant_id: str,
             request: Reassignment) -> tuple[str, JobReport]:
    tenant = db.collection("tenants").document(tenant_id)
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
                                            "options": request.model_dump(), "requested_by": None})
    report = JobReport(job_id=job_id, filename=label, columns=["lead"], locale=config.locale)
    writes = BatchedWrites(db)
    before = jobs.jobs_of(tenant).document(job_id).collection("before")
    wanted = {s.casefold() for s in request.segments}
    now = dt.datetime.now(dt.UTC)
    number = 0
    for snap in tenant.collection("leads").stream():  # no query can select "no owner": scan the tenant
        lead = snap.to_dict() or {}
        owner = lead.get("owner")
        if not ((origin and owner == origin) or (request.orphans and not owner)):
            continue
        if wanted and str(lead.get("segment") or "").casefold() not in wanted:
            continue
        number += 1
        update = _update(lead, job_id, number, destination, origin if request.keep_original else None, now)
        writes.set(before.document(snap.id), before_image(number, lead, update))
        writes.update(snap.reference, update)
        report.add(RowResult(row=number, status="updated", lead_id=snap.id), (snap.id,))
    writes.flush()
    reports = gcs.bucket(reports_bucket)
    names = store_report(reports, tenant_id, report, "done", None)
    jobs.finish_job(claim.ref, status="done", counts=report.counts, error=None, mapping=[], report=names,
                    notes=[f"{report.counts.updated} leads reassigned to {destination}"])
    announce_finished(reports, tenant_id, job_id)
    return job_id, report


def _user(users: OwnerDirectory, text: str) -> str:
    found = users.resolve(text)
    if not found.email:
        raise TerminalError(f"'{text}' is not one active user of this tenant: name a user by email.")
    return found.email


def _update(lead: dict[str, Any], job_id: str, row: int, owner: str, co_owner: str | None,
            now: dt.datetime) -> dict[str, Any]:
    update: dict[str, Any] = {"owner": owner, "updated_at": now,
                              "source_jobs": [*lead.get("source_jobs", []), job_id][-20:],
                              "changes": [*lead.get("changes", []), {"job": job_id, "fields": ["owner"]}][-20:],
                              "last_import": {"job": job_id, "row": row, "status": "updated"}}
    if co_owner:
        update["co_owners"] = sorted({*lead.get("co_owners", []), co_owner})
    return update

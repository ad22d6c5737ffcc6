"""What changes a tenant's leads from the sidebar: starting an import (its ticket and signed upload URL),
undoing one, and seed 004's reassignment."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from leadimport.api.auth import Caller, require_import
from leadimport.api.bodies import JobBody, ReassignBody, StartImportBody
from leadimport.api.job_options import import_options, with_operation
from leadimport.api.services import NotFound, Services
from leadimport.core.models import Reassignment
from leadimport.report.sheet_writeback import stamp_hash, stamp_key
from leadimport.run.reassign import reassign
from leadimport.run.storage_event import safe_filename, upload_object_name
from leadimport.run.undo import undo_job
from leadimport.store import jobs
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.upload_urls import signed_upload_url


def start_import(caller: Caller, body: StartImportBody, services: Services) -> dict[str, Any]:
    """A job waiting for its file, and the signed URL the file goes to (the drop bucket, like every source)."""
    require_import(caller)
    options = with_operation(body, import_options(body.options, caller, body.filename))
    job_id = uuid.uuid4().hex[:24]
    filename = _safe_filename(body.filename, body.content_type)
    name = upload_object_name(caller.tenant_id, job_id, filename)
    source: dict[str, Any] = {"kind": "upload", "filename": body.filename}
    stamp = secrets.token_urlsafe(24)  # the add-on stamps the tab with it: write-back proves the tab is the caller's
    if body.source is not None:
        source = {**body.source.model_dump(), "filename": body.filename, "stamp_hash": stamp_hash(stamp)}
    jobs.create_ticket(tenant_ref(services.db, caller.tenant_id), job_id, {
        "tenant": caller.tenant_id, "source": source, "options": options.model_dump(),
        "requested_by": caller.email, "expected_rows": body.rows, "operation": body.operation,
        # when the signed URL below runs out: a ticket whose file never came ends then (jobs.expire_ticket)
        "upload_by": dt.datetime.now(dt.UTC) + dt.timedelta(minutes=services.settings.upload_url_minutes),
        "upload_object": name,
    })
    upload = signed_upload_url(services.gcs, services.settings, name, body.content_type)
    answer = {"job_id": job_id, "status": jobs.AWAITING_UPLOAD, "upload": upload}
    if body.source is not None:
        answer["sheet_stamp"] = {"key": stamp_key(job_id), "value": stamp}
        if services.settings.sheets_writer:
            answer["share_with"] = services.settings.sheets_writer  # so write-back may edit this spreadsheet
    return answer


def undo_import(caller: Caller, body: JobBody, services: Services) -> dict[str, Any]:
    require_import(caller)
    tenant = tenant_ref(services.db, caller.tenant_id)
    if not jobs.jobs_of(tenant).document(body.job_id).get().exists:
        raise NotFound(f"There is no import {body.job_id} in your workspace.")
    report = undo_job(services.db, tenant, body.job_id)
    return {**report.model_dump(), "lead_ids": report.undone_leads}  # the add-on marks their rows "undone"


def bulk_reassign(caller: Caller, body: ReassignBody, services: Services) -> dict[str, Any]:
    require_import(caller)
    request = Reassignment.model_validate(body.model_dump(exclude={"tenant"}))
    request.notify = request.notify or caller.email
    job_id, report = reassign(services.db, services.gcs, services.settings.reports_bucket, caller.tenant_id,
                              request, requested_by=caller.email)  # the history says who moved them
    return {"job_id": job_id, "counts": report.counts.model_dump(), "lead_ids": [r.lead_id for r in report.rows]}


def _safe_filename(name: str, content_type: str) -> str:
    stem = safe_filename(name)
    suffix = ".csv" if content_type == "text/csv" else ".xlsx"
    return stem if stem.lower().endswith(suffix) else stem + suffix

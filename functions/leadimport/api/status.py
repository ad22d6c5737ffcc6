"""The sidebar's polling: a job's status and the tenant's recent imports. Polled every few seconds, so this
module, and job_status's cold start, import nothing of the import itself (no reader, mapper or report writer).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from leadimport.api.auth import Caller
from leadimport.api.bodies import JobBody, ListImportsBody
from leadimport.api.services import NotFound, Services, uploaded
from leadimport.store import jobs
from leadimport.store.deliveries import delivery_state
from leadimport.store.jsonable import plain
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.upload_urls import signing_arguments

DOWNLOAD_MINUTES = 15


def job_status(caller: Caller, body: JobBody, services: Services) -> dict[str, Any]:
    snap = jobs.jobs_of(tenant_ref(services.db, caller.tenant_id)).document(body.job_id).get()
    if not snap.exists:
        raise NotFound(f"There is no import {body.job_id} in your workspace.")
    job = jobs.expire_ticket(snap, uploaded(services))
    names = job.get("report") or {}
    status: dict[str, Any] = {
        "job_id": body.job_id, "status": job.get("status"), "error": job.get("error"),
        "counts": jobs.progress(snap.reference, job).model_dump(), "expected_rows": job.get("expected_rows"),
        "notes": job.get("notes") or [], "requested_by": job.get("requested_by"),
        "filename": (job.get("source") or {}).get("filename"), "undo": plain(job.get("undo")),
        "created_at": plain(job.get("created_at")), "finished_at": plain(job.get("finished_at")),
        "errors": [], "downloads": {}, "write_back": None, "email": None,
    }
    if job.get("status") in jobs.FINISHED:
        bucket = services.gcs.bucket(services.settings.reports_bucket)
        status["errors"] = job.get("first_errors") or []  # kept on the job: polling never reads the whole report
        for kind in ("errors_xlsx", "errors_csv", "errors_txt"):
            if kind in names:
                status["downloads"][kind] = bucket.blob(names[kind]).generate_signed_url(
                    version="v4", expiration=dt.timedelta(minutes=DOWNLOAD_MINUTES), method="GET",
                    **signing_arguments(services.settings))
        for kind, key in (("sheet", "write_back"), ("email", "email")):
            status[key] = plain(delivery_state(snap.reference, kind))
    return status


def list_imports(caller: Caller, body: ListImportsBody, services: Services) -> dict[str, Any]:
    history = jobs.job_history(tenant_ref(services.db, caller.tenant_id), body.limit, uploaded(services))
    return {"imports": [plain(job) for job in history]}

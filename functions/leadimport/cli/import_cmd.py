"""`leadimport import`: upload through the drop bucket exactly as production, then wait for the job."""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from leadimport.core.models import ImportOptions
from leadimport.run.storage_event import OPTIONS_METADATA, upload_object_name
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.deliveries import DONE, delivery_state
from leadimport.store.jobs import FINISHED, job_id_for, job_ref
from leadimport.store.jobs import progress as job_progress
from leadimport.store.tenant_refs import check_tenant_id, tenant_ref

EMAIL_WAIT = 60.0  # seconds to wait for the report email after the job ends


def upload(path: Path, tenant_id: str, options: ImportOptions) -> tuple[str, str]:
    """Put the file into the drop bucket; returns (object name, job id)."""
    check_tenant_id(tenant_id)
    settings = get_settings()
    name = upload_object_name(tenant_id, uuid.uuid4().hex, path.name)
    blob = storage_client().bucket(settings.drop_bucket).blob(name)
    blob.metadata = {OPTIONS_METADATA: options.model_dump_json(exclude_defaults=True)}
    blob.upload_from_filename(str(path))
    return name, job_id_for(settings.drop_bucket, name, blob.generation)


def wait_for_job(tenant_id: str, job_id: str, timeout: float, progress: bool) -> dict[str, Any]:
    ref = job_ref(tenant_ref(firestore_client(), tenant_id), job_id)
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        snap = ref.get()
        data = snap.to_dict() if snap.exists else None
        if data and data.get("status") in FINISHED:
            if progress:
                print(file=sys.stderr)
            return data
        if progress:
            rows = job_progress(ref, data).rows if data else 0
            line = f"\r{'queued' if data is None else 'importing'}: {rows} rows processed"
            if line != shown:
                print(line, end="", file=sys.stderr, flush=True)
                shown = line
        time.sleep(0.2)
    raise TimeoutError(f"Job {job_id} did not finish within {timeout:.0f} s (see `leadimport dev status`).")


def wait_for_email(tenant_id: str, job_id: str, timeout: float = EMAIL_WAIT) -> str:
    job = job_ref(tenant_ref(firestore_client(), tenant_id), job_id)
    deadline = time.monotonic() + timeout
    status = "pending"
    while time.monotonic() < deadline:
        status = (delivery_state(job, "email") or {}).get("status", "pending")
        if status in DONE:
            break
        time.sleep(0.2)
    return status


def job_outcome(job_id: str, job: dict[str, Any]) -> dict[str, Any]:
    """The contract's JSON: job_id, status, error, counts, rows, mapping (+ report objects)."""
    names = job.get("report") or {}
    results: dict[str, Any] = {"rows": [], "mapping": job.get("mapping") or []}
    if "results" in names:
        blob = storage_client().bucket(get_settings().reports_bucket).blob(names["results"])
        results = json.loads(blob.download_as_bytes())
    return {
        "job_id": job_id, "status": job["status"], "error": job.get("error"),
        "counts": job.get("counts") or {}, "rows": results["rows"], "mapping": results["mapping"],
        "notes": job.get("notes") or [], "report": names,
    }

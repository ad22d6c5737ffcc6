"""Import jobs: one per uploaded object generation, claimed so that a duplicate delivery waits.

The job id is derived from bucket + object + generation, never from the event id: Cloud Storage
may deliver one upload several times with different event ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.api_core.exceptions import FailedPrecondition
from google.cloud import firestore

from leadimport.core.models import ColumnMapping, Counts, RowResult
from leadimport.store import leases

# Longer than a function may run (540 s), so a live holder never loses its job to a duplicate.
LEASE = dt.timedelta(minutes=10)
FINISHED = ("done", "failed")
AWAITING_UPLOAD = "awaiting_upload"  # created by start_import: the file comes later, through a signed URL
UPLOAD_GRACE = dt.timedelta(minutes=10)  # past the link's expiry: a big upload begun just before may still land
NEVER_UPLOADED = "The file never came: its upload link expired before anything was sent. Import it again."
NOT_REDELIVERED = ("reassign",)  # jobs a request runs: no event brings them back if their worker dies
# Deliveries that crashed on this job before it is failed instead of retried (a poison file); contention
# and outages do not count (leases.py).
MAX_ATTEMPTS = leases.MAX_CRASHES


def job_id_for(bucket: str, name: str, generation: str | int) -> str:
    return hashlib.sha256(f"{bucket}/{name}#{generation}".encode()).hexdigest()[:24]


BUSY_WORDS = {"contention": "other imports kept writing the same leads",
              "outage": "the database or the file storage did not answer"}


@dataclass
class JobClaim:
    job_id: str
    lease: leases.Lease
    finished: bool  # an earlier delivery already ended this job: nothing to run
    split: bool = False  # an earlier delivery cut the job into chunks, which finish it: nothing to run
    chunks: int = 0  # how many, when split

    @property
    def ref(self) -> firestore.DocumentReference:
        return self.lease.ref

    @property
    def attempt(self) -> int:
        return self.lease.attempt

    def given_up(self) -> str | None:
        """Why the job should end now rather than be tried again, in words for its report; None to go on."""
        why = self.lease.gave_up()
        if why == "crashed":
            return (f"The file could not be processed after {MAX_ATTEMPTS} attempts: it may be damaged. "
                    "Save it again as .xlsx or .csv and send it again.")
        if why == "busy":
            return f"The import could not finish: {BUSY_WORDS.get(self.lease.busy or '', BUSY_WORDS['outage'])} " \
                   f"for {leases.BUSY_WINDOW.total_seconds() / 3600:.0f} hours. The file is fine: send it again."
        return None


def jobs_of(tenant: firestore.DocumentReference) -> firestore.CollectionReference:
    return tenant.collection("import_jobs")


def job_ref(tenant: firestore.DocumentReference, job_id: str) -> firestore.DocumentReference:
    return jobs_of(tenant).document(job_id)


def before_images(tenant: firestore.DocumentReference, job_id: str) -> firestore.CollectionReference:
    """import_jobs/{job}/before/{lead}: what the job's updates overwrote (core/history.py), for undo."""
    return jobs_of(tenant).document(job_id).collection("before")


def begin_job(tenant: firestore.DocumentReference, job_id: str, fields: dict[str, Any]) -> JobClaim:
    """Create the job, or take it over from a delivery whose lease ran out (see leases.take)."""
    now = dt.datetime.now(dt.UTC)

    def arrived(found: dict[str, Any]) -> dict[str, Any]:
        # a job start_import created: the object and its generation join what the ticket says of its source
        source = {**fields.get("source", {}), **(found.get("source") or {})}
        waiting = found.get("status") == AWAITING_UPLOAD or _never_uploaded(found)
        return {**({**fields, "source": source, "error": None, "finished_at": None, "undo": None} if waiting else {}),
                "status": "running", "started_at": now}

    def settled(found: dict[str, Any]) -> bool:
        return (found.get("status") in FINISHED and not _never_uploaded(found)) or bool(found.get("split"))

    lease = leases.take(jobs_of(tenant).document(job_id),
                        {**fields, "status": "running", "created_at": now, "started_at": now}, LEASE,
                        settled=settled, on_takeover=arrived)
    finished = lease.settled and lease.found.get("status") in FINISHED
    split = lease.settled and not finished
    return JobClaim(job_id, lease, finished=finished, split=split,
                    chunks=int((lease.found.get("split") or {}).get("chunks") or 0) if split else 0)


def create_ticket(tenant: firestore.DocumentReference, job_id: str, fields: dict[str, Any]) -> None:
    """A job waiting for its file: the options, requester and source are fixed now, by a verified caller."""
    now = dt.datetime.now(dt.UTC)
    jobs_of(tenant).document(job_id).create({**fields, "status": AWAITING_UPLOAD, "ticket": True, "attempt": 0,
                                             "lease_until": None, "created_at": now})


def ticket(tenant: firestore.DocumentReference, job_id: str) -> dict[str, Any] | None:
    """The job start_import created for this upload id, if it did."""
    snap = jobs_of(tenant).document(job_id).get()
    data = snap.to_dict() if snap.exists else None
    return data if data and data.get("ticket") else None


def release_job(claim: JobClaim, failure: BaseException) -> None:
    """This delivery failed: let the platform's retry take the job over at once (leases.release)."""
    leases.release(claim.lease, failure)


def progress_recorder(claim: JobClaim) -> Callable[[Counts], None]:
    """Records the counts so far, with a fresh lease (the job is alive), every few seconds."""
    renewer = leases.Renewer(claim.lease, LEASE)
    return lambda counts: renewer.progress({"counts": counts.model_dump()})


def finish_job(ref: firestore.DocumentReference, *, status: str, counts: Counts, error: str | None,
               mapping: list[ColumnMapping], report: dict[str, str], notes: list[str],
               first_errors: list[RowResult] | None = None) -> None:
    """The job's end; its first failed rows are kept on it so a status poll never reads the whole report."""
    ref.update({
        "status": status, "counts": counts.model_dump(), "error": error,
        "mapping": [m.model_dump() for m in mapping], "report": report, "notes": notes,
        "first_errors": [r.model_dump(exclude={"opportunity_id", "check"}) for r in first_errors or []],
        "finished_at": dt.datetime.now(dt.UTC), "lease_until": None,
    })


def end_abandoned(snap: firestore.DocumentSnapshot) -> dict[str, Any]:
    """A job no platform delivers again (a reassignment, run by a request) whose worker died mid-way stays
    `running` with a lease that has run out: end it as failed, so that what it wrote can be undone."""
    data = snap.to_dict() or {}
    now = dt.datetime.now(dt.UTC)
    lease_until = data.get("lease_until")
    if data.get("status") != "running" or (data.get("source") or {}).get("kind") not in NOT_REDELIVERED \
            or not isinstance(lease_until, dt.datetime) or lease_until > now:
        return data
    ended = {"status": "failed", "finished_at": now, "lease_until": None,
             "error": "It stopped before it finished (its worker died): undo it to put back what it changed."}
    return _end_as_read(snap, data, ended)


def _never_uploaded(found: dict[str, Any]) -> bool:
    """A ticket expire_ticket ended: its file may still come (an event delayed by an outage), and is imported."""
    return bool(found.get("ticket")) and found.get("status") == "failed" and found.get("error") == NEVER_UPLOADED


def expire_ticket(snap: firestore.DocumentSnapshot, uploaded: Callable[[str], bool] | None) -> dict[str, Any]:
    """A job start_import made whose file never came ends failed once its upload link has run out (and an
    upload begun just before had time to land), so that no one waits for it, nor imports it again while
    it might still come. Not if its file is in the bucket (its event is late); not without `uploaded`,
    which says so. Ended as read, like above."""
    data = snap.to_dict() or {}
    upload_by = data.get("upload_by")
    now = dt.datetime.now(dt.UTC)
    if uploaded is None or data.get("status") != AWAITING_UPLOAD or not isinstance(upload_by, dt.datetime) \
            or upload_by + UPLOAD_GRACE > now or (data.get("upload_object") and uploaded(data["upload_object"])):
        return data
    return _end_as_read(snap, data, {"status": "failed", "finished_at": now, "error": NEVER_UPLOADED})


def _end_as_read(snap: firestore.DocumentSnapshot, data: dict[str, Any], ended: dict[str, Any]) -> dict[str, Any]:
    try:  # only as read: a worker that started or finished meanwhile keeps its own state
        snap.reference.update(ended, option=firestore.Client.write_option(last_update_time=snap.update_time))
    except FailedPrecondition:
        return snap.reference.get().to_dict() or {}
    return {**data, **ended}


def job_history(tenant: firestore.DocumentReference, limit: int = 50,
                uploaded: Callable[[str], bool] | None = None) -> list[dict[str, Any]]:
    """The tenant's imports, newest first: who, when, which file, the mapping used, counts, status."""
    query = jobs_of(tenant).order_by("created_at", direction=firestore.Query.DESCENDING).limit(limit)
    history = []
    for snap in query.stream():
        job = expire_ticket(snap, uploaded)
        options = job.get("options") or {}
        history.append({
            "job_id": snap.id, "status": job.get("status"), "created_at": job.get("created_at"),
            "finished_at": job.get("finished_at"), "requested_by": job.get("requested_by"),
            "filename": (job.get("source") or {}).get("filename"), "dry_run": bool(options.get("dry_run")),
            "counts": job.get("counts") or {}, "error": job.get("error"), "undone": bool(job.get("undo")),
            # the add-on lists the open spreadsheet's imports first
            "spreadsheet_id": (job.get("source") or {}).get("spreadsheet_id"),
            "mapping": {m["column"]: m["field"] for m in job.get("mapping") or [] if m.get("field")},
        })
    return history


def progress(job: firestore.DocumentReference, data: dict) -> Counts:
    """The counts so far: a split job's are the sum of its chunks' checkpoints."""
    if not data.get("split") or data.get("status") in FINISHED:
        return Counts.model_validate(data.get("counts") or {})
    return sum((Counts.model_validate((snap.to_dict() or {}).get("counts") or {})
                for snap in job.collection("chunks").stream()), Counts())

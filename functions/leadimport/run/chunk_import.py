"""import_chunk's work: one chunk of a big file → its rows matched and written, part by part, resumably.

The checkpoint is each part's results object (chunk_files.write_results), stored once the part's
leads are: a retried chunk skips the parts whose results are there, so it neither writes their
rows again nor counts them twice (their counts come from the objects). A part cut off halfway is
written again, and the writer recognises the rows it had written already (their leads carry this
job and row). import_jobs/{job}/chunks/{n} holds the chunk's lease, its progress and, at the
end, `done` and its counts, which is what the last chunk looks for.
"""

from __future__ import annotations

import datetime as dt
import logging

from google.cloud import firestore, storage

from leadimport.core.models import ColumnMapping, Counts, ImportOptions, RowIssue, RowResult
from leadimport.core.plan import BATCH_ROWS, CheckedChunk
from leadimport.core.row_identity import check_columns
from leadimport.core.tenant_config import TenantConfig
from leadimport.i18n import messages
from leadimport.report.results import JobReport
from leadimport.run import fanout
from leadimport.run.import_rows import keep_identity, write_checked
from leadimport.run.storage_event import StorageObject
from leadimport.run.write import LeadWriter
from leadimport.settings import Settings
from leadimport.store import chunk_files, leases
from leadimport.store.jobs import FINISHED, MAX_ATTEMPTS, jobs_of
from leadimport.store.retention import DETAIL_DAYS, expires
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant

log = logging.getLogger(__name__)


def import_chunk(obj: StorageObject, db: firestore.Client, gcs: storage.Client, settings: Settings) -> None:
    where = chunk_files.parse_chunk_name(obj.name)
    if where is None:
        log.info("ignored object outside chunks/: generation %s", obj.generation)
        return
    job = jobs_of(tenant_ref(db, where.tenant_id)).document(where.job_id)
    found = job.get().to_dict()
    if not found or found.get("status") in FINISHED:
        return  # an old chunk delivered again after its job ended
    config = load_tenant(db, where.tenant_id)
    length = dt.timedelta(seconds=settings.chunk_lease_seconds)
    lease = leases.take(fanout.chunk_ref(job, where.n),
                        {"n": where.n, "done": False, "counts": {}, **expires(DETAIL_DAYS)},
                        length, settled=lambda chunk: bool(chunk.get("done")))
    if not lease.settled:
        try:
            work = gcs.bucket(settings.work_bucket)
            _import(chunk_files.read_chunk(work, obj.name), lease, length, where,
                    ImportOptions.model_validate(found["options"]), config, db, work, _checks(found))
        except Exception as exc:
            leases.release(lease, exc)  # the platform's retry resumes from the checkpoint at once
            raise
    fanout.finish_if_last(job, where.tenant_id, gcs, settings, config.locale)


def _checks(job: dict) -> tuple[int, ...]:
    """A sheet's rows keep their identity for the write-back, by the mapping the whole file was checked with."""
    if (job.get("source") or {}).get("kind") != "sheet":
        return ()
    return check_columns([ColumnMapping.model_validate(m) for m in job.get("mapping") or []])


def _import(rows: CheckedChunk, lease: leases.Lease, length: dt.timedelta, where: chunk_files.ChunkPath,
            options: ImportOptions, config: TenantConfig, db: firestore.Client, work: storage.Bucket,
            checks: tuple[int, ...]) -> None:
    written = chunk_files.written_parts(work, where.tenant_id, where.job_id, where.n)
    counts = sum(written, Counts())
    writer = LeadWriter(db, tenant_ref(db, where.tenant_id), where.job_id, options,
                        list(options.match_on or config.match_on), config)
    # a chunk that crashed every time, or waited out contention or outages for too long: its rows still
    # each end with a status that says which, and the job still ends
    code = {"crashed": "chunk_failed", "busy": "chunk_busy", None: None}[lease.gave_up()]
    given_up = RowIssue(code=code, message=messages.render(
        code, config.locale, attempts=MAX_ATTEMPTS, hours=round(leases.BUSY_WINDOW.total_seconds() / 3600))
    ) if code else None
    parts = [rows[start:start + BATCH_ROWS] for start in range(0, len(rows), BATCH_ROWS)]
    renewer = leases.Renewer(lease, length)
    for part in range(len(written), len(parts)):
        report = JobReport(job_id=where.job_id, filename="", columns=[])
        if given_up:
            for result, values in keep_identity([(RowResult(row=row.number, status="error", errors=[given_up]),
                                                  row.values) for row, _ in parts[part]], checks):
                report.add(result, values)
        else:
            for result, values in write_checked(parts[part], writer, checks):
                report.add(result, values)
        chunk_files.write_results(work, chunk_files.results_name(where.tenant_id, where.job_id, where.n, part),
                                  [(result, report.error_values.get(result.row)) for result in report.rows],
                                  report.counts)
        counts = counts + report.counts
        renewer.progress({"counts": counts.model_dump()})
    lease.ref.update({"done": True, "counts": counts.model_dump(), "lease_until": None,
                      "finished_at": dt.datetime.now(dt.UTC)})
    log.info("job %s chunk %d done: %s", where.job_id, where.n, counts.model_dump())

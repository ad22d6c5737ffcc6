"""process_upload's work: one uploaded object → one finished job (read, map, validate, match, write)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from google.cloud import firestore, storage

from leadimport.core.mapping.headers import is_known_header
from leadimport.core.models import ImportOptions
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions
from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import TerminalError
from leadimport.i18n.notes import Note
from leadimport.report.results import JobReport, announce_finished
from leadimport.run import fanout
from leadimport.run.fanout import ChunkSpill
from leadimport.run.import_rows import TableImport
from leadimport.run.lifecycle import end_job
from leadimport.run.storage_event import StorageObject, UploadPath, mail_origin, parse_upload_path, upload_options
from leadimport.settings import Settings
from leadimport.store import jobs
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant

log = logging.getLogger(__name__)


def process_upload(obj: StorageObject, db: firestore.Client, gcs: storage.Client, settings: Settings) -> None:
    """Begin the upload's job (or find it begun), import the file, and end the job once."""
    upload = parse_upload_path(obj.name)
    if upload is None:
        log.info("ignored object outside uploads/: generation %s", obj.generation)
        return
    tenant = tenant_ref(db, upload.tenant_id)
    ticket = jobs.ticket(tenant, upload.upload_id)
    job_id = upload.upload_id if ticket else jobs.job_id_for(obj.bucket, obj.name, obj.generation)
    options, option_error = _options(obj, ticket)
    claim = jobs.begin_job(tenant, job_id, {
        "tenant": upload.tenant_id,
        "source": _source(obj, upload, options),
        "options": options.model_dump() if options else None,
        "requested_by": options.requested_by if options else None,
    })
    if claim.finished:
        announce_finished(gcs.bucket(settings.reports_bucket), upload.tenant_id, job_id)  # in case the first
        return  # delivery died just before
    if claim.split:  # its chunks are importing: see they all started, and whether they are all done
        fanout.publish(gcs.bucket(settings.work_bucket), upload.tenant_id, job_id, claim.chunks)
        fanout.finish_if_last(claim.ref, upload.tenant_id, gcs, settings, load_tenant(db, upload.tenant_id).locale)
        return
    # a sheet's upload, which start_import made for the add-on, numbers its own rows (read/sheet_export.py)
    from_sheet = bool(ticket) and (ticket.get("source") or {}).get("upload") == "rows-v1"
    _import(obj, upload, options, option_error, claim, tenant, db, gcs, settings, from_sheet)


def _options(obj: StorageObject, ticket: dict | None) -> tuple[ImportOptions | None, str | None]:
    """The job's options, or why they are unusable (the job then fails with that, and its report says so)."""
    try:
        # a start_import ticket's options were checked when a verified caller asked; metadata is the CLI's way
        return (ImportOptions.model_validate(ticket["options"]) if ticket else upload_options(obj)), None
    except (TerminalError, ValueError) as exc:
        return None, str(exc)


def _source(obj: StorageObject, upload: UploadPath, options: ImportOptions | None) -> dict:
    source = {"kind": "upload", "bucket": obj.bucket, "name": obj.name, "generation": obj.generation,
              "filename": options.filename if options and options.filename else upload.filename,
              "size": obj.size, "content_type": obj.content_type}
    mail = mail_origin(obj)
    if mail:  # emailed in: the report answers that message
        source.update(kind="email", mail=mail)
    return source


def _import(obj: StorageObject, upload: UploadPath, options: ImportOptions | None, option_error: str | None,
            claim: jobs.JobClaim, tenant: firestore.DocumentReference, db: firestore.Client, gcs: storage.Client,
            settings: Settings, from_sheet: bool) -> None:
    """Import the file inline, or check it whole and fan it out; a bad file fails the job with its reason,
    anything else hands the job back to the platform's retry at once."""
    job_id = claim.job_id
    report = JobReport(job_id=job_id, filename=options.filename if options and options.filename
                       else upload.filename, columns=[])
    status, error, notes = "done", option_error, []
    spill = ChunkSpill(gcs.bucket(settings.work_bucket), upload.tenant_id, job_id, settings.chunk_rows)
    try:
        given_up = claim.given_up()
        if given_up:
            raise TerminalError(given_up)
        if option_error or options is None:
            raise TerminalError(option_error or "missing options")
        config = load_tenant(db, upload.tenant_id)
        report.locale = config.locale
        notes = _run(obj, upload.filename, options, config, claim, tenant, db, gcs, settings, report, spill,
                     from_sheet)
        if spill.chunks:  # the whole file is read and checked: its chunks may start
            fanout.record_split(claim.ref, spill, report.columns, report.mapping, notes)
            fanout.publish(gcs.bucket(settings.work_bucket), upload.tenant_id, job_id, spill.chunks)
            log.info("job %s: %d rows cut into %d chunks (and %d of repeats)", job_id, spill.rows, spill.chunks,
                     spill.repeat_chunks)
            fanout.finish_if_last(claim.ref, upload.tenant_id, gcs, settings, config.locale)
            return
    except TerminalError as exc:
        status, error = "failed", str(exc)
    except Exception as exc:
        jobs.release_job(claim, exc)  # not a bad file: the retry starts over now, not in 10 minutes
        raise
    end_job(claim.ref, gcs.bucket(settings.reports_bucket), upload.tenant_id, report, status, error, notes,
            release=lambda exc: jobs.release_job(claim, exc))  # an outage while ending it: not the file's fault
    log.info("job %s %s: %s", job_id, status, report.counts.model_dump())


def _run(obj: StorageObject, filename: str, options: ImportOptions, config: TenantConfig,
         claim: jobs.JobClaim, tenant: firestore.DocumentReference, db: firestore.Client,
         gcs: storage.Client, settings: Settings, report: JobReport, spill: ChunkSpill, from_sheet: bool) -> list[str]:
    if obj.size > settings.max_upload_bytes:
        raise TerminalError(f"{filename} is {obj.size / 1e6:.0f} MB; the limit is "
                            f"{settings.max_upload_bytes / 1e6:.0f} MB. Split it into smaller files.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        blob = gcs.bucket(obj.bucket).blob(obj.name, generation=int(obj.generation))
        blob.download_to_filename(str(path))
        table = read_table(path, filename, ReadOptions(sheet=options.sheet, header_row=options.header_row,
                                                       no_header=options.no_header,
                                                       first_row=options.first_row, last_row=options.last_row,
                                                       known_header=is_known_header, sheet_export=from_sheet))
        rows = TableImport(table, options, config, tenant, db, claim.job_id)
        report.columns, report.mapping = rows.columns, rows.mapping
        refusal = rows.refusal()
        if refusal:  # every row would be refused for the same reason: the job says it once, and fails
            raise TerminalError(refusal)
        progress = jobs.progress_recorder(claim)
        # a big file is checked on every core the instance has (core/check_workers.py)
        workers = settings.check_workers if obj.size >= settings.check_workers_from_bytes else 1
        for result, values in rows.results(spill, workers, obj.size):
            report.add(result, values)
            progress(report.counts)
        if not report.counts.rows and not spill.rows:  # column names and nothing under them: no import went well
            raise TerminalError(Note("no_rows", {"file": filename}).render(config.locale))
        return rows.notes()

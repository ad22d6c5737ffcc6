"""process_upload's work: one uploaded object → one finished job (read, map, validate, match, write)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from google.cloud import firestore, storage

from leadimport.core.mapping import is_known_header
from leadimport.core.models import Counts, ImportOptions, RowResult
from leadimport.core.plan import CheckedChunk, TablePlan
from leadimport.core.read import ReadOptions, Table, read_table
from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import TerminalError
from leadimport.report.results import JobReport, announce_finished, store_report
from leadimport.run import fanout
from leadimport.run.fanout import ChunkSpill
from leadimport.run.storage_event import StorageObject, mail_origin, parse_upload_path, upload_options
from leadimport.run.write import LeadWriter
from leadimport.settings import Settings
from leadimport.store import jobs
from leadimport.store.saved_mappings import load_saved_mapping, save_mapping
from leadimport.store.tenants import add_labels, load_tenant, tenant_ref

log = logging.getLogger(__name__)


def process_upload(obj: StorageObject, db: firestore.Client, gcs: storage.Client, settings: Settings) -> None:
    upload = parse_upload_path(obj.name)
    if upload is None:
        log.info("ignored object outside uploads/: generation %s", obj.generation)
        return
    tenant = tenant_ref(db, upload.tenant_id)
    reports = gcs.bucket(settings.reports_bucket)
    ticket = jobs.ticket(tenant, upload.upload_id)
    job_id = upload.upload_id if ticket else jobs.job_id_for(obj.bucket, obj.name, obj.generation)
    try:
        # a start_import ticket's options were checked when a verified caller asked; metadata is the CLI's way
        options: ImportOptions | None = ImportOptions.model_validate(ticket["options"]) if ticket \
            else upload_options(obj)
        option_error = None
    except (TerminalError, ValueError) as exc:
        options, option_error = None, str(exc)
    source = {"kind": "upload", "bucket": obj.bucket, "name": obj.name, "generation": obj.generation,
              "filename": options.filename if options and options.filename else upload.filename,
              "size": obj.size, "content_type": obj.content_type}
    mail = mail_origin(obj)
    if mail:  # emailed in: the report answers that message
        source.update(kind="email", mail=mail)
    claim = jobs.begin_job(tenant, job_id, {
        "tenant": upload.tenant_id,
        "source": source,
        "options": options.model_dump() if options else None,
        "requested_by": options.requested_by if options else None,
    })
    if claim.finished:
        announce_finished(reports, upload.tenant_id, job_id)  # in case the first delivery died just before
        return
    if claim.split:  # its chunks are importing: see they all started, and whether they are all done
        fanout.publish(gcs.bucket(settings.work_bucket), upload.tenant_id, job_id, claim.chunks)
        fanout.finish_if_last(claim.ref, upload.tenant_id, gcs, settings, load_tenant(db, upload.tenant_id).locale)
        return
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
        notes = _run(obj, upload.filename, options, config, claim, tenant, db, gcs, settings, report, spill)
        if spill.chunks:  # the whole file is read and checked: its chunks may start
            fanout.record_split(claim.ref, spill, report.columns, report.mapping, notes)
            fanout.publish(gcs.bucket(settings.work_bucket), upload.tenant_id, job_id, spill.chunks)
            log.info("job %s: %d rows cut into %d chunks", job_id, spill.rows, spill.chunks)
            fanout.finish_if_last(claim.ref, upload.tenant_id, gcs, settings, config.locale)
            return
    except TerminalError as exc:
        status, error = "failed", str(exc)
    except Exception as exc:
        jobs.release_job(claim, exc)  # not a bad file: the retry starts over now, not in 10 minutes
        raise
    try:
        names = store_report(reports, upload.tenant_id, report, status, error)
        jobs.finish_job(claim.ref, status=status, counts=report.counts, error=error, mapping=report.mapping,
                        report=names, notes=notes, first_errors=report.first_errors())
    except Exception as exc:  # an outage while ending it: not the file's fault either
        jobs.release_job(claim, exc)
        raise
    announce_finished(reports, upload.tenant_id, job_id)  # a finished job's next delivery announces it again
    log.info("job %s %s: %s", job_id, status, report.counts.model_dump())


def _run(obj: StorageObject, filename: str, options: ImportOptions, config: TenantConfig,
         claim: jobs.JobClaim, tenant: firestore.DocumentReference, db: firestore.Client,
         gcs: storage.Client, settings: Settings, report: JobReport, spill: ChunkSpill) -> list[str]:
    if obj.size > settings.max_upload_bytes:
        raise TerminalError(f"{filename} is {obj.size / 1e6:.0f} MB; the limit is "
                            f"{settings.max_upload_bytes / 1e6:.0f} MB. Split it into smaller files.")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        blob = gcs.bucket(obj.bucket).blob(obj.name, generation=int(obj.generation))
        blob.download_to_filename(str(path))
        table = read_table(path, filename, ReadOptions(sheet=options.sheet, header_row=options.header_row,
                                                       first_row=options.first_row, last_row=options.last_row,
                                                       known_header=is_known_header))
        return import_table(table, options, config, tenant, db, claim.job_id, report,
                            on_progress=jobs.progress_recorder(claim), spill=spill)


def import_table(table: Table, options: ImportOptions, config: TenantConfig, tenant: firestore.DocumentReference,
                 db: firestore.Client, job_id: str, report: JobReport,
                 on_progress: Callable[[Counts], None] = lambda counts: None,
                 spill: ChunkSpill | None = None) -> list[str]:
    """Map, validate, dedup, match and write a table's rows into `report`; returns the job's notes.

    The one path for every import: a file from the bucket, and the add-on's preview (a dry run).
    With a spill, a table bigger than one chunk is only checked here, and left in chunk files.
    """
    report.columns = table.columns
    saved = None if options.mapping else load_saved_mapping(tenant, table.columns)
    plan = TablePlan(table, options, config, saved)
    report.mapping = plan.mapping
    if options.mapping and options.save_mapping and not options.dry_run:
        # the mapping as given: a bulk operation's narrowing is not what these columns mean
        save_mapping(tenant, table.columns, {m.column: m.field for m in plan.mapping_as_given}, job_id)
    writer = LeadWriter(db, tenant, job_id, options, plan.chain, config.default_owner, config.locale)
    checked_chunks = _with_labels(plan, options, db, tenant)
    for checked in spill.hold(checked_chunks) if spill else checked_chunks:
        write_checked(checked, writer, report)
        on_progress(report.counts)
    # read last: the reader adds what it skipped while streaming
    return [note.render(config.locale) for note in [*table.notes, *plan.notes]]


def _with_labels(plan: TablePlan, options: ImportOptions, db: firestore.Client,
                 tenant: firestore.DocumentReference) -> Iterator[CheckedChunk]:
    """The plan's checked rows, each chunk's new labels stored before any lead that carries them."""
    for checked in plan.chunks():
        if plan.validator.new_labels and not options.dry_run:
            add_labels(db, tenant, plan.validator.new_labels)
            plan.validator.new_labels = {}
        yield checked


def write_checked(checked: CheckedChunk, writer: LeadWriter, report: JobReport) -> None:
    """Write a chunk's valid rows; every row of it, valid or not, gets its result in `report`."""
    valid = [validated for _, validated in checked if not validated.errors]
    written = {result.row: result for result in writer.write(valid)}
    for row, validated in checked:
        result = written.get(row.number) or RowResult(
            row=row.number, status="error", errors=validated.errors, warnings=validated.warnings)
        report.add(result, row.values)

"""What each HTTP function does once its caller is verified and its body validated.

Every handler works inside the caller's own tenant (taken from the verified token): a job id from
another tenant is simply not found there.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore, storage

from leadimport.api.auth import Caller, require_import
from leadimport.api.bodies import (
    JobBody,
    JobOptions,
    ListImportsBody,
    PreviewBody,
    ReassignBody,
    StartImportBody,
    SuggestMappingBody,
    TemplateBody,
)
from leadimport.api.file_sample import read_sample
from leadimport.core.mapping import keep_unrecognised
from leadimport.core.mapping import suggest_mapping as map_columns
from leadimport.core.mapping.catalog import BY_NAME, FIELDS, TEMPLATES
from leadimport.core.mapping.reasons import render as render_reason
from leadimport.core.models import ImportOptions
from leadimport.core.operations import operation_options
from leadimport.core.plan import SAMPLE_ROWS
from leadimport.core.read import SheetRow, Table
from leadimport.core.read.sheet_export import formula_errors
from leadimport.core.read.table import column_letter, unique_columns
from leadimport.core.tenant_config import TenantConfig
from leadimport.report.results import JobReport, row_fields
from leadimport.report.sheet_writeback import stamp_hash, stamp_key
from leadimport.report.templates import build_template
from leadimport.run import fanout
from leadimport.run.import_rows import TableImport
from leadimport.run.reassign import Reassignment, reassign
from leadimport.run.storage_event import safe_filename, upload_object_name
from leadimport.run.undo import undo_job
from leadimport.settings import Settings
from leadimport.store import jobs
from leadimport.store.deliveries import delivery_state
from leadimport.store.jsonable import plain
from leadimport.store.saved_mappings import load_saved_mapping
from leadimport.store.tenants import load_tenant, tenant_ref
from leadimport.store.upload_urls import signed_upload_url, signing_arguments

DOWNLOAD_MINUTES = 15


class NotFound(Exception):
    """The caller's tenant has no such thing (whatever another tenant may have)."""


@dataclass(frozen=True)
class Services:
    db: firestore.Client
    gcs: storage.Client
    settings: Settings


@dataclass(frozen=True)
class FileResponse:
    content: bytes
    content_type: str
    filename: str


def suggest_mapping(caller: Caller, body: SuggestMappingBody, services: Services) -> dict[str, Any]:
    """The backend's own mapper for the sidebar, so a sheet maps exactly like a file with the same columns."""
    tenant = tenant_ref(services.db, caller.tenant_id)
    config = load_tenant(services.db, caller.tenant_id)
    locale = body.locale or config.locale  # the sidebar speaks its user's language
    sample: dict[str, Any] | None = None
    if body.file is not None:  # "Import a file": its columns and first rows, read as the import will
        require_import(caller)  # reading a file is for who may import it, not for anyone signed in
        sample = read_sample(body.file.filename, body.file.content_base64, body.header_row, body.no_header)
        sample["partial"] = body.file.truncated  # a long csv's first part: its rows, not all of them
        columns, rows = sample["columns"], [r["values"] for r in sample["rows"]]
    else:
        columns = unique_columns(body.columns)  # named as the import names them: a blank header is "Column C"
        rows = body.rows
    saved = load_saved_mapping(tenant, columns)
    mapping = map_columns(columns, rows[:SAMPLE_ROWS], None, saved, config.custom_fields)
    if config.keep_unmapped:  # shown kept, so that the mapping the sidebar sends back keeps them
        mapping = keep_unrecognised(mapping)
    named = [(m.field or "").removeprefix("custom.") for m in mapping if (m.field or "").startswith("custom.")]
    kept = [name for name in named if name not in config.custom_fields]
    return {
        **({"file": sample} if sample else {}),
        "caller": {"email": caller.email, "name": caller.name, "can_import": caller.can_import},
        "tenant": _tenant_summary(caller.tenant_id, config),
        # by column letter too, the key the add-on's mapping uses (options.mapping_by = "letter")
        "mapping": [{**m.model_dump(), "letter": column_letter(i), "label": _label(m.field, locale) or None,
                     "reason": render_reason(m.why, locale, _label) if m.why else m.reason}
                    for i, m in enumerate(mapping)],
        "saved": saved is not None,
        "fields": _fields(config, locale, kept),
    }


def preview_import(caller: Caller, body: PreviewBody, services: Services) -> dict[str, Any]:
    """What would happen to these rows: the import's own path with every write switched off."""
    require_import(caller)
    config = load_tenant(services.db, caller.tenant_id)
    options = _operation_options(body, _import_options(body.options, caller, "preview", dry_run=True))
    columns = unique_columns(body.columns)
    width = len(columns)
    rows = iter([SheetRow(r.row, tuple((r.values + [""] * width)[:width]), formula_errors(r.formula_errors))
                 for r in body.rows if any(v.strip() for v in r.values) or r.formula_errors])
    table = Table(sheet=None, header_row=body.options.header_row or 1, columns=columns, rows=rows,
                  letters=[column_letter(i) for i in range(width)])
    report = JobReport(job_id="preview-" + uuid.uuid4().hex[:12], filename="preview", columns=columns,
                       locale=config.locale)
    preview = TableImport(table, options, config, tenant_ref(services.db, caller.tenant_id), services.db,
                          report.job_id)
    report.mapping = preview.mapping
    for result, values in preview.results():
        report.add(result, values)
    notes = preview.notes()
    return {"counts": report.counts.model_dump(), "rows": [row_fields(r) for r in report.rows],
            "mapping": [m.model_dump() for m in report.mapping], "notes": notes}


def start_import(caller: Caller, body: StartImportBody, services: Services) -> dict[str, Any]:
    """A job waiting for its file, and the signed URL the file goes to (the drop bucket, like every source)."""
    require_import(caller)
    options = _operation_options(body, _import_options(body.options, caller, body.filename))
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


def job_status(caller: Caller, body: JobBody, services: Services) -> dict[str, Any]:
    snap = jobs.jobs_of(tenant_ref(services.db, caller.tenant_id)).document(body.job_id).get()
    if not snap.exists:
        raise NotFound(f"There is no import {body.job_id} in your workspace.")
    job = jobs.expire_ticket(snap, _uploaded(services))
    names = job.get("report") or {}
    status: dict[str, Any] = {
        "job_id": body.job_id, "status": job.get("status"), "error": job.get("error"),
        "counts": fanout.progress(snap.reference, job).model_dump(), "expected_rows": job.get("expected_rows"),
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
    history = jobs.job_history(tenant_ref(services.db, caller.tenant_id), body.limit, _uploaded(services))
    return {"imports": [plain(job) for job in history]}


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


def import_template(caller: Caller, body: TemplateBody, services: Services) -> dict[str, Any] | FileResponse:
    config = load_tenant(services.db, caller.tenant_id)
    locale = body.locale or config.locale
    template = TEMPLATES[body.kind]
    if body.format == "json":  # for the add-on, which lays the template out in a new sheet
        return {"kind": body.kind, "locale": locale, "columns": [
            {"field": name, "header": BY_NAME[name].label(locale), "required": name in template.required,
             "one_of": name in template.one_of} for name in template.fields]}
    return FileResponse(build_template(body.kind, locale, config),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        f"lead-import-{body.kind}-{locale}.xlsx")


def _import_options(given: JobOptions, caller: Caller, filename: str, dry_run: bool | None = None) -> ImportOptions:
    change: dict[str, Any] = {"notify": given.notify or caller.email, "requested_by": caller.email,
                              "filename": filename}
    if dry_run is not None:
        change["dry_run"] = dry_run
    return ImportOptions.model_validate({**given.model_dump(), **change})


def _operation_options(body: StartImportBody | PreviewBody, options: ImportOptions) -> ImportOptions:
    """Seed 004's bulk operations, exactly as `leadimport bulk` runs them (core/operations.py defines both).

    replace_tags is the caller's `options.replace_tags` where the operation lets the caller choose (tag, update).
    """
    return operation_options(body.operation, options, tags=body.tags, owner=body.owner)


def _uploaded(services: Services) -> Callable[[str], bool]:
    """Whether a ticket's file is in the drop bucket: one that is there, its event late, is not expired."""
    bucket = services.gcs.bucket(services.settings.drop_bucket)
    return lambda name: bucket.blob(name).exists()


def _safe_filename(name: str, content_type: str) -> str:
    stem = safe_filename(name)
    suffix = ".csv" if content_type == "text/csv" else ".xlsx"
    return stem if stem.lower().endswith(suffix) else stem + suffix


def _tenant_summary(tenant_id: str, config: TenantConfig) -> dict[str, Any]:
    return {"id": tenant_id, "name": config.name, "locale": config.locale, "default_region": config.default_region,
            "match_on": list(config.match_on), "labels": config.labels,
            "users": [{"email": u.email, "name": u.name} for u in config.users if u.active]}


# What every row needs, as the validator checks it: one field of each group (seed 003's "bold" fields).
NEEDS = {"email": "contact", "phone": "contact",
         "first_name": "name", "last_name": "name", "full_name": "name", "company": "name"}


def _fields(config: TenantConfig, locale: str, kept: list[str] = ()) -> list[dict[str, Any]]:
    fields = [{"name": spec.name, "label": spec.label(locale), "kind": spec.kind, "group": spec.group,
               "needs": NEEDS.get(spec.name), "choices": list(spec.choices)}
              for spec in FIELDS]
    fields += [{"name": f"custom.{name}", "label": name, "kind": "text", "group": "custom", "needs": None,
                "choices": []} for name in [*config.custom_fields, *dict.fromkeys(kept)]]
    return fields


def _label(field: str | None, locale: str) -> str:
    if field is None:
        return ""
    spec = BY_NAME.get(field)
    return spec.label(locale) if spec else field.removeprefix("custom.")



"""report_result's work: one finished job → one report email, however often the event comes."""

from __future__ import annotations

import datetime as dt
import json
import logging
from email.utils import encode_rfc2231

from babel.dates import format_date
from google.cloud import firestore, storage
from gspread.exceptions import APIError

from leadimport.core.models import Counts, RowResult
from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import TerminalError, TransientError
from leadimport.report.mail.compose import ReportContent, compose
from leadimport.report.mail.phrases import phrase
from leadimport.report.mail.send import send_message
from leadimport.report.results import FINISHED_PREFIX, XLSX_TYPE
from leadimport.report.sheet_writeback import sheet_target, write_back
from leadimport.report.sheets_client import sheets_client
from leadimport.settings import Settings
from leadimport.store.deliveries import claim_delivery
from leadimport.store.jobs import FINISHED, jobs_of
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant
from leadimport.store.upload_urls import signing_arguments

log = logging.getLogger(__name__)
LINK_LIFE = dt.timedelta(days=7)  # the longest a V4 signed URL lives (and the reports are kept longer)


def report_result(object_name: str, db: firestore.Client, gcs: storage.Client, settings: Settings) -> None:
    if not object_name.startswith(FINISHED_PREFIX) or not object_name.endswith(".json"):
        return
    tenant_id, _, job_file = object_name[len(FINISHED_PREFIX):].partition("/")
    job_id = job_file.removesuffix(".json")
    tenant = tenant_ref(db, tenant_id)
    job = jobs_of(tenant).document(job_id).get()
    if not job.exists or (job.to_dict() or {}).get("status") not in FINISHED:
        raise TransientError(f"Job {job_id} is not finished yet.")
    data = job.to_dict() or {}
    try:
        config: TenantConfig | None = load_tenant(db, tenant_id)  # once: recipients, language, write-back
    except TerminalError:
        config = None  # a job for a tenant that does not exist: nobody to tell, nothing to write back
    # the email lists the first errors, which the job keeps: a million-row report is read only for a sheet
    first_errors = [RowResult.model_validate(r) for r in data.get("first_errors") or []]
    _deliver_email(job_id, data, first_errors, job.reference, config, gcs, settings)
    if config and (data.get("source") or {}).get("kind") == "sheet" and data.get("status") == "done" \
            and not (data.get("options") or {}).get("dry_run"):
        _deliver_to_sheet(job_id, data, _rows(data, gcs, settings), job.reference, config, settings)


def _deliver_email(job_id: str, data: dict, rows: list[RowResult], job: firestore.DocumentReference,
                   config: TenantConfig | None, gcs: storage.Client, settings: Settings) -> None:
    recipients = _recipients(data, config)
    delivery = job.collection("deliveries").document("email")
    if not recipients:
        delivery.set({"status": "no_recipient", "at": dt.datetime.now(dt.UTC)})
        log.warning("job %s: no one to send the report to", job_id)
        return
    if not claim_delivery(delivery):
        return
    content = _content(job_id, data, rows, gcs, settings, config.locale if config else "en")
    message = compose(content, (config.mail_from if config else None) or settings.mail_from, recipients)
    try:
        send_message(message, settings)
    except TransientError:
        delivery.update({"status": "failed", "at": dt.datetime.now(dt.UTC)})
        raise
    except TerminalError as exc:  # the relay refused the address for good: say so, do not retry
        delivery.update({"status": "refused", "error": str(exc), "at": dt.datetime.now(dt.UTC)})
        log.warning("job %s: report refused by the relay", job_id)
        return
    delivery.update({"status": "sent", "at": dt.datetime.now(dt.UTC), "message_id": message["Message-ID"]})
    log.info("job %s: report sent to %d recipient(s)", job_id, len(recipients))


def _deliver_to_sheet(job_id: str, data: dict, rows: list[RowResult], job: firestore.DocumentReference,
                      config: TenantConfig, settings: Settings) -> None:
    """Each row's status beside it in the sheet. Idempotent, so a repeated event simply writes it again."""
    delivery = job.collection("deliveries").document("sheet")
    if (delivery.get().to_dict() or {}).get("status") == "written":
        return
    client = sheets_client(settings)
    try:
        result = write_back(client, sheet_target(data), rows, config.locale, job_id)
    except (TerminalError, APIError) as exc:  # refused for good (no access, bad range): say so, do not retry
        text = str(exc) if isinstance(exc, TerminalError) else f"the Sheets API answered {exc.response.status_code}"
        delivery.set({"status": "failed", "error": text, "at": dt.datetime.now(dt.UTC), "requests": client.calls})
        log.warning("job %s: write-back failed: %s", job_id, text)
        return
    delivery.set({**result.model_dump(), "at": dt.datetime.now(dt.UTC)})
    log.info("job %s: write-back %s, %d rows in %d requests", job_id, result.status, result.rows, result.requests)


def _recipients(job: dict, config: TenantConfig | None) -> list[str]:
    """Who gets the report: the import's `notify`, only if it is one of the tenant's own people (a user or a
    report address) or the requester, so that nobody can have our mail, under the tenant's name and our
    DKIM, sent to strangers; else the requester; else the tenant's report addresses or default owner."""
    if config is None:
        return []
    requester = str(job.get("requested_by") or "").lower()
    notify = str((job.get("options") or {}).get("notify") or "").lower()
    own = {user.email.lower() for user in config.users if user.active} | {a.lower() for a in config.report_to}
    if notify and (notify in own or notify == requester):
        return [notify]
    if notify:
        log.warning("job report: its notify address is not one of the tenant's: sent to the requester instead")
    if requester:
        return [requester]
    return list(config.report_to) or ([config.default_owner] if config.default_owner else [])


def _rows(job: dict, gcs: storage.Client, settings: Settings) -> list[RowResult]:
    names = job.get("report") or {}
    if "results" not in names:
        return []
    results = json.loads(gcs.bucket(settings.reports_bucket).blob(names["results"]).download_as_bytes())
    return [RowResult.model_validate(r) for r in results["rows"]]


def _content(job_id: str, job: dict, rows: list[RowResult], gcs: storage.Client, settings: Settings,
             locale: str) -> ReportContent:
    bucket = gcs.bucket(settings.reports_bucket)
    source = job.get("source") or {}
    mail = source.get("mail") if source.get("kind") == "email" else None
    notes = list(job.get("notes") or [])
    if mail and mail.get("ignored"):  # the other attachments of the email: say they were not imported
        notes.insert(0, phrase("ignored_attachments", locale, files=", ".join(mail["ignored"])))
    names = job.get("report") or {}
    stem = source.get("filename", "import").rsplit(".", 1)[0]
    files = {f"{stem}-{suffix}": (blob, mime) for kind, suffix, mime in (
        ("errors_xlsx", "errors.xlsx", XLSX_TYPE), ("errors_csv", "errors.csv", "text/csv"),
        ("errors_txt", "errors.txt", "text/plain")) if kind in names
        for blob in [bucket.get_blob(names[kind])] if blob is not None}
    size = sum(blob.size or 0 for blob, _ in files.values())
    attachments, links, until = {}, {}, ""
    if size <= settings.mail_attach_max_bytes:
        attachments = {name: (blob.download_as_bytes(), mime) for name, (blob, mime) in files.items()}
    else:  # a million wrong rows is no attachment any relay takes: links, signed, for as long as a link may live
        expires = dt.datetime.now(dt.UTC) + LINK_LIFE
        links = {name: blob.generate_signed_url(version="v4", expiration=LINK_LIFE, method="GET",
                                                response_disposition=attachment_disposition(name),
                                                **signing_arguments(settings))
                 for name, (blob, _) in files.items()}
        until = format_date(expires.date(), format="long", locale=locale)
    return ReportContent(
        job_id=job_id, filename=source.get("filename", "file"), status=job["status"],
        error=job.get("error"), counts=Counts.model_validate(job.get("counts") or {}), rows=rows,
        notes=notes, attachments=attachments, locale=locale, in_reply_to=mail, links=links, links_until=until,
        links_size=f"{size / 1e6:.0f} MB",
        sheet_url=source.get("url") if source.get("kind") == "sheet" else None,
    )


def attachment_disposition(name: str) -> str:
    """A download's Content-Disposition, named after the person's file: a sheet's title may hold quotes or
    any script, so the name goes in UTF-8 for the browsers that read it and as safe ASCII for the rest
    (RFC 6266), never as raw text in the header."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*={encode_rfc2231(name, 'utf-8')}"

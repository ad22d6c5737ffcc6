"""Cloud Functions entry points. Each only unpacks its trigger and calls the stage that does the work."""

from __future__ import annotations

import logging
from collections.abc import Callable

import flask
import functions_framework
from cloudevents.http import CloudEvent

from leadimport.api import bodies, endpoints
from leadimport.api.http import serve
from leadimport.errors import TerminalError
from leadimport.inbound.webhook import inbound_email as receive_inbound
from leadimport.report.notify import report_result as send_report
from leadimport.run.chunk_import import import_chunk as run_chunk
from leadimport.run.pipeline import process_upload as run_import
from leadimport.run.storage_event import StorageObject
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.outages import busy_reason

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("leadimport")


def _on_object(name: str, event: CloudEvent, stage: Callable[[StorageObject], None]) -> None:
    """Run a storage-triggered stage. Raising makes the platform retry: only what a retry can mend does."""
    obj = StorageObject.model_validate(event.data)
    try:
        stage(obj)
    except TerminalError as exc:  # nothing to fail (e.g. no tenant in the path): retrying cannot help
        log.error("%s dropped generation %s: %s", name, obj.generation, exc)
    except Exception as exc:
        if busy_reason(exc):  # contention or an outage: the retry waits it out; anything else is a crash
            log.warning("%s will be retried (%s): %s", name, busy_reason(exc), exc)
        raise


@functions_framework.cloud_event
def process_upload(event: CloudEvent) -> None:
    """Drop bucket object finalized → import it (or cut it into chunks, if it is big)."""
    _on_object("process_upload", event,
               lambda obj: run_import(obj, firestore_client(), storage_client(), get_settings()))


@functions_framework.cloud_event
def import_chunk(event: CloudEvent) -> None:
    """Work bucket object finalized (a chunk of a big file, published by process_upload) → import its rows."""
    _on_object("import_chunk", event,
               lambda obj: run_chunk(obj, firestore_client(), storage_client(), get_settings()))


@functions_framework.cloud_event
def report_result(event: CloudEvent) -> None:
    """Reports bucket object finalized (a job-finished marker) → email the report."""
    _on_object("report_result", event,
               lambda obj: send_report(obj.name, firestore_client(), storage_client(), get_settings()))


# HTTP functions the Sheets add-on calls; each verifies a Google ID token and answers JSON.


@functions_framework.http
def suggest_mapping(request: flask.Request) -> flask.Response:
    return serve(request, bodies.SuggestMappingBody, endpoints.suggest_mapping)


@functions_framework.http
def preview_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.PreviewBody, endpoints.preview_import)


@functions_framework.http
def start_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.StartImportBody, endpoints.start_import)


@functions_framework.http
def job_status(request: flask.Request) -> flask.Response:
    return serve(request, bodies.JobBody, endpoints.job_status)


@functions_framework.http
def list_imports(request: flask.Request) -> flask.Response:
    return serve(request, bodies.ListImportsBody, endpoints.list_imports)


@functions_framework.http
def undo_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.JobBody, endpoints.undo_import)


@functions_framework.http
def bulk_reassign(request: flask.Request) -> flask.Response:
    return serve(request, bodies.ReassignBody, endpoints.bulk_reassign)


@functions_framework.http
def import_template(request: flask.Request) -> flask.Response:
    return serve(request, bodies.TemplateBody, endpoints.import_template)


@functions_framework.http
def inbound_email(request: flask.Request) -> flask.Response:
    """An inbound-mail provider's webhook (shared secret, not an ID token): attachments → drop bucket."""
    return receive_inbound(request)

"""Cloud Functions entry points. Each only unpacks its trigger and calls the stage that does the work.

Every instance imports this module whatever its entry point, so each entry point imports its stage when it
is first called, and only that: job_status, which the sidebar polls, never loads the reader, the mapper
or the report writers (bench/cold_start.py times each entry point's start in a fresh interpreter).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

import flask
import functions_framework
from cloudevents.http import CloudEvent

from leadimport.api import bodies
from leadimport.api.http import serve
from leadimport.errors import TerminalError
from leadimport.run.storage_event import StorageObject
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.outages import busy_reason

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("leadimport")


def _stage(module: str, name: str) -> Callable[..., Any]:
    """The stage an entry point calls, imported on its first call (then from Python's module cache)."""
    return getattr(importlib.import_module(module), name)


def _on_object(name: str, event: CloudEvent, module: str, by_name: bool = False) -> None:
    """Run a storage-triggered stage (`module`'s function `name`, given the object or its name). Raising makes
    the platform retry: only what a retry can mend does."""
    obj = StorageObject.model_validate(event.data)
    try:
        _stage(module, name)(obj.name if by_name else obj, firestore_client(), storage_client(), get_settings())
    except TerminalError as exc:  # nothing to fail (e.g. no tenant in the path): retrying cannot help
        log.error("%s dropped generation %s: %s", name, obj.generation, exc)
    except Exception as exc:
        if busy_reason(exc):  # contention or an outage: the retry waits it out; anything else is a crash
            log.warning("%s will be retried (%s): %s", name, busy_reason(exc), exc)
        raise


@functions_framework.cloud_event
def process_upload(event: CloudEvent) -> None:
    """Drop bucket object finalized → import it (or cut it into chunks, if it is big)."""
    _on_object("process_upload", event, "leadimport.run.pipeline")


@functions_framework.cloud_event
def import_chunk(event: CloudEvent) -> None:
    """Work bucket object finalized (a chunk of a big file, published by process_upload) → import its rows."""
    _on_object("import_chunk", event, "leadimport.run.chunk_import")


@functions_framework.cloud_event
def report_result(event: CloudEvent) -> None:
    """Reports bucket object finalized (a job-finished marker) → email the report."""
    _on_object("report_result", event, "leadimport.report.notify", by_name=True)


# HTTP functions the Sheets add-on calls; each verifies a Google ID token and answers JSON.


@functions_framework.http
def suggest_mapping(request: flask.Request) -> flask.Response:
    return serve(request, bodies.SuggestMappingBody, _stage("leadimport.api.suggest", "suggest_mapping"))


@functions_framework.http
def preview_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.PreviewBody, _stage("leadimport.api.preview", "preview_import"))


@functions_framework.http
def start_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.StartImportBody, _stage("leadimport.api.changes", "start_import"))


@functions_framework.http
def job_status(request: flask.Request) -> flask.Response:
    return serve(request, bodies.JobBody, _stage("leadimport.api.status", "job_status"))


@functions_framework.http
def list_imports(request: flask.Request) -> flask.Response:
    return serve(request, bodies.ListImportsBody, _stage("leadimport.api.status", "list_imports"))


@functions_framework.http
def undo_import(request: flask.Request) -> flask.Response:
    return serve(request, bodies.JobBody, _stage("leadimport.api.changes", "undo_import"))


@functions_framework.http
def bulk_reassign(request: flask.Request) -> flask.Response:
    return serve(request, bodies.ReassignBody, _stage("leadimport.api.changes", "bulk_reassign"))


@functions_framework.http
def import_template(request: flask.Request) -> flask.Response:
    return serve(request, bodies.TemplateBody, _stage("leadimport.api.templates", "import_template"))


@functions_framework.http
def inbound_email(request: flask.Request) -> flask.Response:
    """An inbound-mail provider's webhook (shared secret, not an ID token): attachments → drop bucket."""
    return _stage("leadimport.inbound.webhook", "inbound_email")(request)

"""One local stack for the integration tests; each test works in a tenant of its own."""

from __future__ import annotations

import email
import os
import time
import uuid
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import Workbook

from doubles.sheets_api import SheetsApiDouble
from leadimport.cli import import_cmd
from leadimport.core.models import Counts, ImportOptions
from leadimport.core.tenant_config import TenantConfig
from leadimport.devstack.bridge import read_delivered
from leadimport.devstack.stack import Stack, function_env
from leadimport.report.results import finished_event_name
from leadimport.run import chunk_import, fanout, pipeline
from leadimport.run.storage_event import StorageObject, upload_object_name
from leadimport.settings import Settings, get_settings
from leadimport.store import chunk_files, jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHUNK_ROWS = 1500  # the test stack's fan-out threshold and chunk size
CHECK_WORKERS_FROM_BYTES = 150_000  # about 2,000 rows of test_fanout's file


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the stack must say so, so that `pytest -m "not stack"` never boots it."""
    unmarked = [item.nodeid for item in items
                if "stack" in getattr(item, "fixturenames", ()) and item.get_closest_marker("stack") is None]
    if unmarked:
        raise pytest.UsageError("These tests use the local stack without the `stack` marker: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def sheets_double() -> Iterator[SheetsApiDouble]:
    """The Sheets API test double the stack's report_result writes back to."""
    double = SheetsApiDouble()
    yield double
    double.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, sheets_double: SheetsApiDouble) -> Iterator[dict]:
    state = tmp_path_factory.mktemp("stack")
    local = Stack(state)
    saved = dict(os.environ)
    os.environ["LEADIMPORT_SHEETS_ENDPOINT"] = sheets_double.url  # inherited by the functions
    # small chunks, so that files of a few thousand rows take the fan-out; a short lease, so that a
    # killed chunk is taken over within the bridge's retries
    os.environ["LEADIMPORT_CHUNK_ROWS"] = str(CHUNK_ROWS)
    os.environ["LEADIMPORT_CHUNK_LEASE_SECONDS"] = "20"
    # and files from CHECK_WORKERS_FROM_BYTES on checked on two worker processes, as a big file is in production
    os.environ["LEADIMPORT_CHECK_WORKERS"] = "2"
    os.environ["LEADIMPORT_CHECK_WORKERS_FROM_BYTES"] = str(CHECK_WORKERS_FROM_BYTES)
    status = local.up()
    os.environ.update(function_env(status))
    os.environ["LEADIMPORT_STATE_DIR"] = str(state)
    for cached in (firestore_client, storage_client, get_settings):
        cached.cache_clear()
    yield status
    local.down()
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def tenant(stack: dict) -> str:
    tenant_id = "t-" + uuid.uuid4().hex[:12]
    config = TenantConfig.model_validate_json((EXAMPLES / "tenant.json").read_text())
    apply_tenant(firestore_client(), tenant_id, config)
    return tenant_id


def run_import(path: Path, tenant_id: str, **options: object) -> dict:
    """Upload through the drop bucket and wait for the job, as the CLI does; the contract's JSON."""
    _, job_id = import_cmd.upload(path, tenant_id, ImportOptions(filename=path.name, **options))
    job = import_cmd.wait_for_job(tenant_id, job_id, timeout=120, progress=False)
    outcome = import_cmd.job_outcome(job_id, job)
    outcome["email"] = import_cmd.wait_for_email(tenant_id, job_id)
    return outcome


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def leads_of(tenant_id: str) -> dict[str, dict]:
    return {d.id: d.to_dict() for d in tenant_ref(firestore_client(), tenant_id).collection("leads").stream()}


def wait_until_quiet(stack: dict, tenant_id: str, job_id: str, timeout: float = 120) -> None:
    """Wait until nothing the pipeline started for this job can still send mail: its email delivery has
    ended (the job's delivery claim is in a final state), and the bridge is done with the current
    generation of every object that starts a function for it (the upload, its chunks, the job-finished
    marker), each acknowledged by the function that took it. report_result sends before it answers,
    and the SMTP sink saves a message before it says 250, so a count taken now is final."""
    assert import_cmd.wait_for_email(tenant_id, job_id, timeout=timeout) in {"sent", "no_recipient", "refused"}
    gcs = storage_client()
    job = jobs.jobs_of(tenant_ref(firestore_client(), tenant_id)).document(job_id).get().to_dict() or {}
    source = job.get("source") or {}
    watched = [(stack["buckets"]["reports"], finished_event_name(tenant_id, job_id))]
    if source.get("bucket") == stack["buckets"]["drop"]:  # uploads to other buckets were delivered by the test
        watched.append((stack["buckets"]["drop"], source["name"]))
    watched += [(stack["buckets"]["work"], blob.name) for blob in
                gcs.list_blobs(stack["buckets"]["work"], prefix=f"{chunk_files.CHUNK_PREFIX}{tenant_id}/{job_id}/")]
    deadline = time.monotonic() + timeout
    for bucket, name in watched:
        while True:
            blob = gcs.bucket(bucket).get_blob(name)
            if blob is None or read_delivered(Path(stack["delivered_log"])).get(
                    (bucket, name, str(blob.generation))) in {"acknowledged", "gave_up"}:
                break
            assert time.monotonic() < deadline, f"the bridge never finished delivering {name}"
            time.sleep(0.1)


def emails_for(stack: dict, job_id: str) -> list[EmailMessage]:
    """The emails the SMTP sink holds for this job (after wait_until_quiet, all it will ever hold)."""
    found = []
    for path in sorted(Path(stack["mail_dir"]).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["X-Leadimport-Job"] == job_id:
            found.append(message)
    return found


class ManualRun:
    """An upload whose events only this test delivers: buckets the bridge does not watch, the
    functions' stages called here, so a test can crash a chunk where it wants."""

    def __init__(self, tenant_id: str, path: Path, **settings: object):
        self.tenant_id = tenant_id
        gcs = storage_client()
        self.settings: Settings = get_settings().model_copy(update={"work_bucket": f"manual-work-{tenant_id}",
                                                                    **settings})
        drop = gcs.bucket(f"manual-drop-{tenant_id}")
        for bucket in (drop, gcs.bucket(self.settings.work_bucket)):
            if not bucket.exists():
                gcs.create_bucket(bucket.name)
        blob = drop.blob(upload_object_name(tenant_id, uuid.uuid4().hex, path.name))
        blob.upload_from_filename(str(path))
        self.upload = StorageObject(bucket=drop.name, name=blob.name, generation=str(blob.generation), size=blob.size)
        self.job_id = jobs.job_id_for(drop.name, blob.name, blob.generation)

    def process_upload(self) -> None:
        pipeline.process_upload(self.upload, firestore_client(), storage_client(), self.settings)

    def chunk(self, n: int) -> None:
        name = chunk_files.chunk_name(self.tenant_id, self.job_id, n)
        blob = storage_client().bucket(self.settings.work_bucket).get_blob(name)
        assert blob is not None, f"chunk {n} was not published"
        obj = StorageObject(bucket=blob.bucket.name, name=name, generation=str(blob.generation), size=blob.size)
        chunk_import.import_chunk(obj, firestore_client(), storage_client(), self.settings)

    def written_parts(self, n: int) -> list[Counts]:
        return chunk_files.written_parts(storage_client().bucket(self.settings.work_bucket), self.tenant_id,
                                         self.job_id, n)

    def chunk_state(self, n: int) -> dict:
        job = jobs.jobs_of(tenant_ref(firestore_client(), self.tenant_id)).document(self.job_id)
        return fanout.chunk_ref(job, n).get().to_dict() or {}

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
from leadimport.clients import firestore_client, storage_client
from leadimport.devstack.stack import Stack, function_env
from leadimport.models import ImportOptions
from leadimport.settings import get_settings
from leadimport.tenants import TenantConfig, apply_tenant, tenant_ref

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHUNK_ROWS = 1500  # the test stack's fan-out threshold and chunk size


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


def emails_for(stack: dict, job_id: str, settle: float = 0.0) -> list[EmailMessage]:
    time.sleep(settle)
    found = []
    for path in sorted(Path(stack["mail_dir"]).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["X-Leadimport-Job"] == job_id:
            found.append(message)
    return found

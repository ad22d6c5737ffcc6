"""The report is due while the SMTP server is down: it goes out once the server is back, and the import
is not run again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from integration.conftest import wait_until_quiet
from integration.mail_samples import post, replies_to, sample
from leadimport.cli import import_cmd
from leadimport.devstack.stack import Stack, wait_for_port
from leadimport.store.clients import firestore_client
from leadimport.store.jobs import jobs_of
from leadimport.store.tenants import tenant_ref

pytestmark = pytest.mark.stack


def test_the_report_waits_for_the_mail_server_not_the_import(stack: dict, tenant: str) -> None:
    local = Stack(Path(stack["state_dir"]))
    job_ref = None
    local.stop_process("smtp")
    try:
        raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant)
        (stored,) = post(stack, raw).json()["jobs"]
        job = import_cmd.wait_for_job(tenant, stored["job_id"], timeout=120, progress=False)
        job_ref = jobs_of(tenant_ref(firestore_client(), tenant)).document(stored["job_id"])
        delivery = job_ref.collection("deliveries").document("email")
        deadline = time.monotonic() + 30
        while (delivery.get().to_dict() or {}).get("status") != "failed" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert delivery.get().to_dict()["status"] == "failed"  # tried, refused by the closed port, to be retried
    finally:
        local.start_process("smtp")
        wait_for_port(int(stack["smtp"].rsplit(":", 1)[1]), "smtp", Path(stack["state_dir"]) / "logs" / "smtp.log")
    assert import_cmd.wait_for_email(tenant, stored["job_id"]) == "sent"  # the bridge redelivered the event
    wait_until_quiet(stack, tenant, stored["job_id"])
    (report,) = replies_to(stack, message_id)
    assert report["X-Leadimport-Job"] == stored["job_id"]
    after = job_ref.get().to_dict()
    assert after["attempt"] == 1 and after["counts"] == job["counts"]  # the import ran once
    assert after["finished_at"] == job["finished_at"]

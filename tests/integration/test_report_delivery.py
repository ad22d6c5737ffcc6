"""The report is due while the SMTP server is down: it goes out once the server is back, and the import
is not run again."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from integration.conftest import run_import, wait_until_quiet
from integration.mail_samples import post, replies_to, sample
from leadimport.cli import import_cmd
from leadimport.devstack.stack import Stack, wait_for_port
from leadimport.report import notify
from leadimport.report.mail.compose import compose
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.jobs import jobs_of
from leadimport.store.tenant_refs import tenant_ref

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


def test_error_files_too_big_to_attach_are_linked_until_a_date(stack: dict, tenant: str, tmp_path: Path) -> None:
    """Issue 20: a million wrong rows would be no attachment any relay takes. Past the limit, the email links
    the error files (signed, for a week) and says until when; under it, they are attached as before."""
    path = tmp_path / "todo_mal.csv"
    path.write_text("Nombre,Correo\n" + "".join(f"Persona {i},mal{i}@\n" for i in range(400)), encoding="utf-8")
    outcome = run_import(path, tenant)
    assert outcome["counts"]["errors"] == 400
    job = jobs_of(tenant_ref(firestore_client(), tenant)).document(outcome["job_id"]).get().to_dict() or {}
    small = get_settings().model_copy(update={"mail_attach_max_bytes": 2000})
    content = notify._content(outcome["job_id"], job, [], storage_client(), small, "es")
    message = compose(content, "imports@x.test", ["ana@inmosol.ec"])
    assert not list(message.iter_attachments()) and len(message.as_bytes()) < 30_000
    text = message.get_body(("plain",)).get_content()
    assert "son demasiado grandes para un correo" in text and "descárguelos hasta el" in text
    assert set(content.links) == {f"todo_mal-errors.{kind}" for kind in ("xlsx", "csv", "txt")} and content.links_until
    linked = requests.get(content.links["todo_mal-errors.csv"], timeout=30)
    assert linked.ok and "mal399@" in linked.content.decode("utf-8-sig")  # the link serves the whole file
    attached = notify._content(outcome["job_id"], job, [], storage_client(), get_settings(), "es")
    assert set(attached.attachments) == set(content.links) and not attached.links

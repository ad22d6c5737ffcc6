"""Tenant isolation: a user of one workspace tries every entry point on another's data, and fails
every time. The victim's leads and imports are the same afterwards, byte for byte."""

from __future__ import annotations

import uuid
from email.message import EmailMessage

import pytest
import requests
from mail_samples import post, replies_to, signed
from test_http_api import SHEET, call, csv_of, new_tenant, token, wait_status

from leadimport.store import jobs
from leadimport.store.clients import firestore_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant, load_tenant

pytestmark = pytest.mark.stack


def _snapshot(tenant_id: str) -> dict[str, dict]:
    tenant = tenant_ref(firestore_client(), tenant_id)
    return {f"{name}/{doc.id}": doc.to_dict() for name in ("leads", "lead_keys", "import_jobs")
            for doc in tenant.collection(name).stream()}


def test_no_entry_point_reaches_another_workspace(stack: dict) -> None:
    victim, victim_importer, _ = new_tenant()
    # both workspaces' users are @inmosol.ec, which the example tenant lets mail files in: not here
    config = load_tenant(firestore_client(), victim)
    apply_tenant(firestore_client(), victim, config.model_copy(update={"allowed_senders": []}))
    intruder, intruder_importer, intruder_viewer = new_tenant()
    own = token(stack, victim_importer)
    started = call(stack, "start_import", {"filename": "leads.csv"}, own).json()
    requests.put(started["upload"]["url"], data=csv_of(SHEET[1:]), headers=started["upload"]["headers"], timeout=30)
    victim_job = started["job_id"]
    assert wait_status(stack, own, victim_job)["counts"]["created"] == 3
    before = _snapshot(victim)
    bearer = token(stack, intruder_importer)

    # 1. Choosing the victim's workspace in the body: the token's email is not a member there.
    rows = [{"row": 2, "values": ["Ana Ruiz", "ana.ruiz@gmail.com"]}]
    for name, body in [
        ("start_import", {"filename": "x.csv"}), ("list_imports", {}), ("job_status", {"job_id": victim_job}),
        ("undo_import", {"job_id": victim_job}), ("bulk_reassign", {"to_user": intruder_importer, "orphans": True}),
        ("preview_import", {"columns": ["Nombre", "Correo"], "rows": rows}),
        ("suggest_mapping", {"columns": ["Nombre", "Correo"]}), ("import_template", {"format": "json"}),
    ]:
        refused = call(stack, name, {**body, "tenant": victim}, bearer)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_a_member", name

    # 2. From the intruder's own workspace, naming the victim's things.
    for name in ("job_status", "undo_import"):
        assert call(stack, name, {"job_id": victim_job}, bearer).status_code == 404, name
    history = call(stack, "list_imports", {}, bearer).json()
    assert victim_job not in str(history)
    preview = call(stack, "preview_import", {"columns": ["Nombre", "Correo"], "rows": rows}, bearer).json()
    assert [row["status"] for row in preview["rows"]] == ["created"]  # the victim's Ana is not seen
    moved = call(stack, "bulk_reassign", {"to_user": intruder_viewer, "from_user": victim_importer}, bearer)
    assert moved.status_code == 400 or moved.json()["counts"]["updated"] == 0  # the victim's user is unknown here
    upload = call(stack, "start_import", {"filename": "x.csv"}, bearer).json()
    assert f"/uploads/{intruder}/" in upload["upload"]["url"] and victim not in upload["upload"]["url"]

    # 3. Mail to the victim's import address from the intruder's importer: a stranger there.
    message = EmailMessage()
    message["From"], message["To"] = intruder_importer, f"import+{victim}@leads.localhost"
    message["Subject"], message["Message-ID"] = "leads", f"<{uuid.uuid4().hex}@intruder.example>"
    message.set_content("adjunto")
    message.add_attachment(csv_of(SHEET[1:]), maintype="text", subtype="csv", filename="leads.csv")
    assert post(stack, signed(message, intruder_importer.rpartition("@")[2])).ok  # proven, and a stranger there
    (answer,) = replies_to(stack, message["Message-ID"])
    assert answer["To"] == intruder_importer

    after = _snapshot(victim)
    assert after == before
    assert [job for job in after if job.startswith("import_jobs/")] == [f"import_jobs/{victim_job}"]
    assert jobs.jobs_of(tenant_ref(firestore_client(), intruder)).document(victim_job).get().exists is False

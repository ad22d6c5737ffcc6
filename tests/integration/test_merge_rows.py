"""A tenant that merges repeated rows (repeated_rows: "merge"): a person who appears twice in a file is one
lead, which the later rows complete, each row reported against it; undo still puts everything back; and a
big file's repeats, in chunks of their own, are written after every row they repeat."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import CHUNK_ROWS, leads_of, run_import, write_xlsx
from leadimport.core.tenant_config import TenantConfig
from leadimport.store import jobs
from leadimport.store.clients import firestore_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

pytestmark = pytest.mark.stack

HEADER = ["Nombres", "Apellidos", "Correo", "Celular", "Ciudad", "Etiquetas"]


def merging_tenant() -> str:
    tenant_id = "m-" + uuid.uuid4().hex[:12]
    apply_tenant(firestore_client(), tenant_id, TenantConfig(
        name="Sol", default_region="EC", locale="es", repeated_rows="merge"))
    return tenant_id


def _snapshot(tenant: str) -> dict[str, dict]:
    ref = tenant_ref(firestore_client(), tenant)
    return {"leads": {d.id: d.to_dict() for d in ref.collection("leads").stream()},
            "keys": {d.id: (d.to_dict() or {})["lead_id"] for d in ref.collection("lead_keys").stream()}}


def _undo(tenant: str, job_id: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "leadimport.cli.main", "undo", job_id, "--tenant", tenant, "--json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_repeated_rows_complete_one_lead_and_undo_takes_it_away(stack: dict, tmp_path: Path) -> None:
    tenant = merging_tenant()
    path = write_xlsx(tmp_path / "feria.xlsx", [
        HEADER,
        ["Ana", "Paz", "ana@x.ec", "", "Quito", "Feria"],
        ["Luis", "Mora", "luis@x.ec", "", "", ""],
        ["Ana", "Paz", "ANA@x.ec", "0991234567", "", "VIP"],  # her mobile
        ["Ana María", "Paz", "", "0991234567", "Cuenca", ""],  # found by that mobile: Ana again
    ])
    outcome = run_import(path, tenant)
    rows = {r["row"]: r for r in outcome["rows"]}
    assert [(n, rows[n]["status"], [w["code"] for w in rows[n]["warnings"]]) for n in (2, 3, 4, 5)] == [
        (2, "created", []), (3, "created", []), (4, "updated", ["merged_into_row"]),
        (5, "updated", ["merged_into_row"])]
    assert rows[4]["lead_id"] == rows[5]["lead_id"] == rows[2]["lead_id"]  # each row reported against her lead
    leads = leads_of(tenant)
    assert len(leads) == 2
    ana = leads[rows[2]["lead_id"]]
    assert (ana["first_name"], ana["phone"], ana["city"], ana["tags"]) == ("Ana María", "+593991234567", "Cuenca",
                                                                         ["Feria", "VIP"])
    report = _undo(tenant, outcome["job_id"])  # her lead was created by this job: undo deletes it, once
    assert (report["deleted"], report["left"]) == (2, []) and _snapshot(tenant) == {"leads": {}, "keys": {}}
    again = run_import(path, tenant)  # imported again: still one Ana
    assert [r["status"] for r in again["rows"]] == ["created", "created", "updated", "updated"]
    assert len(leads_of(tenant)) == 2


def test_a_stored_lead_two_rows_complete_is_put_back_whole_by_undo(stack: dict, tmp_path: Path) -> None:
    tenant = merging_tenant()
    run_import(write_xlsx(tmp_path / "base.xlsx", [HEADER, ["Ana", "Paz", "ana@x.ec", "", "Loja", "Base"]]), tenant)
    before = _snapshot(tenant)
    change = write_xlsx(tmp_path / "change.xlsx", [
        HEADER,
        ["Ana", "Paz", "ana@x.ec", "", "Quito", ""],  # updates her city
        ["Eva", "Sol", "eva@x.ec", "", "", ""],
        ["Ana", "Paz", "ana@x.ec", "0991234567", "", "VIP"],  # then gives her a mobile and a tag
    ])
    outcome = run_import(change, tenant)
    assert [(r["row"], r["status"]) for r in outcome["rows"]] == [(2, "updated"), (3, "created"), (4, "updated")]
    ana = next(lead for lead in leads_of(tenant).values() if lead["email"] == "ana@x.ec")
    assert (ana["city"], ana["phone"], ana["tags"]) == ("Quito", "+593991234567", ["Base", "VIP"])
    report = _undo(tenant, outcome["job_id"])
    assert report["left"] == []
    after = _snapshot(tenant)
    assert after["keys"] == before["keys"]  # her mobile's key freed, Eva's gone
    ana_id = next(iter(before["leads"]))
    trail = {"updated_at", "source_jobs", "changes", "last_import"}
    assert {k: v for k, v in after["leads"][ana_id].items() if k not in trail} == {
        k: v for k, v in before["leads"][ana_id].items() if k not in trail}
    assert set(after["leads"]) == set(before["leads"])


def test_a_big_files_repeats_are_written_after_every_row_they_repeat(stack: dict, tmp_path: Path) -> None:
    """Three chunks of the file's own rows, imported side by side, then the repeats' chunk: a repeat of a row
    in the last chunk still finds that row's lead, whatever order the chunks ran in."""
    tenant = merging_tenant()
    total = 2 * CHUNK_ROWS + 500
    rows = [[f"Nombre{i}", "Pérez", f"lead{i}@example.com", "", "", ""] for i in range(total)]
    # (first, repeat): across chunks 1→2 and 2→3, and within the last chunk
    pairs = [(7, CHUNK_ROWS + 10), (CHUNK_ROWS + 20, 2 * CHUNK_ROWS + 30), (2 * CHUNK_ROWS + 40, total - 1)]
    for first, repeat in pairs:
        rows[repeat] = [f"Nombre{first}", "Pérez", f"lead{first}@example.com", f"09912{repeat:05d}", "Quito",
                        "Repetido"]
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    outcome = run_import(path, tenant)
    assert outcome["status"] == "done" and outcome["counts"]["rows"] == total
    job = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(outcome["job_id"]).get().to_dict() or {}
    assert job["split"] == {"chunks": 3, "repeats": 1, "rows": total}  # the repeats' chunk ran on its own
    by_row = {r["row"]: r for r in outcome["rows"]}
    merged = sorted(r["row"] for r in outcome["rows"] if any(w["code"] == "merged_into_row" for w in r["warnings"]))
    assert merged == [repeat + 2 for _, repeat in pairs]  # sheet rows: under the header
    leads = leads_of(tenant)
    assert len(leads) == total - len(pairs)
    for first, repeat in pairs:
        result = by_row[repeat + 2]
        assert result["status"] == "updated" and result["lead_id"] == by_row[first + 2]["lead_id"]
        lead = leads[result["lead_id"]]
        assert (lead["email"], lead["city"], lead["tags"], lead["phone"]) == (
            f"lead{first}@example.com", "Quito", ["Repetido"], f"+59399{12 * 100000 + repeat}")

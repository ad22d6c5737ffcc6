"""Undo: a snapshot of the tenant's leads and keys before an import equals the one after import + undo,
and an import that lands while undo runs is never reverted."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_import, write_xlsx
from leadimport.errors import TerminalError
from leadimport.run import undo
from leadimport.store.clients import firestore_client
from leadimport.store.retention import UNDO_DAYS
from leadimport.store.tenant_refs import tenant_ref

pytestmark = pytest.mark.stack

HEADER = ["Nombres", "Apellidos", "Correo", "Celular", "Etiquetas", "Tema", "Fecha de la oportunidad", "Cédula"]


def _snapshot(tenant: str) -> dict[str, dict]:
    ref = tenant_ref(firestore_client(), tenant)
    return {
        "leads": {d.id: d.to_dict() for d in ref.collection("leads").stream()},
        "keys": {d.id: (d.to_dict() or {})["lead_id"] for d in ref.collection("lead_keys").stream()},
        "opportunities": {d.id: d.to_dict() for d in ref.collection("opportunities").stream()},
    }


def _undo(tenant: str, job_id: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "leadimport.cli.main", "undo", job_id, "--tenant", tenant, "--json"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_then_undo_leaves_the_tenant_as_it_was(stack: dict, tenant: str, tmp_path: Path) -> None:
    base = write_xlsx(tmp_path / "base.xlsx", [
        HEADER, ["Ana", "Paz", "ana@x.ec", "0991234567", "VIP", "Casa", "01/12/2026", "1710034065"],
        ["Luis", "Mora", "luis@x.ec", "0991234568", "", "", "", ""],
        ["Eva", "Ríos", "eva@x.ec", "0991234569", "", "", "", ""]])
    run_import(base, tenant)
    before = _snapshot(tenant)
    change = write_xlsx(tmp_path / "change.xlsx", [
        HEADER,
        # an update with the same interest
        ["Ana María", "Paz", "ana@x.ec", "0991234567", "Referido", "Casa", "01/12/2026", "1710034065"],
        # email moves, a new interest, and a document indexed outside the email/phone chain
        ["Luis", "Mora", "luis.nuevo@x.ec", "0991234568", "", "Depto", "02/12/2026", "0102030400"],
        ["Nuevo", "Lead", "nuevo@x.ec", "0991234570", "", "Terreno", "03/12/2026", ""],  # created
        ["Eva", "Ríos", "eva@x.ec", "0991234569", "", "", "", ""]])  # unchanged
    outcome = run_import(change, tenant)
    assert [r["status"] for r in outcome["rows"]] == ["updated", "updated", "created", "unchanged"]
    assert _snapshot(tenant) != before
    report = _undo(tenant, outcome["job_id"])
    assert (report["deleted"], report["restored"], report["opportunities_deleted"], report["left"]) == (1, 2, 2, [])
    assert _snapshot(tenant) == before
    again = _undo(tenant, outcome["job_id"])  # undo is idempotent
    assert (again["deleted"], again["restored"], again["left"]) == (0, 0, [])
    assert _snapshot(tenant) == before


def test_undo_leaves_leads_changed_since(stack: dict, tenant: str, tmp_path: Path) -> None:
    first = run_import(write_xlsx(tmp_path / "a.xlsx", [HEADER, ["Ana", "Paz", "ana@x.ec", "", "", "", ""]]), tenant)
    later = run_import(write_xlsx(tmp_path / "b.xlsx", [HEADER, ["Ana", "Pazmiño", "ana@x.ec", "", "", "", ""]]),
                       tenant)
    report = _undo(tenant, first["job_id"])
    assert report["deleted"] == 0
    assert report["left"] == [{"lead_id": first["rows"][0]["lead_id"], "reason": "changed by a later import"}]
    assert _undo(tenant, later["job_id"])["restored"] == 1
    [lead] = _snapshot(tenant)["leads"].values()
    assert lead["last_name"] == "Paz"


def test_an_import_landing_while_undo_runs_is_never_reverted(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo looks at a lead, judges it its own, and writes: an import that lands in between (forced
    here, for the lead it deletes and for the one it restores) wins, and undo leaves both alone."""
    run_import(write_xlsx(tmp_path / "base.xlsx", [HEADER, ["Ana", "Paz", "ana@x.ec", "", "", "", ""]]), tenant)
    change = run_import(write_xlsx(tmp_path / "change.xlsx", [
        HEADER, ["Ana", "Pazmiño", "ana@x.ec", "", "", "", ""], ["Luis", "Mora", "luis@x.ec", "", "", "", ""]]), tenant)
    ana, luis = (row["lead_id"] for row in change["rows"])
    later = {luis: ["Luis", "Mora", "luis@x.ec", "", "VIP", "", ""],
             ana: ["Ana", "Pazmiño", "ana@x.ec", "", "VIP", "", ""]}
    landed: list[str] = []

    def an_import_lands(lead_id: str) -> None:
        if lead_id in later:  # once per lead, between undo's look and its write
            landed.append(run_import(write_xlsx(tmp_path / f"{lead_id}.xlsx", [HEADER, later.pop(lead_id)]),
                                     tenant)["job_id"])

    monkeypatch.setattr(undo, "between_look_and_write", an_import_lands)
    report = undo.undo_job(firestore_client(), tenant_ref(firestore_client(), tenant), change["job_id"])
    assert len(landed) == 2
    assert (report.deleted, report.restored) == (0, 0)
    assert {left["lead_id"]: left["reason"] for left in report.left} == dict.fromkeys(
        (ana, luis), "changed by a later import")
    leads = _snapshot(tenant)["leads"]
    assert leads[luis]["tags"] == ["VIP"] and leads[ana]["tags"] == ["VIP"]  # nothing the later imports wrote is lost
    assert leads[ana]["last_name"] == "Pazmiño" and leads[ana]["last_import"]["job"] == landed[1]


def test_an_undo_that_stops_between_a_restore_and_its_keys_is_finished_by_the_next(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    luis = ["Luis", "Mora", "luis@x.ec", "0991234568", "", "", "", ""]
    run_import(write_xlsx(tmp_path / "base.xlsx", [HEADER, luis]), tenant)
    before = _snapshot(tenant)
    change = run_import(write_xlsx(tmp_path / "change.xlsx", [  # found by phone, the email moves
        HEADER, ["Luis", "Mora", "luis.nuevo@x.ec", "0991234568", "", "", "", ""]]), tenant)
    assert [row["status"] for row in change["rows"]] == ["updated"]
    real_release = undo.release_keys

    def stop(*_: object, **__: object) -> None:
        raise RuntimeError("the worker stopped here")

    monkeypatch.setattr(undo, "release_keys", stop)
    with pytest.raises(RuntimeError):
        undo.undo_job(firestore_client(), tenant_ref(firestore_client(), tenant), change["job_id"])
    monkeypatch.setattr(undo, "release_keys", real_release)
    assert _snapshot(tenant)["leads"] == before["leads"] and _snapshot(tenant)["keys"] != before["keys"]
    report = _undo(tenant, change["job_id"])  # the next undo mends the keys, and does not restore again
    assert (report["restored"], report["left"]) == (1, [])
    assert _snapshot(tenant) == before


def test_undo_counts_its_window_from_before_the_first_before_image(stack: dict, tenant: str, tmp_path: Path) -> None:
    """A job that ran for a while: its first before-images were written, and expire, before it finished."""
    run_import(write_xlsx(tmp_path / "a.xlsx", [HEADER, ["Ana", "Paz", "ana@x.ec", "", "", "", "", ""]]), tenant)
    job = run_import(write_xlsx(tmp_path / "b.xlsx", [HEADER, ["Ana", "Pazmiño", "ana@x.ec", "", "", "", "", ""]]),
                     tenant)["job_id"]
    now = dt.datetime.now(dt.UTC)
    ref = tenant_ref(firestore_client(), tenant).collection("import_jobs").document(job)
    ref.update({"created_at": now - dt.timedelta(days=UNDO_DAYS + 1), "finished_at": now - dt.timedelta(days=80)})
    with pytest.raises(TerminalError, match="can no longer be undone"):
        undo.undo_job(firestore_client(), tenant_ref(firestore_client(), tenant), job)

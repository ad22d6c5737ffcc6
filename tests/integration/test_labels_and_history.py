"""Label rules (seed 000: attach only known labels unless the job may create them), tag replacement,
and the tenant's import history."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import leads_of, run_import, write_xlsx
from leadimport.store.clients import firestore_client
from leadimport.store.tenants import load_tenant

pytestmark = pytest.mark.stack

HEADER = ["Nombres", "Apellidos", "Correo", "Etiquetas", "Medio de captación"]


def _rows(outcome: dict) -> dict[int, tuple[str, list[str]]]:
    return {r["row"]: (r["status"], [w["code"] for w in r["warnings"]]) for r in outcome["rows"]}


def test_unknown_labels_warn_unless_the_job_creates_them(stack: dict, tenant: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "labels.xlsx", [
        HEADER, ["Ana", "Paz", "ana@x.ec", "vip, Feria Quito", "TikTok"],
        ["Luis", "Paz", "luis@x.ec", "feria quito", ""]])
    assert _rows(run_import(path, tenant, dry_run=True)) == {
        2: ("created", ["unknown_label", "unknown_label"]), 3: ("created", ["unknown_label"])}
    outcome = run_import(path, tenant, create_labels=True)
    assert _rows(outcome) == {2: ("created", []), 3: ("created", [])}
    leads = {lead["email"]: lead for lead in leads_of(tenant).values()}
    assert leads["ana@x.ec"]["tags"] == ["VIP", "Feria Quito"] and leads["ana@x.ec"]["source"] == "TikTok"
    assert leads["luis@x.ec"]["tags"] == ["Feria Quito"]  # the first spelling is the label's
    labels = load_tenant(firestore_client(), tenant).labels
    assert "Feria Quito" in labels["tags"] and "TikTok" in labels["source"]


def test_tags_add_by_default_and_replace_when_asked(stack: dict, tenant: str, tmp_path: Path) -> None:
    def write(name: str, tags: str) -> Path:
        return write_xlsx(tmp_path / name, [HEADER, ["Ana", "Paz", "ana@x.ec", tags, ""]])

    run_import(write("a.xlsx", "VIP"), tenant)
    assert _rows(run_import(write("b.xlsx", "Referido"), tenant)) == {2: ("updated", [])}
    assert next(iter(leads_of(tenant).values()))["tags"] == ["VIP", "Referido"]
    assert _rows(run_import(write("c.xlsx", "Web"), tenant, replace_tags=True)) == {2: ("updated", [])}
    assert next(iter(leads_of(tenant).values()))["tags"] == ["Web"]
    assert _rows(run_import(write("d.xlsx", "web"), tenant, replace_tags=True)) == {2: ("unchanged", [])}


def test_import_history_newest_first(stack: dict, tenant: str, tmp_path: Path) -> None:
    first = run_import(write_xlsx(tmp_path / "uno.xlsx", [HEADER, ["Ana", "Paz", "ana@x.ec", "", ""]]), tenant)
    second = run_import(write_xlsx(tmp_path / "dos.xlsx", [HEADER, ["Ana", "Paz", "bad", "", ""]]), tenant,
                        dry_run=True)
    done = subprocess.run([sys.executable, "-m", "leadimport.cli.main", "jobs", "--tenant", tenant, "--json"],
                          capture_output=True, text=True, check=True)
    history = json.loads(done.stdout)
    assert [(j["job_id"], j["filename"], j["dry_run"], j["counts"]["created"], j["counts"]["errors"])
            for j in history] == [(second["job_id"], "dos.xlsx", True, 0, 1),
                                  (first["job_id"], "uno.xlsx", False, 1, 0)]
    assert history[1]["mapping"] == {"Nombres": "first_name", "Apellidos": "last_name", "Correo": "email",
                                     "Etiquetas": "tags", "Medio de captación": "source"}

"""Bulk operations through a file of keys (seed 004): tag, assign and update existing leads only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import leads_of, run_import, write_xlsx
from leadimport.clients import firestore_client
from leadimport.tenants import tenant_ref

HEADER = ["Nombres", "Apellidos", "Correo", "Celular", "Tipo de documento", "Número de documento", "Asesor"]


def _seed_leads(tenant: str, tmp_path: Path) -> dict[str, str]:
    base = write_xlsx(tmp_path / "base.xlsx", [
        HEADER, ["Ana", "Paz", "ana@x.ec", "0991234567", "cédula", "1710034065", "ana@inmosol.ec"],
        ["Luis", "Mora", "luis@x.ec", "0991234568", "cédula", "0102030400", "ana@inmosol.ec"]])
    return {r["row"]: r["lead_id"] for r in run_import(base, tenant)["rows"]}


def _cli(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "leadimport.cli.main", *args, "--json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_bulk_tag_by_document_numbers_touches_nothing_else(stack: dict, tenant: str, tmp_path: Path) -> None:
    ids = _seed_leads(tenant, tmp_path)
    keys = write_xlsx(tmp_path / "tag.xlsx", [
        ["Número de documento", "Nombres"], ["1710034065", "NO TOCAR"], ["0999999999", ""], ["", "Sin clave"]])
    outcome = _cli("bulk", "tag", str(keys), "--tenant", tenant, "--tag", "VIP", "--match-on", "id_number")
    rows = {r["row"]: (r["status"], [i["code"] for i in r["errors"] + r["warnings"]]) for r in outcome["rows"]}
    # the leads were imported matching on email and phone: their documents were indexed all the same
    assert rows == {2: ("updated", []), 3: ("skipped", ["id_type_missing", "not_found"]), 4: ("error", ["no_key"])}
    ana = leads_of(tenant)[ids[2]]
    assert (ana["tags"], ana["first_name"]) == (["VIP"], "Ana")  # the name column is not part of a tag job
    assert [m["field"] for m in outcome["mapping"]] == ["id_number", None]


def test_bulk_assign_and_update_never_create(stack: dict, tenant: str, tmp_path: Path) -> None:
    ids = _seed_leads(tenant, tmp_path)
    keys = write_xlsx(tmp_path / "assign.xlsx", [["Correo"], ["luis@x.ec"], ["nadie@x.ec"]])
    outcome = run_import(keys, tenant, mode="update-only", fields_only=["keys", "owner"],
                         defaults={"owner": "Pedro Vélez"})
    assert [(r["status"], [w["code"] for w in r["warnings"]]) for r in outcome["rows"]] == [
        ("updated", []), ("skipped", ["not_found"])]
    assert leads_of(tenant)[ids[3]]["owner"] == "pedro@inmosol.ec"
    update = write_xlsx(tmp_path / "update.xlsx", [["Correo", "Ciudad"], ["ana@x.ec", "Cuenca"], ["x@x.ec", "Loja"]])
    outcome = _cli("bulk", "update", str(update), "--tenant", tenant)
    assert [r["status"] for r in outcome["rows"]] == ["updated", "skipped"]
    assert leads_of(tenant)[ids[2]]["city"] == "Cuenca" and len(leads_of(tenant)) == 2


def test_reassign_a_users_leads_in_a_segment_and_the_orphans_then_undo(stack: dict, tenant: str,
                                                                        tmp_path: Path) -> None:
    rows = [["Nombres", "Apellidos", "Correo", "Asesor", "Segmento"],
            ["Ana", "Paz", "ana@x.ec", "ana@inmosol.ec", ""], ["Luis", "Mora", "luis@x.ec", "Ana Torres", "Norte"],
            ["Eva", "Ríos", "eva@x.ec", "pedro@inmosol.ec", "Norte"]]
    ids = {r["row"]: r["lead_id"] for r in run_import(write_xlsx(tmp_path / "team.xlsx", rows), tenant,
                                                      create_labels=True)["rows"]}
    before = leads_of(tenant)
    result = _cli("bulk", "reassign", "--tenant", tenant, "--from", "Ana Torres", "--to", "pedro@inmosol.ec",
                  "--segment", "norte", "--keep-original")
    assert result["reassigned"] == [ids[3]]  # only Ana's lead in segment Norte
    leads = leads_of(tenant)
    assert (leads[ids[3]]["owner"], leads[ids[3]]["co_owners"]) == ("pedro@inmosol.ec", ["ana@inmosol.ec"])
    assert leads[ids[2]] == before[ids[2]] and leads[ids[4]] == before[ids[4]]
    assert _cli("undo", result["job_id"], "--tenant", tenant)["restored"] == 1
    assert leads_of(tenant) == before
    history = _cli("jobs", "--tenant", tenant)
    assert (history[0]["filename"], history[0]["counts"]["updated"]) == (
        "reassign ana@inmosol.ec → pedro@inmosol.ec", 1)
    # a lead nobody owns (written by another system) goes to a user with --orphans
    tenant_ref(firestore_client(), tenant).collection("leads").document("orphan").set({"email": "o@x.ec"})
    result = _cli("bulk", "reassign", "--tenant", tenant, "--orphans", "--to", "Pedro Vélez")
    assert result["reassigned"] == ["orphan"]
    assert leads_of(tenant)["orphan"]["owner"] == "pedro@inmosol.ec"


def test_a_bulk_jobs_narrowed_mapping_is_not_what_gets_saved(stack: dict, tenant: str, tmp_path: Path) -> None:
    _seed_leads(tenant, tmp_path)
    path = write_xlsx(tmp_path / "keys.xlsx", [["Dato 1", "Dato 2"], ["ana@x.ec", "Cuenca"]])
    outcome = run_import(path, tenant, mode="update-only", fields_only=["keys"], defaults={"tags": "VIP"},
                         mapping={"Dato 1": "email", "Dato 2": "city"})
    assert [m["field"] for m in outcome["mapping"]] == ["email", None]  # the tag job leaves the city alone
    again = run_import(path, tenant)  # a plain import of the same columns uses the mapping as it was given
    assert [m["field"] for m in again["mapping"]] == ["email", "city"]

"""Bulk operations through a file of keys (seed 004): tag, assign and update existing leads only; and
reassignment, which never overwrites a lead an import changed meanwhile, and always ends."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import leads_of, run_import, write_xlsx
from leadimport.core.models import ImportOptions, Reassignment
from leadimport.core.operations import operation_options
from leadimport.report.results import JobReport
from leadimport.run import reassign as reassign_module
from leadimport.run.reassign import reassign
from leadimport.settings import get_settings
from leadimport.store import jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.tenant_refs import tenant_ref

pytestmark = pytest.mark.stack

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
    outcome = run_import(keys, tenant, **_operation("assign", owner="Pedro Vélez"))
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
    outcome = run_import(path, tenant, **_operation("tag", ImportOptions(mapping={"Dato 1": "email", "Dato 2": "city"}),
                                                    tags=["VIP"]))
    assert [m["field"] for m in outcome["mapping"]] == ["email", None]  # the tag job leaves the city alone
    again = run_import(path, tenant)  # a plain import of the same columns uses the mapping as it was given
    assert [m["field"] for m in again["mapping"]] == ["email", "city"]


def _anas_team(tenant: str, tmp_path: Path) -> dict[int, str]:
    rows = [["Nombres", "Apellidos", "Correo", "Asesor"], ["Luis", "Mora", "luis@x.ec", "ana@inmosol.ec"],
            ["Eva", "Ríos", "eva@x.ec", "ana@inmosol.ec"], ["Rosa", "Paz", "rosa@x.ec", "ana@inmosol.ec"]]
    return {r["row"]: r["lead_id"] for r in run_import(write_xlsx(tmp_path / "team.xlsx", rows), tenant)["rows"]}


def _reassign(tenant: str) -> tuple[str, JobReport]:
    return reassign(firestore_client(), storage_client(), get_settings().reports_bucket, tenant,
                    Reassignment(from_user="ana@inmosol.ec", to_user="pedro@inmosol.ec"))


def test_a_lead_an_import_changes_while_it_is_reassigned_is_judged_again(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between reassign's read and its write an import gives Luis to Pedro and moves Eva to Cuenca:
    Luis is no longer Ana's to move, and Eva keeps the import's city and its place in her history."""
    ids = _anas_team(tenant, tmp_path)
    landed: list[str] = []

    def an_import_lands(planned: object) -> None:
        if not landed:
            landed.append(run_import(write_xlsx(tmp_path / "meanwhile.xlsx", [
                ["Correo", "Asesor", "Ciudad"], ["luis@x.ec", "pedro@inmosol.ec", ""], ["eva@x.ec", "", "Cuenca"]]),
                tenant, mode="update-only")["job_id"])

    monkeypatch.setattr(reassign_module, "between_read_and_write", an_import_lands)
    job_id, report = _reassign(tenant)
    assert sorted(r.lead_id or "" for r in report.rows) == sorted([ids[3], ids[4]])  # not Luis: Pedro's already
    assert {r.status for r in report.rows} == {"updated"}
    leads = leads_of(tenant)
    assert leads[ids[2]]["owner"] == "pedro@inmosol.ec" and leads[ids[2]]["last_import"]["job"] == landed[0]
    eva = leads[ids[3]]
    assert (eva["owner"], eva["city"]) == ("pedro@inmosol.ec", "Cuenca")
    assert [change["job"] for change in eva["changes"]][-2:] == [landed[0], job_id]


def test_a_reassignment_that_stops_halfway_ends_and_can_be_undone(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _anas_team(tenant, tmp_path)
    before = leads_of(tenant)
    monkeypatch.setattr(reassign_module, "_SLICE", 1)
    slices: list[object] = []

    def crash_on_the_second_slice(planned: object) -> None:
        slices.append(planned)
        if len(slices) == 2:
            raise RuntimeError("reassign bug")

    monkeypatch.setattr(reassign_module, "between_read_and_write", crash_on_the_second_slice)
    with pytest.raises(RuntimeError):
        _reassign(tenant)
    (job,) = [j for j in _cli("jobs", "--tenant", tenant) if j["job_id"].startswith("reassign-")]
    assert job["status"] == "failed" and "stopped after 1 leads" in job["error"] and job["counts"]["updated"] == 1
    assert sum(lead["owner"] == "pedro@inmosol.ec" for lead in leads_of(tenant).values()) == 1
    assert _cli("undo", job["job_id"], "--tenant", tenant)["restored"] == 1
    assert leads_of(tenant) == before

    class Died(BaseException):
        """The worker is gone: no handler of the job runs (out of memory, the request's time ran out)."""

    def die_on_the_second_slice(planned: object) -> None:
        slices.append(planned)
        if len(slices) == 4:
            raise Died

    monkeypatch.setattr(reassign_module, "between_read_and_write", die_on_the_second_slice)
    monkeypatch.setattr(jobs, "LEASE", dt.timedelta(0))  # its lease runs out at once, as a dead worker's does
    with pytest.raises(Died):
        _reassign(tenant)
    (dead,) = [j for j in _cli("jobs", "--tenant", tenant) if j["job_id"] != job["job_id"]
               and j["job_id"].startswith("reassign-")]
    assert dead["status"] == "running"  # nothing ended it
    assert _cli("undo", dead["job_id"], "--tenant", tenant)["restored"] == 1  # ends it, then undoes it
    assert leads_of(tenant) == before
    assert _cli("jobs", "--tenant", tenant)[0]["status"] == "failed"


def _operation(name: str, base: ImportOptions | None = None, **choices: object) -> dict[str, object]:
    """The options `leadimport bulk NAME` and start_import's `operation` send (core/operations.py)."""
    return operation_options(name, base or ImportOptions(), **choices).model_dump(exclude_defaults=True)

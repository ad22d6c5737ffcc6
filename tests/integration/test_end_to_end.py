"""The whole path on the local stack: drop bucket → process_upload → Firestore → report email."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conftest import EXAMPLES, emails_for, leads_of, run_import, wait_until_quiet, write_xlsx
from leadimport.devstack.bridge import object_event
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.jobs import jobs_of
from leadimport.store.tenant_refs import tenant_ref

pytestmark = pytest.mark.stack
DEMO = EXAMPLES / "leads_demo.xlsx"
DEMO_ERRORS = {13: "required_missing", 29: "no_contact", 44: "duplicate_in_file"}
# a bad email beside a good phone (and the other way round) costs the value, not the lead (issue 19)
DEMO_WARNED = {6: "invalid_email", 21: "invalid_phone"}


def test_demo_file_is_imported_and_reported(stack: dict, tenant: str) -> None:
    outcome = run_import(DEMO, tenant)
    counts, rows = outcome["counts"], outcome["rows"]
    assert outcome["status"] == "done" and outcome["error"] is None
    # every row read has exactly one status, and the counts add up to the rows read
    assert [r["row"] for r in rows] == list(range(2, 202))
    assert counts["rows"] == 200 == sum(counts[k] for k in ("created", "updated", "unchanged", "skipped", "errors"))
    assert {r["row"]: r["errors"][0]["code"] for r in rows if r["status"] == "error"} == DEMO_ERRORS
    warned = {r["row"]: (r["status"], r["warnings"][0]["code"]) for r in rows if r["row"] in DEMO_WARNED}
    assert warned == {row: ("created", code) for row, code in DEMO_WARNED.items()}
    assert counts["created"] == 197
    leads = leads_of(tenant)
    assert set(leads) == {r["lead_id"] for r in rows if r["status"] == "created"}
    by_email = {lead.get("email"): lead for lead in leads.values()}
    assert by_email["lucia.flores77@gmail.com"]["first_name"]  # row 72: trimmed and lower-cased
    float_phone = next(r for r in rows if r["row"] == 65)
    assert leads[float_phone["lead_id"]]["phone"] == "+593991234567"  # Excel's 5.93991234567E+11
    unknown_agent = next(r for r in rows if r["row"] == 59)
    assert [w["code"] for w in unknown_agent["warnings"]] == ["unknown_owner"]
    assert leads[unknown_agent["lead_id"]]["owner"] == "ana@inmosol.ec"

    [message] = emails_for(stack, outcome["job_id"])
    assert message["To"] == "ventas@inmosol.ec"
    assert message["Subject"] == "Importación de leads terminada: leads_demo.xlsx — 197 creados, 0 actualizados, " \
        "3 sin importar"  # the tenant's language, as the row messages
    assert "Fila 44: Mismo Correo electrónico que la fila 10" in message.get_body(("plain",)).get_content()
    attachments = {a.get_filename(): a.get_payload(decode=True) for a in message.iter_attachments()}
    error_rows = list(csv.reader(io.StringIO(attachments["leads_demo-errors.csv"].decode("utf-8-sig"))))
    assert error_rows[0] == ["Lead Import: fila", "First Name", "Last Name", "Email", "Phone", "Tags", "Agent",
                             "Lead Import: estado", "Lead Import: errores"]
    # the rows to fix: those not imported, and those imported without a value that failed its check
    assert [int(r[0]) for r in error_rows[1:]] == sorted({**DEMO_ERRORS, **DEMO_WARNED})
    assert "Fila 6, columna C (Email) (aviso): 'carlos.mora@gmail' no es un correo válido".encode() in attachments[
        "leads_demo-errors.txt"]


def test_same_file_twice_creates_nothing(stack: dict, tenant: str) -> None:
    first = run_import(DEMO, tenant)
    before = leads_of(tenant)
    second = run_import(DEMO, tenant)
    assert second["counts"]["created"] == 0
    assert second["counts"]["unchanged"] == first["counts"]["created"]
    assert leads_of(tenant) == before


def test_duplicate_event_is_processed_once_and_reported_once(stack: dict, tenant: str) -> None:
    outcome = run_import(DEMO, tenant)
    job_ref = jobs_of(tenant_ref(firestore_client(), tenant)).document(outcome["job_id"])
    source = job_ref.get().to_dict()["source"]
    blob = storage_client().bucket(source["bucket"]).get_blob(source["name"])
    for _ in range(2):  # the same upload, delivered again with new event ids
        headers, data = object_event(blob)
        response = requests.post(stack["functions"]["process_upload"], headers=headers, data=json.dumps(data))
        assert response.status_code == 200
    job = job_ref.get().to_dict()
    assert job["attempt"] == 1 and job["counts"] == outcome["counts"]
    assert len(leads_of(tenant)) == outcome["counts"]["created"]
    finished = storage_client().bucket(stack["buckets"]["reports"]).get_blob(
        f"events/job-finished/{tenant}/{outcome['job_id']}.json")
    headers, data = object_event(finished)
    assert requests.post(stack["functions"]["report_result"], headers=headers, data=json.dumps(data)).ok
    wait_until_quiet(stack, tenant, outcome["job_id"])
    assert len(emails_for(stack, outcome["job_id"])) == 1


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.csv", b"", "empty"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    ("leads.xlsx", b"%PDF-1.4 not a sheet", "PDF"),
    ("blank-lines.csv", b"\n\n", "no rows"),
])
def test_unreadable_file_fails_the_job_and_still_reports(
        stack: dict, tenant: str, tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    outcome = run_import(path, tenant)
    assert outcome["status"] == "failed"
    assert reason in outcome["error"]
    assert outcome["counts"]["rows"] == 0 and outcome["rows"] == []
    [message] = emails_for(stack, outcome["job_id"])
    assert message["Subject"].startswith("La importación de leads falló")
    assert reason in message.get_body(("plain",)).get_content()


def test_update_writes_the_mapped_fields_only(stack: dict, tenant: str, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "first.xlsx", [
        ["Nombre", "Apellido", "Correo", "Teléfono", "Ciudad", "Etiquetas"],
        ["Ana", "Torres", "ana@sol.ec", "0991234567", "Quito", "VIP"]])
    created = run_import(first, tenant)["rows"][0]
    second = write_xlsx(tmp_path / "second.xlsx", [
        ["Correo", "Nombres y apellidos", "Ciudad", "Etiquetas"],
        ["ANA@sol.ec", "Ana Torres", "Guayaquil", "referido, Feria"]])
    updated = run_import(second, tenant)["rows"][0]
    assert (created["status"], updated["status"]) == ("created", "updated")
    assert updated["lead_id"] == created["lead_id"]
    lead = leads_of(tenant)[created["lead_id"]]
    assert lead["city"] == "Guayaquil" and lead["phone"] == "+593991234567"  # phone was not mapped: kept
    # tags add to the existing ones, in the tenant's spelling; one it does not have is not attached (seed 000)
    assert lead["tags"] == ["VIP", "Referido"]
    assert [(w["code"], w["cell"]) for w in updated["warnings"]] == [("unknown_label", "D2")]


def test_unknown_agent_never_takes_an_existing_lead_from_its_owner(stack: dict, tenant: str, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "a.xlsx", [["Email", "Name", "Agent"], ["eva@x.ec", "Eva Ruiz", "pedro@inmosol.ec"]])
    lead_id = run_import(first, tenant)["rows"][0]["lead_id"]
    again = write_xlsx(tmp_path / "b.xlsx", [["Email", "Name", "Agent"], ["eva@x.ec", "Eva Ruiz", "nobody@x.ec"]])
    row = run_import(again, tenant)["rows"][0]
    assert (row["status"], [w["code"] for w in row["warnings"]]) == ("unchanged", ["unknown_owner"])
    assert leads_of(tenant)[lead_id]["owner"] == "pedro@inmosol.ec"


def test_dry_run_plans_everything_and_writes_nothing(stack: dict, tenant: str) -> None:
    outcome = run_import(DEMO, tenant, dry_run=True)
    assert outcome["counts"]["created"] == 197 and outcome["counts"]["errors"] == 3
    assert leads_of(tenant) == {}


def test_match_by_phone_and_refuse_a_row_that_matches_two_leads(stack: dict, tenant: str, tmp_path: Path) -> None:
    base = write_xlsx(tmp_path / "base.xlsx", [
        ["First Name", "Last Name", "Email", "Phone"],
        ["Ana", "Torres", "ana@sol.ec", "0991111111"],
        ["Luis", "Mora", "luis@sol.ec", "0992222222"]])
    ana, luis = (r["lead_id"] for r in run_import(base, tenant)["rows"])
    follow = write_xlsx(tmp_path / "follow.xlsx", [
        ["First Name", "Last Name", "Email", "Phone"],
        ["Ana", "Torres", "", "+593 99 111 1111"],  # found by phone
        ["Luis", "Mora", "ana@sol.ec", "0992222222"]])  # email says Ana, phone says Luis
    rows = run_import(follow, tenant)["rows"]
    assert (rows[0]["status"], rows[0]["lead_id"]) == ("unchanged", ana)
    assert rows[1]["status"] == "error" and rows[1]["errors"][0]["code"] == "conflicting_match"
    assert ana in rows[1]["errors"][0]["message"] and luis in rows[1]["errors"][0]["message"]


def test_cli_contract(stack: dict, tenant: str, tmp_path: Path) -> None:
    path = tmp_path / "cli.csv"
    path.write_text("Correo;Nombre completo;Celular\nzoe@x.ec;Zoe Paz;0993333333\nmal;Sin Correo;\n")
    env = {**os.environ, "LEADIMPORT_STATE_DIR": stack["state_dir"]}
    cli = [sys.executable, "-m", "leadimport.cli.main"]
    done = subprocess.run([*cli, "import", str(path), "--tenant", tenant, "--json"],
                          capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert {"job_id", "status", "error", "counts", "rows", "mapping"} <= set(outcome)
    assert outcome["counts"] == {"rows": 2, "created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 1}
    assert set(outcome["rows"][0]) == {"row", "status", "lead_id", "errors", "warnings"}
    assert outcome["rows"][1]["errors"][0]["code"] == "invalid_email"
    assert set(outcome["rows"][1]["errors"][0]) >= {"field", "code", "message"}
    assert [(m["column"], m["field"]) for m in outcome["mapping"]] == [
        ("Correo", "email"), ("Nombre completo", "full_name"), ("Celular", "phone")]
    leads = subprocess.run([*cli, "leads", "--tenant", tenant, "--json"], capture_output=True, text=True, env=env)
    assert [lead["email"] for lead in json.loads(leads.stdout)] == ["zoe@x.ec"]
    status = json.loads(subprocess.run([*cli, "dev", "status", "--json"], capture_output=True, text=True,
                                       env=env).stdout)
    assert status["running"] and set(status["functions"]) == {"process_upload", "import_chunk", "report_result"}
    assert {"firestore", "storage", "smtp", "mail_dir"} <= set(status)


def test_explicit_mapping_is_saved_and_found_again_by_the_headers(stack: dict, tenant: str, tmp_path: Path) -> None:
    rows = [["Dato A", "Dato B", "Dato C"], ["Eva Paz", "eva@x.ec", "Quito"]]
    first = write_xlsx(tmp_path / "first.xlsx", rows)
    mapping = {"Dato A": "full_name", "Dato B": "email", "Dato C": "custom.ciudad_origen"}
    assert run_import(first, tenant, mapping=mapping)["rows"][0]["status"] == "created"
    # the same columns in another order and case, with no mapping: the saved one applies
    again = write_xlsx(tmp_path / "again.xlsx", [["dato c", "DATO B", "Dato A"], ["Cuenca", "eva@x.ec", "Eva Paz"]])
    outcome = run_import(again, tenant)
    assert [(m["column"], m["field"]) for m in outcome["mapping"]] == [
        ("dato c", "custom.ciudad_origen"), ("DATO B", "email"), ("Dato A", "full_name")]
    assert outcome["rows"][0]["status"] == "updated"
    assert next(iter(leads_of(tenant).values()))["custom"] == {"ciudad_origen": "Cuenca"}


@pytest.mark.parametrize(("content", "reason"), [
    ("Nombre,Correo\n", "no tiene filas que importar bajo sus títulos"),  # column names, nothing under them
    ("hola, esto es una nota para el equipo\n", "Ninguna columna se reconoció"),  # a note, named like a list
    ("Nombre,Apellido,Notas\nAna,Paz,llamar\n", "Ninguna columna se reconoció como correo o teléfono"),
])
def test_a_file_nothing_can_be_imported_from_fails_saying_why(stack: dict, tenant: str, tmp_path: Path,
                                                               content: str, reason: str) -> None:
    """Not "done" with nothing imported: the job fails with the reason, in the tenant's language, and says so."""
    path = tmp_path / "leads.xlsx"  # a text file named as a workbook is read as the text it is
    path.write_text(content, encoding="utf-8")
    outcome = run_import(path, tenant)
    assert outcome["status"] == "failed" and reason in outcome["error"]
    assert outcome["email"] == "sent" and leads_of(tenant) == {}


def test_a_mapping_that_leaves_every_row_refused_is_not_remembered(stack: dict, tenant: str, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Nombre,Correo\nAna Paz,ana@x.ec\n", encoding="utf-8")
    refused = run_import(path, tenant, mapping={"Nombre": "full_name", "Correo": None})
    assert refused["status"] == "failed"
    again = run_import(path, tenant)  # the same columns, no mapping given: suggested afresh, and imported
    assert (again["status"], again["counts"]["created"]) == ("done", 1)

"""The add-on's HTTP functions on the local stack: who may call them, and the whole sheet round trip
(start_import → signed PUT → storage event → job → report → write-back into the sheet)."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook

from addon_upload import sheet_upload
from conftest import CHUNK_ROWS
from doubles.sheets_api import SheetsApiDouble
from leadimport.core.tenant_config import TenantConfig
from leadimport.devstack.http_functions import HTTP_FUNCTIONS
from leadimport.devstack.identity import ensure_key, mint_id_token
from leadimport.store import jobs
from leadimport.store.clients import firestore_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

pytestmark = pytest.mark.stack
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHEET = [
    ["Reporte de leads — Feria 2026"],
    ["Nombre", "Correo", "Celular", "Origen"],
    ["Ana Ruiz", "ana.ruiz@gmail.com", "0991234567", "Facebook"],
    ["Luis Paz", "luis@", "0987654321", "Facebook"],
    ["", "", "", ""],
    ["Eva Gil", "eva.gil@gmail.com", "", "Urbania"],
]


def new_tenant(domain: str | None = None, importer: bool = True) -> tuple[str, str, str]:
    """A tenant with its own users (so each address belongs to one tenant): (tenant, importer, viewer)."""
    tenant_id = "h-" + uuid.uuid4().hex[:10]
    importer_email, viewer_email = f"ana.{tenant_id}@inmosol.ec", f"pedro.{tenant_id}@inmosol.ec"
    config = TenantConfig.model_validate_json((EXAMPLES / "tenant.json").read_text())
    config.users = [config.users[0].model_copy(update={"email": importer_email, "can_import": importer}),
                    config.users[1].model_copy(update={"email": viewer_email})]
    config.default_owner = importer_email
    config.import_domains = [domain] if domain else []
    apply_tenant(firestore_client(), tenant_id, config)
    return tenant_id, importer_email, viewer_email


def token(stack: dict, email: str, **claims: object) -> str:
    info = ensure_key(Path(stack["identity"]["key_file"]))
    return mint_id_token(info, email, claims.pop("audience", stack["identity"]["audience"]), **claims)  # type: ignore[arg-type]


def call(stack: dict, name: str, body: object, bearer: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return requests.post(f"{stack['http_functions']}/{name}", json=body, headers=headers, timeout=60)


def csv_of(rows: list[list[str]]) -> bytes:
    return "".join(",".join(f'"{c}"' for c in row) + "\n" for row in rows).encode()


def wait_status(stack: dict, bearer: str, job_id: str, sheet: bool = False, timeout: float = 90) -> dict:
    """The job once finished and reported (and, for a sheet, written back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = call(stack, "job_status", {"job_id": job_id}, bearer).json()
        delivered = status["write_back"] if sheet else status["email"]
        if status["status"] in ("done", "failed") and (delivered or {}).get("status") not in (None, "sending"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish: {status}")


# Who may call


@pytest.mark.parametrize(("claims", "code"), [
    ({"audience": "someone-elses-client-id"}, "wrong_audience"),
    ({"issued_at": int(time.time()) - 7200}, "expired_token"),
    ({"issuer": "https://evil.example"}, "wrong_issuer"),
    ({"verified": False}, "unverified_email"),
])
def test_bad_tokens_are_refused(stack: dict, claims: dict, code: str) -> None:
    _, importer, _ = new_tenant()
    response = call(stack, "suggest_mapping", {"columns": ["Email"]}, token(stack, importer, **claims))
    assert response.status_code == 401 and response.json()["error"]["code"] == code


def test_missing_and_forged_tokens_are_refused(stack: dict) -> None:
    _, importer, _ = new_tenant()
    missing = call(stack, "start_import", {"filename": "x.csv"}, None)
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "missing_token"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    header, payload, _ = token(stack, importer).split(".")
    forged = call(stack, "suggest_mapping", {"columns": ["Email"]}, f"{header}.{payload}.c2lnbmF0dXJl")
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "invalid_token"


def test_every_http_function_refuses_a_call_without_valid_credentials(stack: dict) -> None:
    _, importer, _ = new_tenant()
    stranger = token(stack, importer, audience="someone-elses-client-id")
    for name in HTTP_FUNCTIONS:
        if name == "inbound_email":  # the mail provider's shared secret, not an ID token
            for secret in (None, "wrong-" + stack["inbound"]["secret"]):
                headers = {"Authorization": f"Bearer {secret}"} if secret else {}
                refused = requests.post(stack["inbound"]["url"], data=b"From: a@b.c\r\n\r\nx", headers=headers,
                                        timeout=30)
                assert refused.status_code == 401, name
            continue
        for bearer, code in ((None, "missing_token"), (stranger, "wrong_audience")):
            refused = call(stack, name, {}, bearer)
            assert refused.status_code == 401 and refused.json()["error"]["code"] == code, name


def test_callers_outside_the_tenant_and_without_the_import_role(stack: dict) -> None:
    _, importer, viewer = new_tenant(importer=True)
    stranger = call(stack, "suggest_mapping", {"columns": ["Email"]}, token(stack, "someone@gmail.com"))
    assert stranger.status_code == 403 and stranger.json()["error"]["code"] == "not_a_member"
    probing = call(stack, "start_import", {"bogus": 1}, token(stack, "someone@gmail.com"))
    assert probing.status_code == 403  # refused before its body is looked at
    # a member without seed 002's import role may look, not import
    assert call(stack, "suggest_mapping", {"columns": ["Email"]}, token(stack, viewer)).status_code == 200
    refused = call(stack, "start_import", {"filename": "x.csv"}, token(stack, viewer))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_allowed"
    # the body cannot pick a tenant the token does not belong to
    other, _, _ = new_tenant()
    wrong = call(stack, "suggest_mapping", {"columns": ["Email"], "tenant": other}, token(stack, importer))
    assert wrong.status_code == 403


def test_workspace_domain_is_taken_from_googles_hd_claim_only(stack: dict) -> None:
    domain = f"{uuid.uuid4().hex[:8]}.example"
    new_tenant(domain=domain)
    colleague = f"maria@{domain}"
    assert call(stack, "start_import", {"filename": "x.csv"}, token(stack, colleague, hd=domain)).status_code == 200
    spoof = call(stack, "start_import", {"filename": "x.csv"}, token(stack, colleague))  # a consumer account
    assert spoof.status_code == 403


def test_bodies_are_validated(stack: dict) -> None:
    _, importer, _ = new_tenant()
    bearer = token(stack, importer)
    bad = call(stack, "start_import", {"filename": "x.csv", "options": {"mode": "merge-all"}}, bearer)
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "options.mode"
    smuggled = call(stack, "start_import", {"filename": "x.csv", "options": {"requested_by": "boss@x.ec"}}, bearer)
    assert smuggled.status_code == 422  # the requester is the verified caller, never the body
    not_json = requests.post(f"{stack['http_functions']}/job_status", data=b"job=1", timeout=30,
                             headers={"Authorization": f"Bearer {bearer}"})
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "invalid_json"
    assert requests.get(f"{stack['http_functions']}/job_status", timeout=30,
                        headers={"Authorization": f"Bearer {bearer}"}).status_code == 405


# What they do


def test_suggest_mapping_uses_the_backend_mapper_in_the_tenants_language(stack: dict) -> None:
    _, importer, _ = new_tenant()
    body = {"columns": SHEET[1], "rows": SHEET[2:4]}
    answer = call(stack, "suggest_mapping", body, token(stack, importer)).json()
    mapped = {m["column"]: (m["field"], m["label"]) for m in answer["mapping"]}
    assert mapped == {"Nombre": ("full_name", "Nombre completo"), "Correo": ("email", "Correo electrónico"),
                      "Celular": ("phone", "Teléfono"), "Origen": ("source", "Medio de captación")}
    assert answer["tenant"]["locale"] == "es" and answer["caller"]["can_import"] is True
    assert {f["name"] for f in answer["fields"] if f["needs"] == "contact"} == {"email", "phone"}
    # a blank or repeated header is named as the import names it, and each column says its letter
    twice = call(stack, "suggest_mapping", {"columns": ["Correo", "", "Correo"], "rows": [], "locale": "fr"},
                 token(stack, importer)).json()
    assert [(m["column"], m["letter"]) for m in twice["mapping"]] == [("Correo", "A"), ("Column B", "B"),
                                                                     ("Correo (2)", "C")]
    assert twice["mapping"][0]["label"] == "E-mail" and twice["tenant"]["locale"] == "es"  # the person's language
    # a file's sample is read for who may import it, in the small function's streaming readers
    _, _, viewer = new_tenant()
    picked = {"file": {"filename": "leads.csv", "content_base64": "Tm9tYnJlLENvcnJlbwpBbmEsYUB4LmVjCg=="}}
    assert call(stack, "suggest_mapping", picked, token(stack, viewer)).status_code == 403
    sample = call(stack, "suggest_mapping", picked, token(stack, importer)).json()
    assert (sample["file"]["columns"], sample["file"]["rows"][0]["values"]) == (["Nombre", "Correo"], ["Ana", "a@x.ec"])
    # and why, in that language too (the job keeps the English)
    assert [m["reason"] for m in twice["mapping"]] == [
        "nom de colonne connu", "non reconnue", "nom de colonne connu; E-mail est déjà pris par 'Correo'"]


def test_preview_says_what_would_happen_and_writes_nothing(stack: dict) -> None:
    tenant_id, importer, _ = new_tenant()
    body = {"columns": SHEET[1], "options": {"header_row": 2},
            "rows": [{"row": n + 1, "values": SHEET[n]} for n in range(2, len(SHEET))]}
    answer = call(stack, "preview_import", body, token(stack, importer)).json()
    # Luis's email lacks its domain, his phone works: his lead is kept without the email (issue 19)
    assert answer["counts"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
    warned = [(r["row"], w["code"], w["cell"]) for r in answer["rows"] for w in r["warnings"]]
    assert warned == [(4, "invalid_email", "B4")]
    assert list(tenant_ref(firestore_client(), tenant_id).collection("leads").stream()) == []
    # a bulk operation is previewed as it would run: tagging finds leads, never creates one
    tagged = call(stack, "preview_import", {**body, "operation": "tag", "tags": ["VIP"]}, token(stack, importer)).json()
    assert (tagged["counts"]["created"], tagged["counts"]["skipped"]) == (0, 3)


SHEET_MAPPING = {"A": "full_name", "B": "email", "C": "phone", "D": "source"}  # by letter, as the sidebar sends


def sheet_source(spreadsheet_id: str, title: str = "Feria") -> dict:
    return {"spreadsheet_id": spreadsheet_id, "spreadsheet_name": "Feria 2026", "sheet_id": 42, "sheet_title": title,
            "upload": "rows-v1"}


def test_sheet_round_trip_writes_every_rows_status_back(stack: dict, sheets_double: SheetsApiDouble) -> None:
    """The add-on's own upload (its code, run in Node) through the whole stack; the person sorts the tab by
    name after submitting, and each status still lands beside its own person."""
    tenant_id, importer, _ = new_tenant()
    bearer = token(stack, importer)
    spreadsheet_id = "sheet" + uuid.uuid4().hex
    sheet = sheets_double.add_sheet(spreadsheet_id, "Feria", SHEET, sheet_id=42, columns=4)
    upload, sent = sheet_upload(SHEET, {"headerRow": 2, "mapping": SHEET_MAPPING})
    started = call(stack, "start_import", {
        "filename": "Feria 2026 - Feria", "rows": sent["rows"], "source": sheet_source(spreadsheet_id),
        "options": {"header_row": 2, "mapping": SHEET_MAPPING, "mapping_by": "letter"},
    }, bearer).json()
    assert started["status"] == "awaiting_upload"
    # the add-on stamps the tab in its user's session (Sheet.addDeveloperMetadata): only an editor can
    sheets_double.stamp(spreadsheet_id, 42, started["sheet_stamp"]["key"], started["sheet_stamp"]["value"])
    by_name = sorted(SHEET[2:], key=lambda row: row[0] or "~")  # Ana, Eva, Luis, then the blank row
    for r, row in enumerate(by_name, start=2):
        for c in range(4):
            sheet.cells.pop((r, c), None)
            if row[c]:
                sheet.cells[(r, c)] = row[c]
    put = requests.put(started["upload"]["url"], data=upload, headers=started["upload"]["headers"], timeout=30)
    assert put.status_code == 200, put.text
    status = wait_status(stack, bearer, started["job_id"], sheet=True)
    assert status["status"] == "done" and status["requested_by"] == importer
    assert status["counts"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
    assert [(e["row"], e["warnings"][0]["code"]) for e in status["errors"]] == [(4, "invalid_email")]  # to fix
    errors_file = requests.get(status["downloads"]["errors_xlsx"], timeout=30)
    assert "luis@" in [c.value for c in load_workbook(io.BytesIO(errors_file.content)).active[2]]
    written = status["write_back"]
    assert (written["status"], written["rows"], written["moved"], written["unplaced"]) == ("written", 3, 2, 0)
    assert written["status_column"] == "E" and sheet.value(2, "E") == "Lead Import: estado"
    beside = {sheet.value(r, "A"): sheet.value(r, "E") or "" for r in range(3, 7)}
    assert beside["Ana Ruiz"] == "creado" and beside["Eva Gil"] == "creado" and sheet.value(3, "F")
    assert beside["Luis Paz"].startswith("creado (aviso: ") and "[B4]" in beside["Luis Paz"]  # the cell it had
    assert sheet.value(6, "E") is None  # the blank row, now last, gets nothing
    assert sheet.value(1, "A") == SHEET[0][0]  # the person's cells as they were
    history = call(stack, "list_imports", {"limit": 5}, bearer).json()["imports"]
    assert history[0]["job_id"] == started["job_id"] and history[0]["filename"] == "Feria 2026 - Feria"
    # undo from the sidebar
    undone = call(stack, "undo_import", {"job_id": started["job_id"]}, bearer).json()
    assert undone["deleted"] == 3
    assert list(tenant_ref(firestore_client(), tenant_id).collection("leads").stream()) == []


def test_a_job_naming_another_tenants_shared_sheet_writes_nothing_into_it(
        stack: dict, sheets_double: SheetsApiDouble) -> None:
    """Every tenant shares its sheets with our one writer account. A user of tenant A names tenant B's
    spreadsheet and tab in start_import: A's import runs, but without a stamp from someone who can edit
    that tab nothing is written into it, and A's job status says nothing of B's sheet."""
    _, owner, _ = new_tenant()
    _, attacker, _ = new_tenant()
    spreadsheet_id = "sheet" + uuid.uuid4().hex
    theirs = sheets_double.add_sheet(spreadsheet_id, "Clientes VIP de B", SHEET, sheet_id=42, columns=4)
    mine = call(stack, "start_import", {"filename": "x", "source": sheet_source(spreadsheet_id),
                                        "options": {"header_row": 2}}, token(stack, owner)).json()
    sheets_double.stamp(spreadsheet_id, 42, mine["sheet_stamp"]["key"], mine["sheet_stamp"]["value"])  # B's own
    bearer = token(stack, attacker)
    upload, _ = sheet_upload(SHEET, {"headerRow": 2, "mapping": SHEET_MAPPING})
    started = call(stack, "start_import", {
        "filename": "Feria", "rows": 4, "source": sheet_source(spreadsheet_id),
        "options": {"header_row": 2, "mapping": SHEET_MAPPING, "mapping_by": "letter"},
    }, bearer).json()
    before = dict(theirs.cells)
    put = requests.put(started["upload"]["url"], data=upload, headers=started["upload"]["headers"], timeout=30)
    assert put.status_code == 200, put.text
    status = wait_status(stack, bearer, started["job_id"], sheet=True)
    assert status["status"] == "done" and status["write_back"]["status"] == "not_stamped"
    assert theirs.cells == before and theirs.conditional_formats == []
    assert "Clientes VIP de B" not in json.dumps(status)  # nothing of the sheet comes back to the caller
    searched = [r for r in sheets_double.calls(spreadsheet_id) if r.path.endswith("developerMetadata:search")]
    assert len(searched) == 1 and len(sheets_double.calls(spreadsheet_id)) == 1  # the stamp lookup, nothing else


def test_a_big_sheet_fanned_out_in_chunks_still_places_every_status(
        stack: dict, sheets_double: SheetsApiDouble) -> None:
    """Past the fan-out threshold the chunks keep each row's identity too: the tab, reversed after submitting,
    gets every status beside its own person."""
    _, importer, _ = new_tenant()
    bearer = token(stack, importer)
    rows = [["Nombre", "Correo"]] + [[f"Persona {i}", f"p{i}@feria.ec"] for i in range(CHUNK_ROWS + 500)]
    spreadsheet_id = "sheet" + uuid.uuid4().hex
    sheet = sheets_double.add_sheet(spreadsheet_id, "Feria", rows, sheet_id=42, columns=2)
    upload, sent = sheet_upload(rows, {"headerRow": 1, "mapping": {"A": "full_name", "B": "email"}})
    started = call(stack, "start_import", {
        "filename": "Feria", "rows": sent["rows"], "source": sheet_source(spreadsheet_id),
        "options": {"header_row": 1, "mapping": {"A": "full_name", "B": "email"}, "mapping_by": "letter"},
    }, bearer).json()
    sheets_double.stamp(spreadsheet_id, 42, started["sheet_stamp"]["key"], started["sheet_stamp"]["value"])
    for r, row in enumerate(reversed(rows[1:]), start=1):
        sheet.cells[(r, 0)], sheet.cells[(r, 1)] = row
    put = requests.put(started["upload"]["url"], data=upload, headers=started["upload"]["headers"], timeout=30)
    assert put.status_code == 200, put.text
    status = wait_status(stack, bearer, started["job_id"], sheet=True, timeout=180)
    assert status["counts"]["created"] == len(rows) - 1
    written = status["write_back"]
    assert (written["rows"], written["unplaced"]) == (len(rows) - 1, 0) and written["moved"] >= len(rows) - 2
    leads = {sheet.value(r, "D") for r in range(2, len(rows) + 1)}
    assert all(sheet.value(r, "C") == "creado" for r in range(2, len(rows) + 1)) and len(leads) == len(rows) - 1


def test_a_ticket_whose_file_never_came_ends_when_its_link_runs_out(stack: dict) -> None:
    tenant_id, importer, _ = new_tenant()
    bearer = token(stack, importer)
    started = call(stack, "start_import", {"filename": "leads.csv", "rows": 1}, bearer).json()
    assert call(stack, "job_status", {"job_id": started["job_id"]}, bearer).json()["status"] == "awaiting_upload"
    ticket = jobs.jobs_of(tenant_ref(firestore_client(), tenant_id)).document(started["job_id"])
    upload_by = ticket.get().to_dict()["upload_by"]
    assert upload_by.isoformat()[:16] == started["upload"]["expires_at"][:16]  # the signed URL's own expiry
    ticket.update({"upload_by": upload_by - dt.timedelta(hours=2)})  # as if two hours had passed
    status = call(stack, "job_status", {"job_id": started["job_id"]}, bearer).json()
    assert (status["status"], status["error"]) == ("failed", jobs.NEVER_UPLOADED)
    history = call(stack, "list_imports", {"limit": 5}, bearer).json()["imports"]
    assert (history[0]["job_id"], history[0]["status"]) == (started["job_id"], "failed")
    # a file that still comes (sent at the link's last second, its event delayed by an outage) is imported
    late = requests.put(started["upload"]["url"], data=csv_of(SHEET[1:3]),
                        headers=started["upload"]["headers"], timeout=30)
    assert late.status_code == 200
    done = wait_status(stack, bearer, started["job_id"])
    assert (done["status"], done["error"], done["counts"]["created"]) == ("done", None, 1), done


def test_a_body_past_the_limit_is_refused_even_without_a_length(stack: dict) -> None:
    """A chunked body says no Content-Length: it is cut at the limit all the same, never read whole."""
    _, importer, _ = new_tenant()
    def chunks() -> Iterator[bytes]:
        yield b'{"columns": ["a"], "rows": [["'
        for _ in range(6 * 1024):
            yield b"x" * 1024
        yield b'"]]}'
    answer = requests.post(f"{stack['http_functions']}/suggest_mapping", data=chunks(), timeout=60,
                           headers={"Authorization": f"Bearer {token(stack, importer)}",
                                    "Content-Type": "application/json"})
    assert answer.status_code in (400, 413) and "mapping" not in answer.text


def test_a_request_may_not_say_where_results_are_written(stack: dict, sheets_double: SheetsApiDouble) -> None:
    """What an add-on from before said of the columns is dropped, not obeyed; its csv, which numbers no rows,
    is imported as any csv, and its statuses are not written back, since no row says whose it is."""
    tenant_id, importer, _ = new_tenant()
    bearer = token(stack, importer)
    spreadsheet_id = "sheet" + uuid.uuid4().hex
    sheet = sheets_double.add_sheet(spreadsheet_id, "Feria", SHEET, sheet_id=42, columns=4)
    old_source = {**sheet_source(spreadsheet_id), "status_column": 2, "data_columns": 1, "header_row": 1}
    del old_source["upload"]
    started = call(stack, "start_import", {"filename": "Feria", "source": old_source, "options": {
        "header_row": 2, "mapping": {"Nombre": "full_name", "Correo": "email"}}}, bearer).json()
    ticket = jobs.jobs_of(tenant_ref(firestore_client(), tenant_id)).document(started["job_id"]).get().to_dict()
    source = ticket["source"]
    assert not {"status_column", "data_columns", "header_row"} & set(source)
    sheets_double.stamp(spreadsheet_id, 42, started["sheet_stamp"]["key"], started["sheet_stamp"]["value"])
    before = dict(sheet.cells)
    put = requests.put(started["upload"]["url"], data=csv_of(SHEET), headers=started["upload"]["headers"], timeout=30)
    assert put.status_code == 200, put.text
    status = wait_status(stack, bearer, started["job_id"], sheet=True)
    assert status["counts"]["created"] == 2
    assert (status["write_back"]["status"], status["write_back"]["unplaced"]) == ("no_row_identity", 3)
    assert sheet.cells == before


def test_another_tenants_job_is_not_found(stack: dict) -> None:
    _, importer, _ = new_tenant()
    _, other_importer, _ = new_tenant()
    theirs = call(stack, "start_import", {"filename": "x.csv"}, token(stack, other_importer)).json()["job_id"]
    for name in ("job_status", "undo_import"):
        refused = call(stack, name, {"job_id": theirs}, token(stack, importer))
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"


def test_template_download_and_layout(stack: dict) -> None:
    _, importer, _ = new_tenant()
    bearer = token(stack, importer)
    xlsx = call(stack, "import_template", {"kind": "company"}, bearer)
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content)).active["A1"].value == "Empresa"
    layout = call(stack, "import_template", {"kind": "person", "locale": "fr", "format": "json"}, bearer).json()
    assert layout["columns"][0] == {"field": "first_name", "header": "Prénom", "required": True, "one_of": False}


def test_bulk_tag_and_reassign_through_http(stack: dict) -> None:
    tenant_id, importer, viewer = new_tenant()
    bearer = token(stack, importer)
    started = call(stack, "start_import", {"filename": "leads.csv"}, bearer).json()
    requests.put(started["upload"]["url"], data=csv_of(SHEET[1:]), headers=started["upload"]["headers"], timeout=30)
    wait_status(stack, bearer, started["job_id"])
    keys = call(stack, "start_import", {"filename": "vip.csv", "operation": "tag", "tags": ["VIP"]}, bearer).json()
    requests.put(keys["upload"]["url"], data=b"Correo\nana.ruiz@gmail.com\nnadie@gmail.com\n",
                 headers=keys["upload"]["headers"], timeout=30)
    tagged = wait_status(stack, bearer, keys["job_id"])
    assert (tagged["counts"]["updated"], tagged["counts"]["skipped"]) == (1, 1)  # nadie@: not found
    moved = call(stack, "bulk_reassign", {"to_user": viewer, "from_user": importer}, bearer).json()
    assert moved["counts"]["updated"] == 3
    leads = [d.to_dict() for d in tenant_ref(firestore_client(), tenant_id).collection("leads").stream()]
    assert sorted((lead["owner"], lead.get("tags", [])) for lead in leads) == [
        (viewer, []), (viewer, []), (viewer, ["VIP"])]

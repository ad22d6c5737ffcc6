"""Email in, email out on the local stack: real MIME samples posted to the inbound_email webhook, followed
through the drop bucket and the import to the report the local SMTP server receives as a reply."""

from __future__ import annotations

import io
import json
import re
import uuid
from email.message import EmailMessage
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook

from integration.conftest import EXAMPLES, leads_of, wait_until_quiet
from integration.mail_samples import no_reply_can_follow, post, replies_to, sample, signed
from leadimport.cli import import_cmd
from leadimport.core.tenant_config import TenantConfig
from leadimport.inbound.receive import receive_mail
from leadimport.inbound.replies import REFUSALS_PER_DAY
from leadimport.settings import get_settings
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.jobs import jobs_of
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

pytestmark = pytest.mark.stack


def finished(tenant_id: str, job_id: str) -> dict:
    job = import_cmd.wait_for_job(tenant_id, job_id, timeout=120, progress=False)
    assert import_cmd.wait_for_email(tenant_id, job_id) == "sent"
    return job


def test_gmail_message_is_imported_and_answered_in_the_thread(stack: dict, tenant: str) -> None:
    raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant)
    answer = post(stack, raw)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "accepted" and [j["filename"] for j in body["jobs"]] == ["Leads feria — señales.xlsx"]
    job_id = body["jobs"][0]["job_id"]
    job = finished(tenant, job_id)
    # Jorge's email lacks its domain; his phone reaches him: the lead is kept, the email left out (issue 19)
    assert job["counts"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}
    assert job["source"]["kind"] == "email" and job["source"]["mail"]["message_id"] == message_id
    assert job["requested_by"] == "ana@inmosol.ec"
    assert job["options"]["mode"] == "create-only"  # from the body; the "modo" in the signature was not read
    assert {lead["source"] for lead in leads_of(tenant).values()} == {"Facebook"}  # "por defecto fuente: Facebook"

    # the provider delivers the same message again: same job, nothing new, still one report
    again = post(stack, raw).json()
    assert [j["job_id"] for j in again["jobs"]] == [job_id]
    wait_until_quiet(stack, tenant, job_id)
    (report,) = replies_to(stack, message_id)
    assert report["To"] == "ana@inmosol.ec" and report["X-Leadimport-Job"] == job_id
    assert report["From"] == "Inmobiliaria Sol <crm@inmosol.ec>"  # the tenant's own sender
    assert report["References"] == message_id
    assert report["Reply-To"] == f"import+{tenant}@leads.localhost"  # replying with the fixed file imports it
    assert report["Subject"].startswith("Re: Leads feria de marzo — señales — Importación de leads terminada")
    text = report.get_body(("plain",)).get_content()
    assert "Filas leídas: 3" in text and "jorge.cevallos@" in text and "responda a este correo" in text
    html = report.get_body(("html",)).get_content()
    assert "bgcolor='#188038'" in html and "<img" not in html  # the outcome bar is table cells, no images
    assert [a.get_filename() for a in report.iter_attachments()] == [
        "Leads feria — señales-errors.xlsx", "Leads feria — señales-errors.csv", "Leads feria — señales-errors.txt"]
    assert len(list(jobs_of(tenant_ref(firestore_client(), tenant)).stream())) == 1


def test_a_forged_sender_imports_nothing_and_hears_nothing(stack: dict, tenant: str) -> None:
    """A stranger copies Ana's mail, file and options ("si existe: actualizar") and writes her as the From:
    without our provider's proof, nothing is imported, nobody is answered, and the attempt is counted."""
    genuine, _ = sample("gmail_xlsx_inline_logo.eml", tenant)
    provider = re.search(rb"Authentication-Results: mx\.leads\.localhost;.*?\r\n(?=\S)", genuine, re.DOTALL)
    assert provider is not None
    forgeries = {
        "no_verdict": b"",  # sent straight to our provider's MX from a server that signs nothing
        "untrusted_header": b"Authentication-Results: mx.google.com; dkim=pass header.d=inmosol.ec;"
                            b" dmarc=pass header.from=inmosol.ec\r\n",  # the forger's own; our provider added none
        "unaligned": b"Authentication-Results: mx.leads.localhost; spf=pass smtp.mailfrom=x@evil.test;"
                     b" dkim=pass header.d=evil.test\r\n",
    }
    for why, header in forgeries.items():
        raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant)
        raw = raw.replace(provider.group(0), header, 1).replace(b"Saludos,", b"si existe: update\r\nSaludos,")
        assert post(stack, raw).json() == {"status": "refused", "reason": "unproven", "jobs": [], "replies": 0}, why
        no_reply_can_follow(stack, tenant, message_id)
        assert replies_to(stack, message_id, expect=0) == []
    raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant,
                             **{"From: Ana Torres <ana@inmosol.ec>": "From: ana@inmosol.ec)<eve@evil.test>"})
    assert post(stack, raw).json()["reason"] == "unproven"  # Python 3.11's parseaddr would have read Ana
    assert list(jobs_of(tenant_ref(firestore_client(), tenant)).stream()) == []
    counted = tenant_ref(firestore_client(), tenant).collection("inbound_refusals").stream()
    assert {k: v for day in counted for k, v in day.to_dict().items() if k != "expire_at"} == {
        "no_verdict": 1, "untrusted_header": 1, "unaligned": 1, "bad_from": 1}
    logs = "\n".join(p.read_text(errors="replace") for p in (Path(stack["state_dir"]) / "logs").glob("*.log"))
    assert "sender not proven (bad_from)" in logs and "eve@evil.test" not in logs
    # a made-up tenant in the address: refused alike, and nothing is written under the name it made up
    stranger = f"nosuch{uuid.uuid4().hex[:8]}"
    raw, _ = sample("gmail_xlsx_inline_logo.eml", stranger)
    assert post(stack, raw.replace(provider.group(0), b"", 1)).json()["reason"] == "unproven"
    assert list(tenant_ref(firestore_client(), stranger).collections()) == []


def test_a_message_too_deep_or_with_too_many_files_is_one_polite_refusal(stack: dict, tenant: str) -> None:
    head = (f"From: Ana Torres <ana@inmosol.ec>\r\nTo: import+{tenant}@leads.localhost\r\nSubject: leads\r\n"
            "MIME-Version: 1.0\r\n")
    deep_id = f"<{uuid.uuid4().hex}@test.inmosol.ec>"
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(1_500))
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(1_500)))
    deep = (head + f"Message-ID: {deep_id}\r\n" + opening + "Content-Type: text/plain\r\n\r\nhola\r\n" + closing)
    answer = post(stack, signed(deep.encode()))  # a RecursionError answered 500: the provider retried for days
    assert answer.status_code == 200 and answer.json() == {"status": "refused", "reason": "too_complex",
                                                           "jobs": [], "replies": 1}
    assert "(como máximo 20)" in replies_to(stack, deep_id)[0].get_content()  # in the tenant's language

    many = EmailMessage()
    many["From"], many["To"], many["Subject"] = "ana@inmosol.ec", f"import+{tenant}@leads.localhost", "leads"
    many["Message-ID"] = many_id = f"<{uuid.uuid4().hex}@test.inmosol.ec>"
    many.set_content("adjunto")
    for n in range(25):
        many.add_attachment(f"Nombre,Correo\nLead{n},l{n}@x.ec\n".encode(), maintype="text", subtype="csv",
                            filename=f"{n}.csv")
    assert post(stack, signed(many)).json()["reason"] == "too_many_files"
    assert "con 25 archivos" in replies_to(stack, many_id)[0].get_content()
    no_reply_can_follow(stack, tenant, many_id)  # nothing stored: 25 imports and 25 reports were never started
    assert list(jobs_of(tenant_ref(firestore_client(), tenant)).stream()) == []


def test_a_sender_who_keeps_writing_is_answered_ten_times_a_day(stack: dict, tenant: str) -> None:
    sender = f"k{uuid.uuid4().hex[:8]}@inmosol.ec"  # allowed (@inmosol.ec) and proven: every answer is real
    answered = []
    for _ in range(REFUSALS_PER_DAY + 2):
        raw, _ = sample("no_attachment.eml", tenant, **{"ana@inmosol.ec": sender})
        answered.append(post(stack, raw).json()["replies"])
    assert answered == [1] * REFUSALS_PER_DAY + [0, 0]


def test_a_mailing_list_that_kept_its_signature_is_proven(stack: dict, tenant: str) -> None:
    raw, message_id = sample("list_forwarded_google_group.eml", tenant)
    (stored,) = post(stack, raw).json()["jobs"]  # SPF names the list's envelope; the group's DKIM proves the From
    job = finished(tenant, stored["job_id"])
    assert job["counts"]["created"] == 1 and job["requested_by"] == "ventas@inmosol.ec"
    (report,) = replies_to(stack, message_id)
    assert report["To"] == "ventas@inmosol.ec"  # the report answers the group, as the team wrote from it


def test_outlook_message_posted_as_a_form_with_its_envelope(stack: dict, tenant: str) -> None:
    # the To header names the team's list; only the provider's envelope names our address (a Bcc)
    raw, message_id = sample("outlook_csv_cp1252_with_pdf.eml", tenant,
                             **{f"import+{tenant}@leads.localhost": "ventas@inmosol.ec"})
    form = {"email": raw.decode("ascii"), "envelope": json.dumps({"to": [f"import+{tenant}@leads.localhost"],
                                                                  "from": "ana@inmosol.ec"})}
    answer = requests.post(stack["inbound"]["url"], auth=("inbound", stack["inbound"]["secret"]), data=form,
                           timeout=60)
    assert answer.status_code == 200, answer.text
    (stored,) = answer.json()["jobs"]
    job = finished(tenant, stored["job_id"])
    assert job["options"]["on_match"] == "fill-empty"  # the quoted thread's "modo: update-only" was not applied
    assert job["counts"]["created"] == 2 and job["counts"]["errors"] == 1
    assert {lead["last_name"] for lead in leads_of(tenant).values()} == {"Pérez Ñúñez", "García"}  # cp1252 read
    (report,) = replies_to(stack, message_id)
    assert "También adjunto, sin importar: Catálogo 2026.pdf" in report.get_body(("plain",)).get_content()


def test_forwarded_message_and_two_files_make_one_job_per_file(stack: dict, tenant: str) -> None:
    raw, forwarded_id = sample("forwarded_rfc822_russian_name.eml", tenant)
    (stored,) = post(stack, raw).json()["jobs"]
    assert stored["filename"] == "Лиды март.xlsx"
    assert finished(tenant, stored["job_id"])["counts"]["created"] == 2  # one without the value that failed

    raw, message_id = sample("apple_mail_two_csv.eml", tenant)
    jobs = post(stack, raw).json()["jobs"]
    assert [j["filename"] for j in jobs] == ["web.csv", "stand españa.csv"]
    for job in jobs:
        finished(tenant, job["job_id"])
    reports = replies_to(stack, message_id, expect=2)
    assert sorted(r["X-Leadimport-Job"] for r in reports) == sorted(j["job_id"] for j in jobs)
    assert any("stand españa.csv — 1 creados" in r["Subject"] for r in reports)
    assert replies_to(stack, forwarded_id)[0]["Subject"].startswith("Re: Fwd: Лиды март — ")


def refusal(stack: dict, message_id: str) -> EmailMessage:
    (reply,) = replies_to(stack, message_id)
    assert reply["Auto-Submitted"] == "auto-replied"
    return reply


def test_refusals_are_polite_sent_once_and_reveal_nothing(stack: dict, tenant: str) -> None:
    raw, message_id = sample("no_attachment.eml", tenant)
    assert post(stack, raw).json() == {"status": "refused", "reason": "no_attachment", "jobs": [], "replies": 1}
    assert post(stack, raw).json()["replies"] == 0  # delivered twice, answered once
    reply = refusal(stack, message_id)
    assert reply["X-Leadimport-Refusal"] == "no_attachment" and reply["To"] == "ana@inmosol.ec"
    assert reply["Reply-To"] == f"import+{tenant}@leads.localhost"
    assert "no trae ningún archivo" in reply.get_content()  # the tenant's language

    # anyone at a domain the tenant allows may send files, user or not
    raw, _ = sample("no_attachment.eml", tenant, **{"ana@inmosol.ec": "luis@inmosol.ec"})
    assert post(stack, raw).json()["reason"] == "no_attachment"

    # a stranger and an address no tenant has get the same answer, in no tenant's language
    texts = []
    stranger = {"ana@inmosol.ec": "eve@evil.example", "=@inmosol.ec": "=@evil.example",  # proven: evil.example
                "header.from=inmosol.ec": "header.from=evil.example"}  # signed its own mail
    for replace in (stranger, {f"import+{tenant}@": "import+nosuch-tenant@", **stranger}):
        raw, message_id = sample("no_attachment.eml", tenant, **replace)
        assert post(stack, raw).json()["reason"] == "not_allowed"
        reply = refusal(stack, message_id)
        assert reply["X-Leadimport-Refusal"] == "not_allowed" and reply["To"] == "eve@evil.example"
        assert reply["From"] == "Lead Import <imports@leadimport.localhost>"  # the service's, not the tenant's
        assert reply["Reply-To"] is None
        texts.append(reply.get_content())
    assert texts[0] == texts[1] and "This address does not accept files from eve@evil.example" in texts[0]
    assert "Inmobiliaria" not in texts[0]

    # mail no person wrote is never answered
    raw, message_id = sample("no_attachment.eml", tenant,
                             **{"MIME-Version": "Auto-Submitted: auto-replied\r\nMIME-Version"})
    assert post(stack, raw).json()["replies"] == 0
    no_reply_can_follow(stack, tenant, message_id)
    assert replies_to(stack, message_id, expect=0) == []
    assert list(jobs_of(tenant_ref(firestore_client(), tenant)).stream()) == []


def test_a_tenant_that_asks_for_silence_and_files_that_cannot_be_imported(stack: dict, tenant: str) -> None:
    config = TenantConfig.model_validate_json((EXAMPLES / "tenant.json").read_text())
    apply_tenant(firestore_client(), tenant, config.model_copy(update={"answer_strangers": False}))
    raw, message_id = sample("no_attachment.eml", tenant, **{"ana@inmosol.ec": "eve@evil.example",
                                                              "=@inmosol.ec": "=@evil.example",
                                                              "header.from=inmosol.ec": "header.from=evil.example"})
    assert post(stack, raw).json() == {"status": "refused", "reason": "not_allowed", "jobs": [], "replies": 0}

    pdf = EmailMessage()
    pdf["From"], pdf["To"], pdf["Subject"] = "ana@inmosol.ec", f"import+{tenant}@leads.localhost", "catálogo"
    pdf["Message-ID"] = pdf_id = f"<{uuid.uuid4().hex}@test.inmosol.ec>"
    pdf.set_content("adjunto")
    pdf.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="Leads.pdf")
    pdf.add_attachment(b"PK\x03\x04", maintype="application", subtype="zip", filename="leads.zip")
    assert post(stack, signed(pdf)).json()["reason"] == "unsupported"
    assert "No podemos importar Leads.pdf, leads.zip." in refusal(stack, pdf_id).get_content()
    no_reply_can_follow(stack, tenant, message_id)
    assert replies_to(stack, message_id, expect=0) == []


def test_too_large_and_bad_options_and_the_secret(stack: dict, tenant: str) -> None:
    raw, message_id = sample("apple_mail_two_csv.eml", tenant)
    small = get_settings().model_copy(update={"max_upload_bytes": 100})  # web.csv is 119 bytes, the other 84
    outcome = receive_mail(raw, [], firestore_client(), storage_client(), small)
    assert outcome.status == "accepted" and [j.filename for j in outcome.jobs] == ["stand españa.csv"]
    reply = refusal(stack, message_id)
    assert reply["X-Leadimport-Refusal"] == "too_large" and "web.csv pesa 1 KB" in reply.get_content()
    finished(tenant, outcome.jobs[0].job_id)

    raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant, **{"modo: create-only": "modo: crear"})
    assert post(stack, raw).json()["reason"] == "bad_options"
    assert "mode: Input should be" in refusal(stack, message_id).get_content()

    assert post(stack, raw, secret="wrong").status_code == 401
    no_secret = requests.post(stack["inbound"]["url"], data=raw, headers={"Content-Type": "message/rfc822"},
                              timeout=30)
    assert no_secret.status_code == 401
    in_the_query = requests.post(stack["inbound"]["url"], data=raw, params={"key": stack["inbound"]["secret"]},
                                 headers={"Content-Type": "message/rfc822"}, timeout=30)
    assert in_the_query.status_code == 401  # a secret in the URL lands in request logs: not taken
    empty = requests.post(stack["inbound"]["url"], json={}, headers={"X-Leadimport-Secret": stack["inbound"]["secret"]},
                          timeout=30)
    assert empty.status_code == 400 and empty.json()["error"]["code"] == "no_message"
    assert len(list(jobs_of(tenant_ref(firestore_client(), tenant)).stream())) == 1  # only the file that fit


def test_replying_with_the_fixed_error_file_imports_the_rest(stack: dict, tenant: str) -> None:
    raw, message_id = sample("gmail_xlsx_inline_logo.eml", tenant)
    (stored,) = post(stack, raw).json()["jobs"]
    finished(tenant, stored["job_id"])
    (report,) = replies_to(stack, message_id)
    attachment = next(a for a in report.iter_attachments() if a.get_filename().endswith(".xlsx"))
    book = load_workbook(io.BytesIO(attachment.get_content()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Lead Import: fila" and header[-2:] == ["Lead Import: estado", "Lead Import: errores"]
    sheet.cell(2, header.index("Correo") + 1, "jorge.cevallos@gmail.com")  # the fix
    fixed = io.BytesIO()
    book.save(fixed)

    answer = EmailMessage()  # what "Reply" with the file attached sends
    answer["From"], answer["To"] = "Ana Torres <ana@inmosol.ec>", report["Reply-To"]
    answer["Subject"], answer["In-Reply-To"] = "Re: " + report["Subject"], report["Message-ID"]
    answer["Message-ID"] = f"<{uuid.uuid4().hex}@test.inmosol.ec>"
    answer.set_content("Corregido.\n\nEl ... escribió:\n> Filas no importadas")
    answer.add_attachment(fixed.getvalue(), maintype="application",
                          subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          filename=attachment.get_filename())
    (again,) = post(stack, signed(answer)).json()["jobs"]
    job = finished(tenant, again["job_id"])
    # Jorge's lead was imported without its email: the fixed row completes it
    assert (job["counts"]["updated"], job["counts"]["created"], job["counts"]["errors"]) == (1, 0, 0)
    mapping = {m["column"]: m["field"] for m in job["mapping"]}
    assert mapping["Lead Import: estado"] is None and mapping["Lead Import: fila"] is None  # never "state"
    leads = leads_of(tenant).values()
    assert {lead["email"] for lead in leads} == {"mj.nunez@gmail.com", "lucia.andrade@hotmail.com",
                                                 "jorge.cevallos@gmail.com"}
    assert not any("state" in lead for lead in leads)

"""Inbound mail without the stack: real-world MIME shapes, options written in the mail, routing, the secret."""

from __future__ import annotations

import base64
import contextlib
import random
import time
from email.message import EmailMessage
from pathlib import Path

import flask
import pytest

from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import TerminalError
from leadimport.inbound.message import parse_message
from leadimport.inbound.options import OptionsError, options_from_mail
from leadimport.inbound.routing import sender_allowed, tenant_for
from leadimport.inbound.webhook import _authorized, _message
from leadimport.settings import get_settings
from leadimport.store.tenant_refs import check_tenant_id

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def sample(name: str) -> bytes:
    return (MAIL / name).read_bytes().replace(b"TENANT", b"inmosol")


def test_gmail_keeps_the_xlsx_and_drops_the_inline_logo() -> None:
    message = parse_message(sample("gmail_xlsx_inline_logo.eml"))
    assert [a.filename for a in message.attachments] == ["Leads feria — señales.xlsx"]  # encoded-word name
    assert message.attachments[0].data.startswith(b"PK\x03\x04")  # base64 decoded
    assert message.subject == "Leads feria de marzo — señales"
    assert message.sender == "ana@inmosol.ec"
    assert "import+inmosol@leads.localhost" in message.recipients
    assert message.authentication_results[0].startswith("mx.leads.localhost;")  # the provider's, on top
    # quoted-printable body, cut at the signature: the "modo" after it is the signature's, not an option
    assert message.body.endswith("Saludos,")
    assert options_from_mail(message.subject, message.body) == {"mode": "create-only",
                                                                  "defaults": {"source": "Facebook"}}


def test_outlook_csv_pdf_and_signature_image_and_quoted_thread() -> None:
    message = parse_message(sample("outlook_csv_cp1252_with_pdf.eml"))
    names = [(a.filename, a.importable) for a in message.attachments]
    assert names == [("contactos_semana10.csv", True), ("Catálogo 2026.pdf", False)]  # image001.png is not a file
    assert "Pérez".encode("cp1252") in message.attachments[0].data
    assert message.language == "es"  # Content-Language: es-ES
    # the quoted mail below "From: … Sent: …" says "modo: update-only": it is not this sender's option
    assert options_from_mail(message.subject, message.body) == {"on_match": "fill-empty"}


def test_forwarded_message_brings_its_files_with_rfc2231_names() -> None:
    message = parse_message(sample("forwarded_rfc822_russian_name.eml"))
    assert [a.filename for a in message.attachments] == ["Лиды март.xlsx"]
    assert message.subject == "Fwd: Лиды март"
    assert options_from_mail(message.subject, message.body) == {"sheet": "1"}
    assert "Добрый" not in message.body  # the forwarded message's text is not the sender's


def test_two_attachments_base64_and_quoted_printable() -> None:
    message = parse_message(sample("apple_mail_two_csv.eml"))
    assert [a.filename for a in message.attachments] == ["web.csv", "stand españa.csv"]
    assert message.attachments[1].data.decode().splitlines() == [  # quoted-printable, line breaks as CRLF
        "Nombre completo,Correo", "Sofía Reyes,sofia.reyes@gmail.com", "Pablo Ruiz,pablo.ruiz@"]


def test_a_message_without_files_and_one_that_is_a_single_attachment() -> None:
    assert parse_message(sample("no_attachment.eml")).attachments == []
    single = EmailMessage()
    single["From"], single["To"], single["Subject"] = "a@b.co", "import+x1@leads.localhost", "csv"
    single.set_content(b"email\na@b.co\n", maintype="text", subtype="csv", disposition="attachment",
                       filename="one.csv")
    assert [a.filename for a in parse_message(single.as_bytes()).attachments] == ["one.csv"]


def test_a_path_in_a_file_name_is_never_kept() -> None:
    message = EmailMessage()
    message["From"] = "a@b.co"
    message.set_content("x")
    message.add_attachment(b"email\n", maintype="text", subtype="csv", filename="..\\..\\etc/pass\x00wd.csv")
    assert parse_message(message.as_bytes()).attachments[0].filename == "passwd.csv"


@pytest.mark.parametrize(("headers", "automatic"), [
    ({}, False),
    ({"Auto-Submitted": "auto-replied"}, True),
    ({"Precedence": "bulk"}, True),
    ({"List-Id": "<ventas.inmosol.ec>"}, True),
    ({"Return-Path": "<>"}, True),
    ({"From": "MAILER-DAEMON@mx.example.com"}, True),
    ({"From": "no-reply@crm.example.com"}, True),
])
def test_mail_no_person_wrote_is_never_answered(headers: dict[str, str], automatic: bool) -> None:
    message = EmailMessage()
    message["From"] = headers.pop("From", "ana@inmosol.ec")
    for name, value in headers.items():
        message[name] = value
    message.set_content("hola")
    assert parse_message(message.as_bytes()).automatic is automatic


def test_options_in_the_subject_and_in_several_languages() -> None:
    found = options_from_mail("Leads marzo [dry-run] [modo: update-only]",
                              "Hola:\nBuscar por: email; phone\nSi existe: skip\nFila encabezado: 3\n"
                              "Por defecto origen: Urbania\ndefault custom.proyecto: Torre Sol\nNota: ver adjunto")
    assert found == {"dry_run": True, "mode": "update-only", "match_on": ["email", "phone"], "on_match": "skip",
                     "header_row": 3, "defaults": {"source": "Urbania", "custom.proyecto": "Torre Sol"}}
    assert options_from_mail("Тест", "режим: create-only\nпо умолчанию источник: Выставка") == {
        "mode": "create-only", "defaults": {"source": "Выставка"}}
    assert options_from_mail("Prueba de leads", "prueba\nEssai") == {}  # a bare word in the body is just text
    assert options_from_mail("Leads [sin encabezado]", "") == {"no_header": True}  # Sperant's start row 1


@pytest.mark.parametrize(("body", "problem"), [
    ("mode: everything", "mode"),
    ("match-on: email, fax", "match_on"),
    ("header-row: tercera", "row number"),
    ("dry-run: maybe", "yes or no"),
    ("default colour: red", "not a lead field"),
])
def test_an_option_that_cannot_be_used_is_named(body: str, problem: str) -> None:
    with pytest.raises(OptionsError, match=problem):
        options_from_mail("", body)


def test_routing_by_plus_address_and_domain() -> None:
    settings = get_settings().model_copy(update={"inbound_local": "import", "inbound_domain": "leads.inmosol.ec"})
    assert tenant_for(["ventas@inmosol.ec", "import+inmosol@leads.inmosol.ec"], settings) == (
        "inmosol", "import+inmosol@leads.inmosol.ec")
    assert tenant_for(["import+inmosol@other.com"], settings) is None  # another domain's import+ is not ours
    assert tenant_for(["import@leads.inmosol.ec", "imports+x1@leads.inmosol.ec"], settings) is None
    assert tenant_for(["import+../x@leads.inmosol.ec"], settings) is None
    # the whole local part is the tenant id: a trailing newline ("$" takes it) would name another document
    assert tenant_for(["import+inmosol\n@leads.inmosol.ec"], settings) is None
    with pytest.raises(TerminalError, match="not a valid tenant id"):
        check_tenant_id("inmosol\n")


def test_allowed_senders_users_addresses_and_domains() -> None:
    config = TenantConfig.model_validate({
        "name": "Sol", "allowed_senders": ["socio@partner.ru", "@inmosol.ec", "agencia.pe"],
        "users": [{"email": "ana@gmail.com", "name": "Ana", "can_import": True},
                  {"email": "pedro@gmail.com", "name": "Pedro"}]})

    def allowed(sender: str, proven_by: str | None = "dmarc") -> bool:
        message = parse_message(f"From: {sender}\r\n\r\nx".encode())
        return sender_allowed(message.model_copy(update={"proven_by": proven_by}), config)

    assert allowed("ana@gmail.com") and allowed("socio@partner.ru") and allowed("luis@inmosol.ec")
    assert allowed("eva@agencia.pe")
    assert not allowed("pedro@gmail.com")  # a user without the import role
    assert not allowed("x@sub.inmosol.ec") and not allowed("x@inmosol.ec.evil.com")
    assert not allowed("luis@inmosol.ec", proven_by=None)  # a From nobody proved is nobody's


def _request(headers: dict[str, str], query: str = "") -> flask.Request:
    app = flask.Flask(__name__)
    with app.test_request_context("/?" + query, method="POST", headers=headers):
        return flask.request._get_current_object()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("headers", "query", "ok"), [
    ({"Authorization": "Bearer s3cret-value"}, "", True),
    ({"Authorization": "Basic " + base64.b64encode(b"inbound:s3cret-value").decode()}, "", True),
    ({"X-Leadimport-Secret": "s3cret-value"}, "", True),
    ({}, "key=s3cret-value", False),  # request logs keep the query: never taken from it
    ({}, "", False),
    ({"Authorization": "Bearer s3cret-valu"}, "", False),
    ({"Authorization": "Basic !!notbase64"}, "", False),
    ({"X-Leadimport-Secret": "S3CRET-VALUE"}, "key=", False),
])
def test_the_webhook_secret(headers: dict[str, str], query: str, ok: bool) -> None:
    assert _authorized(_request(headers, query), "s3cret-value") is ok


def test_the_message_from_a_form_field_with_its_envelope() -> None:
    app = flask.Flask(__name__)
    raw = sample("no_attachment.eml").decode()
    form = {"email": raw, "envelope": '{"to": ["import+inmosol@leads.localhost"], "from": "ana@inmosol.ec"}',
            "recipient": "Ventas <ventas@inmosol.ec>"}
    with app.test_request_context("/", method="POST", data=form):
        message, recipients = _message(flask.request)
    assert message == raw.encode()
    assert recipients == ["import+inmosol@leads.localhost", "ventas@inmosol.ec"]



_INSERTS = [b"=?", b"?=", b'"', b";", b"\r\n", b"\r\n\r\n", b"--", b"*=utf-8''%ff", b"=?utf-8?b?", b"<", b"@", b"\x00",
            b'charset="x-bogus"', b":;", b"(", b"\\", b"\xff\xfe"]


def test_damaged_mail_is_read_as_far_as_it_can_be() -> None:
    """The standard library raises on some damaged headers and parts (seen here: IndexError, LookupError,
    ValueError, CharsetError, AttributeError); a message is never lost to that."""
    samples = [sample(p.name) for p in sorted(MAIL.glob("*.eml"))]
    rng = random.Random(20261122)  # seeded: the same 1,500 damaged messages every run
    for _ in range(1500):
        raw = bytearray(rng.choice(samples))
        for _ in range(rng.randint(1, 20)):
            at, kind = rng.randrange(len(raw)), rng.random()
            if kind < 0.4:
                raw[at] = rng.randrange(256)
            elif kind < 0.7:
                del raw[at:at + rng.randint(1, 50)]
            else:
                raw[at:at] = rng.choice(_INSERTS)
        message = parse_message(bytes(raw))
        assert all(a.filename and "/" not in a.filename for a in message.attachments)
        with contextlib.suppress(OptionsError):
            options_from_mail(message.subject, message.body)


def _nested(depth: int) -> bytes:
    head = "From: ana@inmosol.ec\r\nTo: import+inmosol@leads.localhost\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth))
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    return (head + opening + "Content-Type: text/plain\r\n\r\nhola\r\n" + closing).encode()


@pytest.mark.parametrize("depth", [13, 1_500])
def test_parts_nested_past_any_persons_mail_are_too_complex_not_a_crash(depth: int) -> None:
    message = parse_message(_nested(depth))  # 1,500 levels raised RecursionError: a 500, retried for days
    assert message.too_complex and message.attachments == []
    assert message.sender == "ana@inmosol.ec"  # who sent it is still known, to answer them
    assert not parse_message(_nested(5)).too_complex


def test_five_thousand_small_files_are_one_refusal_not_five_thousand_imports() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ana@inmosol.ec", "import+inmosol@leads.localhost", "s"
    message.set_content("adjunto")
    for n in range(5_000):
        message.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename=f"{n}.csv")
    start = time.perf_counter()
    parsed = parse_message(message.as_bytes())
    assert parsed.too_complex and parsed.attachments == []
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize("body", ["<script" * 20_000, "<a" * 70_000, "<style>" + "x" * 100_000])
def test_a_hostile_html_body_is_read_in_one_pass(body: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ana@inmosol.ec", "import+inmosol@leads.localhost", "s"
    message.set_content(body, subtype="html")
    start = time.perf_counter()
    assert parse_message(message.as_bytes()).body == ""
    assert time.perf_counter() - start < 1  # a backtracking pattern took 34 s on 136 KB of "<script"


def test_the_html_body_keeps_its_text_and_lines() -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ana@inmosol.ec", "import+inmosol@leads.localhost", "s"
    message.set_content("<p>Hola<br>modo: create-only</p><script>a<b</script><style>p{}</style><div>fin</div>",
                        subtype="html")
    assert parse_message(message.as_bytes()).body.splitlines() == ["Hola", "modo: create-only", "fin"]

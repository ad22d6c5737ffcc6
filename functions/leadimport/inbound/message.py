"""A raw MIME message → what an import needs of it: who sent it, to whom, and its files.

Real mail is messy: Gmail and Outlook wrap the files in multipart/mixed around a related part with
inline images, a forwarded message carries its files inside a message/rfc822 part, names come
RFC 2231- or encoded-word-encoded, bodies in base64 or quoted-printable. The standard library's
`policy.default` decodes all of that; this module decides what each part is.
"""

from __future__ import annotations

import email
import email.errors
import hashlib
import re
from collections.abc import Callable
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import formataddr, getaddresses
from typing import TypeVar

from pydantic import BaseModel, Field

from leadimport.core.text import one_line

IMPORTABLE = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt", ".tsv")
# a file without a name is still importable when its type says what it is
_SUFFIX_BY_TYPE = {
    "text/csv": ".csv", "text/tab-separated-values": ".tsv", "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
_LOCALES = ("en", "es", "fr", "ru", "pt")
MAX_PARTS = 200  # MIME parts read in one message: a person's mail has a handful
MAX_DEPTH = 12  # parts inside parts (a forward of a forward of a reply is five)
MAX_TEXT = 64 * 1024  # of the body read for options: they sit at the top, above the quoted thread
T = TypeVar("T")
# an address as mail carries it: no spaces, quotes, brackets or a second @ (internationalised letters allowed)
_ADDR_SPEC = re.compile(r"[^\s@<>()\[\],;:\"\\]+@[^\s@<>()\[\],;:\"\\]+\.[^\s@<>()\[\],;:\"\\.]+")
# what the standard library raises on damaged mail instead of recording a defect
_DAMAGE = (ValueError, LookupError, UnicodeError, AttributeError, TypeError, email.errors.MessageError)


class Attachment(BaseModel):
    filename: str
    content_type: str
    data: bytes = Field(repr=False)

    @property
    def importable(self) -> bool:
        return self.filename.lower().endswith(IMPORTABLE)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class InboundMessage(BaseModel):
    sender: str  # the From address, lower-cased ("" when there is none, or it is not one clear address)
    sender_problem: str | None = None  # why there is no sender: no_from, several_from, bad_from
    recipients: list[str]  # every address it was delivered to, lower-cased
    subject: str
    message_id: str  # "<…>", or a hash of the raw bytes when the sender set none
    references: list[str] = Field(default_factory=list)
    language: str | None = None  # from Content-Language, when it is one of ours
    automatic: bool = False  # a bounce, an auto-reply or list traffic: never answered (RFC 3834)
    body: str = ""  # the sender's own text, without quotes and signature
    attachments: list[Attachment] = Field(default_factory=list)
    # every Authentication-Results header, topmost first: what the servers the message passed claim to have
    # checked (sender_proof.py decides which of them to believe)
    authentication_results: list[str] = Field(default_factory=list)
    too_complex: bool = False  # more parts, or parts nested deeper, than a message from a person has
    proven_by: str | None = None  # "dmarc" or "dkim" once sender_proof proved the From; only then is it answered


def parse_message(raw: bytes, envelope_recipients: list[str] | None = None) -> InboundMessage:
    """Never raises: a damaged header or part is read as far as it can be (the sender still gets an answer)."""
    too_complex = False
    try:
        message: Message = email.message_from_bytes(raw, policy=policy.default)
    except _DAMAGE:  # the parser's structured headers gave up: the plain parser reads what is there
        message = email.message_from_bytes(raw, policy=policy.compat32)
    except RecursionError:  # parts nested past Python's stack: the headers alone still say who and to whom
        message, too_complex = BytesHeaderParser(policy=policy.compat32).parsebytes(raw), True
    sender, sender_problem = _sender(message)
    recipients = [a.lower() for a in envelope_recipients or [] if a]
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        recipients += [address.lower() for _, address in getaddresses(_headers(message, header)) if "@" in address]
    message_id = _header(message, "Message-ID").strip() or f"<{hashlib.sha256(raw).hexdigest()[:32]}@no-id>"
    references = _header(message, "References").split()
    language = _header(message, "Content-Language").split(",")[0].strip().lower()[:2]
    attachments: list[Attachment] = []
    body = ""
    if not too_complex:
        try:
            _collect(message, attachments, [MAX_PARTS], top=True)
            body = _own_text(message)
        except (_TooComplex, RecursionError):
            too_complex, attachments = True, []
    return InboundMessage(
        sender=sender, sender_problem=sender_problem, recipients=list(dict.fromkeys(recipients)),
        subject=one_line(_decoded(_header(message, "Subject")), 300),
        message_id=message_id, references=references, language=language if language in _LOCALES else None,
        automatic=_automatic(message, sender), body=body, attachments=attachments, too_complex=too_complex,
        authentication_results=_headers(message, "Authentication-Results"),
    )


def _sender(message: Message) -> tuple[str, str | None]:
    """The one From address, or why there is none. Strict: one From header holding one address that both the
    tolerant and the structured parser read alike, and that reads back the same once written out. Python
    3.11's parseaddr takes 'boss@acme.ec)<attacker@evil.test>' for the boss; this takes it for nobody."""
    values = [_unescaped(value) for value in _headers(message, "From")]
    if len(values) != 1:
        return "", "no_from" if not values else "several_from"
    pairs = getaddresses(values)
    if len(pairs) != 1 or not _ADDR_SPEC.fullmatch(pairs[0][1]):
        return "", "bad_from"
    name, address = pairs[0]
    structured = email.message_from_string(f"From: {values[0]}\n\n", policy=policy.default)
    try:
        header = structured["From"]
        parsed = [a.addr_spec for a in header.addresses]
        defects = header.defects
    except _DAMAGE:
        return "", "bad_from"
    try:  # written out and read back, it is the same address (formataddr takes ASCII addresses only)
        again = [a for _, a in getaddresses([formataddr((name, address))])] if address.isascii() else [address]
    except UnicodeError:
        return "", "bad_from"
    if parsed != [address] or defects or again != [address]:
        return "", "bad_from"
    return address.lower(), None


def _unescaped(value: str) -> str:
    """A header sent as raw UTF-8 (SMTPUTF8) reaches us with its bytes as surrogates: back to text."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _header(message: Message, name: str) -> str:
    """A header's raw text, unfolded: the standard library's structured parsers raise on some damaged
    headers, so addresses and words are taken apart by the tolerant functions instead."""
    values = _headers(message, name)
    return values[0] if values else ""


def _headers(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [re.sub(r"\r?\n[ \t]", " ", str(value)).strip() for key, value in message.raw_items()
            if key.lower() == wanted]


def _decoded(text: str) -> str:
    """Encoded-words (=?UTF-8?B?…?=) decoded; text the decoder cannot take is kept as it came."""
    try:
        return str(make_header(decode_header(text))).strip()
    except (ValueError, LookupError, UnicodeError, email.errors.MessageError):
        return text.strip()


def _safe(call: Callable[[], T], default: T) -> T:
    """One damaged part (a bogus charset, a broken parameter) must not cost the rest of the message."""
    try:
        return call()
    except _DAMAGE:
        return default


class _TooComplex(Exception):
    """More parts, or deeper, than MAX_PARTS and MAX_DEPTH."""


def _collect(part: Message, found: list[Attachment], budget: list[int], top: bool = False, depth: int = 0) -> None:
    """Files anywhere in the message, forwarded messages included; inline images are the signature's.
    `budget` is the parts still to be read, shared by the whole walk."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooComplex
    content_type = _safe(part.get_content_type, "application/octet-stream")
    payload = _safe(part.get_payload, None)
    if content_type == "message/rfc822" or part.is_multipart():
        for inner in payload if isinstance(payload, list) else []:  # a forwarded message's files count too
            if isinstance(inner, Message):
                _collect(inner, found, budget, top=content_type == "message/rfc822", depth=depth + 1)
        return
    disposition = _safe(part.get_content_disposition, None)
    if top and disposition != "attachment":
        return  # a message that is a single part is a body, not a file, unless it says it is one
    filename = _safe(part.get_filename, None)
    filename = _decoded(filename) if filename else None  # the plain parser leaves encoded-words as they came
    if disposition != "attachment" and not filename:
        return  # a body part
    if content_type.startswith("image/") and (disposition == "inline" or part.get("Content-ID")):
        return  # a logo or a picture the HTML body shows (Content-ID): the signature's, not a file to import
    data = _safe(lambda: part.get_payload(decode=True), b"") or b""
    name = _clean_filename(filename or "attachment" + _SUFFIX_BY_TYPE.get(content_type, ".bin"))
    found.append(Attachment(filename=name, content_type=content_type, data=data))


def _clean_filename(name: str) -> str:
    """The last path component, without control characters: a name is shown, never trusted."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:180] or "attachment.bin"


def _automatic(message: Message, sender: str) -> bool:
    """Mail no person wrote: answering it starts loops (RFC 3834, 5.2)."""
    if (_header(message, "Auto-Submitted") or "no").lower() != "no":
        return True
    if _header(message, "Precedence").lower() in ("bulk", "list", "junk"):
        return True
    if any(_header(message, name) for name in ("List-Id", "X-Autoreply", "X-Autorespond")):
        return True
    if _header(message, "Return-Path") == "<>" or _safe(message.get_content_type, "") == "multipart/report":
        return True
    local = sender.split("@")[0]
    return not sender or local in ("mailer-daemon", "postmaster") or local.startswith(("noreply", "no-reply"))


_QUOTE_START = re.compile(
    r"^(-{2,}\s*(original message|forwarded message|mensaje original|mensaje reenviado|message d'origine|"
    r"message transféré|исходное сообщение|пересылаемое сообщение|mensagem original|mensagem encaminhada)"
    r"|(on|el|le|em)\s.+\s(wrote|escribió|a écrit|escreveu)\s?:$|from:\s|de:\s|от:\s)",
    re.IGNORECASE,
)


_LINE_BREAKS = {"br", "br/", "/p", "/div", "/li", "/tr"}


def _html_text(html: str) -> str:
    """An HTML body's text, in one pass: tags out, script and style with their content, a line break where
    the eye sees one. Unclosed tags end the text (a backtracking pattern took 34 s on a 136 KB body of them)."""
    lower = html.lower()
    out: list[str] = []
    at = 0
    while (start := html.find("<", at)) >= 0:
        out.append(html[at:start])
        end = html.find(">", start)
        if end < 0:
            return "".join(out).replace("&nbsp;", " ")
        name = lower[start + 1:min(end, start + 12)].split(None, 1)[0] if end > start + 1 else ""
        if name in ("script", "style"):  # its content is no text: skip to its closing tag, or drop the rest
            close = lower.find("</" + name, end)
            end = lower.find(">", close) if close >= 0 else -1
            if end < 0:
                return "".join(out).replace("&nbsp;", " ")
        elif name in _LINE_BREAKS:
            out.append("\n")
        at = end + 1
    out.append(html[at:])
    return "".join(out).replace("&nbsp;", " ")


def _own_text(message: Message) -> str:
    """The sender's own words: the message's text body, up to the signature or the quoted mail."""
    part = _safe(lambda: message.get_body(preferencelist=("plain", "html")), None)  # type: ignore[attr-defined]
    if part is None:
        return ""
    text = _safe(part.get_content, None)  # type: ignore[attr-defined]
    if not isinstance(text, str):  # a charset nobody knows: the bytes as UTF-8, what cannot be read replaced
        text = (_safe(lambda: part.get_payload(decode=True), b"") or b"").decode("utf-8", "replace")
    text = text[:MAX_TEXT]
    if _safe(part.get_content_type, "") == "text/html":
        text = _html_text(text)
    lines = []
    for line in text.splitlines():
        if line.rstrip() == "--" or _QUOTE_START.match(line.strip()):  # "-- " opens a signature
            break
        if not line.lstrip().startswith(">"):
            lines.append(line)
    return "\n".join(lines).strip()

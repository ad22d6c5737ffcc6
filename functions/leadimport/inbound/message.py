"""A raw MIME message → what an import needs of it: who sent it, to whom, and its files.

Real mail is messy: Gmail and Outlook wrap the files in multipart/mixed around a related part with
inline images, a forwarded message carries its files inside a message/rfc822 part, names come
RFC 2231- or encoded-word-encoded, bodies in base64 or quoted-printable. The standard library's
`policy.default` decodes all of that; this module decides what each part is.
"""

from __future__ import annotations

import email
import hashlib
import re
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from pydantic import BaseModel, Field

IMPORTABLE = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt", ".tsv")
# a file without a name is still importable when its type says what it is
_SUFFIX_BY_TYPE = {
    "text/csv": ".csv", "text/tab-separated-values": ".tsv", "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
_LOCALES = ("en", "es", "fr", "ru", "pt")


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
    sender: str  # the From address, lower-cased ("" when there is none)
    recipients: list[str]  # every address it was delivered to, lower-cased
    subject: str
    message_id: str  # "<…>", or a hash of the raw bytes when the sender set none
    references: list[str] = Field(default_factory=list)
    language: str | None = None  # from Content-Language, when it is one of ours
    automatic: bool = False  # a bounce, an auto-reply or list traffic: never answered (RFC 3834)
    body: str = ""  # the sender's own text, without quotes and signature
    attachments: list[Attachment] = Field(default_factory=list)
    authentication: str | None = None  # the receiving server's verdict ("pass" / "fail"), when it gave one


def parse_message(raw: bytes, envelope_recipients: list[str] | None = None) -> InboundMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    recipients = [a.lower() for a in envelope_recipients or [] if a]
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        values = [str(v) for v in message.get_all(header, [])]
        recipients += [address.lower() for _, address in getaddresses(values) if address]
    message_id = str(message.get("Message-ID", "")).strip() or f"<{hashlib.sha256(raw).hexdigest()[:32]}@no-id>"
    references = str(message.get("References", "")).split()
    language = str(message.get("Content-Language", "")).split(",")[0].strip().lower()[:2]
    attachments: list[Attachment] = []
    _collect(message, attachments, top=True)
    return InboundMessage(
        sender=sender, recipients=list(dict.fromkeys(recipients)), subject=str(message.get("Subject", "")).strip(),
        message_id=message_id, references=references, language=language if language in _LOCALES else None,
        automatic=_automatic(message, sender), body=_own_text(message), attachments=attachments,
        authentication=_authentication(message),
    )


def _collect(part: Message, found: list[Attachment], top: bool = False) -> None:
    """Files anywhere in the message, forwarded messages included; inline images are the signature's."""
    if part.get_content_type() == "message/rfc822":
        for inner in part.get_payload():  # a forwarded message: its files count too
            _collect(inner, found, top=True)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            _collect(sub, found)
        return
    if top and part.get_content_disposition() != "attachment":
        return  # a message that is a single part is a body, not a file, unless it says it is one
    filename = part.get_filename()
    disposition = part.get_content_disposition()
    content_type = part.get_content_type()
    if disposition != "attachment" and not filename:
        return  # a body part
    if content_type.startswith("image/") and (disposition == "inline" or part.get("Content-ID")):
        return  # a logo or a picture the HTML body shows (Content-ID): the signature's, not a file to import
    data = part.get_payload(decode=True) or b""
    name = _clean_filename(filename or "attachment" + _SUFFIX_BY_TYPE.get(content_type, ".bin"))
    found.append(Attachment(filename=name, content_type=content_type, data=data))


def _clean_filename(name: str) -> str:
    """The last path component, without control characters: a name is shown, never trusted."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:180] or "attachment.bin"


def _automatic(message: EmailMessage, sender: str) -> bool:
    """Mail no person wrote: answering it starts loops (RFC 3834, 5.2)."""
    if str(message.get("Auto-Submitted", "no")).strip().lower() != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "list", "junk"):
        return True
    if message.get("List-Id") or message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    if str(message.get("Return-Path", "")).strip() == "<>" or message.get_content_type() == "multipart/report":
        return True
    local = sender.split("@")[0]
    return not sender or local in ("mailer-daemon", "postmaster") or local.startswith(("noreply", "no-reply"))


def _authentication(message: EmailMessage) -> str | None:
    """The topmost Authentication-Results, the one the receiving provider added: DMARC first, then SPF and DKIM."""
    header = message.get("Authentication-Results")
    if header is None:
        return None
    results = dict(re.findall(r"\b(dmarc|spf|dkim)=(\w+)", str(header).lower()))
    if results.get("dmarc") in ("pass", "fail"):
        return results["dmarc"]
    if "pass" in (results.get("spf"), results.get("dkim")):
        return "pass"
    if "fail" in (results.get("spf"), results.get("dkim")):
        return "fail"
    return None


_QUOTE_START = re.compile(
    r"^(-{2,}\s*(original message|forwarded message|mensaje original|mensaje reenviado|message d'origine|"
    r"message transféré|исходное сообщение|пересылаемое сообщение|mensagem original|mensagem encaminhada)"
    r"|(on|el|le|em)\s.+\s(wrote|escribió|a écrit|escreveu)\s?:$|from:\s|de:\s|от:\s)",
    re.IGNORECASE,
)


def _own_text(message: EmailMessage) -> str:
    """The sender's own words: the message's text body, up to the signature or the quoted mail."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part.get_content()
    if part.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
        text = re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ")
    lines = []
    for line in text.splitlines():
        if line.rstrip() == "--" or _QUOTE_START.match(line.strip()):  # "-- " opens a signature
            break
        if not line.lstrip().startswith(">"):
            lines.append(line)
    return "\n".join(lines).strip()

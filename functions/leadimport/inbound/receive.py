"""inbound_email's work: one raw message → its files in the drop bucket (one import each), or a polite refusal.

Everything after the bucket is the ordinary path: the storage event starts process_upload, the
mapping comes from the tenant's saved mappings or the automatic mapper, and the report goes back
to the sender as a reply to their message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any, Literal

from google.api_core.exceptions import GoogleAPICallError, PreconditionFailed
from google.cloud import firestore, storage
from pydantic import BaseModel, Field

from leadimport.core.models import ImportOptions
from leadimport.core.tenant_config import TenantConfig
from leadimport.errors import TerminalError
from leadimport.inbound.message import Attachment, InboundMessage, parse_message
from leadimport.inbound.options import OptionsError, options_from_mail
from leadimport.inbound.replies import send_refusal
from leadimport.inbound.routing import sender_allowed, tenant_for
from leadimport.inbound.sender_proof import prove_sender
from leadimport.report.mail.phrases import phrase
from leadimport.run.storage_event import MAIL_METADATA, OPTIONS_METADATA, safe_filename, upload_object_name
from leadimport.settings import Settings
from leadimport.store.jobs import job_id_for
from leadimport.store.retention import DETAIL_DAYS, expires
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant

log = logging.getLogger(__name__)
MAX_FILES = 20  # files imported from one message


class StoredFile(BaseModel):
    filename: str
    object: str
    job_id: str


class InboundOutcome(BaseModel):
    """What the webhook answers the mail provider (it holds nothing the sender did not send)."""

    status: Literal["accepted", "refused"]
    # the refusal's code: unproven (never answered), not_allowed, no_attachment, unsupported, too_large, bad_options,
    # too_complex, too_many_files
    reason: str | None = None
    jobs: list[StoredFile] = Field(default_factory=list)
    replies: int = 0  # refusals answered by email now


def receive_mail(raw: bytes, envelope_recipients: list[str], db: firestore.Client, gcs: storage.Client,
                 settings: Settings, provider_dkim: str | None = None) -> InboundOutcome:
    message = parse_message(raw, envelope_recipients)
    tenant_id, address = tenant_for(message.recipients, settings) or (None, "")
    proof = prove_sender(message, settings.inbound_authserv_ids, provider_dkim)
    if not proof.proven:
        # anyone can write any From: no import, and no answer, which would go to whoever the forger named
        log.warning("inbound mail refused: sender not proven (%s)", proof.how)
        if tenant_id is not None:
            _count_unproven(db, tenant_id, proof.how)
        return InboundOutcome(status="refused", reason="unproven")
    message = message.model_copy(update={"proven_by": proof.how})
    config = _tenant(db, tenant_id)
    if tenant_id is None or config is None or not sender_allowed(message, config):
        # an unknown address and a stranger get the same answer, in the sender's language, from the service:
        # nothing in it tells whether the tenant exists
        silent = config is not None and not config.answer_strangers
        replied = not silent and send_refusal(db, message, "not_allowed", message.language or "en",
                                              settings.mail_from, settings, sender=message.sender)
        log.info("inbound mail refused: not_allowed (%s)", "silent" if silent else "answered")
        return InboundOutcome(status="refused", reason="not_allowed", replies=int(replied))
    def refuse(reason: str, **params: object) -> int:
        return int(send_refusal(db, message, reason, config.locale, config.mail_from or settings.mail_from,
                                settings, reply_to=address, **params))  # replying with the file imports it

    try:
        extra = options_from_mail(message.subject, message.body)
    except OptionsError as exc:
        return InboundOutcome(status="refused", reason="bad_options", replies=refuse("bad_options", problem=exc))
    if message.too_complex:
        return InboundOutcome(status="refused", reason="too_complex", replies=refuse("too_complex", limit=MAX_FILES))
    if not message.attachments:
        return InboundOutcome(status="refused", reason="no_attachment", replies=refuse("no_attachment"))
    importable = [a for a in message.attachments if a.importable]
    ignored = [a.filename for a in message.attachments if not a.importable]
    if not importable:
        return InboundOutcome(status="refused", reason="unsupported",
                              replies=refuse("unsupported", files=", ".join(ignored[:20])))
    if len(importable) > MAX_FILES:  # an import and a report each: more is a flood, not a team's files
        return InboundOutcome(status="refused", reason="too_many_files",
                              replies=refuse("too_many_files", count=len(importable), limit=MAX_FILES))
    stored, replies = [], 0
    for index, attachment in enumerate(importable):
        if len(attachment.data) > settings.max_upload_bytes:
            replies += refuse("too_large", file=attachment.filename, size=_size(len(attachment.data), config.locale),
                              limit=_size(settings.max_upload_bytes, config.locale))
            continue
        stored.append(_store(message, tenant_id, address, index, attachment, extra, ignored, gcs, settings))
    log.info("inbound mail for tenant %s: %d file(s) stored, %d refused", tenant_id, len(stored),
             len(importable) - len(stored))
    if not stored:
        return InboundOutcome(status="refused", reason="too_large", replies=replies)
    return InboundOutcome(status="accepted", jobs=stored, replies=replies)


def _count_unproven(db: firestore.Client, tenant_id: str, how: str) -> None:
    """A day's unproven messages to a tenant's address, by reason: what the tenant can be shown of spoofing
    attempts, with nothing of the messages themselves. Only for a tenant that exists (a stranger's made-up
    import+… address writes nothing), and only a count: when it cannot be written (an outage, a flood on the
    day's document), the message is still refused, and the provider is not asked to send it again."""
    ref = tenant_ref(db, tenant_id)
    try:
        if ref.get().exists:
            day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
            ref.collection("inbound_refusals").document(day).set(
                {how: firestore.Increment(1), **expires(DETAIL_DAYS)}, merge=True)
    except GoogleAPICallError as exc:
        log.warning("inbound mail: the unproven count was not written (%s)", type(exc).__name__)


def _tenant(db: firestore.Client, tenant_id: str | None) -> TenantConfig | None:
    if tenant_id is None:
        return None
    try:
        return load_tenant(db, tenant_id)
    except TerminalError:
        return None


def _store(message: InboundMessage, tenant_id: str, address: str, index: int, attachment: Attachment,
           extra: dict[str, Any], ignored: list[str], gcs: storage.Client, settings: Settings) -> StoredFile:
    """The file into the drop bucket under a name fixed by the message, so a webhook delivered twice stores it once."""
    options = ImportOptions.model_validate({**extra, "notify": message.sender, "requested_by": message.sender,
                                            "filename": attachment.filename})
    upload_id = hashlib.sha256(
        f"{tenant_id}\x1f{message.message_id}\x1f{index}\x1f{attachment.sha256}".encode()).hexdigest()[:24]
    name = upload_object_name(tenant_id, upload_id, safe_filename(attachment.filename))
    origin = {"from": message.sender, "to": address, "subject": message.subject[:300],
              "message_id": message.message_id[:300],
              "references": message.references[-5:], "ignored": ignored[:20]}
    blob = gcs.bucket(settings.drop_bucket).blob(name)
    blob.metadata = {OPTIONS_METADATA: options.model_dump_json(exclude_defaults=True),
                     MAIL_METADATA: json.dumps(origin, ensure_ascii=True)}  # metadata travels as ASCII headers
    try:
        blob.upload_from_string(attachment.data, content_type=attachment.content_type, if_generation_match=0)
    except PreconditionFailed:
        blob.reload()  # stored by an earlier delivery of this message: its import is already under way
    return StoredFile(filename=attachment.filename, object=name, job_id=job_id_for(settings.drop_bucket, name,
                                                                                    blob.generation))


def _size(size: int, locale: str) -> str:
    if size < 1_000_000:
        return phrase("kilobytes", locale, n=max(1, round(size / 1000)))
    return phrase("megabytes", locale, n=f"{size / 1e6:.1f}".removesuffix(".0"))

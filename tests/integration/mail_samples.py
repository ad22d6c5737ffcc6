"""Helpers for the email tests: the MIME samples of tests/fixtures/mail, the webhook, the replies received."""

from __future__ import annotations

import email
import time
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

import requests

from leadimport.run.storage_event import MAIL_METADATA
from leadimport.store.clients import storage_client

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def sample(name: str, tenant_id: str, **replace: str) -> tuple[bytes, str]:
    """A fixture message for this tenant with a Message-ID of its own (returned too)."""
    raw = (MAIL / name).read_bytes().replace(b"TENANT", tenant_id.encode())
    message_id = f"<{uuid.uuid4().hex}@test.inmosol.ec>"
    message = email.message_from_bytes(raw, policy=policy.default)
    raw = raw.replace(str(message["Message-ID"]).encode(), message_id.encode())
    for old, new in replace.items():
        raw = raw.replace(old.encode(), new.encode())
    return raw, message_id


def signed(message: EmailMessage | bytes, domain: str = "inmosol.ec") -> bytes:
    """The message as the local stack's receiving provider (authserv-id mx.leads.localhost) delivers mail
    that its sender's domain signed: its own Authentication-Results on top. Without it, nothing is proven."""
    raw = message.as_bytes() if isinstance(message, EmailMessage) else message
    return (f"Authentication-Results: mx.leads.localhost; dkim=pass header.d={domain}; "
            f"dmarc=pass header.from={domain}\r\n").encode() + raw


def post(stack: dict, raw: bytes, secret: str | None = None) -> requests.Response:
    headers = {"Content-Type": "message/rfc822", "Authorization": f"Bearer {secret or stack['inbound']['secret']}"}
    return requests.post(stack["inbound"]["url"], data=raw, headers=headers, timeout=60)


def replies_to(stack: dict, message_id: str, expect: int = 1) -> list[EmailMessage]:
    """Every message the SMTP server received that answers `message_id` (waits for `expect` of them).

    To hold that there are no more, first make sure none can follow: wait_until_quiet for an import's
    report, no_reply_can_follow for a message the webhook refused."""
    deadline = time.monotonic() + 60
    while True:
        found = []
        for path in sorted(Path(stack["mail_dir"]).glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["In-Reply-To"] == message_id:
                found.append(message)
        if len(found) >= expect or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def no_reply_can_follow(stack: dict, tenant_id: str, message_id: str) -> None:
    """The webhook sends any answer of its own before it answers the provider; afterwards only a file it
    stored can bring a reply (that import's report). Holds that it stored none for this message."""
    uploads = storage_client().list_blobs(stack["buckets"]["drop"], prefix=f"uploads/{tenant_id}/")
    stored = [blob.name for blob in uploads if message_id in (blob.metadata or {}).get(MAIL_METADATA, "")]
    assert stored == []

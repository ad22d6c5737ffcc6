"""Helpers for the email tests: the MIME samples of tests/fixtures/mail, the webhook, the replies received."""

from __future__ import annotations

import email
import time
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

import requests

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


def post(stack: dict, raw: bytes, secret: str | None = None) -> requests.Response:
    headers = {"Content-Type": "message/rfc822", "Authorization": f"Bearer {secret or stack['inbound']['secret']}"}
    return requests.post(stack["inbound"]["url"], data=raw, headers=headers, timeout=60)


def replies_to(stack: dict, message_id: str, settle: float = 0.0, expect: int = 1) -> list[EmailMessage]:
    """Every message the SMTP server received that answers `message_id` (waits for `expect` of them)."""
    deadline = time.monotonic() + 60
    while True:
        found = []
        for path in sorted(Path(stack["mail_dir"]).glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["In-Reply-To"] == message_id:
                found.append(message)
        if len(found) >= expect or time.monotonic() > deadline:
            time.sleep(settle)
            return found if not settle else replies_to(stack, message_id, 0, expect)
        time.sleep(0.2)

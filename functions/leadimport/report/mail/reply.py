"""Answers that thread under the message they answer."""

from __future__ import annotations

from email.message import EmailMessage


def reply_headers(reply: EmailMessage, original_id: str, references: list[str], subject: str) -> None:
    """Threads an answer under the message it answers, in every mail client (RFC 5322, 3.6.4)."""
    reply["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}".rstrip()
    reply["In-Reply-To"] = original_id
    reply["References"] = " ".join([*references[-10:], original_id])

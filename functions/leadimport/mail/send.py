"""SMTP delivery with STARTTLS and login when configured (any provider's relay)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from leadimport.errors import TransientError
from leadimport.settings import Settings


def send_message(message: EmailMessage, settings: Settings) -> None:
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise TransientError(f"The report email could not be sent: {exc}") from exc

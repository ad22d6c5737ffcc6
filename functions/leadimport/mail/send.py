"""SMTP delivery to any provider's relay: STARTTLS or implicit TLS with the certificate checked, and login."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from leadimport.errors import TerminalError, TransientError
from leadimport.settings import Settings


def send_message(message: EmailMessage, settings: Settings) -> None:
    """Raises TransientError when the relay cannot take it, so the caller's event is retried later."""
    context = ssl.create_default_context(cafile=settings.smtp_ca_file)
    try:
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=30, context=context) \
            if settings.smtp_ssl else smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
        with smtp:
            if settings.smtp_starttls and not settings.smtp_ssl:
                smtp.starttls(context=context)
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        if all(code >= 500 for code, _ in exc.recipients.values()):  # no such mailbox: a retry gets the same answer
            raise TerminalError(f"The relay refused every recipient: {', '.join(exc.recipients)}") from exc
        raise TransientError(f"The email could not be sent: {exc}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TransientError(f"The email could not be sent: {exc}") from exc

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
    # the messages name no address: they are logged, and a log holds no one's personal data
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        if all(code >= 500 for code in codes):  # no such mailbox: a retry gets the same answer
            raise TerminalError(f"The relay refused every recipient (it answered {codes}).") from exc
        raise TransientError(f"The relay refused a recipient for now (it answered {codes}).") from exc
    except smtplib.SMTPResponseException as exc:
        raise TransientError(f"The email could not be sent: the relay answered {exc.smtp_code}.") from exc
    except OSError as exc:  # the connection or its TLS: the reason names the relay, never a recipient
        raise TransientError(f"The email could not be sent: {exc}") from exc
    except smtplib.SMTPException as exc:
        raise TransientError(f"The email could not be sent: {type(exc).__name__}.") from exc

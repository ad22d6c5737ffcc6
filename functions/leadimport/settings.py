"""Deployment settings, read from the environment once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"


class Settings(BaseModel):
    project: str
    drop_bucket: str
    reports_bucket: str
    # a big file's chunks and their results: the fan-out's own bucket, whose new chunks start import_chunk
    work_bucket: str
    chunk_rows: int  # a file with more rows than this is cut into chunks of this many, imported side by side
    chunk_lease_seconds: int  # a chunk whose worker has not reported for this long is taken over
    # process_upload has a file of at least check_workers_from_bytes validated on this many worker processes
    # besides its own, which reads and deduplicates (by default, one per core it may use: infra gives it two
    # vCPUs); a smaller file is checked in its own process, which is quicker than starting workers
    check_workers: int = 1
    check_workers_from_bytes: int = 8 * 1024 * 1024
    smtp_host: str
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_starttls: bool
    smtp_ssl: bool  # implicit TLS (port 465) instead of STARTTLS
    smtp_ca_file: str | None  # trust this CA for the relay's certificate (a private relay); None: the system's
    mail_from: str
    max_upload_bytes: int
    # the report email's error files, attached up to this size together; past it, linked (signed, expiring)
    mail_attach_max_bytes: int = 10 * 1024 * 1024
    # HTTP functions: Google ID tokens must name one of these audiences (the add-on's OAuth client ids)
    id_audiences: list[str]
    id_certs_url: str  # where the token signers' public keys are published
    signer_key_file: str | None  # a service-account key that signs upload URLs; None: the runtime's account
    sheets_endpoint: str | None  # the Sheets API base URL; None: Google's (tests point it at a double)
    upload_url_minutes: int
    sheets_writer: str | None  # the account write-back runs as; the add-on shares the sheet with it
    # inbound_email: the webhook's shared secret (None: every call refused) and the address it serves,
    # <local>+<tenant>@<domain> (any domain when None)
    inbound_secret: str | None
    inbound_local: str
    inbound_domain: str | None
    inbound_max_bytes: int  # the largest webhook body (a whole message, attachments encoded)
    # the receiving provider's authserv-id(s): its own Authentication-Results header proves a sender
    # (inbound/sender_proof.py); empty: only the provider's own fields (SendGrid's `dkim`) do
    inbound_authserv_ids: list[str]


def _cores() -> int:
    """The cores this process may run on (a container's CPU set), where the platform says."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    env = os.environ
    return Settings(
        project=env.get("GOOGLE_CLOUD_PROJECT", "leadimport-local"),
        drop_bucket=env.get("LEADIMPORT_DROP_BUCKET", "leadimport-drop"),
        reports_bucket=env.get("LEADIMPORT_REPORTS_BUCKET", "leadimport-reports"),
        work_bucket=env.get("LEADIMPORT_WORK_BUCKET", "leadimport-work"),
        chunk_rows=int(env.get("LEADIMPORT_CHUNK_ROWS", "25000")),
        chunk_lease_seconds=int(env.get("LEADIMPORT_CHUNK_LEASE_SECONDS", "120")),
        check_workers=int(env.get("LEADIMPORT_CHECK_WORKERS") or _cores()),
        check_workers_from_bytes=int(env.get("LEADIMPORT_CHECK_WORKERS_FROM_BYTES", str(8 * 1024 * 1024))),
        smtp_host=env.get("SMTP_HOST", "127.0.0.1"),
        smtp_port=int(env.get("SMTP_PORT", "25")),
        smtp_username=env.get("SMTP_USERNAME") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_starttls=_flag(env.get("SMTP_STARTTLS")),
        smtp_ssl=_flag(env.get("SMTP_SSL")),
        smtp_ca_file=env.get("SMTP_CA_FILE") or None,
        mail_from=env.get("MAIL_FROM", "Lead Import <imports@leadimport.invalid>"),
        max_upload_bytes=int(env.get("LEADIMPORT_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024))),
        mail_attach_max_bytes=int(env.get("LEADIMPORT_MAIL_ATTACH_MAX_BYTES", str(10 * 1024 * 1024))),
        id_audiences=[a.strip() for a in env.get("LEADIMPORT_ID_AUDIENCES", "").split(",") if a.strip()],
        id_certs_url=env.get("LEADIMPORT_ID_CERTS_URL", GOOGLE_CERTS_URL),
        signer_key_file=env.get("LEADIMPORT_SIGNER_KEY_FILE") or None,
        sheets_endpoint=env.get("LEADIMPORT_SHEETS_ENDPOINT") or None,
        upload_url_minutes=int(env.get("LEADIMPORT_UPLOAD_URL_MINUTES", "30")),
        sheets_writer=env.get("LEADIMPORT_SHEETS_WRITER") or None,
        inbound_secret=env.get("LEADIMPORT_INBOUND_SECRET") or None,
        inbound_local=env.get("LEADIMPORT_INBOUND_LOCAL", "import").lower(),
        inbound_domain=(env.get("LEADIMPORT_INBOUND_DOMAIN") or "").lower() or None,
        inbound_max_bytes=int(env.get("LEADIMPORT_INBOUND_MAX_BYTES", str(50 * 1024 * 1024))),
        inbound_authserv_ids=[a.strip().lower() for a in env.get("LEADIMPORT_INBOUND_AUTHSERV_ID", "").split(",")
                              if a.strip()],
    )

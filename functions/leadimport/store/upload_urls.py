"""Signed URLs that let the add-on PUT a file straight into the drop bucket, without our credentials.

In production the function's own service account signs through the IAM signBlob API (it holds no
private key); a key file is used when one is configured (the local stack's signer). Against the
local fake-gcs-server the URL points at the emulator, which accepts signed PUTs on its public host.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

import google.auth
from google.auth.transport.requests import Request
from google.cloud import storage
from google.oauth2 import service_account

from leadimport.settings import Settings

# The largest upload the URL allows, checked by Cloud Storage itself (the pipeline checks again).
LENGTH_HEADER = "x-goog-content-length-range"


@lru_cache(maxsize=1)
def _key_credentials(path: str) -> service_account.Credentials:
    return service_account.Credentials.from_service_account_file(path)


def signing_arguments(settings: Settings) -> dict:
    """How generate_signed_url signs here: a key file, or the runtime's account through IAM signBlob."""
    emulator = os.environ.get("STORAGE_EMULATOR_HOST")
    signing: dict = {"api_access_endpoint": emulator} if emulator else {}
    if settings.signer_key_file:
        signing["credentials"] = _key_credentials(settings.signer_key_file)
    else:
        credentials, _ = google.auth.default()
        credentials.refresh(Request())
        signing.update(service_account_email=credentials.service_account_email, access_token=credentials.token)
    return signing


def signed_upload_url(gcs: storage.Client, settings: Settings, object_name: str, content_type: str) -> dict:
    """{url, method, headers, expires_at}: everything the uploader must send, nothing it must know."""
    expires = dt.timedelta(minutes=settings.upload_url_minutes)
    headers = {LENGTH_HEADER: f"0,{settings.max_upload_bytes}"}
    blob = gcs.bucket(settings.drop_bucket).blob(object_name)
    url = blob.generate_signed_url(version="v4", expiration=expires, method="PUT", content_type=content_type,
                                   headers=headers, **signing_arguments(settings))
    return {"url": url, "method": "PUT", "headers": {"Content-Type": content_type, **headers},
            "expires_at": (dt.datetime.now(dt.UTC) + expires).isoformat()}

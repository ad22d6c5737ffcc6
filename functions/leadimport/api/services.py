"""What every HTTP handler is given and may answer with, beside its caller and body (api/http.py serves them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from google.cloud import firestore, storage

from leadimport.settings import Settings


class NotFound(Exception):
    """The caller's tenant has no such thing (whatever another tenant may have)."""


@dataclass(frozen=True)
class Services:
    db: firestore.Client
    gcs: storage.Client
    settings: Settings


@dataclass(frozen=True)
class FileResponse:
    content: bytes
    content_type: str
    filename: str


def uploaded(services: Services) -> Callable[[str], bool]:
    """Whether a ticket's file is in the drop bucket: one that is there, its event late, is not expired."""
    bucket = services.gcs.bucket(services.settings.drop_bucket)
    return lambda name: bucket.blob(name).exists()

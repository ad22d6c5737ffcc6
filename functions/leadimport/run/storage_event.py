"""The object a storage CloudEvent names, and where in the drop bucket an upload belongs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from leadimport.core.models import ImportOptions
from leadimport.errors import TerminalError

UPLOAD_PREFIX = "uploads/"
OPTIONS_METADATA = "leadimport-options"
MAIL_METADATA = "leadimport-mail"  # a file that came by email: sender, subject, message id (JSON, ASCII)


class StorageObject(BaseModel):
    """The `data` of a google.cloud.storage.object.v1.finalized CloudEvent (fields we use)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    bucket: str
    name: str
    generation: str
    size: int = 0
    content_type: str | None = Field(default=None, alias="contentType")
    metadata: dict[str, str] = Field(default_factory=dict)


@dataclass(frozen=True)
class UploadPath:
    tenant_id: str
    upload_id: str
    filename: str


def upload_object_name(tenant_id: str, upload_id: str, filename: str) -> str:
    return f"{UPLOAD_PREFIX}{tenant_id}/{upload_id}/{filename}"


def safe_filename(name: str) -> str:
    """A file name fit for an object name: letters of any script, digits, '.', '-' and '_'."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._")[:100] or "import"


def parse_upload_path(name: str) -> UploadPath | None:
    """uploads/{tenant}/{upload id}/{file name}; anything else is not an import."""
    if not name.startswith(UPLOAD_PREFIX):
        return None
    parts = name[len(UPLOAD_PREFIX):].split("/", 2)
    if len(parts) != 3 or not all(parts):
        return None
    return UploadPath(*parts)


def upload_options(obj: StorageObject) -> ImportOptions:
    raw = obj.metadata.get(OPTIONS_METADATA)
    if not raw:
        return ImportOptions()
    try:
        return ImportOptions.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise TerminalError(f"The import options sent with the file are not valid: {exc}") from exc


def mail_origin(obj: StorageObject) -> dict[str, object] | None:
    """The email an upload came from, as inbound_email stored it; None for every other upload."""
    raw = obj.metadata.get(MAIL_METADATA)
    if not raw:
        return None
    try:
        origin = json.loads(raw)
    except ValueError:
        return None
    return origin if isinstance(origin, dict) else None

"""A lead's history, one format for every job that writes it: the trail an import or a reassignment leaves
on the lead (its last 20 jobs and the fields each changed, the row that wrote it last), and the
before-image kept with the job so that undo can put the lead back as it was. No I/O.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

AUDIT = 20  # jobs remembered on a lead, with the fields each changed
ANY_ROW = object()


def created(fields: dict[str, Any], job_id: str, row: int, now: dt.datetime) -> dict[str, Any]:
    """A new lead: its fields and the trail of the job that created it."""
    return {**fields, "created_at": now, "updated_at": now, "source_jobs": [job_id], "created_by_job": job_id,
            "changes": [{"job": job_id, "fields": sorted(fields)}],
            "last_import": {"job": job_id, "row": row, "status": "created"}}


def updated(lead: dict[str, Any], changes: dict[str, Any], job_id: str, row: int,
            now: dt.datetime) -> dict[str, Any]:
    """What an update writes: the changed fields, and the job appended to the lead's trail."""
    return {**changes, "updated_at": now,
            "source_jobs": [*lead.get("source_jobs", []), job_id][-AUDIT:],
            "changes": [*lead.get("changes", []), {"job": job_id, "fields": sorted(changes)}][-AUDIT:],
            "last_import": {"job": job_id, "row": row, "status": "updated"}}


def before_image(row: int, lead: dict[str, Any], update: dict[str, Any], keys_before: dict[str, str] | None = None,
                 keys_after: dict[str, str] | None = None) -> dict[str, Any]:
    """What an update overwrites, kept with its job so undo can put the lead back as it was."""
    return {"row": row, "fields": {k: lead[k] for k in update if k in lead},
            "missing": sorted(k for k in update if k not in lead),
            "keys_before": keys_before or {}, "keys_after": keys_after or {}}


def written_by(lead: dict[str, Any], job_id: str, row: int | object | None = ANY_ROW) -> bool:
    """The lead's last write was this job's, from this row (any row by default): a replay of it, or what
    undo may revert."""
    last = lead.get("last_import") or {}
    return last.get("job") == job_id and (row is ANY_ROW or last.get("row") == row)

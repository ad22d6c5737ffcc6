"""The options of a job the sidebar starts or previews: the person's choices, what only the server sets, and
seed 004's bulk operations (core/operations.py), exactly as `leadimport bulk` runs them."""

from __future__ import annotations

from typing import Any

from leadimport.api.auth import Caller
from leadimport.api.bodies import JobOptions, PreviewBody, StartImportBody
from leadimport.core.models import ImportOptions
from leadimport.core.operations import operation_options


def import_options(given: JobOptions, caller: Caller, filename: str, dry_run: bool | None = None) -> ImportOptions:
    change: dict[str, Any] = {"notify": given.notify or caller.email, "requested_by": caller.email,
                              "filename": filename}
    if dry_run is not None:
        change["dry_run"] = dry_run
    return ImportOptions.model_validate({**given.model_dump(), **change})


def with_operation(body: StartImportBody | PreviewBody, options: ImportOptions) -> ImportOptions:
    """Seed 004's bulk operations, exactly as `leadimport bulk` runs them (core/operations.py defines both).

    replace_tags is the caller's `options.replace_tags` where the operation lets the caller choose (tag, update).
    """
    return operation_options(body.operation, options, tags=body.tags, owner=body.owner)

"""The sidebar's preview: what would happen to a sheet's rows, through the import's own path with its
writes switched off."""

from __future__ import annotations

import uuid
from typing import Any

from leadimport.api.auth import Caller, require_import
from leadimport.api.bodies import PreviewBody
from leadimport.api.job_options import import_options, with_operation
from leadimport.api.services import Services
from leadimport.core.read.sheet_export import formula_errors
from leadimport.core.read.table import SheetRow, Table, column_letter, unique_columns
from leadimport.report.results import JobReport, row_fields
from leadimport.run.import_rows import TableImport
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant


def preview_import(caller: Caller, body: PreviewBody, services: Services) -> dict[str, Any]:
    """What would happen to these rows: the import's own path with every write switched off."""
    require_import(caller)
    config = load_tenant(services.db, caller.tenant_id)
    options = with_operation(body, import_options(body.options, caller, "preview", dry_run=True))
    columns = unique_columns(body.columns)
    width = len(columns)
    rows = iter([SheetRow(r.row, tuple((r.values + [""] * width)[:width]), formula_errors(r.formula_errors))
                 for r in body.rows if any(v.strip() for v in r.values) or r.formula_errors])
    table = Table(sheet=None, header_row=body.options.header_row or 1, columns=columns, rows=rows,
                  letters=[column_letter(i) for i in range(width)])
    report = JobReport(job_id="preview-" + uuid.uuid4().hex[:12], filename="preview", columns=columns,
                       locale=config.locale)
    preview = TableImport(table, options, config, tenant_ref(services.db, caller.tenant_id), services.db,
                          report.job_id)
    report.mapping = preview.mapping
    for result, values in preview.results():
        report.add(result, values)
    notes = preview.notes()
    return {"counts": report.counts.model_dump(), "rows": [row_fields(r) for r in report.rows],
            "mapping": [m.model_dump() for m in report.mapping], "notes": notes}

"""The sidebar's setup: the backend's own mapper on a sheet's header or a file's first rows, a preview of rows
through the import with its writes off, and import templates."""

from __future__ import annotations

import uuid
from typing import Any

from leadimport.api.auth import Caller, require_import
from leadimport.api.bodies import PreviewBody, SuggestMappingBody, TemplateBody
from leadimport.api.file_sample import read_sample
from leadimport.api.job_options import import_options, with_operation
from leadimport.api.services import FileResponse, Services
from leadimport.core.mapping import keep_unrecognised
from leadimport.core.mapping import suggest_mapping as map_columns
from leadimport.core.mapping.catalog import BY_NAME, FIELDS, TEMPLATES
from leadimport.core.mapping.reasons import render as render_reason
from leadimport.core.plan import SAMPLE_ROWS
from leadimport.core.read import SheetRow, Table
from leadimport.core.read.sheet_export import formula_errors
from leadimport.core.read.table import column_letter, unique_columns
from leadimport.core.tenant_config import TenantConfig
from leadimport.report.results import JobReport, row_fields
from leadimport.report.templates import build_template
from leadimport.run.import_rows import TableImport
from leadimport.store.saved_mappings import load_saved_mapping
from leadimport.store.tenants import load_tenant, tenant_ref


def suggest_mapping(caller: Caller, body: SuggestMappingBody, services: Services) -> dict[str, Any]:
    """The backend's own mapper for the sidebar, so a sheet maps exactly like a file with the same columns."""
    tenant = tenant_ref(services.db, caller.tenant_id)
    config = load_tenant(services.db, caller.tenant_id)
    locale = body.locale or config.locale  # the sidebar speaks its user's language
    sample: dict[str, Any] | None = None
    if body.file is not None:  # "Import a file": its columns and first rows, read as the import will
        require_import(caller)  # reading a file is for who may import it, not for anyone signed in
        sample = read_sample(body.file.filename, body.file.content_base64, body.header_row, body.no_header)
        sample["partial"] = body.file.truncated  # a long csv's first part: its rows, not all of them
        columns, rows = sample["columns"], [r["values"] for r in sample["rows"]]
    else:
        columns = unique_columns(body.columns)  # named as the import names them: a blank header is "Column C"
        rows = body.rows
    saved = load_saved_mapping(tenant, columns)
    mapping = map_columns(columns, rows[:SAMPLE_ROWS], None, saved, config.custom_fields)
    if config.keep_unmapped:  # shown kept, so that the mapping the sidebar sends back keeps them
        mapping = keep_unrecognised(mapping)
    named = [(m.field or "").removeprefix("custom.") for m in mapping if (m.field or "").startswith("custom.")]
    kept = [name for name in named if name not in config.custom_fields]
    return {
        **({"file": sample} if sample else {}),
        "caller": {"email": caller.email, "name": caller.name, "can_import": caller.can_import},
        "tenant": _tenant_summary(caller.tenant_id, config),
        # by column letter too, the key the add-on's mapping uses (options.mapping_by = "letter")
        "mapping": [{**m.model_dump(), "letter": column_letter(i), "label": _label(m.field, locale) or None,
                     "reason": render_reason(m.why, locale, _label) if m.why else m.reason}
                    for i, m in enumerate(mapping)],
        "saved": saved is not None,
        "fields": _fields(config, locale, kept),
    }


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


def import_template(caller: Caller, body: TemplateBody, services: Services) -> dict[str, Any] | FileResponse:
    config = load_tenant(services.db, caller.tenant_id)
    locale = body.locale or config.locale
    template = TEMPLATES[body.kind]
    if body.format == "json":  # for the add-on, which lays the template out in a new sheet
        return {"kind": body.kind, "locale": locale, "columns": [
            {"field": name, "header": BY_NAME[name].label(locale), "required": name in template.required,
             "one_of": name in template.one_of} for name in template.fields]}
    return FileResponse(build_template(body.kind, locale, config),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        f"lead-import-{body.kind}-{locale}.xlsx")


def _tenant_summary(tenant_id: str, config: TenantConfig) -> dict[str, Any]:
    return {"id": tenant_id, "name": config.name, "locale": config.locale, "default_region": config.default_region,
            "match_on": list(config.match_on), "labels": config.labels,
            "users": [{"email": u.email, "name": u.name} for u in config.users if u.active]}


# What every row needs, as the validator checks it: one field of each group (seed 003's "bold" fields).
NEEDS = {"email": "contact", "phone": "contact",
         "first_name": "name", "last_name": "name", "full_name": "name", "company": "name"}


def _fields(config: TenantConfig, locale: str, kept: list[str] = ()) -> list[dict[str, Any]]:
    fields = [{"name": spec.name, "label": spec.label(locale), "kind": spec.kind, "group": spec.group,
               "needs": NEEDS.get(spec.name), "choices": list(spec.choices)}
              for spec in FIELDS]
    fields += [{"name": f"custom.{name}", "label": name, "kind": "text", "group": "custom", "needs": None,
                "choices": []} for name in [*config.custom_fields, *dict.fromkeys(kept)]]
    return fields


def _label(field: str | None, locale: str) -> str:
    if field is None:
        return ""
    spec = BY_NAME.get(field)
    return spec.label(locale) if spec else field.removeprefix("custom.")

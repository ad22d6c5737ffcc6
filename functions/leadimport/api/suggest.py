"""The sidebar's mapping: the backend's own mapper on a sheet's header or a file's first rows.

Its own module (preview and templates are beside it) so that its first call loads the mapper and nothing of
the import or the xlsx writer: bench/cold_start.py times it."""

from __future__ import annotations

from typing import Any

from leadimport.api.auth import Caller, require_import
from leadimport.api.bodies import SuggestMappingBody
from leadimport.api.services import Services
from leadimport.core.mapping.catalog import BY_NAME, FIELDS
from leadimport.core.mapping.reasons import render as render_reason
from leadimport.core.mapping.suggest import SAMPLE_ROWS, keep_unrecognised
from leadimport.core.mapping.suggest import suggest_mapping as map_columns
from leadimport.core.read.table import column_letter, unique_columns
from leadimport.core.tenant_config import TenantConfig
from leadimport.store.saved_mappings import load_saved_mapping
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import load_tenant


def suggest_mapping(caller: Caller, body: SuggestMappingBody, services: Services) -> dict[str, Any]:
    """The backend's own mapper for the sidebar, so a sheet maps exactly like a file with the same columns."""
    tenant = tenant_ref(services.db, caller.tenant_id)
    config = load_tenant(services.db, caller.tenant_id)
    locale = body.locale or config.locale  # the sidebar speaks its user's language
    sample: dict[str, Any] | None = None
    if body.file is not None:  # "Import a file": its columns and first rows, read as the import will
        require_import(caller)  # reading a file is for who may import it, not for anyone signed in
        from leadimport.api.file_sample import read_sample  # the readers: only a file's sample needs them

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

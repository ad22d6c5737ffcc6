"""Import templates: a kind of import's columns, in the tenant's language, as JSON for the add-on or as an
xlsx with its pick lists."""

from __future__ import annotations

from typing import Any

from leadimport.api.auth import Caller
from leadimport.api.bodies import TemplateBody
from leadimport.api.services import FileResponse, Services
from leadimport.core.mapping.catalog import BY_NAME, TEMPLATES
from leadimport.report.templates import build_template
from leadimport.store.tenants import load_tenant


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

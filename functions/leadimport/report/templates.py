"""Downloadable import templates (seed 004): a person or a company sheet in the tenant's language.

Required columns are coloured, with a legend on a second sheet explaining the colours; picklists
(person type, document type, gender) and the tenant's labels get dropdowns; one example row shows
the expected shapes. The headers are the catalog's labels, so the mapper recognises them exactly.
"""

from __future__ import annotations

import io
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from leadimport.core.mapping.catalog import BY_NAME, PERSON_TYPES, TEMPLATES
from leadimport.core.tenant_config import LABEL_KINDS, TenantConfig
from leadimport.core.validate.identity import ID_TYPES
from leadimport.i18n.catalog import text

DATA_ROWS = 5000  # rows the dropdowns cover
_REQUIRED = PatternFill("solid", fgColor="F4B183")  # orange: must be filled
_ONE_OF = PatternFill("solid", fgColor="FFE699")  # yellow: at least one of these
_OPTIONAL = PatternFill("solid", fgColor="D9E1F2")  # blue: optional
_LEGEND = ("legend_title", "required", "one_of", "optional", "example_row")  # the legend's texts, in the catalog
_EXAMPLE = {
    "first_name": "María José", "last_name": "Torres Vélez", "email": "maria.torres@example.com",
    "phone": "+593991234567", "person_type": "natural", "id_type": "cedula", "id_number": "1710034065",
    "company": "Inmobiliaria Sol S.A.", "job_title": "Gerente", "address": "Av. Amazonas N34-451",
    "city": "Quito", "state": "Pichincha", "zip_code": "170135", "country_code": "EC", "website": "https://example.com",
    "notes": "", "owner": "",
}


def build_template(kind: Literal["person", "company"], locale: str, tenant: TenantConfig | None = None) -> bytes:
    template = TEMPLATES[kind]
    book = Workbook()
    sheet = book.active
    sheet.title = {"person": "Leads", "company": "Empresas" if locale == "es" else "Companies"}[kind]
    for index, name in enumerate(template.fields, start=1):
        cell = sheet.cell(row=1, column=index, value=BY_NAME[name].label(locale))
        cell.font = Font(bold=True)
        cell.fill = (_REQUIRED if name in template.required else _ONE_OF if name in template.one_of else _OPTIONAL)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(str(cell.value)) + 4)
        example = _example(name, kind, tenant)
        if example:
            sheet.cell(row=2, column=index, value=example).data_type = "s"  # keeps "+593…" and leading zeros
        choices = _choices(name, tenant)
        if choices:
            _dropdown(sheet, book, index, name, choices)
    sheet.freeze_panes = "A2"
    _legend(book, locale)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _example(name: str, kind: str, tenant: TenantConfig | None) -> str:
    if kind == "company" and name == "person_type":
        return "legal"
    if kind == "company" and name in {"id_type", "id_number", "first_name", "last_name", "job_title"}:
        return {"id_type": "ruc", "id_number": "1790016919001"}.get(name, "")  # the contact person is optional
    if tenant and name in LABEL_KINDS:
        return (tenant.labels.get(name) or [""])[0]  # type: ignore[call-overload]
    if tenant and name == "owner" and tenant.users:
        return tenant.users[0].email
    return _EXAMPLE.get(name, "")


def _choices(name: str, tenant: TenantConfig | None) -> list[str]:
    if name == "person_type":
        return list(PERSON_TYPES)
    if name == "id_type":
        return list(ID_TYPES)
    if name == "gender":
        return list(BY_NAME["gender"].choices)
    if tenant is None:
        return []
    if name == "owner":
        return [user.email for user in tenant.users if user.active]
    if name in LABEL_KINDS - {"tags"}:
        return list(tenant.labels.get(name, []))  # type: ignore[call-overload]
    return []  # tags take several values per cell: a dropdown would allow only one


def _dropdown(sheet: Worksheet, book: Workbook, column: int, name: str, choices: list[str]) -> None:
    lists = book["_lists"] if "_lists" in book.sheetnames else book.create_sheet("_lists")
    lists.sheet_state = "hidden"
    list_column = get_column_letter(lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1)
    for row, value in enumerate(choices, start=1):
        # a tenant's label is text even when it starts with "=": openpyxl would store it as a formula
        lists[f"{list_column}{row}"] = value
        lists[f"{list_column}{row}"].data_type = "s"
    # a range on a hidden sheet has no 255-character limit, unlike an inline list
    rule = DataValidation(type="list", formula1=f"=_lists!${list_column}$1:${list_column}${len(choices)}",
                          allow_blank=True, showErrorMessage=name != "owner")
    letter = get_column_letter(column)
    rule.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    sheet.add_data_validation(rule)


def _legend(book: Workbook, locale: str) -> None:
    title, required, one_of, optional, example = (text(f"template.{key}", locale) for key in _LEGEND)
    sheet = book.create_sheet(title, 1)
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True)
    for row, (fill, words) in enumerate(((_REQUIRED, required), (_ONE_OF, one_of), (_OPTIONAL, optional)), start=2):
        sheet.cell(row=row, column=1).fill = fill
        sheet.cell(row=row, column=2, value=words)
    sheet.cell(row=6, column=2, value=example)
    sheet.column_dimensions["B"].width = 45

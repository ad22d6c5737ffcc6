"""One sheet row → the lead fields it carries, its dedup keys and every problem found.

Validation never raises for a bad row: each problem becomes a RowIssue with a stable code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leadimport.errors import TerminalError
from leadimport.mapping.catalog import BY_NAME, FULL_NAME, is_known_field
from leadimport.models import ColumnMapping, RowIssue
from leadimport.read.table import SheetRow
from leadimport.tenants import TenantConfig
from leadimport.validate.emails import normalize_email
from leadimport.validate.names import split_full_name, tidy
from leadimport.validate.owners import OwnerDirectory
from leadimport.validate.phones import is_region, normalize_phone

REQUIRED = ("first_name", "last_name")
_SEPARATORS = str.maketrans({";": ",", "|": ",", "\n": ","})


@dataclass
class ValidatedRow:
    row: int
    fields: dict[str, Any]  # canonical field → normalised value; only what the file or defaults gave
    keys: dict[str, str] = field(default_factory=dict)  # match key kind → normalised value
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)


class RowValidator:
    def __init__(self, mapping: list[ColumnMapping], defaults: dict[str, str], tenant: TenantConfig):
        unknown = sorted(name for name in defaults if not is_known_field(name))
        if unknown:
            raise TerminalError("Defaults name unknown fields: " + ", ".join(unknown) + ".")
        self._columns = [(index, m.column, m.field) for index, m in enumerate(mapping) if m.field]
        self._defaults = {name: value for name, value in defaults.items() if value.strip()}
        self._tenant = tenant
        self._owners = OwnerDirectory(tenant.users)

    def validate(self, sheet_row: SheetRow) -> ValidatedRow:
        raw: dict[str, tuple[str, str | None]] = {}  # field → (text, source column)
        for index, column, name in self._columns:
            text = sheet_row.values[index].strip()
            if text:
                raw[name] = (text, column)
        for name, value in self._defaults.items():
            raw.setdefault(name, (value, None))
        result = ValidatedRow(row=sheet_row.number, fields={})
        self._names(raw, result)
        self._contacts(raw, result)
        for name, (text, _column) in raw.items():
            if name in {FULL_NAME, "first_name", "last_name", "email", "phone", "country_code", "owner"}:
                continue
            if name.startswith("custom."):
                result.fields.setdefault("custom", {})[name.removeprefix("custom.")] = text
            elif BY_NAME[name].multi:
                result.fields[name] = _split_values(text)
            else:
                result.fields[name] = tidy(text)
        if "owner" in raw:
            self._owner(*raw["owner"], result)
        return result

    def _names(self, raw: dict[str, tuple[str, str | None]], result: ValidatedRow) -> None:
        first = tidy(raw.get("first_name", ("", None))[0])
        last = tidy(raw.get("last_name", ("", None))[0])
        if FULL_NAME in raw and not (first and last):
            split_first, split_last = split_full_name(raw[FULL_NAME][0], self._tenant.locale)
            first, last = first or split_first, last or split_last
        for name, value in (("first_name", first), ("last_name", last)):
            if value:
                result.fields[name] = value
            else:
                result.errors.append(RowIssue(
                    field=name, column=_column_of(raw, name), code="required_missing",
                    message=f"{BY_NAME[name].label} is required",
                ))

    def _contacts(self, raw: dict[str, tuple[str, str | None]], result: ValidatedRow) -> None:
        region = self._tenant.default_region
        if "country_code" in raw:
            code = raw["country_code"][0].strip().upper()
            if is_region(code):
                result.fields["country_code"] = region = code
            else:
                result.warnings.append(RowIssue(
                    field="country_code", column=raw["country_code"][1], code="invalid_value",
                    message=f"'{raw['country_code'][0]}' is not a two-letter country code; ignored",
                ))
        if "email" in raw:
            text, column = raw["email"]
            email, why = normalize_email(text)
            if email:
                result.fields["email"] = result.keys["email"] = email
            else:
                result.errors.append(RowIssue(field="email", column=column, code="invalid_email",
                                              message=f"'{text}' is not a valid email: {why}"))
        if "phone" in raw:
            text, column = raw["phone"]
            phone, why = normalize_phone(text, region)
            if phone:
                result.fields["phone"] = result.keys["phone"] = phone
            else:
                result.errors.append(RowIssue(field="phone", column=column, code="invalid_phone",
                                              message=why or "invalid phone"))
        if "email" not in raw and "phone" not in raw:
            # seed 001: a lead needs an email or a phone to be reachable (and found again)
            result.errors.append(RowIssue(field="email", code="no_contact",
                                          message="Give an email or a phone: both are empty"))

    def _owner(self, text: str, column: str | None, result: ValidatedRow) -> None:
        owner = self._owners.resolve(text)
        issue = RowIssue(field="owner", column=column, code=owner.code, message=owner.message) if owner.code else None
        if owner.code == "ambiguous_owner" and issue:
            result.errors.append(issue)
            return
        if issue:
            result.warnings.append(issue)
        if owner.email:
            result.fields["owner"] = owner.email


def _split_values(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in text.translate(_SEPARATORS).split(","):
        value = tidy(part)
        if value:
            seen.setdefault(value.casefold(), value)
    return list(seen.values())


def _column_of(raw: dict[str, tuple[str, str | None]], name: str) -> str | None:
    entry = raw.get(name) or raw.get(FULL_NAME)
    return entry[1] if entry else None

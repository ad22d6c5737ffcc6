"""One sheet row → the lead fields it carries, its dedup keys and every problem found.

Validation never raises for a bad row: each problem becomes a RowIssue with a stable code, the
field, the column and cell the person sees, and a message in the tenant's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from leadimport.core.keys import KEY_KINDS, VALUE_FIELDS, lead_keys
from leadimport.core.mapping.catalog import (
    BY_NAME,
    FULL_NAME,
    OPPORTUNITY_FIELDS,
    PERSON_TYPES,
    is_known_field,
    key_label,
)
from leadimport.core.models import CONTACTS, COSTS_THE_VALUE, LEFT_OUT_CODES, ColumnMapping, RowIssue
from leadimport.core.read.table import SheetRow, column_letter
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.text import fold_words
from leadimport.core.validate.amounts import parse_amount
from leadimport.core.validate.countries import country_code
from leadimport.core.validate.dates import MONTH_FIRST_REGIONS, parse_date
from leadimport.core.validate.email_typos import suggested_address
from leadimport.core.validate.emails import normalize_email
from leadimport.core.validate.identity import check_id, id_type_of
from leadimport.core.validate.names import SURNAME_FIRST, has_legal_form, split_full_name, tidy, tidy_name
from leadimport.core.validate.owners import OwnerDirectory
from leadimport.core.validate.phones import SHORTENED, normalize_phone
from leadimport.core.validate.picklists import LabelCatalog, choice_of
from leadimport.errors import TerminalError
from leadimport.i18n import messages

_SEPARATORS = str.maketrans({";": ",", "|": ",", "\n": ","})
_PERSON_FIELDS = frozenset({FULL_NAME, "first_name", "last_name", "person_type"})
_OPPORTUNITY = frozenset(OPPORTUNITY_FIELDS)
_NAME_PARTS = ("first_name", "middle_name", "last_name", "second_last_name")
_READ_WITH = frozenset({"country_code", "id_type"})  # how a phone or a document is read: never held back alone
_HANDLED = {FULL_NAME, "first_name", "middle_name", "last_name", "second_last_name", "company", "person_type",
            "email", "email_2", "phone", "phone_2", "country_code", "owner", "id_type", "id_number"}


@dataclass
class ValidatedRow:
    row: int
    fields: dict[str, Any]  # canonical field → normalised value; only what the file or defaults gave
    keys: dict[str, str] = field(default_factory=dict)  # match key kind → normalised value (keys.lead_keys)
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    opportunity: dict[str, Any] = field(default_factory=dict)  # seed 002's client interest, kept off the lead
    # fields an existing lead takes only where it has no value, or not at all: a job's defaults and an owner
    # that is not the file's own, by the tenant's defaults_on_update and update_owner (a new lead takes all)
    fill_only: frozenset[str] = frozenset()
    new_only: frozenset[str] = frozenset()
    repeat_of: int | None = None  # the tenant merges repeated rows: the earlier row whose lead this one completes




class _Cell(NamedTuple):
    """A value and where it came from; a tuple, since every cell of every row makes one."""

    text: str
    column: str | None  # None: the value is the job's default, not a cell
    letter: str | None = None
    row: int = 0

    @property
    def cell(self) -> str | None:  # where the person finds it, "C7": only wanted for an issue
        return f"{self.letter}{self.row}" if self.letter else None


_new_cell = tuple.__new__  # a _Cell without NamedTuple's Python-level __new__: twelve of them a row


class RowValidator:
    def __init__(self, mapping: list[ColumnMapping], defaults: dict[str, str], tenant: TenantConfig,
                 letters: list[str] | None = None, create_labels: bool = False,
                 find_only: list[str] | None = None, key_kinds: Iterable[str] = KEY_KINDS,
                 importer: str | None = None, operation: bool = False):
        unknown = sorted(name for name in defaults if not is_known_field(name))
        if unknown:
            raise TerminalError("Defaults name unknown fields: " + ", ".join(unknown) + ".")
        letters = letters or [column_letter(i) for i in range(len(mapping))]
        self._columns = [(index, m.column, letters[index], m.field) for index, m in enumerate(mapping) if m.field]
        self._mapped_letters = {letter: (column, name) for _, column, letter, name in self._columns}
        # a document column headed by its type ("NIF", "Cédula", "ИНН") says the type of every number in it
        self._header_id_type = next((id_type_of(column) for _, column, _, name in self._columns
                                     if name == "id_number"), None)
        # "Apellidos y nombres": the one name column says the surname comes first
        self._surname_first = any(SURNAME_FIRST.match(" ".join(fold_words(column)))
                                  for _, column, _, name in self._columns if name == FULL_NAME)
        self._defaults = {name: value for name, value in defaults.items() if value.strip() and name != "owner"}
        self._job_owner = defaults.get("owner", "").strip() or None  # a fallback, in the tenant's order
        self._importer = importer
        # what a default may do to a lead that exists (a bulk operation's values are what it was asked to write;
        # a default that only says how to read a cell, a phone's country or a document's type, goes with it)
        self._operation = operation
        policy = "overwrite" if operation else tenant.defaults_on_update
        held = frozenset(self._defaults) - _READ_WITH
        self._default_fill = held if policy == "fill-empty" else frozenset()
        self._default_new = held if policy == "new-only" else frozenset()
        self._tenant = tenant
        self._locale = tenant.locale
        self._owners = OwnerDirectory(tenant.users)
        self._labels = {kind: LabelCatalog(values) for kind, values in tenant.labels.items()}
        self._label_cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.create_labels = create_labels
        # update-only jobs (bulk tag, assign, update): a row needs a key of the chain, not a whole lead
        self.find_only = find_only
        self.new_labels: dict[str, list[str]] = {}  # labels this job created, not yet stored
        self._key_kinds = tuple(key_kinds)  # the keys rows are matched and deduplicated by: only those are made
        self._needs_key = tuple(find_only) if find_only is not None else self._key_kinds
        self._fallback = self._fallback_owner()
        self._strict = frozenset(tenant.strict_fields)
        self._month_first = tenant.default_region in MONTH_FIRST_REGIONS
        self._decimal_comma = tenant.locale != "en"

    def _fallback_owner(self) -> tuple[str | None, tuple[str, dict[str, Any]] | None]:
        """Who owns a lead whose file names no user, the same for every row of the job (so worked out once),
        and, if the job's own default owner named no user on the way, what to say of it."""
        mistake = None
        for source in ("job",) if self._operation else self._tenant.owner_fallback:  # an operation: its own
            if source == "tenant" and self._tenant.default_owner:
                return self._tenant.default_owner, mistake  # the tenant's own setting, whoever it names
            given = self._job_owner if source == "job" else self._importer if source == "importer" else None
            if not given:
                continue
            owner = self._owners.resolve(given)
            if owner.email:  # the importer owns leads only as one of the tenant's users
                return owner.email, mistake
            if source == "job":
                code = owner.code or "unknown_owner"
                mistake = code, {"value": given, "count": owner.count,
                                 "text": "ambiguous_owner" if code == "ambiguous_owner" else "unknown_default_owner"}
        return None, mistake

    def take_new_labels(self) -> dict[str, list[str]]:
        """The labels rows created since the last call, for the caller to store before their leads."""
        labels, self.new_labels = self.new_labels, {}
        return labels

    def validate(self, sheet_row: SheetRow) -> ValidatedRow:
        raw: dict[str, _Cell] = {}
        number, values = sheet_row.number, sheet_row.values
        for index, column, letter, name in self._columns:
            text = values[index].strip()
            if text:
                raw[name] = _new_cell(_Cell, (text, column, letter, number))
        defaulted = []
        for name, value in self._defaults.items():
            if name not in raw:
                raw[name] = _Cell(value, None)
                defaulted.append(name)
        result = ValidatedRow(row=sheet_row.number, fields={})
        if defaulted and (self._default_fill or self._default_new):
            result.fill_only = self._default_fill.intersection(defaulted)
            result.new_only = self._default_new.intersection(defaulted)
        check = _RowCheck(self, raw, result)
        for letter, error in sheet_row.formula_errors:  # a sheet's error cell was sent empty: say which
            if letter in self._mapped_letters:
                column, name = self._mapped_letters[letter]
                check.issue(name, "formula_error", _Cell("", column, letter, number), warning=True,
                            where=f"{letter}{number}", error=error)
        region = check.country()
        person_type = check.person_type()
        # a row naming only a company is a company (seed 004's company template has no person names)
        legal = person_type == "legal" or (not self.find_only and person_type is None and "company" in raw
                                           and raw.keys().isdisjoint(_PERSON_FIELDS))
        if person_type is None and not legal and self.find_only is None:  # 'ООО Ромашка' where a name goes
            written = " ".join(raw[n].text for n in (FULL_NAME, "first_name", "last_name") if n in raw)
            legal = "company" not in raw and has_legal_form(written)
        if legal and person_type is None:
            result.fields["person_type"] = "legal"
        check.names(legal)
        check.contacts(region)
        check.identity(region)
        for name, cell in raw.items():
            if name not in _HANDLED:
                check.other(name, cell)
        check.owner(raw.get("owner"))
        result.keys = lead_keys(result.fields, self._key_kinds, self._tenant.id_type_matters)
        if self.find_only is None and not result.keys and not result.errors:
            # kept without the value that failed, it would be found by nothing: every import of it again would
            # make another lead. The values that would have found it refuse the row, as before.
            fields = {f for kind in self._key_kinds for f in VALUE_FIELDS.get(kind, ())} | {"id_type"}
            refused = [w for w in result.warnings if w.field in fields and w.code in LEFT_OUT_CODES]
            result.warnings = [w for w in result.warnings if w not in refused]
            result.errors.extend(refused)
        # a row needs a key of the chain (Sperant's document, 1C's name; Cadence's email, which a mobile alone
        # is not): else every import of it again makes another lead
        needs_key = self._needs_key
        if needs_key and not result.errors and result.keys.keys().isdisjoint(needs_key):
            labels = ", ".join(key_label(k, self._locale) for k in needs_key)
            check.issue(None, "no_key", None, keys=labels)
        if "source_created_at" in result.fields:  # the source's date of the lead's birth: its first word stays
            result.fill_only |= {"source_created_at"}
        for name in _OPPORTUNITY.intersection(result.fields):
            result.opportunity[name] = result.fields.pop(name)
        return result


class _RowCheck:
    """The checks of one row; each adds fields, keys and issues to the result."""

    def __init__(self, validator: RowValidator, raw: dict[str, _Cell], result: ValidatedRow):
        self.v, self.raw, self.result = validator, raw, result
        self.locale = validator._locale

    def issue(self, name: str | None, code: str, cell: _Cell | None, *, warning: bool = False,
              text: str | None = None, **params: Any) -> None:
        """`text`: the message's own id, where one code says different things (default: the code's)."""
        # a lead is worth more than a field: a value that fails its check is left out with a warning, unless
        # the tenant made the field strict (contacts are settled by the contact rule, in contacts())
        if code in COSTS_THE_VALUE:
            warning = name not in self.v._strict
        message = messages.render(text or code, self.locale, **params)
        item = RowIssue(field=name, column=cell.column if cell else None, cell=cell.cell if cell else None,
                        code=code, message=message)
        (self.result.warnings if warning else self.result.errors).append(item)

    def label(self, name: str) -> str:
        return BY_NAME[name].label(self.locale) if name in BY_NAME else name

    def country(self) -> str:
        region = self.v._tenant.default_region
        cell = self.raw.get("country_code")
        if cell:
            code = country_code(cell.text)
            if code:
                self.result.fields["country_code"] = region = code
            else:
                self.issue("country_code", "invalid_country", cell, warning=True, value=cell.text)
        return region

    def person_type(self) -> str | None:
        cell = self.raw.get("person_type")
        if not cell:
            return None
        value = choice_of("person_type", cell.text)
        if value:
            self.result.fields["person_type"] = value
        else:
            self.issue("person_type", "invalid_value", cell, value=cell.text, field=self.label("person_type"),
                       allowed=", ".join(PERSON_TYPES))
        return value

    def names(self, legal: bool) -> None:
        def text(name: str) -> str:
            return tidy_name(self.raw[name].text) if name in self.raw else ""

        first, middle = text("first_name"), text("middle_name")
        last = " ".join(p for p in (text("last_name"), text("second_last_name")) if p)
        company = tidy(self.raw["company"].text) if "company" in self.raw else ""
        full = self.raw.get(FULL_NAME)
        if legal and not company:  # a company row's name is the company's (1C's "Наименование", Sperant's
            # "jurídica" rows, whose template has no company column: their name columns hold it)
            company = tidy(full.text) if full else " ".join(
                tidy(self.raw[n].text) for n in _NAME_PARTS if n in self.raw)  # "Constructora" "Los Andes" "SAC"
            first = middle = last = ""
        elif full and not (first and last):
            split_first, split_middle, split_last = split_full_name(tidy_name(full.text), self.locale,
                                                                    self.v._surname_first)
            first, middle, last = first or split_first, middle or split_middle, last or split_last
        for name, value in (("first_name", first), ("middle_name", middle), ("last_name", last),
                            ("company", company)):
            if value:
                self.result.fields[name] = value
        required = () if self.v.find_only is not None else ("company",) if legal else ("first_name", "last_name")
        if full and not legal and (first or last) and not self.raw.keys() & {"first_name", "last_name"}:
            required = ()  # one column holds the whole name, and it held one word: 1C's "Морозов" is a name
        for name in required:
            if not self.result.fields.get(name):
                cell = self.raw.get(name) or self.raw.get(FULL_NAME)
                self.issue(name, "required_missing", cell, field=self.label(name))

    def contacts(self, region: str) -> None:
        for name in ("email", "email_2"):
            cell = self.raw.get(name)
            if not cell:
                continue
            email, why = normalize_email(cell.text)
            if email:
                self.result.fields[name] = email
                meant = suggested_address(email)
                if meant:  # said, never corrected: a company may own a domain one letter from Gmail's
                    self.issue(name, "email_typo", cell, warning=True, value=email, suggestion=meant)
            else:
                self.issue(name, "invalid_email", cell, warning=name != "email", value=cell.text,
                           reason=messages.email_reason(why or "", self.locale))
        for name in ("phone", "phone_2"):
            cell = self.raw.get(name)
            if not cell:
                continue
            phone, why = normalize_phone(cell.text, region)
            both = None if phone or name != "phone" or "phone_2" in self.raw else _two_phones(cell.text, region)
            if both:  # "0991234573 / 022345680": a mobile and a landline in one cell, each kept
                self.result.fields["phone"], self.result.fields["phone_2"] = both
            elif phone:
                self.result.fields[name] = phone
            else:
                hint = messages.word("excel_shortened", self.locale) if why == SHORTENED else "" if (
                    region or cell.text.startswith("+")) else messages.word("country_hint", self.locale)
                where = "" if why == SHORTENED else messages.word("for", self.locale, region=region) if region else ""
                self.issue(name, "invalid_phone", cell, warning=name != "phone", value=cell.text, where=where,
                           hint=hint)
        if self.v.find_only is not None or not CONTACTS.isdisjoint(self.result.fields) \
                or not self.v._tenant.require_contact:  # Sperant and 1C keep a client known by name and document
            return
        # seed 001: a lead needs an email or a phone to be reachable (and found again), any of its columns
        given = [w for w in self.result.warnings if w.field in CONTACTS and w.code in COSTS_THE_VALUE]
        if given:  # every contact it gave failed its check: that refuses the row, whatever else it holds
            self.result.warnings = [w for w in self.result.warnings if w not in given]
            self.result.errors.extend(given)
        elif not any(e.field in CONTACTS for e in self.result.errors):  # a strict one's error says it all
            self.issue("email", "no_contact", None)

    def identity(self, region: str) -> None:
        number = self.raw.get("id_number")
        kind = self.raw.get("id_type")
        if not number:
            return
        checked = check_id(kind.text if kind else None, number.text, region)
        if kind is None and self.v._header_id_type:
            # its column's header names the type ("NIF"): that type first, then the country's others (a RUC
            # under "DNI"); a number none passes is a typo of it, unverified, never an 'other' with a key
            header = _Cell(self.v._header_id_type, number.column, number.letter, number.row)
            typed = check_id(header.text, number.text, region)
            if typed.number is not None or checked.code == "id_type_missing":
                kind, checked = header, typed
        if checked.number is None:
            if checked.code == "invalid_value":
                self.issue("id_type", "invalid_value", kind, value=kind.text if kind else "",
                           field=self.label("id_type"), allowed="cédula, ruc, rut, dni, nie, nif, cif, ce, "
                           "pasaporte, inn, cpf, cnpj, cuit, nit, siren, siret, otro")
            if "id_number" in self.v._strict:  # a tenant that wants every document verified refuses the row
                self.issue("id_number", "invalid_id_number", number, value=number.text,
                           id_type=(checked.id_type or (kind.text if kind else "")).upper())
            else:  # kept as typed, apart from id_number: an unverified number neither matches nor claims a key
                self.result.fields["id_number_unverified"] = tidy(number.text)
                if kind:
                    self.result.fields["id_type_unverified"] = tidy(kind.text)
                self.issue("id_number", "id_unverified", number, warning=True, value=number.text,
                           id_type=(checked.id_type or (kind.text if kind else "")).upper())
            return
        self.result.fields["id_type"], self.result.fields["id_number"] = checked.id_type, checked.number
        if checked.code == "id_number_repaired":
            self.issue("id_number", "id_number_repaired", number, warning=True, value=checked.number)
        elif checked.code == "id_type_missing":
            self.issue("id_type", "id_type_missing", number, warning=True, value=checked.number)

    def other(self, name: str, cell: _Cell) -> None:
        if name.startswith("custom."):
            self.result.fields.setdefault("custom", {})[name.removeprefix("custom.")] = cell.text
            return
        spec = BY_NAME[name]
        if spec.kind == "date":
            when = _date_text(cell.text, self.v._month_first)
            if when:
                self.result.fields[name] = when
            else:
                self.issue(name, "invalid_date", cell, value=cell.text,
                           example=messages.word("date_example", self.locale))
        elif spec.kind == "money":
            amount = parse_amount(cell.text, self.v._decimal_comma)
            if amount is None:
                self.issue(name, "invalid_number", cell, value=cell.text)
            else:
                self.result.fields[name] = amount
        elif spec.kind == "picklist":
            value = choice_of(name, cell.text)
            if value:
                self.result.fields[name] = value
            else:
                self.issue(name, "invalid_value", cell, value=cell.text, field=self.label(name),
                           allowed=", ".join(spec.choices))
        elif spec.kind == "labels":
            self.labels(name, cell)
        else:
            self.result.fields[name] = tidy(cell.text) if name != "notes" else cell.text.strip()

    def labels(self, name: str, cell: _Cell) -> None:
        cached = self.v._label_cache.get((name, cell.text))
        known, unknown = cached if cached is not None else self._find_labels(name, cell.text)
        for value in unknown:
            self.issue(name, "unknown_label", cell, warning=True, value=value, field=self.label(name))
        if known:
            self.result.fields[name] = list(known) if BY_NAME[name].multi else known[0]

    def _find_labels(self, name: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the labels a cell names, the ones the tenant does not have); the same cell text, the same answer."""
        values = _split_values(text) if BY_NAME[name].multi else [tidy(text)]
        catalog = self.v._labels.get(name)
        if catalog is None:  # a kind the tenant keeps no list of takes any value; one it lists, only its own
            return tuple(values), ()  # (seed 000: attached only if it exists; an empty list: none exist)
        known, unknown = [], []
        for value in values:
            found = catalog.find(value)
            if found:
                known.append(found)
            elif self.v.create_labels:  # the job allows new labels: the first spelling seen is kept
                catalog.add(value)
                self.v.new_labels.setdefault(name, []).append(value)
                known.append(value)
            else:
                unknown.append(value)
        answer = (tuple(known), tuple(unknown))
        if len(self.v._label_cache) < 100_000:  # tags and sources repeat; free text in a tag column does not
            self.v._label_cache[(name, text)] = answer
        return answer

    def owner(self, cell: _Cell | None) -> None:
        """The file's owner cell, else the tenant's fallbacks in its order; an update writes the owner only
        as the tenant's update_owner says (a bulk operation's owner is what it was asked to write)."""
        v = self.v
        if cell:
            owner = v._owners.resolve(cell.text)
            if owner.code == "ambiguous_owner":
                self.issue("owner", "ambiguous_owner", cell, value=cell.text.strip(), count=owner.count)
                return
            if owner.email:
                self.result.fields["owner"] = owner.email
                if v._tenant.update_owner == "never" and not v._operation:
                    self.result.new_only |= {"owner"}
                return
            if v._tenant.unknown_owner == "error":  # Cadence: a user not in the CRM blocks the lead
                self.issue("owner", "unknown_owner", cell, value=cell.text.strip(), text="unknown_owner_refused")
                return
        written = v._operation or v._tenant.update_owner == "always"
        found, mistake = v._fallback
        if mistake:  # the job's default owner names no user: said on every row it would have owned
            code, params = mistake
            self.issue("owner", code, None, warning=True, **params)
        if found:
            self.result.fields["owner"] = found
            if not written:
                self.result.new_only |= {"owner"}
        if cell:  # said as it is: who the lead goes to, and whether an existing one keeps its own
            text = "unknown_owner_none" if not found else "unknown_owner_to" if written else "unknown_owner"
            self.issue("owner", "unknown_owner", cell, warning=True, value=cell.text.strip(), owner=found, text=text)



@lru_cache(maxsize=1 << 14)  # a column of dates repeats a few hundred of them down a file
def _date_text(text: str, month_first: bool) -> str | None:
    when = parse_date(text, month_first)
    return when.isoformat() if when else None


_PHONES_APART = re.compile(r"\s*(?:/|;|,|\by\b|\bo\b|\bou\b|\bили\b)\s*")


def _two_phones(text: str, region: str) -> tuple[str, str] | None:
    """Two numbers a person put in one cell, when each is a phone on its own."""
    parts = [part for part in _PHONES_APART.split(text.strip()) if part]
    if len(parts) != 2:
        return None
    first, second = (normalize_phone(part, region)[0] for part in parts)
    return (first, second) if first and second and first != second else None


def _split_values(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in text.translate(_SEPARATORS).split(","):
        value = tidy(part)
        if value:
            seen.setdefault(value.casefold(), value)
    return list(seen.values())

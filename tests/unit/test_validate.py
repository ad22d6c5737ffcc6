"""Validation and normalisation of rows, against our cases and other projects' test sets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from leadimport.core.dedup import InFileDuplicates
from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.read.table import SheetRow
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.emails import normalize_email
from leadimport.core.validate.names import split_full_name
from leadimport.core.validate.phones import normalize_phone
from leadimport.core.validate.row import RowValidator

TENANT = TenantConfig(name="Sol", default_region="EC", locale="es", default_owner="ana@sol.ec",
                      users=[{"email": "ana@sol.ec", "name": "Ana Torres"},
                             {"email": "pedro@sol.ec", "name": "Pedro Vélez"},
                             {"email": "pedro.v@sol.ec", "name": "Pedro Velez"}])
COLUMNS = ["First Name", "Last Name", "Email", "Phone", "Tags", "Agent"]


def validator(columns: list[str] = COLUMNS, defaults: dict[str, str] | None = None) -> RowValidator:
    return RowValidator(suggest_mapping(columns, []), defaults or {}, TENANT)


def codes(row_values: list[str], columns: list[str] = COLUMNS) -> list[str]:
    result = validator(columns).validate(SheetRow(2, tuple(row_values)))
    return [issue.code for issue in result.errors]


def test_email_validator_corpus_valid_addresses(corpus: Path) -> None:
    cases = json.loads((corpus / "python-email-validator/derived_cases.json").read_text())
    valid = [c for c in cases if c["test"] == "test_email_valid"]
    assert valid
    for case in valid:
        email, why = normalize_email(case["email_input"])
        if case["email_input"].startswith('"'):
            assert email is None, "quoted local parts are RFC-valid but not CRM-valid (corpus README)"
        else:
            assert email == case["output"]["normalized"].lower(), (case["email_input"], why)


def test_email_validator_corpus_invalid_syntax_refused(corpus: Path) -> None:
    cases = json.loads((corpus / "python-email-validator/derived_cases.json").read_text())
    kinds = ("test_email_invalid_syntax", "test_email_valid_only_if_quoted_local_part")
    invalid = [c for c in cases if c["test"] in kinds]
    assert len(invalid) > 50
    accepted = {c["email_input"]: normalize_email(c["email_input"])[0] for c in invalid}
    accepted = {raw: email for raw, email in accepted.items() if email}
    # Deliberate: a cell's surrounding whitespace is trimmed and "Name <me@…>" keeps its address;
    # every other address the corpus calls invalid is refused
    assert all(raw.strip() == email or raw.strip().endswith(f"<{email}>") for raw, email in accepted.items())
    assert len(accepted) < 10


def test_libphonenumber_example_numbers_to_e164(corpus: Path) -> None:
    with (corpus / "libphonenumber/derived_example_numbers.csv").open() as handle:
        cases = [row for row in csv.DictReader(handle) if row["expected"].startswith("valid")]
    assert len(cases) > 50
    for case in cases:
        national, why = normalize_phone(case["example_national_number"], case["region"])
        assert national == case["e164"], (case, why)
        international, _ = normalize_phone(case["e164"], "EC")  # a + number ignores the default region
        assert international == case["e164"]


@pytest.mark.parametrize(("text", "region", "expected"), [
    ("0991234567", "EC", "+593991234567"),
    ("593991234567", "EC", "+593991234567"),  # seed 001 writes numbers without their '+'
    ("5.93991234567E+11", "EC", "+593991234567"),  # Excel's float
    ("+7 (912) 345-67-89", "EC", "+79123456789"),
    ("8 912 345-67-89", "RU", "+79123456789"),
    ("06 12 34 56 78", "FR", "+33612345678"),
])
def test_phone_forms(text: str, region: str, expected: str) -> None:
    assert normalize_phone(text, region)[0] == expected


def test_row_country_wins_over_tenant_region() -> None:
    # design.md: a UK 07… read under a German default becomes a valid but wrong +49 number
    v = RowValidator(suggest_mapping(["Email", "Name", "Phone", "Country"], []), {},
                     TENANT.model_copy(update={"default_region": "DE"}))
    uk = v.validate(SheetRow(2, ("a@x.com", "Ann Lee", "07911 123456", "GB")))
    assert uk.fields["phone"] == "+447911123456"
    assert uk.fields["country_code"] == "GB"


@pytest.mark.parametrize(("full", "locale", "expected"), [
    ("Иванов Иван Иванович", "ru", ("Иван", "Иванович", "Иванов")),  # the patronymic is the middle name
    ("Петров Пётр", "es", ("Пётр", "", "Петров")),
    ("Ana Torres", "es", ("Ana", "", "Torres")),
    ("Juan Pérez García", "es", ("Juan", "", "Pérez García")),
    ("María José Pérez García", "es", ("María José", "", "Pérez García")),
    ("Jean Paul Martin", "fr", ("Jean Paul", "", "Martin")),
])
def test_full_name_split(full: str, locale: str, expected: tuple[str, str, str]) -> None:
    assert split_full_name(full, locale) == expected


def test_row_normalised() -> None:
    result = validator().validate(SheetRow(7, ("  Ana ", "Torres  Gil", " Ana.T@Mail.COM ", "099 123 4567",
                                               "VIP; Web, vip", "ana torres")))
    assert result.errors == []
    assert result.fields == {"first_name": "Ana", "last_name": "Torres Gil", "email": "ana.t@mail.com",
                             "phone": "+593991234567", "tags": ["VIP", "Web"], "owner": "ana@sol.ec"}
    assert result.keys == {"email": "ana.t@mail.com", "phone": "+593991234567", "name": "ana gil torres"}


def test_row_problems_have_stable_codes() -> None:
    assert codes(["", "Torres", "ana@x.com", "", "", ""]) == ["required_missing"]
    assert codes(["Ana", "Torres", "ana@", "", "", ""]) == ["invalid_email"]
    assert codes(["Ana", "Torres", "", "12", "", ""]) == ["invalid_phone"]
    assert codes(["Ana", "Torres", "", "", "VIP", ""]) == ["no_contact"]


def test_owner_unknown_falls_back_with_warning_and_same_name_is_an_error() -> None:
    unknown = validator().validate(SheetRow(2, ("Ana", "T", "a@x.com", "", "", "nadie@otra.com")))
    # a new lead gets the tenant's default owner; an update keeps the lead's own
    assert unknown.fields["owner"] == "ana@sol.ec" and "owner" in unknown.new_only
    assert [w.code for w in unknown.warnings] == ["unknown_owner"]
    # "Pedro Vélez" and "Pedro Velez" fold to the same name: seed 003 refuses to guess
    assert codes(["Ana", "T", "a@x.com", "", "", "PEDRO VELEZ"]) == ["ambiguous_owner"]


def test_defaults_fill_empty_cells_only() -> None:
    v = validator(["Email", "Nombre completo", "Fuente"], defaults={"source": "Feria"})
    filled = v.validate(SheetRow(2, ("a@x.com", "Ana Torres", "")))
    kept = v.validate(SheetRow(3, ("b@x.com", "Luis Mora", "Web")))
    assert (filled.fields["source"], kept.fields["source"]) == ("Feria", "Web")
    assert (filled.fields["first_name"], filled.fields["last_name"]) == ("Ana", "Torres")


def test_in_file_duplicate_cites_first_row() -> None:
    v, dup = validator(), InFileDuplicates(["email", "phone"])
    rows = [v.validate(SheetRow(n, ("A", "B", email, phone, "", ""))) for n, email, phone in [
        (2, "a@x.com", "0991234567"), (3, "b@x.com", "+593 99 123 4567"), (4, "A@X.COM", ""), (5, "c@x.com", "")]]
    issues = [dup.check(row) for row in rows]
    assert [[e.code for e in found] for found in issues] == [[], ["duplicate_in_file"], ["duplicate_in_file"], []]
    assert "row 2" in issues[1][0].message and "row 2" in issues[2][0].message

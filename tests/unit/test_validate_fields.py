"""Field-level normalisers: identity documents, dates, amounts, countries, names, picklists, messages."""

from __future__ import annotations

import datetime as dt

import pytest

from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.read.table import SheetRow
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.amounts import parse_amount
from leadimport.core.validate.countries import country_code
from leadimport.core.validate.dates import parse_date
from leadimport.core.validate.identity import check_id
from leadimport.core.validate.names import tidy_name
from leadimport.core.validate.picklists import choice_of
from leadimport.core.validate.row import RowValidator
from leadimport.i18n import messages


@pytest.mark.parametrize(("id_type", "number", "country", "expected"), [
    ("Cédula", "1710034065", "EC", ("cedula", "1710034065", None)),
    ("cedula", "1710034066", "EC", ("cedula", None, "invalid_id_number")),
    ("cedula", "102030400", "EC", ("cedula", "0102030400", "id_number_repaired")),  # Excel dropped the zero
    ("RUC", "1790016919001", "EC", ("ruc", "1790016919001", None)),
    ("RUC", "20100070970", "PE", ("ruc", "20100070970", None)),
    ("RUT", "12.345.678-5", None, ("rut", "123456785", None)),
    ("RUT", "12.345.678-K", None, ("rut", None, "invalid_id_number")),
    ("DNI", "12345678Z", "ES", ("dni", "12345678Z", None)),
    ("DNI", "12345678A", "ES", ("dni", None, "invalid_id_number")),
    ("DNI", "45678912", "PE", ("dni", "45678912", None)),
    ("NIE", "X1234567L", None, ("nie", "X1234567L", None)),
    ("CIF", "A58818501", None, ("cif", "A58818501", None)),
    ("NIF", "X1234567L", None, ("nif", "X1234567L", None)),
    ("ИНН", "7707083893", None, ("inn", "7707083893", None)),
    ("INN", "500100732259", None, ("inn", "500100732259", None)),
    ("INN", "500100732258", None, ("inn", None, "invalid_id_number")),
    ("CPF", "529.982.247-25", None, ("cpf", "52998224725", None)),
    ("CNPJ", "11.222.333/0001-81", None, ("cnpj", "11222333000181", None)),
    ("SIRET", "732 829 320 00074", None, ("siret", "73282932000074", None)),
    ("Pasaporte", "AB123456", None, ("passport", "AB123456", None)),
    ("carnet", "123", None, (None, None, "invalid_value")),
    (None, "1710034065", "EC", ("cedula", "1710034065", None)),  # the type told by the country's check digit
    (None, "X1234567L", "ES", ("nie", "X1234567L", None)),
    (None, "AB-99", "EC", ("other", "AB99", "id_type_missing")),
])
def test_identity_documents(id_type: str | None, number: str, country: str | None, expected: tuple) -> None:
    checked = check_id(id_type, number, country)
    assert (checked.id_type, checked.number, checked.code) == expected


@pytest.mark.parametrize(("text", "month_first", "expected"), [
    ("2024-05-01", False, "2024-05-01"), ("2024-05-01 10:30:00", False, "2024-05-01"),
    ("01/05/2024", False, "2024-05-01"), ("01/05/2024", True, "2024-01-05"), ("13/05/2024", True, "2024-05-13"),
    ("31.12.2023", False, "2023-12-31"), ("1-5-24", False, "2024-05-01"), ("1 de mayo de 2024", False, "2024-05-01"),
    ("1er mai 2024", False, None), ("1 mai 2024", False, "2024-05-01"), ("1 мая 2024 г.", False, "2024-05-01"),
    ("May 1, 2024", False, "2024-05-01"), ("01-May-2024", False, "2024-05-01"), ("45413", False, "2024-05-01"),
    ("31/02/2024", False, None), ("mañana", False, None), ("", False, None),
])
def test_dates_people_type(text: str, month_first: bool, expected: str | None) -> None:
    parsed = parse_date(text, month_first, today=dt.date(2026, 11, 22))
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), [
    ("1.234,56", True, 1234.56), ("1,234.56", False, 1234.56), ("1 234,56", True, 1234.56),
    ("$ 1.500", True, 1500.0), ("1.500", False, 1.5), ("150 000 руб.", True, 150000.0), ("12,5", True, 12.5),
    ("1.234.567", True, 1234567.0), ("n/a", True, None),
])
def test_amounts(text: str, decimal_comma: bool, expected: float | None) -> None:
    assert parse_amount(text, decimal_comma) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ec", "EC"), ("Ecuador", "EC"), ("PERÚ", "PE"), ("593", "EC"), ("+7", "RU"), ("Россия", "RU"),
    ("España", "ES"), ("Estados Unidos", "US"), ("Atlantis", None), ("999", None),
])
def test_countries(text: str, expected: str | None) -> None:
    assert country_code(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("MARÍA JOSÉ DE LA TORRE", "María José de la Torre"), ("ana lópez", "Ana López"), ("McDonald", "McDonald"),
    ("o'brien", "O'Brien"), ("ИВАНОВ ИВАН", "Иванов Иван"), ("  jean-luc   picard ", "Jean-Luc Picard"),
])
def test_name_casing(text: str, expected: str) -> None:
    assert tidy_name(text) == expected


def test_picklists_fold_case_accents_and_languages() -> None:
    assert [choice_of("person_type", v) for v in ("Natural", "JURÍDICA", "юридическое лицо", "morale", "x")] == [
        "natural", "legal", "legal", "legal", None]
    assert [choice_of("gender", v) for v in ("F", "masculino", "Женский")] == ["female", "male", "female"]


def test_every_code_renders_in_every_locale() -> None:
    params = {"field": "Email", "value": "x", "reason": "r", "where": "", "hint": "", "first": 2, "count": 2,
              "example": "e", "allowed": "a", "id_type": "RUC", "leads": "l", "keys": "k", "attempts": 4, "hours": 20,
              "error": "#N/A", "lead": "L2", "found": "Email", "suggestion": "a@gmail.com", "owner": "ana@x.ec"}
    for code in messages.CODES:
        rendered = {locale: messages.render(code, locale, **params) for locale in ("en", "es", "fr", "ru", "pt")}
        assert len(set(rendered.values())) == 5, code  # really translated, not English five times


TENANT = TenantConfig(name="Sol", default_region="EC", locale="fr", users=[{"email": "a@sol.ec", "name": "Ana"}],
                      labels={"source": ["Facebook"], "tags": ["VIP"]})


def validate(columns: list[str], values: list[str], defaults: dict[str, str] | None = None) -> tuple:
    result = RowValidator(suggest_mapping(columns, []), defaults or {}, TENANT).validate(SheetRow(7, tuple(values)))
    return result.fields, result.errors, result.warnings


def test_issue_names_the_cell_and_speaks_the_tenants_language() -> None:
    _, errors, _ = validate(["Prénom", "Nom", "Courriel"], ["Ana", "Paz", "ana@x"])
    [error] = errors
    assert (error.code, error.field, error.column, error.cell) == ("invalid_email", "email", "Courriel", "C7")
    assert error.message.startswith("'ana@x' n'est pas un e-mail valide")


def test_labels_attach_in_the_tenants_spelling_or_warn() -> None:
    fields, errors, warnings = validate(["Email", "Name", "Source", "Tags"], ["e@x.com", "Eva Paz", "facebook",
                                                                               "vip; Feria"])
    assert (fields["source"], fields["tags"], errors) == ("Facebook", ["VIP"], [])
    assert [(w.code, w.cell) for w in warnings] == [("unknown_label", "D7")]


def test_company_rows_need_the_company_name_not_a_persons() -> None:
    fields, errors, _ = validate(["Razón social", "Email"], ["Andes S.A.", "a@andes.ec"])
    assert (fields["person_type"], fields["company"], errors) == ("legal", "Andes S.A.", [])
    # Sperant's template has no company column: a "jurídica" row's name columns hold the company's name
    fields, errors, _ = validate(["Nombres", "Apellidos", "Tipo de persona", "Email"],
                                 ["Inmobiliaria", "Andes", "jurídica", "a@x.ec"])
    assert (fields["company"], errors) == ("Inmobiliaria Andes", []) and "first_name" not in fields
    fields, errors, _ = validate(["Наименование", "Тип лица", "Email"], ["ООО Ромашка", "юр. лицо", "a@r.ru"])
    assert (fields["company"], errors) == ("ООО Ромашка", [])


def test_second_email_and_phone_are_kept_but_only_warn() -> None:
    fields, errors, warnings = validate(["Name", "Email", "Email 2", "Phone", "Phone 2"],
                                        ["Eva Paz", "e@x.com", "bad@", "0991234567", "123"])
    assert (fields["email"], fields["phone"], errors) == ("e@x.com", "+593991234567", [])
    assert [w.code for w in warnings] == ["invalid_email", "invalid_phone"]

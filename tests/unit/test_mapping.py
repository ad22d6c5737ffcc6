"""Automatic and explicit mapping of headers onto lead fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.text import fold
from leadimport.errors import TerminalError


def fields(columns: list[str], samples: list[list[str]] | None = None, explicit: dict | None = None) -> list:
    return [m.field for m in suggest_mapping(columns, samples or [], explicit)]


@pytest.mark.parametrize(("columns", "expected"), [
    (["First Name", "Last Name", "Email", "Phone", "Tags", "Agent"],
     ["first_name", "last_name", "email", "phone", "tags", "owner"]),
    (["Nombres", "Apellidos", "Correo electrónico", "Celular", "Etiquetas", "Asesor"],
     ["first_name", "last_name", "email", "phone", "tags", "owner"]),
    (["Prénom", "Nom", "Adresse e-mail", "Téléphone", "Étiquettes", "Propriétaire"],
     ["first_name", "last_name", "email", "phone", "tags", "owner"]),
    (["Имя", "Фамилия", "Электронная почта", "Телефон", "Теги", "Ответственный"],
     ["first_name", "last_name", "email", "phone", "tags", "owner"]),
    (["Nome completo", "E-mail", "Telefone"], ["full_name", "email", "phone"]),
    (["ФИО", "Почта", "Мобильный телефон"], ["full_name", "email", "phone"]),
    (["  CORREO:  ", "teléfono móvil"], ["email", "phone"]),
])
def test_headers_in_four_languages(columns: list[str], expected: list[str]) -> None:
    assert fields(columns) == expected


def test_fuzzy_header_has_lower_confidence_and_a_reason() -> None:
    [mapping] = suggest_mapping(["Emial adress"], [])
    assert mapping.field == "email"
    assert 0.5 < mapping.confidence < 1.0
    assert "close to" in mapping.reason


def test_columns_recognised_by_their_contents() -> None:
    samples = [["ana@x.com", "+593991234567", "x"], ["b@y.org", "0991234567", "y"], ["c@z.net", "099 123 4567", "z"]]
    assert fields(["Col1", "Col2", "Col3"], samples) == ["email", "phone", None]


def test_each_field_goes_to_one_column_only_and_a_second_phone_overflows() -> None:
    mapping = suggest_mapping(["Email", "E-mail", "Correo"], [])
    assert [m.field for m in mapping] == ["email", "email_2", None]
    assert "taken by 'Email'" in mapping[2].reason
    assert fields(["Phone", "Mobile", "Home Phone"]) == ["phone", "phone_2", None]


@pytest.mark.parametrize(("columns", "expected"), [
    (["Person - Email - Work", "Person - Phone - Work", "Person - Organization"], ["email", "phone", "company"]),
    (["E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value"], [None, "email", None, "phone"]),
    (["Emails / Primary Email", "Phones / Primary Phone Number", "Given Name Yomi"], ["email", "phone", None]),
    (["Work Email", "Business City", "IP Address", "Record ID"], ["email", "city", None, None]),
    (["Nombre", "Correo"], ["full_name", "email"]),  # a lone 'Nombre' holds the whole name
    (["Nombre", "Apellidos"], ["first_name", "last_name"]),
])
def test_export_shaped_headers(columns: list[str], expected: list[str | None]) -> None:
    assert fields(columns) == expected


def test_dates_ids_and_picklists_recognised_by_contents() -> None:
    samples = [["1710034065", "12.05.1990", "Natural", "EC"], ["0926687856", "1985-01-31", "jurídica", "PE"],
               ["1713175071", "3 de mayo de 1979", "natural", "CO"]]
    assert fields(["A", "B", "C", "D"], samples) == ["id_number", "birth_date", "person_type", "country_code"]


def test_recent_dates_are_not_taken_for_birth_dates() -> None:
    """A registration or last-contact date is a date too; only dates a lifetime ago are births (and a
    column of recent dates must not fall through to phones: '17/04/2026' has eight digits)."""
    samples = [["17/04/2026", "2025-11-03 10:42", "03/05/1985"], ["08/01/2026", "2026-01-15 09:00", "1979-12-31"],
               ["30/06/2025", "2025-12-01 18:30", "12.05.1990"]]
    assert fields(["Fecha de alta", "Visto", "Col3"], samples) == ["source_created_at", None, "birth_date"]
    # a lead's registration date is the source's own creation date (Cadence's "Date de création"), kept
    # beside ours: one column of them
    assert fields(["Fecha de registro", "Created", "Col3"], samples)[::2] == ["source_created_at", "birth_date"]


def test_saved_mapping_applies_when_nothing_explicit() -> None:
    mapping = suggest_mapping(["Dato 1", "Dato 2"], [], saved={"Dato 1": "email", "Dato 2": None})
    assert [(m.field, m.reason) for m in mapping] == [
        ("email", "saved mapping for these columns"), (None, "not imported (mapping)")]


def test_explicit_mapping_wins_and_is_checked() -> None:
    assert fields(["Correo", "Dato"], explicit={"correo": "phone", "Dato": "custom.interes"}) == [
        "phone", "custom.interes"]
    with pytest.raises(TerminalError, match="columns the file does not have"):
        fields(["Correo"], explicit={"Mail": "email"})
    with pytest.raises(TerminalError, match="unknown fields"):
        fields(["Correo"], explicit={"Correo": "e_mail"})


def test_fold_keeps_cyrillic_letters_apart() -> None:
    assert fold("Correo Electrónico:") == "correoelectronico"
    assert fold("Зай") != fold("Заи")


def test_mapping_benchmark_stays_above_target() -> None:
    """The benchmark's own figure, guarded: a catalog change that loses accuracy fails here."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("mapping_accuracy", Path(__file__).parents[2] / "bench" /
                                                  "mapping_accuracy.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    sets = bench.measure()
    columns = [c for _, cols in sets for c in cols]
    assert len(sets) >= 40
    assert sum(1 for _, want, got, _ in columns if want == got) / len(columns) >= bench.TARGET


def test_tenant_custom_fields_map_by_name() -> None:
    mapping = suggest_mapping(["Proyecto", "Correo", "Presupuesto máximo"], [],
                              custom_fields=["proyecto", "presupuesto_maximo"])
    assert [m.field for m in mapping] == ["custom.proyecto", "email", "custom.presupuesto_maximo"]


def test_the_columns_the_seeds_name_are_kept() -> None:
    """Sperant's "Proyecto", seed 001's "Description" (of the address, right of it), Cadence's "Civilité" and
    "Date de création" (the source's own date, beside ours)."""
    assert fields(["First Name", "Last Name", "Email", "Address", "Description", "City", "Notes"]) == [
        "first_name", "last_name", "email", "address", "address_details", "city", "notes"]
    assert fields(["Nombres", "Correo electrónico", "Proyecto", "Descripción"]) == [
        "first_name", "email", "project", "notes"]  # a description anywhere else is a note
    assert fields(["Civilité", "Prénom", "Nom", "Email", "Date de création"]) == [
        "salutation", "first_name", "last_name", "email", "source_created_at"]


@pytest.mark.parametrize(("name", "expected"), [
    ("google_contacts_new-format.header.csv", {
        "First Name": "first_name", "Middle Name": "middle_name", "Last Name": "last_name",
        "Name Prefix": "salutation", "Organization Name": "company", "Organization Title": "job_title",
        "E-mail 1 - Value": "email", "E-mail 2 - Value": "email_2", "Phone 1 - Value": "phone",
        "Phone 2 - Value": "phone_2", "Address 1 - Street": "address", "Address 1 - Extended Address":
        "address_details", "Labels": "tags", "E-mail 1 - Label": None, "Phone 1 - Label": None}),
    ("google_contacts_legacy-format.header.csv", {
        "Given Name": "first_name", "Family Name": "last_name", "Additional Name": "middle_name",
        "E-mail 1 - Value": "email", "Phone 1 - Value": "phone", "Organization 1 - Name": "company",
        "Group Membership": "tags", "E-mail 1 - Type": None}),
    ("pipedrive_people_export.observed-columns.csv", {
        "Person - First name": "first_name", "Person - Last name": "last_name", "Person - Email - Work": "email",
        "Person - Phone - Work": "phone", "Person - Person created": "source_created_at",
        "Organization - Name": "company", "Deal - Owner": "owner"}),
    ("salesforce_contacts-leads_report.suitecrm-map-columns.csv", {
        "Lead Source": "source", "Mailing Street": "address", "Mailing Address Line2": "address_details",
        "Mobile": "phone_2", "Email": "email", "Account Name": "company", "Email Opt Out": None}),
    ("zoho_crm_leads_export.observed-columns.csv", {
        "Lead Owner": "owner", "First Name": "first_name", "Last Name": "last_name", "Lead Source": "source",
        "Street": "address", "Description": "notes", "Record Id": None, "Lead Status": None}),
])
def test_real_crm_export_headers_map_where_a_person_would_map_them(corpus: Path, name: str, expected: dict) -> None:
    columns = (corpus / "crm-export-headers" / name).read_text(encoding="utf-8").splitlines()[0].split(",")
    got = dict(zip(columns, fields(columns), strict=True))
    assert {column: got[column] for column in expected} == expected

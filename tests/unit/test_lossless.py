"""Issue 19's first rule: a lead is worth more than a field. A value that fails its check is left out with a
warning that names the cell and keeps what was typed; only the tenant's required rules (names, the contact
rule) and the fields it made strict refuse a row."""

from __future__ import annotations

import pytest

from leadimport.core.keys import lead_keys
from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.read.table import SheetRow
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.row import RowValidator

SOL = TenantConfig(name="Sol", default_region="EC", locale="es")


def check(columns: list[str], values: list[str], tenant: TenantConfig = SOL) -> tuple:
    result = RowValidator(suggest_mapping(columns, []), {}, tenant, key_kinds=("email", "phone", "id_number")) \
        .validate(SheetRow(5, tuple(values)))
    return result, [(e.code, e.cell) for e in result.errors], [(w.code, w.cell) for w in result.warnings]


@pytest.mark.parametrize("phone", ["+593123456789", "593123456789"])  # seed 001's own examples
def test_an_invalid_phone_beside_a_good_email_costs_the_phone_not_the_lead(phone: str) -> None:
    result, errors, warnings = check(["Nombres", "Apellidos", "Correo", "Teléfono"],
                                     ["Ana", "Paz", "ana@sol.ec", phone])
    assert errors == [] and warnings == [("invalid_phone", "D5")]
    assert "phone" not in result.fields and result.fields["email"] == "ana@sol.ec"
    assert phone in result.warnings[0].message  # what was typed stays in the report and the error files


def test_a_bad_birth_date_person_type_or_interest_amount_costs_only_that_value() -> None:
    result, errors, warnings = check(
        ["Nombres", "Apellidos", "Correo", "Fecha de nacimiento", "Tipo de persona", "Monto"],
        ["Ana", "Paz", "ana@sol.ec", "31/02/1990", "mixta", "mucho"])
    assert errors == []
    assert warnings == [("invalid_value", "E5"), ("invalid_date", "D5"), ("invalid_number", "F5")]
    assert not {"birth_date", "person_type"} & set(result.fields) and not result.opportunity


def test_a_document_failing_its_check_digit_is_kept_unverified_and_finds_no_one() -> None:
    result, errors, warnings = check(["Nombres", "Apellidos", "Correo", "Tipo de documento", "Número de documento"],
                                     ["Ana", "Paz", "ana@sol.ec", "cédula", "1710034067"])
    assert errors == [] and warnings == [("id_unverified", "E5")]
    assert result.fields["id_number_unverified"] == "1710034067" and "id_number" not in result.fields
    assert "id_number" not in result.keys and "id_number" not in lead_keys(result.fields)


def test_a_tenant_may_make_a_field_strict() -> None:
    bank = SOL.model_copy(update={"strict_fields": ["id_number", "phone"]})
    _, errors, _ = check(["Nombres", "Apellidos", "Correo", "Tipo de documento", "Número de documento"],
                         ["Ana", "Paz", "ana@sol.ec", "cédula", "1710034067"], bank)
    assert errors == [("invalid_id_number", "E5")]
    _, errors, _ = check(["Nombres", "Apellidos", "Correo", "Teléfono"], ["Ana", "Paz", "ana@sol.ec", "12"], bank)
    assert errors == [("invalid_phone", "D5")]
    with pytest.raises(ValueError, match="unknown fields: cedula"):
        TenantConfig(name="x", strict_fields=["cedula"])


def test_the_contact_rule_still_refuses_a_row_whose_every_contact_failed() -> None:
    _, errors, warnings = check(["Nombres", "Apellidos", "Correo", "Teléfono"], ["Ana", "Paz", "ana@", "12"])
    assert errors == [("invalid_email", "C5"), ("invalid_phone", "D5")] and warnings == []
    _, errors, _ = check(["Nombres", "Apellidos", "Correo"], ["Ana", "Paz", ""])
    assert errors == [("no_contact", None)]


def test_a_mobile_only_contact_counts(  # beyond up and Sellsy map "Móvil" / "Portable" to the second phone
) -> None:
    result, errors, _ = check(["Nombres", "Apellidos", "Teléfono", "Móvil"], ["Ana", "Paz", "", "0991234567"])
    assert errors == [] and result.fields["phone_2"] == "+593991234567"


def test_a_row_kept_only_if_something_still_finds_its_lead() -> None:
    """Kept without the values that failed, a row no key finds would be a new lead at every import."""
    result, errors, warnings = check(["Nombres", "Apellidos", "Teléfono", "Móvil"],
                                     ["Ana", "Paz", "12", "0991234567"])
    assert errors == [] and warnings == [("invalid_phone", "C5")] and result.keys == {"phone": "+593991234567"}
    by_document = RowValidator(suggest_mapping(["Nombres", "Apellidos", "Teléfono", "Tipo de documento", "Documento"],
                                               []), {}, SOL, key_kinds=("id_number",))
    refused = by_document.validate(SheetRow(5, ("Ana", "Paz", "0991234567", "cédula", "1710034067")))
    assert [(e.code, e.cell) for e in refused.errors] == [("id_unverified", "E5")]


def test_strict_fields_hold_for_second_contacts_and_unknown_document_types() -> None:
    bank = SOL.model_copy(update={"strict_fields": ["phone_2", "id_number"]})
    _, errors, _ = check(["Nombres", "Apellidos", "Correo", "Teléfono", "Móvil"],
                         ["Ana", "Paz", "ana@sol.ec", "", "12"], bank)
    assert errors == [("invalid_phone", "E5")]
    columns = ["Nombres", "Apellidos", "Correo", "Tipo de documento", "Número de documento"]
    values = ["Ana", "Paz", "ana@sol.ec", "carnet", "A-123"]
    _, errors, _ = check(columns, values, bank)
    assert ("invalid_id_number", "E5") in errors
    result, errors, warnings = check(columns, values)
    assert errors == [] and ("id_unverified", "E5") in warnings
    assert (result.fields["id_number_unverified"], result.fields["id_type_unverified"]) == ("A-123", "carnet")


@pytest.mark.parametrize(("written", "company"), [
    ("ООО Ромашка", "ООО Ромашка"), ("ИП Иванов Иван", "ИП Иванов Иван"), ("Constructora Andes S.A.C.", None),
    ("Andes Cía. Ltda.", None), ("Maison Dupont SARL", None), ("Acme Inc.", None), ("Inmobiliaria Sol S.L.", None)])
def test_an_organisation_written_where_a_name_goes_is_a_company(written: str, company: str | None) -> None:
    result, errors, _ = check(["Nombre completo", "Correo"], [written, "info@org.ec"])
    assert errors == [] and result.fields["person_type"] == "legal"
    assert result.fields["company"] == (company or written) and "first_name" not in result.fields


@pytest.mark.parametrize("person", ["Ana Sa", "Co Nguyen", "María Ltd Pérez", "Juan Ca"])
def test_a_persons_name_is_not_taken_for_a_legal_form(person: str) -> None:
    result, errors, _ = check(["Nombre completo", "Correo"], [person, "p@x.ec"])
    assert errors == [] and "company" not in result.fields and result.fields.get("first_name")


def test_a_table_whose_only_contact_is_a_second_phone_is_not_refused_whole() -> None:
    """The job's refusal counts the contact columns the contact rule counts: a mobile mapped alone is one."""
    from leadimport.core.models import ImportOptions
    from leadimport.core.plan import TablePlan
    from leadimport.core.read.table import Table

    table = Table(sheet=None, header_row=1, columns=["Nombre", "Móvil"],
                  rows=iter([SheetRow(2, ("Ana Paz", "0991234567"))]), letters=["A", "B"])
    plan = TablePlan(table, ImportOptions(mapping={"Nombre": "full_name", "Móvil": "phone_2"}), SOL)
    assert plan.refusal() == []
    [[(_, validated)]] = list(plan.chunks())
    assert validated.errors == [] and validated.keys == {"phone": "+593991234567"}

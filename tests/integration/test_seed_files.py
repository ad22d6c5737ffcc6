"""One realistic file per seed, imported through the local stack, with the exact outcome of every row.

Each file is built the way its CRM's users make it (title rows, Spanish/Russian/French headers,
cp1251 space-delimited text, full names of owners, identity documents, company rows), and each row
is checked for its status and the codes of its errors and warnings, nothing more and nothing less.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import leads_of, run_import, write_xlsx
from leadimport.core.tenant_config import TenantConfig
from leadimport.report.templates import build_template
from leadimport.store.clients import firestore_client
from leadimport.store.tenants import apply_tenant, tenant_ref

pytestmark = pytest.mark.stack

Outcome = tuple[str, list[str], list[str]]  # status, error codes, warning codes


@pytest.fixture
def seed_tenant(stack: dict) -> str:
    tenant_id = "s-" + uuid.uuid4().hex[:12]
    apply_tenant(firestore_client(), tenant_id, TenantConfig(
        name="Seeds", default_region="EC", locale="es", default_owner="ana@sol.ec", match_on=["email", "phone"],
        users=[{"email": "ana@sol.ec", "name": "Ana Torres"}, {"email": "ivan@sol.ec", "name": "Иванов Иван"},
               {"email": "marie@sol.ec", "name": "Marie Dupont"}, {"email": "m.dupont@sol.ec", "name": "Marie Dupont"},
               {"email": "luc@sol.ec", "name": "Luc Martin"}],
        labels={"source": ["Facebook", "Urbania"], "channel": ["Web"], "interest_level": ["Alto", "Medio", "Bajo"],
                "tags": ["VIP"], "segment": ["Empresas"]},
    ))
    return tenant_id


def _check(outcome: dict, expected: dict[int, Outcome]) -> None:
    assert outcome["status"] == "done", outcome["error"]
    got = {r["row"]: (r["status"], [e["code"] for e in r["errors"]], [w["code"] for w in r["warnings"]])
           for r in outcome["rows"]}
    assert got == expected
    assert outcome["counts"]["rows"] == len(expected)


def test_seed000_sperant_template_with_a_title_above_the_header(seed_tenant: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "sperant.xlsx", [
        ["Importación de leads - Proyecto Mirador"],
        [],
        ["Nombres", "Apellido paterno", "Apellido materno", "Tipo de persona", "Tipo de documento",
         "Número de documento", "Correo electrónico", "Celular", "Medio de captación", "Nivel de interés",
         "Usuario asignado", "Fecha de nacimiento"],
        ["MARÍA JOSÉ", "TORRES", "VÉLEZ", "Natural", "Cédula", "1710034065", "mj@x.ec", "0991234567",
         "facebook", "alto", "Ana Torres", "15/08/1990"],
        ["Luis", "Paz", "", "natural", "cedula", "1710034066", "luis@x.ec", "", "", "", "", ""],  # bad check digit
        ["Rosa", "Ortiz", "", "jurídica", "RUC", "1790016919001", "rosa@x.ec", "", "Urbania", "", "", ""],
        ["Pedro", "Ruiz", "", "empresa grande", "", "", "pedro@x.ec", "", "", "", "", ""],  # not natural/legal
        ["Eva", "Mena", "", "", "Cédula", 102030400, "eva@x.ec", "", "Instagram", "", "", ""],  # zero lost
        ["Juan", "Sol", "", "", "", "", "juan@x.ec", "", "", "", "", "31/02/1990"],  # no such date
    ])
    outcome = run_import(path, seed_tenant)
    _check(outcome, {
        4: ("created", [], []),
        5: ("created", [], ["id_unverified"]),  # kept as typed, unverified: a lead is worth more than a field
        6: ("created", [], []),  # Sperant's template has no company column: a legal row's name is its company
        7: ("created", [], ["invalid_value"]),
        8: ("created", [], ["id_number_repaired", "unknown_label"]),
        9: ("created", [], ["invalid_date"]),
    })
    leads = {lead["email"]: lead for lead in leads_of(seed_tenant).values()}
    maria = leads["mj@x.ec"]
    assert (maria["first_name"], maria["last_name"]) == ("María José", "Torres Vélez")
    assert (maria["source"], maria["interest_level"], maria["owner"]) == ("Facebook", "Alto", "ana@sol.ec")
    assert (maria["id_type"], maria["id_number"], maria["birth_date"]) == ("cedula", "1710034065", "1990-08-15")
    assert leads["eva@x.ec"]["id_number"] == "0102030400" and "source" not in leads["eva@x.ec"]
    assert (leads["rosa@x.ec"]["company"], leads["rosa@x.ec"]["person_type"]) == ("Rosa Ortiz", "legal")


def test_seed001_clientes_template(seed_tenant: str, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "clientes.xlsx", [
        ["First Name", "Last Name", "Email", "Phone", "Tags", "Agent", "Identification Type",
         "Identification Number", "Country Code", "Notes"],
        ["Ana", "Vera", "ana.vera@x.com", "593991234567", "VIP", "luc@sol.ec", "pasaporte", "AB123456", "593", "ok"],
        ["Bruno", "Díaz", "", "", "", "", "", "", "", ""],  # neither email nor phone
        ["Carla", "Gil", "carla@x", "+593991234568", "", "", "", "", "", ""],  # email without a domain ending
        ["Dario", "Paz", "", "+593 99 123 4567", "", "", "", "", "", ""],  # same phone as row 2
        ["", "Solo", "solo@x.com", "", "", "", "", "", "", ""],  # no first name
        ["Elena", "Ríos", "elena@x.com", "", "", "nadie@x.com", "", "", "PE", ""],  # unknown agent
        ["Félix", "Mora", "felix@x.com", "12345", "", "", "", "", "", ""],  # not a phone
    ])
    _check(run_import(path, seed_tenant), {
        2: ("created", [], []),
        3: ("error", ["no_contact"], []),
        4: ("created", [], ["invalid_email"]),  # the phone reaches the lead: the email costs only itself
        5: ("error", ["duplicate_in_file"], []),
        6: ("error", ["required_missing"], []),
        7: ("created", [], ["unknown_owner"]),
        8: ("created", [], ["invalid_phone"]),
    })


def test_seed002_1c_space_delimited_cp1251_with_client_interest(seed_tenant: str, tmp_path: Path) -> None:
    text = (
        'Наименование Телефон "Эл. почта" "Основной менеджер" Тема Дата "Ожидаемая выручка" '
        '"Дата активности"\n'
        '"Петров Пётр Сергеевич" +79161234567 petrov@x.ru "Иванов Иван" "Квартира 2к" 01.12.2026 "150 000,50" '
        '05.12.2026\n'
        '"Сидорова Анна" 89161234568 "" "Смирнов Олег" "Офис" 32.12.2026 "" ""\n'
        '"ООО Ромашка" +79161234569 info@romashka.ru "" "Склад" 02.12.2026 "дорого" ""\n'
    )
    path = tmp_path / "potential_clients.txt"
    path.write_bytes(text.encode("cp1251"))
    # the job's default country reads the national numbers as Russian ones (seed 002's defaults)
    outcome = run_import(path, seed_tenant, defaults={"country_code": "RU"}, sales_scenario="Продажа квартир")
    _check(outcome, {
        2: ("created", [], []),
        3: ("created", [], ["invalid_date", "unknown_owner"]),
        4: ("created", [], ["invalid_number"]),
    })
    [petrov] = [lead for lead in leads_of(seed_tenant).values() if lead.get("email") == "petrov@x.ru"]
    assert (petrov["first_name"], petrov["middle_name"], petrov["last_name"], petrov["owner"]) == (
        "Пётр", "Сергеевич", "Петров", "ivan@sol.ec")  # ФИО: surname, given name, patronymic
    assert "expected_revenue" not in petrov  # the client interest is its own record, linked to the lead
    interests = tenant_ref(firestore_client(), seed_tenant).collection("opportunities").stream()
    # each lead kept has its interest; a date or an amount that failed its check is left out of it
    by_lead = {doc.to_dict()["lead_id"]: doc.to_dict() for doc in interests}
    assert len(by_lead) == 3 and "opportunity_date" not in by_lead[outcome["rows"][1]["lead_id"]]
    assert "expected_revenue" not in by_lead[outcome["rows"][2]["lead_id"]]
    interest = by_lead[outcome["rows"][0]["lead_id"]]
    assert interest == {**interest, "lead_id": outcome["rows"][0]["lead_id"], "sales_scenario": "Продажа квартир",
                        "opportunity_subject": "Квартира 2к", "opportunity_date": "2026-12-01",
                        "expected_revenue": 150000.5, "next_activity_date": "2026-12-05"}
    assert outcome["rows"][0]["opportunity_id"]
    # the same file again: the lead is unchanged and its interest is still one record
    again = run_import(path, seed_tenant, defaults={"country_code": "RU"}, sales_scenario="Продажа квартир")
    assert again["rows"][0]["status"] == "unchanged"
    assert again["rows"][0]["opportunity_id"] == outcome["rows"][0]["opportunity_id"]
    assert len(list(tenant_ref(firestore_client(), seed_tenant).collection("opportunities").stream())) == 3


def test_seed003_sellsy_export_owners_by_full_name(seed_tenant: str, tmp_path: Path) -> None:
    path = tmp_path / "sellsy.csv"
    path.write_text(
        "Civilité;Prénom;Nom;Email;Téléphone;Société;Propriétaire\n"
        "M.;Jean;Durand;jean@x.fr;+33612345678;ACME;Luc Martin\n"
        "Mme;Claire;Petit;claire@x.fr;;ACME;Marie Dupont\n"  # two users share the name (seed 003)
        "M.;Paul;Roux;paul@x.fr;06 12 34 56 79;;Inconnu Total\n",
        encoding="utf-8-sig")
    _check(run_import(path, seed_tenant), {
        2: ("created", [], []),
        3: ("error", ["ambiguous_owner"], []),
        4: ("created", [], ["invalid_phone", "unknown_owner"]),  # a French national number in an EC tenant
    })


def test_seed004_company_template_round_trip(seed_tenant: str, tmp_path: Path) -> None:
    path = tmp_path / "empresas.xlsx"
    path.write_bytes(build_template("company", "es"))
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the example row
    for row in (["Constructora Andes", "legal", "ruc", "1790016919001", "info@andes.ec", "022345678"],
                ["", "legal", "ruc", "1790016919001", "otro@andes.ec", ""],  # no company name
                ["Andes Dos", "", "", "", "dos@andes.ec"],  # no person type, no person: a company
                ["Mal RUC", "legal", "ruc", "1790016918001", "mal@andes.ec", ""]):
        sheet.append(row)
    book.save(path)
    _check(run_import(path, seed_tenant), {
        2: ("created", [], []),
        3: ("error", ["required_missing"], []),
        4: ("created", [], []),
        5: ("created", [], ["id_unverified"]),  # kept as typed, unverified: a lead is worth more than a field
    })
    leads = {lead["email"]: lead for lead in leads_of(seed_tenant).values()}
    assert leads["info@andes.ec"]["person_type"] == "legal" and leads["info@andes.ec"]["company"] == (
        "Constructora Andes")
    assert leads["dos@andes.ec"]["person_type"] == "legal"  # only a company named: a company row

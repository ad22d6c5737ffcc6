"""Each manual's file, imported through the local stack under the tenant that reproduces its CRM's rules
(examples/tenants/) and under the defaults that lose nothing, with the exact outcome of every row.

Each file is built the way its CRM's users make it (title rows, Spanish/Russian/French headers,
cp1251 space-delimited text, full names of owners, identity documents, company rows), and each row
is checked for its status and the codes of its errors and warnings, nothing more and nothing less.
Where the two tenants differ, the difference is the manual's rule: that is what these tests show.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import leads_of, run_import, write_xlsx
from leadimport.core.tenant_config import RULES, TenantConfig
from leadimport.report.templates import build_template
from leadimport.store.clients import firestore_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

pytestmark = pytest.mark.stack

EXAMPLES = Path(__file__).parents[2] / "examples" / "tenants"
Outcome = tuple[str, list[str], list[str]]  # status, error codes, warning codes
RULESETS = ("own", "lossless")


def seed_tenant(manual: str, rules: str) -> str:
    """A fresh tenant from the manual's example file: with its rules ("own"), or without ("lossless")."""
    settings = json.loads((EXAMPLES / f"{manual}.json").read_text(encoding="utf-8"))
    if rules == "lossless":
        settings = {key: value for key, value in settings.items() if key not in RULES}
    tenant_id = f"s-{manual.replace('_', '-')}-" + uuid.uuid4().hex[:8]
    apply_tenant(firestore_client(), tenant_id, TenantConfig.model_validate(settings))
    return tenant_id


def _check(outcome: dict, expected: dict[int, Outcome]) -> None:
    assert outcome["status"] == "done", outcome["error"]
    got = {r["row"]: (r["status"], [e["code"] for e in r["errors"]], [w["code"] for w in r["warnings"]])
           for r in outcome["rows"]}
    assert got == expected
    assert outcome["counts"]["rows"] == len(expected)


def _by_email(tenant_id: str) -> dict[str, dict]:
    return {lead.get("email"): lead for lead in leads_of(tenant_id).values()}


def test_every_manual_has_its_tenant_and_each_differs_from_the_defaults() -> None:
    files = sorted(p.stem for p in EXAMPLES.glob("*.json"))
    assert files == ["1c_crm", "beyond_up", "cadence", "clientes_ec", "sperant"]
    for name in files:
        settings = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        config = TenantConfig.model_validate(settings)
        assert set(settings) & set(RULES), name  # each manual's rules are said, not left to the defaults
        assert config != TenantConfig.model_validate({k: v for k, v in settings.items() if k not in RULES})


SPERANT_HEADER = ["Nombres", "Apellido paterno", "Apellido materno", "Tipo de persona", "Tipo de documento",
                  "Número de documento", "Correo electrónico", "Celular", "Medio de captación", "Canal de entrada",
                  "Nivel de interés", "Proyecto", "Usuario asignado", "Fecha de nacimiento"]


@pytest.mark.parametrize("rules", RULESETS)
def test_seed000_sperant(stack: dict, rules: str, tmp_path: Path) -> None:
    """Sperant matches by email and document only, keeps a client known by name and document, gives every
    lead whose user it cannot find to the importer (on update too), and a default applies to every row."""
    tenant = seed_tenant("sperant", rules)
    own = rules == "own"
    path = write_xlsx(tmp_path / "sperant.xlsx", [
        ["Importación de leads - Proyecto Mirador"],
        [],
        SPERANT_HEADER,
        ["MARÍA JOSÉ", "TORRES", "VÉLEZ", "Natural", "DNI", "45678912", "mj@x.pe", "987654321", "facebook", "Web",
         "alto", "Mirador", "Ana Torres", "15/08/1990"],
        ["Luis", "Paz", "", "natural", "DNI", "41234567", "", "", "", "", "", "", "", ""],  # name and document
        ["Rosa", "Ortiz", "", "jurídica", "RUC", "20100070970", "rosa@x.pe", "", "Urbania", "", "", "", "", ""],
        ["Pedro", "Ruiz", "", "", "", "", "pedro@x.pe", "", "Instagram", "Sala de ventas", "", "Otro",
         "Pedro Gómez", ""],  # a source and a project the tenant does not have, a user it does not have
        ["Juan", "Sol", "", "", "DNI", "45678A12", "juan@x.pe", "", "", "", "", "", "", "31/02/1990"],
    ])
    _check(run_import(path, tenant, requested_by="ana@mirador.pe"), {
        4: ("created", [], []),
        5: ("created", [], []) if own else ("error", ["no_contact"], []),
        6: ("created", [], []),  # Sperant's template has no company column: a legal row's name is its company
        7: ("created", [], ["unknown_label", "unknown_label", "unknown_owner"]),
        8: ("created", [], ["id_unverified", "invalid_date"]),  # kept: a lead is worth more than a field
    })
    leads = _by_email(tenant)
    maria = leads["mj@x.pe"]
    assert (maria["first_name"], maria["last_name"]) == ("María José", "Torres Vélez")
    assert (maria["source"], maria["interest_level"], maria["project"], maria["owner"]) == (
        "Facebook", "Alto", "Mirador", "ana@mirador.pe")
    assert (maria["id_type"], maria["id_number"], maria["birth_date"]) == ("dni", "45678912", "1990-08-15")
    assert (leads["rosa@x.pe"]["company"], leads["rosa@x.pe"]["person_type"]) == ("Rosa Ortiz", "legal")
    pedro = leads["pedro@x.pe"]
    assert "source" not in pedro and "project" not in pedro  # only labels that exist (seed 000)
    # the user is not found: Sperant gives the lead to whoever imported it; the defaults, to the tenant's owner
    assert pedro["owner"] == ("ana@mirador.pe" if own else "luis@mirador.pe")
    assert leads["juan@x.pe"]["id_number_unverified"] == "45678A12" and "id_number" not in leads["juan@x.pe"]

    update = write_xlsx(tmp_path / "actualizacion.xlsx", [
        ["Nombres", "Apellido paterno", "Apellido materno", "Tipo de documento", "Número de documento",
         "Correo electrónico", "Celular", "Usuario asignado"],
        ["María José", "Torres", "Vélez", "DNI", "45678912", "", "987654322", "Nadie"],  # no email: her document
        ["Pedro", "Ruiz", "", "", "", "pedro@x.pe", "", "Nadie"],
    ])
    again = run_import(update, tenant, requested_by="luis@mirador.pe", defaults={"channel": "Web"})
    _check(again, {
        # found by her document (Sperant); the defaults match on email and phone, and neither is hers yet
        2: ("updated", [], ["unknown_owner"]) if own else ("created", [], ["unknown_owner"]),
        # Sperant: the importer takes the lead and the default replaces its channel; the defaults touch neither
        3: ("updated", [], ["unknown_owner"]) if own else ("unchanged", [], ["unknown_owner"]),
    })
    pedro = _by_email(tenant)["pedro@x.pe"]
    assert (pedro["owner"], pedro["channel"]) == (("luis@mirador.pe", "Web") if own
                                                  else ("luis@mirador.pe", "Sala de ventas"))
    if own:
        assert leads_of(tenant)[again["rows"][0]["lead_id"]]["phone"] == "+51987654322"
        assert again["rows"][0]["lead_id"] == outcome_id(tenant, "mj@x.pe")
    # "Fila inicial: 1": a workbook with no header row, every row a lead, its columns named by letter
    bare = write_xlsx(tmp_path / "sin_encabezado.xlsx", [["Carla", "Vega", "carla@x.pe"], ["Nombres", "Rey", "n@x.pe"]])
    headerless = run_import(bare, tenant, no_header=True, requested_by="ana@mirador.pe",
                            mapping={"Column A": "first_name", "Column B": "last_name", "Column C": "email"})
    _check(headerless, {1: ("created", [], []), 2: ("created", [], [])})
    assert _by_email(tenant)["n@x.pe"]["first_name"] == "Nombres"  # a row of labels is a lead here


def outcome_id(tenant: str, email: str) -> str:
    return next(lead_id for lead_id, lead in leads_of(tenant).items() if lead.get("email") == email)


@pytest.mark.parametrize("rules", RULESETS)
def test_seed001_clientes_template(stack: dict, rules: str, tmp_path: Path) -> None:
    """The Ecuadorian CRM's template: an email, if filled, must be well formed (the tenant makes it strict);
    everything else as the defaults. Its "Description" (of the address) is kept with the address."""
    tenant = seed_tenant("clientes_ec", rules)
    path = write_xlsx(tmp_path / "clientes.xlsx", [
        ["First Name", "Last Name", "Email", "Phone", "Tags", "Agent", "Identification Type",
         "Identification Number", "Address", "Description", "Country Code", "Notes"],
        ["Ana", "Vera", "ana.vera@x.com", "593991234567", "VIP", "luc@quito.ec", "pasaporte", "AB123456",
         "Av. Amazonas N34-12", "Edificio Torre Azul, piso 3", "593", "ok"],
        ["Bruno", "Díaz", "", "", "", "", "", "", "", "", "", ""],  # neither email nor phone
        ["Carla", "Gil", "carla@x", "+593991234568", "", "", "", "", "", "", "", ""],  # email without a domain end
        ["Dario", "Paz", "", "+593 99 123 4567", "", "", "", "", "", "", "", ""],  # same phone as row 2
        ["", "Solo", "solo@x.com", "", "", "", "", "", "", "", "", ""],  # no first name
        ["Elena", "Ríos", "elena@x.com", "", "", "nadie@x.com", "", "", "", "", "PE", ""],  # unknown agent
        ["Félix", "Mora", "felix@x.com", "12345", "", "", "", "", "", "", "", ""],  # not a phone
        ["Gina", "Lara", "gina@gmial.com", "", "", "", "Cédula", 102030400, "", "", "", ""],  # Excel ate a zero
    ])
    _check(run_import(path, tenant), {
        2: ("created", [], []),
        3: ("error", ["no_contact"], []),
        # the manual: a filled email must be well formed; the defaults keep Carla by her phone
        4: ("error", ["invalid_email"], []) if rules == "own" else ("created", [], ["invalid_email"]),
        5: ("error", ["duplicate_in_file"], []),
        6: ("error", ["required_missing"], []),
        7: ("created", [], ["unknown_owner"]),
        8: ("created", [], ["invalid_phone"]),
        9: ("created", [], ["email_typo", "id_number_repaired"]),  # said with gmail.com, imported as typed
    })
    leads = _by_email(tenant)
    ana = leads["ana.vera@x.com"]
    assert (ana["address"], ana["address_details"], ana["owner"], ana["tags"]) == (
        "Av. Amazonas N34-12", "Edificio Torre Azul, piso 3", "luc@quito.ec", ["VIP"])
    assert leads["gina@gmial.com"]["id_number"] == "0102030400"


ONE_C_TEXT = (
    'Наименование Телефон "Эл. почта" "Основной менеджер" Тема Дата "Ожидаемая выручка" "Дата активности"\n'
    '"Петров Пётр Сергеевич" +79161234567 petrov@x.ru "Иванов Иван" "Квартира 2к" 01.12.2026 "150 000,50" '
    '05.12.2026\n'
    '"Сидорова Анна" 89161234568 "" "Смирнов Олег" "Офис" 32.12.2026 "" ""\n'
    '"ООО Ромашка" +79161234569 info@romashka.ru "" "Склад" 02.12.2026 "дорого" ""\n'
    '"Кузнецов Пётр Ильич" "" "" "Неизвестный" "" "" "" ""\n'
)


@pytest.mark.parametrize("rules", RULESETS)
def test_seed002_1c_space_delimited_cp1251_with_client_interest(stack: dict, rules: str, tmp_path: Path) -> None:
    """1C searches by phone, then email, then name, the first that finds a client wins; a client needs no
    contact; an unknown manager falls back to the job's "Ответственный"; the default group is for new ones."""
    tenant = seed_tenant("1c_crm", rules)
    own = rules == "own"
    path = tmp_path / "potential_clients.txt"
    path.write_bytes(ONE_C_TEXT.encode("cp1251"))
    # the job's defaults: national numbers read as Russian ones, and the responsible manager (seed 002)
    options = {"defaults": {"country_code": "RU", "owner": "Иванов Иван"}, "sales_scenario": "Продажа квартир"}
    outcome = run_import(path, tenant, **options)
    _check(outcome, {
        2: ("created", [], []),
        3: ("created", [], ["invalid_date"]),
        4: ("created", [], ["invalid_number"]),
        5: ("created", [], ["unknown_owner"]) if own else ("error", ["no_contact"], ["unknown_owner"]),
    })
    leads = _by_email(tenant)
    petrov = leads["petrov@x.ru"]
    assert (petrov["first_name"], petrov["middle_name"], petrov["last_name"], petrov["owner"]) == (
        "Пётр", "Сергеевич", "Петров", "ivan@gorizont.ru")  # ФИО: surname, given name, patronymic
    assert "expected_revenue" not in petrov  # the client interest is its own record, linked to the lead
    assert leads["info@romashka.ru"]["company"] == "ООО Ромашка"
    if own:  # the manager in the file is unknown: the job's responsible one takes the client
        [kuznetsov] = [lead for lead in leads_of(tenant).values() if lead.get("last_name") == "Кузнецов"]
        assert (kuznetsov["owner"], kuznetsov["middle_name"]) == ("ivan@gorizont.ru", "Ильич")
    interests = tenant_ref(firestore_client(), tenant).collection("opportunities").stream()
    # each lead kept has its interest; a date or an amount that failed its check is left out of it
    by_lead = {doc.to_dict()["lead_id"]: doc.to_dict() for doc in interests}
    assert len(by_lead) == 3 and "opportunity_date" not in by_lead[outcome["rows"][1]["lead_id"]]
    assert "expected_revenue" not in by_lead[outcome["rows"][2]["lead_id"]]
    interest = by_lead[outcome["rows"][0]["lead_id"]]
    assert interest == {**interest, "lead_id": outcome["rows"][0]["lead_id"], "sales_scenario": "Продажа квартир",
                        "opportunity_subject": "Квартира 2к", "opportunity_date": "2026-12-01",
                        "expected_revenue": 150000.5, "next_activity_date": "2026-12-05"}
    # the same file again: the leads are unchanged and each interest is still one record
    again = run_import(path, tenant, **options)
    assert [row["status"] for row in again["rows"]][:3] == ["unchanged"] * 3
    assert again["rows"][0]["opportunity_id"] == outcome["rows"][0]["opportunity_id"]
    assert len(list(tenant_ref(firestore_client(), tenant).collection("opportunities").stream())) == 3

    steps = tmp_path / "steps.txt"
    steps.write_bytes((
        'Наименование Телефон "Эл. почта"\n'
        '"Петров Пётр Сергеевич" +79161234567 info@romashka.ru\n'  # his phone, Ромашка's email
        '"Кузнецов Пётр Ильич" "" ""\n'  # found by name alone
        '"Сидорова Анна" 89161234568 anna@x.ru\n'
    ).encode("cp1251"))
    _check(run_import(steps, tenant, defaults={"country_code": "RU", "source": "Сайт"}), {
        # 1C: found by the phone, first in its chain; the email stays with Ромашка. The defaults refuse to guess
        2: ("unchanged", [], ["key_elsewhere"]) if own else ("error", ["conflicting_match"], []),
        3: ("unchanged", [], []) if own else ("error", ["no_contact"], []),
        4: ("updated", [], []),
    })
    leads = _by_email(tenant)
    assert leads["petrov@x.ru"]["phone"] == "+79161234567" and leads["info@romashka.ru"]["company"] == "ООО Ромашка"
    # 1C's default group is for new clients; the defaults fill what a lead lacks and overwrite nothing
    assert leads["anna@x.ru"].get("source") == (None if own else "Сайт")


@pytest.mark.parametrize("rules", RULESETS)
def test_seed003_sellsy_export_into_cadence(stack: dict, rules: str, tmp_path: Path) -> None:
    """Owners by full name, unique (seed 003); Cadence refuses a lead whose owner is not one of its users.
    The export's "Civilité" and "Date de création" are kept, the latter as the source's own date."""
    tenant = seed_tenant("cadence", rules)
    path = tmp_path / "sellsy.csv"
    path.write_text(
        "Civilité;Prénom;Nom;Email;Téléphone;Société;Propriétaire;Date de création\n"
        "M.;Jean;Durand;jean@x.fr;+33612345678;ACME;Luc Martin;12/03/2025\n"
        "Mme;Claire;Petit;claire@x.fr;;ACME;Marie Dupont;13/03/2025\n"  # two users share the name (seed 003)
        "M.;Paul;Roux;paul@x.fr;06 12 34 56 79;;Inconnu Total;14/03/2025\n"
        "Mme;Léa;Blanc;lea@hotmal.fr;;;Luc Martin;\n",
        encoding="utf-8-sig")
    _check(run_import(path, tenant), {
        2: ("created", [], []),
        3: ("error", ["ambiguous_owner"], []),
        # "Utilisateur non présent dans Cadence": the lead waits for the user; the defaults keep it, said
        4: ("error", ["unknown_owner"], []) if rules == "own" else ("created", [], ["unknown_owner"]),
        5: ("created", [], ["email_typo"]),
    })
    jean = _by_email(tenant)["jean@x.fr"]
    assert (jean["salutation"], jean["source_created_at"], jean["owner"]) == ("M.", "2025-03-12", "luc@durand.fr")
    later = tmp_path / "sellsy-2.csv"
    later.write_text("Civilité;Prénom;Nom;Email;Date de création\nDr;Jean;Durand;jean@x.fr;01/01/2020\n",
                     encoding="utf-8")
    _check(run_import(later, tenant), {2: ("updated", [], [])})
    jean = _by_email(tenant)["jean@x.fr"]
    assert (jean["salutation"], jean["source_created_at"]) == ("Dr", "2025-03-12")  # the source's first date stays


@pytest.mark.parametrize("rules", RULESETS)
def test_seed004_beyond_up_company_template_then_update_by_document(stack: dict, rules: str,
                                                                    tmp_path: Path) -> None:
    """beyond up finds companies by their document (its assignment template is a list of document numbers),
    whatever type label it came with, and keeps a company known by name and document."""
    tenant = seed_tenant("beyond_up", rules)
    path = tmp_path / "empresas.xlsx"
    path.write_bytes(build_template("company", "es"))
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.delete_rows(2)  # the example row
    for row in (["Constructora Andes", "legal", "cif", "B12345674", "info@andes.es", "912345678"],
                ["", "legal", "cif", "B12345674", "otro@andes.es", ""],  # no company name
                ["Andes Dos", "", "", "", "dos@andes.es"],  # no person type, no person: a company
                ["Mal CIF", "legal", "cif", "B12345675", "mal@andes.es", ""]):
        sheet.append(row)
    book.save(path)
    _check(run_import(path, tenant), {
        2: ("created", [], []),
        3: ("error", ["required_missing"], []),
        4: ("created", [], []),
        5: ("created", [], ["id_unverified"]),  # kept as typed, unverified: a lead is worth more than a field
    })
    leads = _by_email(tenant)
    assert (leads["info@andes.es"]["person_type"], leads["info@andes.es"]["company"]) == (
        "legal", "Constructora Andes")
    assert leads["dos@andes.es"]["person_type"] == "legal"  # only a company named: a company row

    update = tmp_path / "actualizar.csv"
    update.write_text("Tipo de documento;Número de documento;Razón social;Correo;Fuente;Segmento\n"
                      "NIF;B12345674;Constructora Andes;;Feria;Empresas\n", encoding="utf-8")
    _check(run_import(update, tenant), {
        # the CIF it was created with is the NIF this file names: one company (beyond up); the defaults
        # match on email and phone, and the row has neither
        2: ("updated", [], []) if rules == "own" else ("error", ["no_contact"], []),
    })
    andes = _by_email(tenant)["info@andes.es"]
    if rules == "own":
        assert (andes["source"], andes["segment"], andes["id_type"]) == ("Feria", "Empresas", "nif")

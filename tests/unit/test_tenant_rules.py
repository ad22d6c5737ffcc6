"""Issue 19: the rules each CRM of the seeds applies, as a tenant's settings. Each setting is shown doing what
its manual says, and its default losing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from leadimport.core.decide import Job, changed_fields, decide
from leadimport.core.keys import key_forms, lead_keys, other_document_key
from leadimport.core.mapping.suggest import suggest_mapping
from leadimport.core.matching import Found, match_row
from leadimport.core.merge_rows import fold
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read.table import SheetRow, Table
from leadimport.core.tenant_config import TenantConfig
from leadimport.core.validate.row import RowValidator, ValidatedRow

USERS = [{"email": "ana@sol.ec", "name": "Ana Torres"}, {"email": "luis@sol.ec", "name": "Luis Paz"},
         {"email": "eva@sol.ec", "name": "Eva Mena"}]
NOW = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)


def tenant(**rules: object) -> TenantConfig:
    return TenantConfig(name="Sol", default_region="EC", locale="es", default_owner="ana@sol.ec", users=USERS,
                        **rules)


def validate(columns: list[str], values: list[str], config: TenantConfig, defaults: dict[str, str] | None = None,
             importer: str | None = None, find_only: list[str] | None = None, operation: bool = False) -> ValidatedRow:
    validator = RowValidator(suggest_mapping(columns, []), defaults or {}, config, find_only=find_only,
                             importer=importer, operation=operation)
    return validator.validate(SheetRow(2, tuple(values)))


def update(lead: dict, row: ValidatedRow) -> dict:
    """What an update by `row` writes to a lead holding the row's names and email, and `lead`."""
    same = {name: row.fields[name] for name in ("first_name", "last_name", "email") if name in row.fields}
    return changed_fields({**same, **lead}, row.fields, fill_empty=False, fill_only=row.fill_only,
                          new_only=row.new_only)


PERSON = ["Nombres", "Apellidos", "Correo", "Responsable"]


# -- owners -------------------------------------------------------------------------------------------------------

def test_by_default_an_unknown_owner_warns_and_a_new_lead_takes_the_fallback_an_update_keeps_its_own() -> None:
    row = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Nadie"], tenant(), defaults={"owner": "Luis Paz"},
                   importer="eva@sol.ec")
    assert [w.code for w in row.warnings] == ["unknown_owner"] and not row.errors
    assert row.fields["owner"] == "luis@sol.ec"  # the job's own default comes before the tenant's
    assert "owner" in row.new_only and update({"owner": "eva@sol.ec"}, row) == {}
    named = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Eva Mena"], tenant())
    assert named.fields["owner"] == "eva@sol.ec" and update({"owner": "ana@sol.ec"}, named) == {"owner": "eva@sol.ec"}


def test_the_fallback_order_is_the_tenants() -> None:
    sperant = tenant(owner_fallback=["importer"], update_owner="always")  # every lost lead to the importer
    row = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Nadie"], sperant, defaults={"owner": "Luis Paz"},
                   importer="eva@sol.ec")
    assert row.fields["owner"] == "eva@sol.ec"
    assert update({"owner": "ana@sol.ec"}, row) == {"owner": "eva@sol.ec"}  # on update too, as Sperant does
    tenant_first = tenant(owner_fallback=["tenant", "job"])
    assert validate(PERSON, ["Ana", "Paz", "a@x.ec", ""], tenant_first, defaults={"owner": "Luis Paz"}
                    ).fields["owner"] == "ana@sol.ec"
    # an importer who is not one of the tenant's users (a partner mailing leads) owns nothing
    stranger = validate(PERSON, ["Ana", "Paz", "a@x.ec", ""], tenant(owner_fallback=["importer"]),
                        importer="leads@partner.ec")
    assert "owner" not in stranger.fields and not stranger.warnings


def test_a_jobs_default_owner_the_tenants_order_leaves_out_is_said_not_silently_dropped() -> None:
    columns = ["Nombres", "Apellidos", "Correo"]
    table = Table(None, 1, columns, iter([SheetRow(2, ("Ana", "Paz", "a@x.ec"))]))
    plan = TablePlan(table, ImportOptions(defaults={"owner": "luis@sol.ec"}), tenant(owner_fallback=["importer"]))
    assert [n.params for n in plan.notes if n.code == "default_owner_unused"] == [{"owner": "luis@sol.ec"}]
    table = Table(None, 1, columns, iter([SheetRow(2, ("Ana", "Paz", "a@x.ec"))]))
    plan = TablePlan(table, ImportOptions(defaults={"owner": "luis@sol.ec"}), tenant())
    assert not [n for n in plan.notes if n.code == "default_owner_unused"]


def test_cadence_refuses_a_lead_whose_owner_is_not_a_user() -> None:
    row = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Marc Blanc"], tenant(unknown_owner="error"))
    assert [e.code for e in row.errors] == ["unknown_owner"] and "Marc Blanc" in row.errors[0].message


def test_an_update_may_be_kept_from_changing_the_owner() -> None:
    row = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Eva Mena"], tenant(update_owner="never"))
    assert row.fields["owner"] == "eva@sol.ec"  # a new lead takes it
    assert update({"owner": "ana@sol.ec"}, row) == {}
    # a bulk assignment is what the person asked for: written whatever the tenant's update rule
    assign = validate(["Correo"], ["a@x.ec"], tenant(update_owner="never"), defaults={"owner": "eva@sol.ec"},
                      find_only=["email"], operation=True)
    assert assign.fields["owner"] == "eva@sol.ec" and update({"owner": "ana@sol.ec"}, assign) == {
        "owner": "eva@sol.ec"}


# -- defaults -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("policy", "on_empty", "on_set"), [
    ("fill-empty", {"source": "Feria"}, {}),  # the default: a default overwrites nothing
    ("overwrite", {"source": "Feria"}, {"source": "Feria"}),
    ("new-only", {}, {}),  # 1C's default group is for new clients
])
def test_a_default_does_to_an_existing_lead_what_the_tenant_says(policy: str, on_empty: dict, on_set: dict) -> None:
    row = validate(["Nombres", "Apellidos", "Correo"], ["Ana", "Paz", "a@x.ec"], tenant(defaults_on_update=policy),
                   defaults={"source": "Feria"})
    assert row.fields["source"] == "Feria"  # a new lead always takes it
    assert update({}, row) == on_empty
    assert update({"source": "Web"}, row) == on_set


def test_an_update_only_import_follows_the_tenants_rules_as_any_import() -> None:
    """--mode update-only is an import that creates nothing, not a bulk operation: the rules hold."""
    row = validate(["Correo", "Responsable"], ["a@x.ec", "Eva Mena"], tenant(update_owner="never",
                   defaults_on_update="new-only"), defaults={"source": "Feria"}, find_only=["email"])
    assert update({"owner": "ana@sol.ec", "source": "Web"}, row) == {}


def test_a_default_that_says_how_to_read_a_cell_goes_with_it() -> None:
    """--default id_type=ruc read this row's number as a RUC: holding the type back would store a DNI type
    beside a RUC number."""
    row = validate(["Nombres", "Apellidos", "Correo", "Documento"], ["Ana", "Paz", "a@x.ec", "1790016919001"],
                   tenant(), defaults={"id_type": "ruc", "country_code": "EC", "source": "Feria"})
    assert row.fields["id_type"] == "ruc" and row.fill_only == {"source"}
    assert update({"id_type": "cedula", "id_number": "1710034065"}, row) == {
        "id_type": "ruc", "id_number": "1790016919001", "source": "Feria", "country_code": "EC"}


def test_a_cell_is_never_held_back_by_the_default_rule() -> None:
    row = validate(["Nombres", "Apellidos", "Correo", "Fuente"], ["Ana", "Paz", "a@x.ec", "Facebook"],
                   tenant(defaults_on_update="new-only"), defaults={"source": "Feria"})
    assert update({"source": "Web"}, row) == {"source": "Facebook"}


def test_default_custom_fields_follow_the_rule_key_by_key() -> None:
    row = validate(["Nombres", "Apellidos", "Correo"], ["Ana", "Paz", "a@x.ec"], tenant(),
                   defaults={"custom.Proyecto": "Mirador"})
    assert update({"custom": {"Proyecto": "Alto"}}, row) == {}
    assert update({"custom": {"Otro": "1"}}, row)["custom"] == {"Otro": "1", "Proyecto": "Mirador"}


# -- contact, labels ----------------------------------------------------------------------------------------------

def test_sperant_and_1c_keep_a_client_known_only_by_name_and_document() -> None:
    columns, values = ["Nombres", "Apellidos", "Tipo de documento", "Documento"], ["Ana", "Paz", "Cédula",
                                                                                   "1710034065"]
    assert [e.code for e in validate(columns, values, tenant()).errors] == ["no_contact"]
    kept = validate(columns, values, tenant(require_contact=False))
    assert not kept.errors and kept.fields["id_number"] == "1710034065"
    table = Table(None, 1, columns, iter([SheetRow(2, tuple(values))]))
    assert TablePlan(table, ImportOptions(), tenant()).refusal()  # no contact column: refused
    table = Table(None, 1, columns, iter([SheetRow(2, tuple(values))]))
    assert TablePlan(table, ImportOptions(), tenant(require_contact=False)).refusal() == []


def test_a_label_kind_listed_with_no_values_has_none_and_one_not_listed_takes_any() -> None:
    columns, values = ["Nombres", "Apellidos", "Correo", "Segmento", "Etiquetas"], ["Ana", "Paz", "a@x.ec",
                                                                                    "Empresas", "VIP"]
    row = validate(columns, values, tenant(labels={"segment": []}))
    assert [w.code for w in row.warnings] == ["unknown_label"] and "segment" not in row.fields
    assert row.fields["tags"] == ["VIP"]  # tags: a kind this tenant keeps no list of


# -- documents ----------------------------------------------------------------------------------------------------

def test_a_document_is_one_key_whatever_type_label_it_came_with() -> None:
    nif = {"id_type": "nif", "id_number": "12345678Z"}
    dni = {"id_type": "dni", "id_number": "12345678Z"}
    assert lead_keys(nif, ["id_number"]) == lead_keys(dni, ["id_number"]) == {"id_number": "12345678Z"}
    assert lead_keys(nif, ["id_number"], typed_ids=True) != lead_keys(dni, ["id_number"], typed_ids=True)
    assert key_forms(nif) >= {("id_number", "12345678Z"), ("id_number", "nif:12345678Z")}  # undo frees either
    # a passport is numbered apart from national documents: its 45678912 is not a Peruvian DNI's
    assert lead_keys({"id_type": "passport", "id_number": "45678912"}, ["id_number"]) != lead_keys(
        {"id_type": "dni", "id_number": "45678912"}, ["id_number"])
    spain = TenantConfig(name="Sol", default_region="ES", locale="es")
    by_nif = validate(["Nombre", "Apellidos", "Correo", "Tipo", "NIF"], ["A", "B", "a@x.es", "NIF", "12345678Z"],
                      spain)
    by_dni = validate(["Nombre", "Apellidos", "Correo", "Tipo", "DNI"], ["A", "B", "a@x.es", "DNI", "12345678Z"],
                      spain)
    assert by_nif.keys["id_number"] == by_dni.keys["id_number"]


# -- first key wins (1C) ------------------------------------------------------------------------------------------

PHONE, EMAIL = ("phone", "+593991234567"), ("email", "ana@x.ec")
LEAD_A = {"first_name": "Ana", "phone": "+593991234567", "email": "old@x.ec"}
LEAD_B = {"first_name": "Ana B", "email": "ana@x.ec"}


def _found() -> Found:
    claims = {PHONE: {"lead_id": "A", "job_id": "j0", "claimed_at": NOW},
              EMAIL: {"lead_id": "B", "job_id": "j0", "claimed_at": NOW}}
    return Found(claims, {"A": LEAD_A, "B": LEAD_B}, {"A": NOW, "B": NOW}, {PHONE: NOW, EMAIL: NOW})


def test_keys_finding_two_leads_refuse_the_row_by_default() -> None:
    match = match_row(dict([PHONE, EMAIL]), ["phone", "email"], _found(), "own", "job", "es", NOW)
    assert match.error is not None and match.error.code == "conflicting_match" and match.lead_id is None


def test_with_first_key_the_chains_first_key_wins_and_the_others_value_stays_with_its_lead() -> None:
    match = match_row(dict([PHONE, EMAIL]), ["phone", "email"], _found(), "own", "job", "es", NOW,
                      first_key_wins=True)
    assert (match.error, match.lead_id, match.found_by, match.elsewhere) == (None, "A", "phone", [("email", "B")])
    row = ValidatedRow(2, {"first_name": "Ana María", "phone": "+593991234567", "email": "ana@x.ec"},
                       keys=dict([PHONE, EMAIL]))
    plan = decide(row, match, Job("job", ImportOptions(), ["phone", "email"], "es"), NOW)
    assert plan.status == "updated" and plan.lead_id == "A"
    assert plan.update is not None and plan.update["first_name"] == "Ana María" and "email" not in plan.update
    assert plan.note is not None and plan.note.code == "key_elsewhere"
    assert "ana@x.ec" in plan.note.message and "B" in plan.note.message and "Teléfono" in plan.note.message
    assert ("email", "ana@x.ec") not in plan.claims + plan.takeovers  # B keeps its key


# -- unmapped columns ---------------------------------------------------------------------------------------------

def test_keep_unmapped_keeps_every_unrecognised_column_as_a_custom_field() -> None:
    columns = ["Nombres", "Apellidos", "Correo", "Color favorito", "leadimport: estado"]
    values = ("Ana", "Paz", "a@x.ec", "azul", "creado")
    plan = TablePlan(Table(None, 1, columns, iter([SheetRow(2, values)])), ImportOptions(),
                     tenant(keep_unmapped=True))
    assert [m.field for m in plan.mapping] == ["first_name", "last_name", "email", "custom.Color favorito", None]
    ((_, row),) = next(plan.chunks())
    assert row.fields["custom"] == {"Color favorito": "azul"}
    # a column the person left out of their own mapping stays out
    given = TablePlan(Table(None, 1, columns, iter([SheetRow(2, values)])), ImportOptions(
        mapping={"Nombres": "first_name", "Apellidos": "last_name", "Correo": "email"}), tenant(keep_unmapped=True))
    assert [m.field for m in given.mapping][3] is None
    default = TablePlan(Table(None, 1, columns, iter([SheetRow(2, values)])), ImportOptions(), tenant())
    assert [m.field for m in default.mapping][3] is None


def test_a_verified_document_clears_the_unverified_one_it_replaces() -> None:
    lead = {"first_name": "Ana", "id_number_unverified": "171003406", "id_type_unverified": "Cédula"}
    changes = changed_fields(lead, {"first_name": "Ana", "id_type": "cedula", "id_number": "1710034065"},
                             fill_empty=False)
    assert changes == {"id_type": "cedula", "id_number": "1710034065", "id_number_unverified": None,
                       "id_type_unverified": None}
    assert changed_fields(lead, {"first_name": "Ana"}, fill_empty=False) == {}


# -- repeated rows --------------------------------------------------------------------------------------------------

def _checked(config: TenantConfig, rows: list[tuple[str, ...]]) -> list[ValidatedRow]:
    table = Table(None, 1, ["Nombres", "Apellidos", "Correo", "Celular", "Ciudad"],
                  iter([SheetRow(n, values) for n, values in enumerate(rows, start=2)]))
    return [validated for chunk in TablePlan(table, ImportOptions(), config).chunks() for _, validated in chunk]


REPEATED = [("Ana", "Paz", "ana@x.ec", "", "Quito"), ("Luis", "Mora", "luis@x.ec", "", ""),
            ("Ana", "Paz", "ana@x.ec", "0991234567", ""),  # Ana again, with her mobile
            ("Ana", "Paz", "", "0991234567", "Cuenca"),  # found by the mobile row 4 brought: Ana's too
            ("Ana", "Paz", "ana@x.ec", "0997654321", ""),
            ("Eva", "Sol", "luis@x.ec", "0991234567", "")]  # Luis's email and Ana's mobile: whose?


def test_repeated_rows_are_refused_by_default() -> None:
    rows = _checked(tenant(), REPEATED)
    # a refused row's keys are not remembered: row 5's mobile is first seen there
    assert [[e.code for e in r.errors] for r in rows] == [
        [], [], ["duplicate_in_file"], [], ["duplicate_in_file"], ["duplicate_in_file", "duplicate_in_file"]]


def test_a_tenant_that_merges_marks_each_repeat_with_the_row_whose_lead_it_completes() -> None:
    rows = _checked(tenant(repeated_rows="merge"), REPEATED)
    assert [r.repeat_of for r in rows] == [None, None, 2, 2, 2, None]
    assert [[w.code for w in r.warnings] for r in rows][2:5] == [["merged_into_row"]] * 3
    assert "2" in rows[2].warnings[0].message
    assert [e.code for e in rows[5].errors] == ["duplicate_in_file", "duplicate_in_file"]  # two leads: refused


def test_repeats_fold_into_one_row_in_file_order_a_default_never_over_a_cell() -> None:
    def row(n: int, fields: dict, **kw: object) -> ValidatedRow:
        return ValidatedRow(n, fields, keys={"email": "ana@x.ec"}, repeat_of=2, **kw)

    rows = [ValidatedRow(3, {"email": "luis@x.ec"}),
            row(4, {"email": "ana@x.ec", "city": "Quito", "source": "Web", "tags": ["VIP"]}),
            row(6, {"email": "ana@x.ec", "city": "Cuenca", "source": "Feria", "tags": ["vip", "Feria"]},
                fill_only=frozenset({"source"})),
            row(9, {"email": "ana@x.ec", "phone": "+593991234567", "owner": "ana@sol.ec"},
                new_only=frozenset({"owner"}))]
    out, members = fold(rows, lambda fields: lead_keys(fields, ["email", "phone"]))
    assert [r.row for r in out] == [3, 4] and [m.row for m in members[4]] == [4, 6, 9]
    combined = out[1]
    assert combined.fields == {"email": "ana@x.ec", "city": "Cuenca", "source": "Web", "tags": ["VIP", "Feria"],
                               "phone": "+593991234567", "owner": "ana@sol.ec"}
    assert combined.keys == {"email": "ana@x.ec", "phone": "+593991234567"}
    assert (combined.fill_only, combined.new_only, combined.repeat_of) == (frozenset(), frozenset({"owner"}), 2)


def test_a_client_without_a_contact_still_needs_a_key_to_be_found_again() -> None:
    """With no contact required, a row found by nothing would be a new lead at every import of the file."""
    sperant = tenant(require_contact=False, match_on=["email", "id_number"])
    row = RowValidator(suggest_mapping(["Nombres", "Apellidos", "Ciudad"], []), {}, sperant,
                       key_kinds=["email", "id_number"]).validate(SheetRow(4, ("Ana", "Paz", "Quito")))
    assert [e.code for e in row.errors] == ["no_key"] and "Número de documento" in row.errors[0].message


def test_a_document_key_stored_in_the_other_form_still_finds_its_lead() -> None:
    """Keys stored typed ("dni:12345678Z", before documents stopped carrying their type, or while the tenant
    said the type matters) find their lead, and the row claims the key in the tenant's form for it."""
    lead = {"first_name": "Ana", "id_type": "dni", "id_number": "12345678Z"}
    found = Found({("id_number", "dni:12345678Z"): {"lead_id": "L1", "job_id": "old", "claimed_at": NOW}},
                  {"L1": lead}, {"L1": NOW}, {("id_number", "dni:12345678Z"): NOW})
    row = {"first_name": "Ana María", "id_type": "dni", "id_number": "12345678Z"}
    keys = lead_keys(row, ["id_number"])
    other = other_document_key(row, typed_ids=False)
    assert other == "dni:12345678Z"
    match = match_row(keys, ["id_number"], found, "own", "job", "es", NOW, other_forms={"id_number": other})
    assert (match.lead_id, match.unclaimed) == ("L1", [("id_number", "12345678Z")])
    stranger = {**lead, "id_number": "87654321X"}  # the old key names a lead that holds another number now
    found.leads["L1"] = stranger
    assert match_row(keys, ["id_number"], found, "own", "job", "es", NOW,
                     other_forms={"id_number": other}).lead_id is None


def test_with_first_key_a_second_address_never_becomes_the_leads_unclaimed_key() -> None:
    """Lead A has no email; the row's email is B's. Its second email would become A's email key, which no
    one claimed: it stays out too, unless A has an email of its own."""
    found = _found()
    found.leads["A"] = {"first_name": "Ana", "phone": "+593991234567"}
    match = match_row(dict([PHONE, EMAIL]), ["phone", "email"], found, "own", "job", "es", NOW, first_key_wins=True)
    row = ValidatedRow(2, {"phone": "+593991234567", "email": "ana@x.ec", "email_2": "c@x.ec"},
                       keys=dict([PHONE, EMAIL]))
    plan = decide(row, match, Job("job", ImportOptions(), ["phone", "email"], "es"), NOW)
    assert plan.status == "unchanged" and plan.note is not None and plan.note.code == "key_elsewhere"
    found.leads["A"] = {**found.leads["A"], "email": "old@x.ec"}
    match = match_row(dict([PHONE, EMAIL]), ["phone", "email"], found, "own", "job", "es", NOW, first_key_wins=True)
    plan = decide(row, match, Job("job", ImportOptions(), ["phone", "email"], "es"), NOW)
    assert plan.update is not None and plan.update["email_2"] == "c@x.ec" and "email" not in plan.update


def test_kept_columns_keep_one_name_each_however_long_their_headers() -> None:
    question = "¿Cómo se enteró de nosotros? Marque todas las opciones que correspondan a su caso " * 2
    columns = ["Nombres", "Apellidos", "Correo", question + "(televisión)", question + "(radio)"]
    table = Table(None, 1, columns, iter([SheetRow(2, ("Ana", "Paz", "a@x.ec", "tv", "radio"))]))
    plan = TablePlan(table, ImportOptions(), tenant(keep_unmapped=True))
    names = [m.field for m in plan.mapping][3:]
    assert len(set(names)) == 2 and all(len(n) <= len("custom.") + 100 and n == n.strip() for n in names)
    ((_, row),) = next(plan.chunks())
    assert sorted(row.fields["custom"].values()) == ["radio", "tv"]


def test_files_add_custom_fields_to_a_lead_up_to_a_limit() -> None:
    from leadimport.core.decide import CUSTOM_FIELDS

    lead = {"custom": {f"f{i}": "x" for i in range(CUSTOM_FIELDS - 1)}}
    changes = changed_fields(lead, {"custom": {"f0": "y", "new1": "1", "new2": "2"}}, fill_empty=False)
    assert len(changes["custom"]) == CUSTOM_FIELDS and changes["custom"]["f0"] == "y" and "new2" not in changes[
        "custom"]


# -- files as people send them (a new user's tryout of files shaped like the manuals') --------------------------

def test_numbers_excel_mangled_are_read_as_typed_or_refused_never_made_up() -> None:
    from leadimport.core.validate.identity import check_id
    from leadimport.core.validate.phones import SHORTENED, normalize_phone

    assert normalize_phone("5.93991E+11", "EC") == (None, SHORTENED)  # six digits kept, six made up: refused
    assert normalize_phone("5.93991234567E+11", "EC")[0] == "+593991234567"  # every digit there
    assert normalize_phone("593991234569.0", "EC")[0] == "+593991234569"  # a number cell's float, as text
    assert check_id("DNI", "45678912.0", "PE").number == "45678912"
    assert check_id("DNI", "4567891.0", "PE").number != "45678910"  # the '.0' is no digit
    assert normalize_phone("022345.000", "EC")[0] == "+59322345000"  # dotted groups are no float
    row = validate(["Nombres", "Apellidos", "Correo", "Celular"], ["Ana", "Paz", "a@x.ec", "5.93991E+11"], tenant())
    assert [w.code for w in row.warnings] == ["invalid_phone"] and "Excel" in row.warnings[0].message
    assert "phone" not in row.fields


def test_a_document_columns_header_names_the_type_of_its_numbers() -> None:
    spain = TenantConfig(name="Norte", default_region="ES", locale="es")
    typo = validate(["Nombre", "Apellidos", "Correo", "NIF"], ["A", "B", "a@x.es", "1234567Z"], spain)
    assert typo.fields["id_number_unverified"] == "1234567Z" and "id_number" not in typo.keys  # no key from a typo
    good = validate(["Nombre", "Apellidos", "Correo", "NIF"], ["A", "B", "a@x.es", "12345678Z"], spain)
    assert (good.fields["id_type"], good.keys["id_number"]) == ("nif", "12345678Z")
    # another document of the country the header did not name is still that document: a NIE under "DNI"
    nie = validate(["Nombre", "Apellidos", "Correo", "DNI"], ["A", "B", "a@x.es", "X1234567L"], spain)
    assert (nie.fields["id_type"], nie.fields["id_number"]) == ("nie", "X1234567L")


def test_a_row_found_by_nothing_of_the_chain_is_refused_whatever_the_contact_rule() -> None:
    """Cadence matches on email: a mobile alone would make the lead again at every import."""
    cadence = tenant(match_on=["email"])
    row = RowValidator(suggest_mapping(["Prénom", "Nom", "Portable"], []), {}, cadence, key_kinds=["email"]) \
        .validate(SheetRow(8, ("Marc", "Girard", "0991234567")))
    assert [e.code for e in row.errors] == ["no_key"]


def test_a_strict_contact_that_failed_is_the_rows_one_error_not_also_an_empty_contact() -> None:
    strict = tenant(strict_fields=["email"])
    row = validate(["Nombres", "Apellidos", "Correo"], ["Elena", "Ríos", "elena@x"], strict)
    assert [e.code for e in row.errors] == ["invalid_email"]


def test_an_unknown_owner_is_told_as_the_tenants_rules_treat_it() -> None:
    """Who the lead goes to, and whether an existing one keeps its own, as this tenant decides it."""
    def said(config: TenantConfig, **kw: object) -> tuple[str, str]:
        row = validate(PERSON, ["Ana", "Paz", "a@x.ec", "Nadie"], config, **kw)  # type: ignore[arg-type]
        issue = (row.errors or row.warnings)[0]
        return issue.code, issue.message

    assert said(tenant()) == ("unknown_owner", "No hay un usuario activo 'Nadie': un lead nuevo se asigna a "
                                               "ana@sol.ec, uno existente conserva su responsable")
    assert said(tenant(owner_fallback=["importer"], update_owner="always"), importer="eva@sol.ec") == (
        "unknown_owner", "No hay un usuario activo 'Nadie': el lead se asigna a eva@sol.ec")
    assert said(tenant(owner_fallback=[])) == ("unknown_owner",
                                               "No hay un usuario activo 'Nadie': el lead queda sin responsable")
    code, message = said(tenant(unknown_owner="error"))
    assert code == "unknown_owner" and "agréguelo a los usuarios" in message


def test_a_file_that_could_only_update_leads_is_told_how_to() -> None:
    """Sperant's and beyond up's update templates: a document and a field, no name. Refused as an import
    (nothing could be created), with the way to update the leads it names."""
    table = Table(None, 1, ["Tipo de documento", "Número de documento", "Fuente"],
                  iter([SheetRow(2, ("NIF", "12345678Z", "Feria"))]))
    config = tenant(match_on=["id_number", "email"], require_contact=False)
    assert [note.code for note in TablePlan(table, ImportOptions(), config).refusal()] == [
        "no_name_column", "update_only_hint"]
    plain = Table(None, 1, ["Ciudad"], iter([SheetRow(2, ("Quito",))]))  # finds nothing either: no hint
    assert [note.code for note in TablePlan(plain, ImportOptions(), config).refusal()] == ["no_name_column"]


@pytest.mark.parametrize(("header", "cell", "locale", "expected"), [
    ("Apellidos y nombres", "TORRES VÉLEZ MARÍA JOSÉ", "es", ("María José", "Torres Vélez")),  # Peru's order
    ("Apellidos y nombres", "Gómez de la Cruz Ana Lucía", "es", ("Ana Lucía", "Gómez de la Cruz")),
    ("Nombre completo", "Quispe Mamani, Juan Carlos", "es", ("Juan Carlos", "Quispe Mamani")),
    ("Nombre completo", "María del Carmen López García", "es", ("María del Carmen", "López García")),
    ("Nombre completo", "María José de la Torre", "es", ("María José", "de la Torre")),
    ("Apellidos y nombres", "De la Cruz Mamani Rosa", "es", ("Rosa", "De la Cruz Mamani")),
    ("Nombre completo", "J.C. Pérez", "es", ("J.C.", "Pérez")),  # initials are no surname in capitals
    ("Nom complet", "Marie-Claire de la Fontaine", "fr", ("Marie-Claire", "de la Fontaine")),
    ("Nom complet", "DUPONT Jean", "fr", ("Jean", "Dupont")),  # the surname in capitals, the French way
    ("Nombre completo", "Juan Pérez García", "es", ("Juan", "Pérez García")),
])
def test_a_full_name_is_split_the_way_its_column_and_its_writing_say(header: str, cell: str, locale: str,
                                                                      expected: tuple[str, str]) -> None:
    config = TenantConfig(name="Sol", default_region="EC", locale=locale)
    row = validate([header, "Correo"], [cell, "a@x.ec"], config)
    assert (row.fields.get("first_name"), row.fields.get("last_name")) == expected and not row.errors


def test_one_word_in_the_one_name_column_is_a_name_and_a_companys_name_keeps_every_part() -> None:
    onec = TenantConfig(name="Горизонт", default_region="RU", locale="ru")
    row = validate(["Наименование", "Телефон"], ["Морозов", "+79161234567"], onec)
    assert not row.errors and row.fields["last_name"] == "Морозов"  # 1C needs only its Наименование
    assert "name" not in lead_keys(row.fields)  # one word is too many people's to find one lead by
    sperant = validate(["Nombres", "Apellido paterno", "Apellido materno", "Tipo de persona", "Correo"],
                       ["Constructora", "Los Andes", "SAC", "jurídica", "info@andes.pe"], tenant())
    assert sperant.fields["company"] == "Constructora Los Andes SAC"


def test_an_owner_is_found_by_the_name_written_as_people_write_it() -> None:
    """1C's "Ф.И.О. менеджера" with the patronymic, a name reversed, a surname and initial; two users a
    name could be is still refused as ambiguous, one word alone is no one."""
    from leadimport.core.tenant_config import TenantUser
    from leadimport.core.validate.owners import OwnerDirectory

    users = OwnerDirectory([TenantUser(email="ivan@g.ru", name="Иванов Иван"),
                            TenantUser(email="oleg@g.ru", name="Смирнов Олег"),
                            TenantUser(email="olga@g.ru", name="Смирнова Ольга"),
                            TenantUser(email="luc@d.fr", name="Luc Martin"),
                            TenantUser(email="lucas@d.fr", name="Lucas Martin")])
    assert [users.resolve(name).email for name in ("Иванов Иван Иванович", "Смирнов О.", "Martin Luc")] == [
        "ivan@g.ru", "oleg@g.ru", "luc@d.fr"]
    # Luc or Lucas; a name with a word the user's has not; one word: no one (the fallback owner, said)
    assert [users.resolve(name).code for name in ("Martin L.", "Jean Luc Martin", "Иван", "luc.martin@x.fr")] == [
        "unknown_owner"] * 4


def test_two_phones_in_one_cell_are_both_kept() -> None:
    row = validate(["Nombres", "Apellidos", "Teléfono"], ["Ana", "Paz", "0991234573 / 022345680"], tenant())
    assert (row.fields["phone"], row.fields["phone_2"], row.warnings) == ("+593991234573", "+59322345680", [])


@pytest.mark.parametrize(("cell", "address"), [
    ("María Rodríguez Vásquez <maria.rodriguez@hotmail.com>", "maria.rodriguez@hotmail.com"),  # Gmail's copy
    ("Иван Петров <ivan@x.ru>", "ivan@x.ru"),
    ('"Torres, Ana" <Ana.Torres@X.COM>', "ana.torres@x.com"),
])
def test_an_address_copied_with_its_owners_name_keeps_the_address_whatever_the_name(cell: str, address: str) -> None:
    """email-validator refuses an unquoted display name with accents or Cyrillic: that cost the lead its email."""
    row = validate(["Nombres", "Apellidos", "Correo"], ["Ana", "Paz", cell], tenant())
    assert (row.fields["email"], row.warnings, row.errors) == (address, [], [])

"""Match chains (seed 000's email/document, seed 002's phone → email → name) and keys that move.

Each import states the exact outcome of every row, and the leads left behind are checked too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import leads_of, run_import, write_xlsx

pytestmark = pytest.mark.stack

HEADER = ["Nombres", "Apellidos", "Correo", "Celular", "Tipo de documento", "Número de documento"]


def _outcomes(outcome: dict) -> dict[int, tuple[str, list[str]]]:
    assert outcome["status"] == "done", outcome["error"]
    return {r["row"]: (r["status"], [e["code"] for e in r["errors"]]) for r in outcome["rows"]}


def _by_email(tenant: str) -> dict[str, dict]:
    return {lead.get("email"): lead for lead in leads_of(tenant).values()}


def test_sperant_chain_matches_by_email_or_document_never_by_phone(stack: dict, tenant: str, tmp_path: Path) -> None:
    chain = ["email", "id_number"]
    first = write_xlsx(tmp_path / "first.xlsx", [
        HEADER, ["Ana", "Paz", "ana@x.ec", "0991234567", "cédula", "1710034065"],
        ["Luis", "Mora", "luis@x.ec", "0991234568", "cédula", "0102030400"]])
    assert _outcomes(run_import(first, tenant, match_on=chain)) == {2: ("created", []), 3: ("created", [])}
    second = write_xlsx(tmp_path / "second.xlsx", [
        HEADER,
        ["Rosa", "Paz", "rosa@x.ec", "0991234567", "", ""],  # Ana's phone: phone is not a key here
        ["Ana María", "Paz", "", "0991234599", "Cédula", "1710034065"],  # Ana's document
        ["Ana", "Paz", "ana@x.ec", "", "cédula", "0102030400"],  # Ana's email with Luis's document
        ["Rosa", "Paz", "rosa2@x.ec", "0991234567", "", ""],  # same phone as row 2: not a duplicate here
    ])
    outcome = run_import(second, tenant, match_on=chain)
    assert _outcomes(outcome) == {2: ("created", []), 3: ("updated", []), 4: ("error", ["conflicting_match"]),
                                  5: ("created", [])}
    conflict = next(r for r in outcome["rows"] if r["row"] == 4)["errors"][0]["message"]
    leads = _by_email(tenant)
    assert all(lead_id in conflict for lead_id in {r["lead_id"] for r in outcome["rows"] if r["row"] == 3})
    assert leads["ana@x.ec"]["first_name"] == "Ana María" and leads["ana@x.ec"]["phone"] == "+593991234599"
    assert len(leads) == 4


def test_1c_chain_phone_then_email_then_name(stack: dict, tenant: str, tmp_path: Path) -> None:
    chain = ["phone", "email", "name"]
    first = write_xlsx(tmp_path / "first.xlsx", [
        HEADER, ["Juan", "Pérez", "juan@x.ec", "0991111111", "", ""],
        ["Eva", "Ríos", "eva@x.ec", "0992222222", "", ""]])
    assert _outcomes(run_import(first, tenant, match_on=chain)) == {2: ("created", []), 3: ("created", [])}
    second = write_xlsx(tmp_path / "second.xlsx", [
        HEADER,
        ["JUAN", "PEREZ", "juan.nuevo@x.ec", "0993333333", "", ""],  # no phone or email known: found by name
        ["Eva", "Ríos Vera", "eva@x.ec", "0994444444", "", ""],  # found by email, phone changes
        ["Eva", "Ríos", "otra@x.ec", "0992222222", "", ""],  # Eva again, by her old phone: row 3 has her
        ["Juan", "Pérez", "", "0995555555", "", ""],  # Juan's name again, in the same file
    ])
    outcome = run_import(second, tenant, match_on=chain)
    assert _outcomes(outcome) == {2: ("updated", []), 3: ("updated", []), 4: ("error", ["duplicate_in_file"]),
                                  5: ("error", ["duplicate_in_file"])}
    assert outcome["rows"][2]["errors"][0]["message"].startswith("Es el mismo lead que la fila 3")
    leads = _by_email(tenant)
    assert set(leads) == {"juan.nuevo@x.ec", "eva@x.ec"}
    assert leads["juan.nuevo@x.ec"]["phone"] == "+593993333333"


def test_keys_move_with_an_update(stack: dict, tenant: str, tmp_path: Path) -> None:
    chain = ["phone", "email"]
    first = write_xlsx(tmp_path / "first.xlsx", [HEADER, ["Ana", "Paz", "old@x.ec", "0991234567", "", ""]])
    [created] = run_import(first, tenant, match_on=chain)["rows"]
    change = write_xlsx(tmp_path / "change.xlsx", [HEADER, ["Ana", "Paz", "new@x.ec", "0991234567", "", ""]])
    assert _outcomes(run_import(change, tenant, match_on=chain)) == {2: ("updated", [])}
    # the old email is free again and the new one finds Ana
    again = write_xlsx(tmp_path / "again.xlsx", [
        HEADER, ["Otra", "Persona", "old@x.ec", "0997654321", "", ""], ["Ana", "Paz", "new@x.ec", "", "", ""]])
    outcome = run_import(again, tenant, match_on=chain)
    assert _outcomes(outcome) == {2: ("created", []), 3: ("unchanged", [])}
    assert outcome["rows"][1]["lead_id"] == created["lead_id"]
    assert set(_by_email(tenant)) == {"old@x.ec", "new@x.ec"}


def test_in_file_duplicates_follow_the_chain(stack: dict, tenant: str, tmp_path: Path) -> None:
    rows = [HEADER, ["Ana", "Paz", "a@x.ec", "0991234567", "", ""], ["Bea", "Paz", "b@x.ec", "0991234567", "", ""],
            ["Ana", "Paz", "c@x.ec", "", "", ""]]
    path = write_xlsx(tmp_path / "family.xlsx", rows)
    assert _outcomes(run_import(path, tenant, match_on=["email"], dry_run=True)) == {
        2: ("created", []), 3: ("created", []), 4: ("created", [])}
    assert _outcomes(run_import(path, tenant, match_on=["email", "phone", "name"], dry_run=True)) == {
        2: ("created", []), 3: ("error", ["duplicate_in_file"]), 4: ("error", ["duplicate_in_file"])}
    assert leads_of(tenant) == {}  # dry runs write nothing

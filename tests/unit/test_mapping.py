"""Automatic and explicit mapping of headers onto lead fields."""

from __future__ import annotations

import pytest

from leadimport.errors import TerminalError
from leadimport.mapping import fold, suggest_mapping


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


def test_each_field_goes_to_one_column_only() -> None:
    mapping = suggest_mapping(["Email", "E-mail"], [])
    assert [m.field for m in mapping] == ["email", None]
    assert "taken by 'Email'" in mapping[1].reason


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

"""Identity documents: the type named the way people write it, the number checked where its country
defines a check digit (Ecuador's cédula and RUC, Peru's RUC, Chile's RUT, Spain's DNI/NIE/CIF,
Russia's INN, Brazil's CPF/CNPJ, Argentina's CUIT, Colombia's NIT, France's SIREN/SIRET).

Numbers are stored compact (upper case, no spaces, dots or dashes) so that "12.345.678-5" and
"123456785" are the same key. Excel drops leading zeros of numeric cells: a number one or two
digits short that is valid once padded is repaired, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from leadimport.core.text import fold


@dataclass(frozen=True)
class IdCheck:
    id_type: str | None  # canonical type, or None when it could not be told
    number: str | None  # compact number when it passed
    code: str | None = None  # invalid_id_number, invalid_value, id_type_missing, id_number_repaired
    detail: str = ""


def _digits_weighted(digits: str, weights: list[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _ec_cedula(n: str) -> bool:
    if not re.fullmatch(r"\d{10}", n) or not (1 <= int(n[:2]) <= 24 or n[:2] == "30") or int(n[2]) >= 6:
        return False
    total = sum(q - 9 if (q := int(d) * (2 if i % 2 == 0 else 1)) > 9 else q for i, d in enumerate(n[:9]))
    return (10 - total % 10) % 10 == int(n[9])


def _ec_ruc(n: str) -> bool:
    if not re.fullmatch(r"\d{13}", n):
        return False
    third = int(n[2])
    if third < 6:
        return _ec_cedula(n[:10]) and n[10:] != "000"
    if third == 9:
        check = 11 - _digits_weighted(n[:9], [4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
        return (0 if check == 11 else check) == int(n[9]) and n[10:] != "000"
    if third == 6:
        check = 11 - _digits_weighted(n[:8], [3, 2, 7, 6, 5, 4, 3, 2]) % 11
        return (0 if check == 11 else check) == int(n[8]) and n[9:] != "0000"
    return False


def _pe_ruc(n: str) -> bool:
    if not re.fullmatch(r"(10|15|16|17|20)\d{9}", n):
        return False
    check = 11 - _digits_weighted(n[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
    return check % 10 == int(n[10])


def _cl_rut(n: str) -> bool:
    if not re.fullmatch(r"\d{7,8}[0-9K]", n):
        return False
    body, dv = n[:-1], n[-1]
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    check = 11 - total % 11
    return {11: "0", 10: "K"}.get(check, str(check)) == dv


_ES_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es_dni(n: str) -> bool:
    return bool(re.fullmatch(r"\d{8}[A-Z]", n)) and _ES_LETTERS[int(n[:8]) % 23] == n[8]


def _es_nie(n: str) -> bool:
    return bool(re.fullmatch(r"[XYZ]\d{7}[A-Z]", n)) and _es_dni(str("XYZ".index(n[0])) + n[1:])


def _es_cif(n: str) -> bool:
    if not re.fullmatch(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]", n):
        return False
    digits = n[1:8]
    total = sum(int(d) for d in digits[1::2])
    total += sum(sum(divmod(int(d) * 2, 10)) for d in digits[0::2])
    control = (10 - total % 10) % 10
    letter = "JABCDEFGHI"[control]
    if n[0] in "PQRSNW":
        return n[8] == letter
    if n[0] in "ABEH":
        return n[8] == str(control)
    return n[8] in (str(control), letter)


def _es_nif(n: str) -> bool:
    return _es_dni(n) or _es_nie(n) or _es_cif(n)


def _ru_inn(n: str) -> bool:
    def check(digits: str, weights: list[int]) -> int:
        return _digits_weighted(digits, weights) % 11 % 10

    if re.fullmatch(r"\d{10}", n):
        return check(n, [2, 4, 10, 3, 5, 9, 4, 6, 8]) == int(n[9])
    if re.fullmatch(r"\d{12}", n):
        return (check(n, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == int(n[10])
                and check(n, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == int(n[11]))
    return False


def _br_cpf(n: str) -> bool:
    if not re.fullmatch(r"\d{11}", n) or len(set(n)) == 1:
        return False
    for size in (9, 10):
        check = _digits_weighted(n[:size], list(range(size + 1, 1, -1))) * 10 % 11 % 10
        if check != int(n[size]):
            return False
    return True


def _br_cnpj(n: str) -> bool:
    if not re.fullmatch(r"\d{14}", n) or len(set(n)) == 1:
        return False
    for size, weights in ((12, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]), (13, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])):
        rest = _digits_weighted(n[:size], weights) % 11
        if (0 if rest < 2 else 11 - rest) != int(n[size]):
            return False
    return True


def _ar_cuit(n: str) -> bool:
    if not re.fullmatch(r"(20|23|24|27|30|33|34)\d{9}", n):
        return False
    check = 11 - _digits_weighted(n[:10], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
    return {11: 0, 10: 9}.get(check, check) == int(n[10])


def _co_nit(n: str) -> bool:
    if not re.fullmatch(r"\d{6,15}", n):
        return False
    primes = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71]
    total = sum(int(d) * p for d, p in zip(reversed(n[:-1]), primes, strict=False)) % 11
    return (total if total < 2 else 11 - total) == int(n[-1])


def _luhn(n: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(n)):
        q = int(d) * (2 if i % 2 else 1)
        total += q - 9 if q > 9 else q
    return total % 10 == 0


def _pattern(expr: str) -> Callable[[str], bool]:
    compiled = re.compile(expr)
    return lambda n: bool(compiled.fullmatch(n))


# type → (names people write, {country: check}, fallback check for other countries)
_TYPES: dict[str, tuple[tuple[str, ...], dict[str, Callable[[str], bool]], Callable[[str], bool]]] = {
    "cedula": (("cédula", "cedula", "cédula de identidad", "cédula de ciudadanía", "cc", "ci", "c.i.",
                "carnet de identidad"), {"EC": _ec_cedula}, _pattern(r"\d{5,12}")),
    "ruc": (("ruc", "r.u.c."), {"EC": _ec_ruc, "PE": _pe_ruc}, lambda n: _ec_ruc(n) or _pe_ruc(n)),
    "rut": (("rut", "run", "r.u.t."), {}, _cl_rut),
    "dni": (("dni", "documento nacional de identidad", "d.n.i."),
            {"ES": _es_dni, "PE": _pattern(r"\d{8}"), "AR": _pattern(r"\d{7,8}")},
            lambda n: _es_dni(n) or bool(re.fullmatch(r"\d{7,8}", n))),
    "nie": (("nie", "tie"), {}, _es_nie),
    "nif": (("nif", "n.i.f."), {}, _es_nif),
    "cif": (("cif", "c.i.f."), {}, _es_cif),
    "ce": (("ce", "carnet de extranjería", "carnet de extranjeria", "carné de extranjería"), {},
           _pattern(r"[0-9A-Z]{6,12}")),
    "passport": (("passport", "pasaporte", "passeport", "passaporte", "паспорт", "pas", "pp"), {},
                 _pattern(r"[0-9A-Z]{5,20}")),
    "inn": (("inn", "инн"), {}, _ru_inn),
    "cpf": (("cpf",), {}, _br_cpf),
    "cnpj": (("cnpj",), {}, _br_cnpj),
    "cuit": (("cuit", "cuil"), {}, _ar_cuit),
    "nit": (("nit",), {}, _co_nit),
    "siren": (("siren",), {}, lambda n: bool(re.fullmatch(r"\d{9}", n)) and _luhn(n)),
    "siret": (("siret",), {}, lambda n: bool(re.fullmatch(r"\d{14}", n)) and _luhn(n)),
    "other": (("other", "otro", "otros", "autre", "другой", "outro"), {}, _pattern(r"[0-9A-Z]{1,30}")),
}
ID_TYPES = tuple(_TYPES)
_TYPE_BY_NAME = {fold(name): code for code, (names, _, _) in _TYPES.items() for name in (code, *names)}
# What a number with no type most likely is, per country, tried in order
_BY_COUNTRY = {"EC": ("cedula", "ruc"), "PE": ("dni", "ruc"), "CL": ("rut",), "ES": ("dni", "nie", "cif"),
               "RU": ("inn",), "BR": ("cpf", "cnpj"), "AR": ("cuit", "dni"), "CO": ("nit",), "FR": ("siret", "siren")}


def id_type_of(text: str) -> str | None:
    return _TYPE_BY_NAME.get(fold(text))


def compact(number: str) -> str:
    return re.sub(r"[\s.\-/]", "", number).upper()


def _passes(id_type: str, number: str, country: str | None) -> bool:
    _, by_country, fallback = _TYPES[id_type]
    return (by_country.get(country or "") or fallback)(number)


def check_id(id_type_text: str | None, number_text: str, country: str | None) -> IdCheck:
    number = compact(number_text)
    if id_type_text:
        id_type = id_type_of(id_type_text)
        if id_type is None:
            return IdCheck(None, None, "invalid_value", f"unknown document type '{id_type_text}'")
        if _passes(id_type, number, country):
            return IdCheck(id_type, number)
        repaired = _repair(id_type, number, country)
        if repaired:
            return IdCheck(id_type, repaired, "id_number_repaired", f"leading zeros restored: {repaired}")
        return IdCheck(id_type, None, "invalid_id_number", f"'{number_text}' is not a valid {id_type.upper()}")
    for candidate in _BY_COUNTRY.get(country or "", ()):
        if _passes(candidate, number, country):
            return IdCheck(candidate, number)
    for candidate in _BY_COUNTRY.get(country or "", ()):
        repaired = _repair(candidate, number, country)
        if repaired:
            return IdCheck(candidate, repaired, "id_number_repaired", f"leading zeros restored: {repaired}")
    if re.fullmatch(r"[0-9A-Z]{1,30}", number):
        return IdCheck("other", number, "id_type_missing", "no document type given; stored as 'other'")
    return IdCheck(None, None, "invalid_id_number", f"'{number_text}' is not a document number")


def _repair(id_type: str, number: str, country: str | None) -> str | None:
    if not number[:1].isdigit():
        return None
    for zeros in (1, 2):
        padded = "0" * zeros + number
        if id_type not in {"other", "passport", "ce"} and _passes(id_type, padded, country):
            return padded
    return None


def recognise_number(text: str) -> str | None:
    """The type a value passes a check digit for, whatever the country (for mapping by contents)."""
    number = compact(text)
    if len(number) < 8:
        return None
    for id_type in ("ruc", "rut", "nie", "cif", "inn", "cpf", "cnpj", "cuit"):
        if _TYPES[id_type][2](number):
            return id_type
    if _ec_cedula(number) or _es_dni(number):
        return "cedula" if number.isdigit() else "dni"
    return None

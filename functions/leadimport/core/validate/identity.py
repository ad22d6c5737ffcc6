"""Identity documents: the type named the way people write it, the number checked where its country
defines a check digit (Ecuador's cédula and RUC, Peru's RUC, Chile's RUT, Spain's DNI/NIE/CIF,
Russia's INN, Brazil's CPF/CNPJ, Argentina's CUIT, Colombia's NIT, France's SIREN/SIRET, and with
python-stdnum Paraguay's RUC, Uruguay's RUT and Guatemala's NIT).

Numbers are stored compact (upper case, no spaces, dots or dashes) so that "12.345.678-5" and
"123456785" are the same key. Excel drops leading zeros of numeric cells: a number one or two
digits short that is valid once padded is repaired, with a warning.

The check digits are python-stdnum's. Where stdnum accepts more than we always have, a guard next to
the call keeps our verdict and names what stdnum would let through; dropping the guard takes it.
A number typed in other digits (full width, Arabic-Indic) is read in ASCII digits by compact(), so it is
checked, and keyed, as the same number typed on a Latin keyboard.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from stdnum import luhn
from stdnum.ar import cuit as ar_cuit
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.cl import rut as cl_rut
from stdnum.co import nit as co_nit
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.es import cif as es_cif
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.exceptions import ValidationError
from stdnum.fr import siren as fr_siren
from stdnum.gt import nit as gt_nit
from stdnum.pe import ruc as pe_ruc
from stdnum.py import ruc as py_ruc
from stdnum.ru import inn as ru_inn
from stdnum.uy import rut as uy_rut

from leadimport.core.text import fold


@dataclass(frozen=True)
class IdCheck:
    id_type: str | None  # canonical type, or None when it could not be told
    number: str | None  # compact number when it passed
    code: str | None = None  # invalid_id_number, invalid_value, id_type_missing, id_number_repaired
    detail: str = ""


_ASCII_DIGITS = re.compile(r"[0-9]+")


def _ok(validate: Callable[[str], str], number: str) -> bool:
    """stdnum's verdict on exactly this text. Its validate() compacts first (drops a 'CL' or 'ES' prefix,
    folds Unicode dashes and full-width digits): the number passes only if that had nothing to do, so
    the stored number is the one that was checked."""
    try:
        return validate(number) == number
    except ValidationError:
        return False


def _checked(module: ModuleType) -> Callable[[str], bool]:
    """stdnum's own verdict, where we have no rule of our own to keep."""
    return lambda n: _ok(module.validate, n)


def _also(own: Callable[[str], bool], before: Callable[[str], bool]) -> Callable[[str], bool]:
    """A country's own rule that stdnum brought, refusing nothing the general rule took before it came
    (a Chilean's RUT on a Uruguayan row): until a tenant can choose, no lead is lost to a stricter check."""
    return lambda n: own(n) or before(n)


def _py_ruc(n: str) -> bool:
    # stdnum checks only the digit and a maximum length: "0" or "19" would pass, and one placeholder typed
    # down a file would make every such row one lead. A RUC has 5 to 9 digits and no leading zero.
    return bool(re.fullmatch(r"[1-9][0-9]{4,8}", n)) and _ok(py_ruc.validate, n)


def _es_dni(n: str) -> bool:
    return _ok(es_dni.validate, n)


def _es_nie(n: str) -> bool:
    return _ok(es_nie.validate, n)


def _ec_cedula(n: str) -> bool:
    # stdnum also takes province 50 and a third digit 6 (foreign residents' cédulas, stdnum PR #228)
    return n[:2] != "50" and n[2:3] != "6" and _ok(ec_ci.validate, n)


def _mod11_check(digits: str, weights: tuple[int, ...]) -> str:
    return str(-sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11)  # "10" matches no digit


def _ec_ruc(n: str) -> bool:
    if len(n) != 13 or not _ASCII_DIGITS.fullmatch(n):
        return False
    if n[2] < "6":  # a person's RUC: cédula + establishment
        return n[:2] != "50" and _ok(ec_ruc.validate, n)
    # Hand-written: for public (6) and company (9) RUCs stdnum differs both ways. It refuses province codes
    # outside 01-24/30/50, which we never checked here; it accepts a 9 passing the public-body rule and a 6
    # passing the cédula rule (stdnum #457, #267), which we refuse; its per-branch checks are private.
    # Neither rule is reliable: the SRI issues company RUCs with no check digit (stdnum #497, still open).
    if n[2] == "6":
        return _mod11_check(n[:8], (3, 2, 7, 6, 5, 4, 3, 2)) == n[8] and n[9:] != "0000"
    if n[2] == "9":
        return _mod11_check(n[:9], (4, 3, 2, 7, 6, 5, 4, 3, 2)) == n[9] and n[10:] != "000"
    return False


def _pe_ruc(n: str) -> bool:
    # stdnum's validate() refuses prefix 16, which we have always taken: only its check digit is used
    return bool(re.fullmatch(r"(10|15|16|17|20)[0-9]{9}", n)) and pe_ruc.calc_check_digit(n[:10]) == n[10]


def _ec_or_pe_ruc(n: str) -> bool:
    return _ec_ruc(n) or _pe_ruc(n)


def _es_cif(n: str) -> bool:
    # stdnum takes a digit or a letter for every entity letter; we keep the AEAT rule: a letter for
    # P, Q, R, S, N, W, a digit for A, B, E, H
    if not _ok(es_cif.validate, n):
        return False
    if n[0] in "PQRSNW":
        return n[8].isalpha()
    return n[0] not in "ABEH" or n[8].isdigit()


def _es_nif(n: str) -> bool:
    # not stdnum.es.nif: it also takes K/L/M numbers and an 'ES' VAT prefix
    return _es_dni(n) or _es_nie(n) or _es_cif(n)


def _br_cpf_checked(n: str) -> bool:
    # stdnum refuses only 000.000.000-00; a run of one digit passes its check digits but is never issued
    return len(set(n)) > 1 and _ok(br_cpf.validate, n)


def _br_cnpj_checked(n: str) -> bool:
    # stdnum 2.x also takes the alphanumeric CNPJ (issued from July 2026); digits only, as before
    return bool(_ASCII_DIGITS.fullmatch(n)) and len(set(n)) > 1 and _ok(br_cnpj.validate, n)


def _ar_cuit_checked(n: str) -> bool:
    # stdnum also takes the 50/51/55 prefixes (international use)
    return n[:2] in {"20", "23", "24", "27", "30", "33", "34"} and _ok(ar_cuit.validate, n)


def _co_nit(n: str) -> bool:
    # stdnum's validate() wants 8-16 digits; we have always taken 6-15: only its check digit is used
    return bool(re.fullmatch(r"[0-9]{6,15}", n)) and co_nit.calc_check_digit(n[:-1]) == n[-1]


def _fr_siret(n: str) -> bool:
    # not stdnum.fr.siret: it also wants the SIREN part valid, and takes La Poste's non-Luhn numbers
    return bool(re.fullmatch(r"[0-9]{14}", n)) and luhn.is_valid(n)


def _pattern(expr: str) -> Callable[[str], bool]:
    compiled = re.compile(expr)
    return lambda n: bool(compiled.fullmatch(n))


# type → (names people write, {country: check}, fallback check for other countries)
_TYPES: dict[str, tuple[tuple[str, ...], dict[str, Callable[[str], bool]], Callable[[str], bool]]] = {
    "cedula": (("cédula", "cedula", "cédula de identidad", "cédula de ciudadanía", "cc", "ci", "c.i.",
                "carnet de identidad"), {"EC": _ec_cedula}, _pattern(r"[0-9]{5,12}")),
    "ruc": (("ruc", "r.u.c."), {"EC": _ec_ruc, "PE": _pe_ruc, "PY": _also(_py_ruc, _ec_or_pe_ruc)}, _ec_or_pe_ruc),
    "rut": (("rut", "run", "r.u.t."), {"UY": _also(_checked(uy_rut), _checked(cl_rut))}, _checked(cl_rut)),
    "dni": (("dni", "documento nacional de identidad", "d.n.i."),
            {"ES": _es_dni, "PE": _pattern(r"[0-9]{8}"), "AR": _pattern(r"[0-9]{7,8}")},
            lambda n: _es_dni(n) or bool(re.fullmatch(r"[0-9]{7,8}", n))),
    "nie": (("nie", "tie"), {}, _es_nie),
    "nif": (("nif", "n.i.f."), {}, _es_nif),
    "cif": (("cif", "c.i.f."), {}, _es_cif),
    "ce": (("ce", "carnet de extranjería", "carnet de extranjeria", "carné de extranjería"), {},
           _pattern(r"[0-9A-Z]{6,12}")),
    "passport": (("passport", "pasaporte", "passeport", "passaporte", "паспорт", "pas", "pp"), {},
                 _pattern(r"[0-9A-Z]{5,20}")),
    "inn": (("inn", "инн"), {}, _checked(ru_inn)),
    "cpf": (("cpf",), {}, _br_cpf_checked),
    "cnpj": (("cnpj",), {}, _br_cnpj_checked),
    "cuit": (("cuit", "cuil"), {}, _ar_cuit_checked),
    "nit": (("nit",), {"GT": _also(_checked(gt_nit), _co_nit)}, _co_nit),
    "siren": (("siren",), {}, _checked(fr_siren)),
    "siret": (("siret",), {}, _fr_siret),
    "other": (("other", "otro", "otros", "autre", "другой", "outro"), {}, _pattern(r"[0-9A-Z]{1,30}")),
}
ID_TYPES = tuple(_TYPES)
_TYPE_BY_NAME = {fold(name): code for code, (names, _, _) in _TYPES.items() for name in (code, *names)}
# What a number with no type most likely is, per country, tried in order
_BY_COUNTRY = {"EC": ("cedula", "ruc"), "PE": ("dni", "ruc"), "CL": ("rut",), "ES": ("dni", "nie", "cif"),
               "RU": ("inn",), "BR": ("cpf", "cnpj"), "AR": ("cuit", "dni"), "CO": ("nit",), "FR": ("siret", "siren")}


def id_type_of(text: str) -> str | None:
    return _TYPE_BY_NAME.get(fold(text))


_EXCEL_FLOAT = re.compile(r"(\d+)\.0")  # Excel's float of a number, written out as text: '4567891.0'


def compact(number: str) -> str:
    """Upper case, without spaces, dots, dashes or slashes, and in ASCII digits: '１７１００３４０６５' (full width,
    as a Japanese or Chinese keyboard types it) is the same number, and the same key, as '1710034065'. A
    number Excel wrote as a float loses its '.0' first: '4567891.0' is 4567891, never 45678910."""
    float_text = _EXCEL_FLOAT.fullmatch(number.strip())
    if float_text:
        number = float_text[1]
    number = re.sub(r"[\s.\-/]", "", number).upper()
    return number if number.isascii() else "".join(str(unicodedata.decimal(c, c)) for c in number)


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

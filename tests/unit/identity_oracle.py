"""The hand-written check digits python-stdnum replaced (validate/identity.py as of d723685), kept only as
test_identity_stdnum.py's oracle: the library must reach the same verdict on every number they judged.
Not imported by the product. Judged on ASCII digits only (see the test's one intended difference)."""

from __future__ import annotations

import re
from collections.abc import Callable


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


# (type, country or None for the check every other country gets) → the old verdict
ORACLE: dict[tuple[str, str | None], Callable[[str], bool]] = {
    ("cedula", "EC"): _ec_cedula, ("ruc", "EC"): _ec_ruc, ("ruc", "PE"): _pe_ruc,
    ("ruc", None): lambda n: _ec_ruc(n) or _pe_ruc(n), ("rut", None): _cl_rut, ("dni", "ES"): _es_dni,
    ("dni", None): lambda n: _es_dni(n) or bool(re.fullmatch(r"\d{7,8}", n)),
    ("nie", None): _es_nie, ("nif", None): _es_nif, ("cif", None): _es_cif, ("inn", None): _ru_inn,
    ("cpf", None): _br_cpf, ("cnpj", None): _br_cnpj, ("cuit", None): _ar_cuit, ("nit", None): _co_nit,
    ("siren", None): lambda n: bool(re.fullmatch(r"\d{9}", n)) and _luhn(n),
    ("siret", None): lambda n: bool(re.fullmatch(r"\d{14}", n)) and _luhn(n),
}

"""Identity numbers are checked by python-stdnum behind our own names and messages, held to the verdicts of
the hand-written checks it replaced (identity_oracle.py): on every identity-looking value in our tests,
examples and the shared corpus, and on generated numbers completed with every possible check character.

One difference is intended: a number typed in other digits (full width, Arabic-Indic) was checked by the
hand-written code through int() and then stored as typed, a key that could never match the same number
typed in ASCII. It is read in ASCII digits now, and keyed as that number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from identity_oracle import ORACLE

from leadimport.core.validate import identity

ELSEWHERE = "MX"  # a country no type has its own check for: the type's check for every other country
ROOT = Path(__file__).resolve().parents[2]


def _same(number: str) -> None:
    for (id_type, country), judged in ORACLE.items():
        assert identity._passes(id_type, number, country or ELSEWHERE) is judged(number), (number, id_type, country)


KNOWN = ["1710034065", "1710034066", "0926687856", "1713175071", "0102030400", "0999999999", "1790016919001",
         "1790016918001", "1793213150001", "1760001550001", "20100070970", "10456789012", "123456785", "12345678K",
         "12345678Z", "12345678A", "X1234567L", "Y1234567X", "A58818501", "B12345674", "P1234567D", "7707083893",
         "500100732259", "500100732258", "52998224725", "11111111111", "11222333000181", "20123456786",
         "9001234567", "732829320", "73282932000074", "35600000000048", "00000000000000"]
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]?[0-9][0-9 .\-/]{3,22}[0-9A-Za-z](?![0-9A-Za-z])")


def _found_values() -> list[str]:
    """Every identity-looking value in our tests and examples and in the shared corpus and seeds, compacted."""
    roots = [ROOT / "tests" / "fixtures", ROOT / "examples", ROOT.parent / "shared" / "corpus",
             ROOT.parent / "shared" / "seeds"]
    found: set[str] = set()
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file() and path.stat().st_size < 3_000_000:
                text = path.read_bytes().decode("utf-8", "ignore")
                found.update(identity.compact(t) for t in _TOKEN.findall(text) if sum(c.isdigit() for c in t) >= 5)
    return sorted(v for v in found if v.isascii())


FOUND = _found_values()


def test_the_values_were_found() -> None:
    assert len(FOUND) > 500


@pytest.mark.parametrize("part", range(4))
def test_every_value_we_hold_is_judged_as_before(part: int) -> None:
    for number in [*KNOWN, *FOUND][part::4]:
        _same(number)


D = "0123456789"


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(D, min_size=n, max_size=n)


_EC_PROVINCE = st.one_of(st.integers(1, 24).map(lambda p: f"{p:02d}"), st.sampled_from(["30", "50", "00", "25"]))
# each kind's shape before its check characters, how many there are, their alphabet, and what follows
KINDS: dict[str, tuple[st.SearchStrategy[str], int, str, st.SearchStrategy[str]]] = {
    "ec_cedula": (st.tuples(_EC_PROVINCE, _digits(7)).map("".join), 1, D, st.just("")),
    "ec_ruc_person": (st.tuples(_EC_PROVINCE, st.sampled_from("012345"), _digits(6)).map("".join), 1, D,
                      st.sampled_from(["001", "000", "002"])),
    "ec_ruc_public": (st.tuples(_EC_PROVINCE, st.just("6"), _digits(5)).map("".join), 1, D,
                      st.one_of(st.sampled_from(["0001", "0000"]), _digits(4))),
    "ec_ruc_company": (st.tuples(_EC_PROVINCE, st.sampled_from("967"), _digits(6)).map("".join), 1, D,
                       st.sampled_from(["001", "000", "010"])),
    "pe_ruc": (st.tuples(st.sampled_from(["10", "15", "16", "17", "20", "11"]), _digits(8)).map("".join), 1, D,
               st.just("")),
    "cl_rut": (st.one_of(_digits(6), _digits(7), _digits(8)), 1, D + "K", st.just("")),
    "es_dni": (_digits(8), 1, "ABCDEFGHJKLMNPQRSTVWXYZ", st.just("")),
    "es_nie": (st.tuples(st.sampled_from("XYZKLM"), _digits(7)).map("".join), 1, "ABCDEFGHJKLMNPQRSTVWXYZ",
               st.just("")),
    "es_cif": (st.tuples(st.sampled_from("ABCDEFGHJKLMNPQRSUVWXYZ"), _digits(7)).map("".join), 1, D + "ABCDEFGHIJ",
               st.just("")),
    "ru_inn10": (_digits(9), 1, D, st.just("")),
    "ru_inn12": (_digits(10), 2, D, st.just("")),
    "br_cpf": (st.one_of(_digits(9), st.sampled_from(D).map(lambda d: d * 9)), 2, D, st.just("")),
    "br_cnpj": (st.one_of(_digits(12), st.text(D + "ABCZ", min_size=12, max_size=12)), 2, D, st.just("")),
    "ar_cuit": (st.tuples(st.sampled_from(["20", "23", "24", "27", "30", "33", "34", "50", "55"]), _digits(8))
                .map("".join), 1, D, st.just("")),
    "co_nit": (st.integers(4, 16).flatmap(_digits), 1, D, st.just("")),
    "fr_siren": (_digits(8), 1, D, st.just("")),
    "fr_siret": (st.one_of(_digits(13), _digits(4).map("356000000".__add__)), 1, D, st.just("")),
}


def _completions(body: str, positions: int, alphabet: str, tail: str) -> list[str]:
    ends = [""]
    for _ in range(positions):
        ends = [end + c for end in ends for c in alphabet]
    return [body + end + tail for end in ends]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_generated_numbers_with_every_check_character(kind: str) -> None:
    """The valid number among each body's completions, and every near miss at its check position(s)."""
    body, positions, alphabet, tail = KINDS[kind]

    @settings(max_examples=60 if positions == 1 else 12, deadline=None)
    @given(body, tail)
    def run(start: str, end: str) -> None:
        for number in _completions(start, positions, alphabet, end):
            _same(number)
            _same(number[1:])  # a leading digit lost, as Excel loses zeros

    run()


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(D * 4 + "KXYZABCDEFGHJNPQRSUVW"), max_size=20))
def test_random_strings(number: str) -> None:
    _same(number)


def test_numbers_in_other_digits_are_the_same_number() -> None:
    def other_digits(number: str, zero: int) -> str:
        return number.translate({ord(d): zero + int(d) for d in D})

    for id_type, number, country in [("cedula", "1710034065", "EC"), ("cpf", "52998224725", None),
                                     ("inn", "7707083893", None), ("dni", "45678912", "PE")]:
        for zero in (0xFF10, 0x0660, 0x0966):  # full width, Arabic-Indic, Devanagari
            assert identity.check_id(id_type, other_digits(number, zero), country) == identity.IdCheck(id_type, number)


@pytest.mark.parametrize(("id_type", "number", "country", "stored"), [
    ("ruc", "80028061-0", "PY", "800280610"), ("ruc", "2660-3", "PY", "26603"),
    ("rut", "21-100342-001-7", "UY", "211003420017"), ("nit", "576937-K", "GT", "576937K"),
])
def test_countries_stdnum_brings_are_checked_too(id_type: str, number: str, country: str, stored: str) -> None:
    """Refused before (checked as Ecuador's or Peru's RUC, Chile's RUT, Colombia's NIT), their own rule now."""
    assert identity.check_id(id_type, number, country) == identity.IdCheck(id_type, stored)
    wrong = stored[:-1] + ("1" if stored[-1] != "1" else "2")
    assert identity.check_id(id_type, wrong, country).code == "invalid_id_number"


@pytest.mark.parametrize("placeholder", ["0", "19", "0000000", "080028061-0"])
def test_a_placeholder_is_no_paraguayan_ruc(placeholder: str) -> None:
    """stdnum's check alone passes these: typed down a file, each would make all its rows one lead."""
    assert identity.check_id("ruc", placeholder, "PY").code == "invalid_id_number"


@pytest.mark.parametrize(("id_type", "number", "country"), [
    ("rut", "12345678-5", "UY"), ("ruc", "20100070970", "PY"), ("nit", "900123456-8", "GT")])
def test_a_countrys_own_rule_refuses_nothing_taken_before(id_type: str, number: str, country: str) -> None:
    """A Chilean's RUT on a Uruguayan row, a Peruvian RUC on a Paraguayan one: the general rule took them, and
    a stricter check must not lose the lead."""
    assert ORACLE[(id_type, None)](identity.compact(number))
    assert identity.check_id(id_type, number, country).number == identity.compact(number)

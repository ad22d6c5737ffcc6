"""The fast paths for the commonest email and phone shapes accept exactly what the full libraries
accept, with the same normalised value — on the libraries' own test sets and on generated shapes."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from leadimport.core.validate.emails import international_address, plain_address
from leadimport.core.validate.phone_fast import international_e164, national_e164


def _library(address: str) -> str | None:
    try:
        return validate_email(address, check_deliverability=False, allow_quoted_local=False,
                              allow_display_name=True).normalized.lower()
    except EmailNotValidError:
        return None


def _generated(rng: random.Random) -> str:
    """Addresses near the plain shape's edges: dots, hyphens, digits, case, long labels, special names."""
    local_chars = "abcZ0189_%+-" + "." * 2 + ("!#$&'*/=?^`{|}~" if rng.random() < 0.1 else "")
    local = "".join(rng.choice(local_chars) for _ in range(rng.choice([1, 2, 5, 8, 30, 64, 65])))
    labels = []
    for _ in range(rng.randint(1, 4)):
        size = rng.choice([1, 2, 3, 6, 10, 63, 64])
        labels.append("".join(rng.choice("abcdef9X" + "-" * (rng.random() < 0.3)) for _ in range(size)))
    tld = rng.choice(["com", "ec", "C0M", "123", "local", "test", "x", "museum", "xn--p1ai", "onion", "co"])
    return f"{local}@{'.'.join(labels)}.{tld}"


def test_plain_addresses_are_exactly_what_email_validator_accepts(corpus: Path) -> None:
    cases = [c["email_input"] for c in json.loads((corpus / "python-email-validator/derived_cases.json").read_text())
             if "email_input" in c]
    with (corpus / "isemail/derived_tests.csv").open(encoding="utf-8") as handle:
        cases += [row["address"] for row in csv.DictReader(handle)]
    rng = random.Random(7)
    cases += [_generated(rng) for _ in range(20_000)]
    cases += ["ana.torres@gmail.com", "Ana.Torres+leads@Inmosol.EC", "a@b.co", "x_y%z@sub-1.domain.com.pe"]
    fast = 0
    for address in cases:
        plain = plain_address(address)
        if plain is not None:
            fast += 1
            assert plain == _library(address), address  # never accepts what the library refuses, same value
    assert fast > 1_500  # and it does take the common shapes


def test_addresses_at_international_domains_are_what_email_validator_makes_of_them() -> None:
    """The domain checked once by the library, the local part by the plain shape: the same verdict and value
    as the library's on the whole address, or no answer (the library then says why)."""
    rng = random.Random(11)
    domains = ["españa.es", "correo.españa.es", "münchen.de", "пример.рф", "xn--espaa-rta.es", "bücher.example",
               "españa..es", "-españa.es", "españa-.es", "español.local", "ñ" * 64 + ".es", "ñ" * 63 + ".es",
               "a.b.c.ñandú.com.ec", "ESPAÑA.ES", "españa.es.", "españa", "1.2.3.ñ"]
    fast = 0
    for _ in range(3_000):
        local = _generated(rng).split("@")[0]
        address = f"{local}@{rng.choice(domains)}"
        if rng.random() < 0.05:
            address = f"{'x' * rng.choice([60, 64, 65])}@{rng.choice(domains)}"
        found = international_address(address)
        if found is not None:
            fast += 1
            assert found == _library(address), address
    assert fast > 500


def _full_parser(text: str, region: str | None = None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) \
        if phonenumbers.is_valid_number(number) else None


def _variations(rng: random.Random, number: phonenumbers.PhoneNumber) -> list[str]:
    """The example number as people write it, and near misses: a digit changed, one more, one less."""
    cc, nsn = str(number.country_code), phonenumbers.national_significant_number(number)
    changed = list(nsn)
    changed[rng.randrange(len(changed))] = str(rng.randrange(10))
    return [f"+{cc}{nsn}", f"+{cc} {nsn[:3]} {nsn[3:6]}-{nsn[6:]}", f"+{cc} ({nsn[:2]}) {nsn[2:]}",
            f"+{cc}{''.join(changed)}", f"+{cc}{nsn}{rng.randrange(10)}", f"+{cc}{nsn[:-1]}", f"+{cc} 0{nsn}"]


def test_international_phones_are_decided_as_phonenumbers_decides(corpus: Path) -> None:
    rng = random.Random(11)
    cases = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                cases += _variations(rng, example)
    with (corpus / "libphonenumber/derived_example_numbers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cases += [row["e164"], f"+{row['country_code']} {row['example_national_number']}"]
    cases += ["+593 99 123 4567", "+44 (0)20 7946 0958", "+7 800 555-35-35", "+54 9 11 1234-5678", "+1 800 FLOWERS"]
    fast = 0
    for text in cases:
        result = international_e164(text)
        if result is not None:
            fast += 1
            assert result == _full_parser(text), text
    assert fast > 3_000, fast


def _national_forms(rng: random.Random, region: str, number: phonenumbers.PhoneNumber) -> list[str]:
    """The number as it is dialled at home, with and without the national prefix, and near misses."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    nsn = phonenumbers.national_significant_number(number)
    prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix or ""
    changed = list(nsn)
    changed[rng.randrange(len(changed))] = str(rng.randrange(10))
    return [national, nsn, f"{prefix}{nsn}", f"{prefix}{''.join(changed)}", f"{prefix}{nsn[:-1]}",
            f"{prefix}{nsn}{rng.randrange(10)}", f"{number.country_code}{nsn}", f"00{number.country_code}{nsn}"]


def test_national_phones_are_decided_as_phonenumbers_decides() -> None:
    rng = random.Random(12)
    fast = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for text in _national_forms(rng, region, example):
                result = national_e164(text, region)
                if result is not None:
                    fast += 1
                    assert result == _full_parser(text, region), (text, region)
    for text, region in [("099 123 4567", "EC"), ("8 (916) 123-45-67", "RU"), ("(212) 555-0199", "US"),
                         ("011 15 1234-5678", "AR"), ("07911 123456", "GB"), ("0612345678", "FR")]:
        result = national_e164(text, region)
        assert result is None or result == _full_parser(text, region), (text, region)
    assert fast > 3_000, fast

"""Country cells as people fill them: ISO codes, names in our users' languages, or dialling codes.

The names are CLDR's (through Babel) for every country libphonenumber knows, in English, Spanish,
French, Portuguese and Russian and their regional spellings (Latin American Spanish, Canadian
French, European Portuguese), folded as every other comparison here (case, Latin accents and
punctuation away: 'Côte d’Ivoire', 'COTE D'IVOIRE' and 'cote divoire' are one name; ё is е). What people
write that CLDR does not name, 'USA', 'UK', 'РФ', is kept by hand below. A folded name that two
locales give to two countries would be dropped rather than guessed (none does in CLDR 49, Babel 2.19).

The table is built on the first name looked up: codes and dialling codes never load it.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from leadimport.core.text import fold

# our five languages and the regional spellings of them that people in our markets use
LOCALES = ("en", "es", "es_419", "fr", "fr_CA", "pt", "pt_PT", "ru")
# what people write that CLDR does not name (its alternative short forms are not in Babel's data)
_EXTRA = {
    "US": ("usa", "u.s.a.", "ee.uu.", "eua"), "GB": ("uk",), "RU": ("рф",),
}
_BY_NAME: dict[str, str] = {}  # filled by _by_name() on the first name looked up


def _by_name() -> dict[str, str]:
    if _BY_NAME:
        return _BY_NAME
    from babel import Locale  # loaded with the first name, not with the module

    found: dict[str, set[str]] = {}
    for locale in LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code in phonenumbers.SUPPORTED_REGIONS:  # no EU, UN, 419, ZZ, Antarctica
                found.setdefault(_key(name), set()).add(code)
    for code, names in _EXTRA.items():
        for name in names:
            found.setdefault(_key(name), set()).add(code)
    _BY_NAME.update({name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1 and name})
    return _BY_NAME


@lru_cache(maxsize=4096)  # a file names a handful of countries, row after row
def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code a cell names, or None."""
    value = text.strip()
    if len(value) == 2 and value.upper() in phonenumbers.SUPPORTED_REGIONS:
        return value.upper()
    digits = value.lstrip("+")
    if digits.isdigit() and 1 <= len(digits) <= 3:
        region = phonenumbers.region_code_for_country_code(int(digits))
        return None if region == "ZZ" else region  # seed 001's "Country Code" may be a dialling code
    return (_BY_NAME or _by_name()).get(_key(value))


def _key(name: str) -> str:
    """A name as it is compared: folded, and ё as е (Russian writes either: 'Соединённые', 'Соединенные')."""
    return fold(name).replace("ё", "е")

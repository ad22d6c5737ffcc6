"""A column's field from its values, for headers nobody named ("Col1", "Datos", a blank header).

Only kinds whose values speak for themselves: emails, phone numbers, dates, identity numbers with
a valid check digit, person types, genders and country codes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

import phonenumbers

from leadimport.core.mapping.reasons import Why, why
from leadimport.core.validate.dates import parse_date
from leadimport.core.validate.identity import id_type_of, recognise_number
from leadimport.core.validate.picklists import choice_of

MIN_VALUES = 3
MIN_SHARE = 0.8
# the lookahead settles the domain in one scan: without it, every dot of "a@a.a.a.…@" was tried again (quadratic)
_EMAIL = re.compile(r"^[^@\s]+@(?=[^@\s]*$)[^@\s]+\.[^@\s]+$")
_LONGEST_EMAIL = 254
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")  # could be an Excel serial, but as likely an amount or a count

# (field, test, what the values are: the catalog's mapping.values_<field> says it) in the order they are tried,
# the most specific first
_RECOGNISERS: tuple[tuple[str | None, Callable[[str], bool], str], ...] = (
    ("email", lambda v: len(v) <= _LONGEST_EMAIL and bool(_EMAIL.match(v)), "emails"),
    ("id_number", lambda v: recognise_number(v) is not None, "identity numbers with a valid check digit"),
    ("birth_date", lambda v: _birth_date(_date(v)), "dates of birth"),
    # other dates (created, last contact, next visit) say nothing of which field they are: left unmapped
    (None, lambda v: _date(v) is not None, "dates, but not of birth"),
    ("phone", lambda v: bool(_PHONE.match(v)) and 7 <= sum(c.isdigit() for c in v) <= 15, "phone numbers"),
    ("person_type", lambda v: choice_of("person_type", v) is not None and len(v) > 1, "person types"),
    ("id_type", lambda v: id_type_of(v) is not None and len(v) > 1, "document types"),
    ("gender", lambda v: choice_of("gender", v) is not None, "genders"),
    ("country_code", lambda v: bool(_COUNTRY.match(v)) and v.upper() in phonenumbers.SUPPORTED_REGIONS,
     "country codes"),
)


def recognise_values(values: Sequence[str]) -> tuple[str, float, Why] | None:
    """(field, share of values that fit, reason) when one kind fits at least 80% of the values."""
    values = [v.strip() for v in values if v.strip()]
    if len(values) < MIN_VALUES:
        return None
    for field, test, _what in _RECOGNISERS:
        share = sum(1 for v in values if test(v)) / len(values)
        if share >= MIN_SHARE:
            return (field, share, why(f"values_{field}", share=f"{share:.0%}")) if field else None
    return None


def _date(value: str) -> dt.date | None:
    return None if _PLAIN_NUMBER.match(value) else parse_date(value)


def _birth_date(date: dt.date | None) -> bool:
    """A date at least 12 years ago and within a lifetime: a registration or a visit date is not one."""
    return date is not None and 12 <= (dt.date.today() - date).days / 365.25 <= 110

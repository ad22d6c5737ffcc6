"""The commonest phone shape, "+<country code> <digits>", checked without phonenumbers' parser.

phonenumbers.parse + is_valid_number costs about 100 µs a number, most of it looking patterns up
by their text on every call. For a number written in international form with nothing but digits
and separators, the same decision is made here with the same metadata, compiled once: the
country code, then the national number against the patterns of the number's region, exactly as
is_valid_number decides it. Anything this path is not sure of (a national prefix, a leading zero,
an extension, letters, a non-geographic code) is left to the full parser. A test holds the two to
the same answer on every region's example numbers and on thousands of variations of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

_INTERNATIONAL = re.compile(r"\+[\d\s().\-/]{2,30}")
_NATIONAL = re.compile(r"[\d(][\d\s().\-/]{1,30}")
_NON_DIGITS = re.compile(r"\D")
# validity asks whether any type matches, so the commonest are tried first
_TYPES = ("fixed_line", "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
          "voicemail")


@dataclass(frozen=True)
class _Desc:
    lengths: frozenset[int]
    pattern: re.Pattern[str] | None

    @classmethod
    def of(cls, desc: PhoneNumberDesc | None) -> _Desc | None:
        if desc is None:
            return None
        text = desc.national_number_pattern
        return cls(frozenset(desc.possible_length or ()), re.compile(text) if text else None)

    def matches(self, number: str) -> bool:
        """phonenumbers' _is_number_matching_desc: a possible length, and the whole pattern."""
        if self.lengths and len(number) not in self.lengths:
            return False
        return self.pattern is not None and self.pattern.fullmatch(number) is not None


@dataclass(frozen=True)
class _Region:
    country_code: int
    leading_digits: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None  # national_prefix_for_parsing: the parser may strip it
    # the national prefix when it is a plain string the parser strips without rewriting ("0", "8"); else None
    plain_prefix: str | None
    international_prefix: re.Pattern[str] | None
    local_only: frozenset[int]
    general: _Desc | None
    types: tuple[_Desc, ...]

    @classmethod
    def of(cls, metadata: PhoneMetadata) -> _Region:
        names = _TYPES if metadata.same_mobile_and_fixed_line_pattern else ("mobile", *_TYPES)
        types = tuple(d for d in (_Desc.of(getattr(metadata, name)) for name in names) if d is not None)
        parsing = metadata.national_prefix_for_parsing
        plain = parsing if parsing and parsing.isdigit() and not metadata.national_prefix_transform_rule else None
        general = metadata.general_desc
        return cls(metadata.country_code, re.compile(metadata.leading_digits) if metadata.leading_digits else None,
                   re.compile(parsing) if parsing else None, plain,
                   re.compile(metadata.international_prefix) if metadata.international_prefix else None,
                   frozenset(general.possible_length_local_only or ()) if general else frozenset(),
                   _Desc.of(general), types)

    def has_type(self, number: str) -> bool:
        """phonenumbers' _number_type_helper(...) != UNKNOWN."""
        return self.general is not None and self.general.matches(number) and any(t.matches(number)
                                                                                  for t in self.types)


@cache
def _region(code: str) -> _Region | None:
    metadata = PhoneMetadata.metadata_for_region(code, None)
    return _Region.of(metadata) if metadata is not None else None


@cache
def _regions(country_code: int) -> tuple[_Region, ...] | None:
    codes = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not codes or phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY in codes:
        return None
    found = [PhoneMetadata.metadata_for_region(code, None) for code in codes]
    if any(m is None for m in found):
        return None
    return tuple(_Region.of(m) for m in found)


def _valid(regions: tuple[_Region, ...], number: str) -> bool:
    """is_valid_number: the number's region (region_code_for_number), then its type in that region."""
    if len(regions) == 1:
        return regions[0].has_type(number)
    for region in regions:
        if region.leading_digits is not None:
            if region.leading_digits.match(number):
                return region.has_type(number)
        elif region.has_type(number):
            return True
    return False


def international_e164(text: str) -> str | None:
    """E.164 for a valid "+<country code> <number>" written with digits and separators only; None when
    the number is not of that shape, not valid, or anything the full parser might read differently."""
    if not _INTERNATIONAL.fullmatch(text):
        return None
    digits = _NON_DIGITS.sub("", text)
    if not 3 <= len(digits) <= 17 or digits[0] == "0":
        return None
    for size in (1, 2, 3):  # country codes are prefix-free: the first that exists is the one
        if int(digits[:size]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    country_code, number = int(digits[:size]), digits[size:]
    regions = _regions(country_code)
    if regions is None or len(number) < 2 or number[0] == "0":
        return None  # non-geographic codes, and Italy's and others' leading zeros: the full parser
    main = regions[0]
    if main.national_prefix is not None and main.national_prefix.match(number):
        return None  # the parser may strip a national prefix ("+44 (0)20…"): let it decide
    return f"+{digits}" if _valid(regions, number) else None


def national_e164(text: str, region_code: str) -> str | None:
    """E.164 for a valid number written the national way of `region_code` ("099 123 4567" in EC), with
    digits and separators only; None for anything the full parser might read differently: an
    international or a country-code prefix, a national prefix the parser rewrites, a leading zero."""
    if not _NATIONAL.fullmatch(text):
        return None
    region = _region(region_code)
    if region is None or region.general is None or region.general.pattern is None:
        return None
    digits = _NON_DIGITS.sub("", text)
    if region.international_prefix is not None and region.international_prefix.match(digits):
        return None  # "00 593 …": the parser reads a country code after the international prefix
    code = str(region.country_code)
    if digits.startswith(code):
        # "593 99 …" (seed 001's numbers without their '+'): the parser takes the country code off when
        # the whole is no national number and the rest is one; anything less clear is left to it
        rest = digits[len(code):]
        if region.general.pattern.fullmatch(digits) or not region.general.pattern.fullmatch(rest):
            return None
        return international_e164(f"+{digits}")
    number = digits
    if region.national_prefix is not None and region.national_prefix.match(digits):
        if region.plain_prefix is None or not digits.startswith(region.plain_prefix):
            return None
        # the parser strips it when what is left is a national number of a possible, not local-only,
        # length; the plain path only takes the case where both hold beyond doubt
        number = digits[len(region.plain_prefix):]
        if not region.general.pattern.fullmatch(number) or len(number) not in region.general.lengths \
                or len(number) in region.local_only:
            return None
    if not 2 <= len(number) <= 17 or number[0] == "0":
        return None
    regions = _regions(region.country_code)
    return f"+{region.country_code}{number}" if regions and _valid(regions, number) else None

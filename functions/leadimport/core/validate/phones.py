"""Phone numbers to E.164, read in the row's country or else the tenant's region, never guessed."""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal, InvalidOperation

import phonenumbers

from leadimport.core.validate.phone_fast import international_e164, national_e164

_SCIENTIFIC = re.compile(r"^\d(?:\.(\d+))?[eE]\+?(\d+)$")  # Excel turned 593998887776 into 5.93998887776E+11
_EXCEL_FLOAT = re.compile(r"(\+?\d+)\.0")  # a number cell's float, written out as text: '593991234567.0'
SHORTENED = "shortened"  # the why of a number Excel cut to fewer digits than it has


def normalize_phone(value: str, region: str | None) -> tuple[str | None, str | None]:
    """(E.164, None) or (None, why not)."""
    text = value.strip()
    if "." in text:  # most phones have none: the two patterns below are skipped for them
        scientific = _SCIENTIFIC.match(text)
        if scientific:
            if len(scientific[1] or "") < int(scientific[2]):  # '5.93991E+11': six digits, the rest made up
                return None, SHORTENED
            with contextlib.suppress(InvalidOperation):
                text = str(int(Decimal(text)))
        float_text = _EXCEL_FLOAT.fullmatch(text)
        if float_text:
            text = float_text[1]
    elif "E" in text or "e" in text:  # '6E+11' has no dot
        scientific = _SCIENTIFIC.match(text)
        if scientific:
            return None, SHORTENED
    region = (region or "").upper() or None
    # "+593 99 123 4567" and "099 123 4567": decided without the parser, the same way it decides them
    fast = international_e164(text) or (national_e164(text, region) if region else None)
    if fast:
        return fast, None
    number = _parse(text, region)
    if number is None and not text.startswith(("+", "0")) and sum(c.isdigit() for c in text) >= 10:
        # seed 001: "593123456789" is written without its '+'
        number = _parse("+" + text, None)
    if number is None:
        where = f" for {region}" if region else ""
        hint = "" if region or text.startswith("+") else " (write it with its country code, e.g. +593…)"
        return None, f"'{value.strip()}' is not a valid phone number{where}{hint}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_region(code: str) -> bool:
    return code.upper() in phonenumbers.SUPPORTED_REGIONS

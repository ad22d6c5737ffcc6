"""Email addresses: checked for syntax (no DNS), stored lower-cased.

Nearly every address in a lead file is plain ASCII (letters, digits, `._%+-`, a dotted domain).
Those are decided by one compiled pattern that accepts only what email-validator accepts (a test
holds it to that on the library's own cases and on generated ones); everything else — display
names, internationalised domains, punycode, odd characters and every invalid address — goes to
email-validator, which also explains what is wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

_PLAIN = re.compile(
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"  # a dot-atom local part of the commonest characters
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",  # LDH labels and an alphabetic TLD
    re.IGNORECASE,
)
_SPECIAL = frozenset(SPECIAL_USE_DOMAIN_NAMES)
_NAMED = re.compile(r'[^<>@]*<([^<>]+)>')  # a display name (no '@' of its own) and one address in brackets


def plain_address(candidate: str) -> str | None:
    """The address lower-cased when it has the plain shape email-validator surely accepts, else None."""
    if len(candidate) > 254 or not _PLAIN.fullmatch(candidate):
        return None
    local, _, domain = candidate.lower().rpartition("@")
    labels = domain.split(".")
    # the library's own refusals and conversions among plain shapes: long local parts, special-use
    # names (.local, .test…), and labels with "--" in third place (punycode and its look-alikes)
    if len(local) > 64 or len(domain) > 253 or labels[-1] in _SPECIAL or any(label[2:4] == "--" for label in labels):
        return None
    return f"{local}@{domain}"


_LOCAL = re.compile(r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*", re.IGNORECASE)  # the plain shape's local part


def international_address(candidate: str) -> str | None:
    """A plain local part at an internationalised domain ('ana@correo.españa.es'): the domain is checked by
    email-validator once per file (they repeat), and the address is what the library makes of it."""
    local, at, domain = candidate.rpartition("@")
    if not at or domain.isascii() or len(local) > 64 or not _LOCAL.fullmatch(local):
        return None
    known = _international_domain(domain)
    if known is None or len(local) + 1 + len(known[1]) > 254:
        return None  # the library says why
    return f"{local.lower()}@{known[0]}"


@lru_cache(maxsize=4096)
def _international_domain(domain: str) -> tuple[str, str] | None:
    """(the domain as the library normalises it, its ASCII form), or None if the library refuses it."""
    try:
        info = validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return None
    return info.domain.lower(), info.ascii_domain.lower()


def normalize_email(value: str) -> tuple[str | None, str | None]:
    """(normalised address, None) or (None, the reason it is not an address)."""
    candidate = value.strip()  # a cell's surrounding spaces and line breaks are not part of the address
    if candidate.lower().startswith("mailto:"):
        candidate = candidate[len("mailto:"):]
    named = _NAMED.fullmatch(candidate)
    if named:  # "María Rodríguez <maria@x.com>", as a mail client copies it: the address is what is kept (the
        candidate = named[1].strip()  # library refuses a display name with accents unless it is quoted)
    plain = plain_address(candidate) or international_address(candidate)
    if plain:
        return plain, None
    try:
        # "Ana Torres <ana@x.com>" is what a copy from a mail client gives: keep the address
        info = validate_email(candidate, check_deliverability=False, allow_quoted_local=False,
                              allow_display_name=True)
    except EmailNotValidError as exc:
        return None, str(exc)
    return info.normalized.lower(), None

"""Dedup keys as values: which keys a lead or a row holds, and the ids derived from them. No I/O.

The key documents themselves (tenants/{t}/lead_keys/{hash}) are store/key_docs.py's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from leadimport.core.text import fold_words

KEY_KINDS = ("email", "phone", "id_number", "name")
# documents numbered apart from a country's national ones: a passport's 12345678 is not a DNI's 12345678
_OWN_NUMBERING = frozenset({"passport", "other"})
STRONG_KINDS = frozenset({"email", "phone", "id_number"})  # name only matches when these found nothing (seed 002)


# the fields whose values are a strong key (a mobile alone is the lead's phone): what a key is made of
VALUE_FIELDS = {"email": ("email", "email_2"), "phone": ("phone", "phone_2"), "id_number": ("id_number",)}
_FIELDS_OF_KIND = {"email": {"email"}, "phone": {"phone", "country_code"}, "id_number": {"id_type", "id_number"},
                   "name": {"first_name", "middle_name", "last_name", "second_last_name", "full_name", "company",
                            "person_type"}}


def key_fields(kinds: Iterable[str]) -> set[str]:
    """The lead fields a row needs to be found by these kinds of key."""
    return set().union(*(_FIELDS_OF_KIND[kind] for kind in kinds))


def lead_keys(fields: Mapping[str, Any], kinds: Iterable[str] = KEY_KINDS, typed_ids: bool = False) -> dict[str, str]:
    """The match keys a lead (or a validated row) holds, by kind; computed the same way for both.

    A document is its number, whatever type label it came with (a NIF is the DNI's number; a cédula's RUC
    adds 001, so the two never share one), except a passport's or another document's, numbered apart;
    `typed_ids` (the tenant's id_type_matters) makes it type and number. A name is its folded
    words in any order, so 'Pérez Juan' and 'JUAN PEREZ' are one name; a company row's name is the company's.
    """
    keys: dict[str, str] = {}
    for kind in kinds:
        if kind in {"email", "phone"} and (fields.get(kind) or fields.get(f"{kind}_2")):
            keys[kind] = str(fields.get(kind) or fields[f"{kind}_2"])  # a mobile alone is the lead's phone
        elif kind == "id_number" and fields.get("id_number") and (fields.get("id_type") or not typed_ids):
            typed = typed_ids or fields.get("id_type") in _OWN_NUMBERING
            keys[kind] = f"{fields['id_type']}:{fields['id_number']}" if typed else str(fields["id_number"])
        elif kind == "name":
            text = (fields.get("company") if fields.get("person_type") == "legal" else " ".join(
                str(fields.get(name) or "") for name in ("first_name", "middle_name", "last_name")))
            name = name_key(str(text or ""))
            if " " in name:  # one word ("Juan", "Морозов") is too many people's to find one lead by
                keys[kind] = name
    return keys


@lru_cache(maxsize=1 << 16)  # names repeat down a file
def name_key(text: str) -> str:
    """A name's folded words in order: 'Pérez Juan' and 'JUAN PEREZ' are one name."""
    return " ".join(sorted(fold_words(text)))


def key_forms(fields: Mapping[str, Any]) -> set[tuple[str, str]]:
    """Every key a lead may hold under either document rule: what undo frees, whatever the tenant's setting."""
    return set(lead_keys(fields).items()) | set(lead_keys(fields, typed_ids=True).items())


def other_document_key(fields: Mapping[str, Any], typed_ids: bool) -> str | None:
    """The document's key under the other rule than the tenant's: a key stored before the tenant changed
    id_type_matters (or before documents stopped carrying their type) still finds its lead."""
    other = lead_keys(fields, ["id_number"], not typed_ids).get("id_number")
    return other if other != lead_keys(fields, ["id_number"], typed_ids).get("id_number") else None


def key_id(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{value}".encode()).hexdigest()[:40]


def new_lead_id(job_id: str, row: int) -> str:
    """The id a row's new lead gets: the same on every retry, so a replay recognises its own lead."""
    return hashlib.sha256(f"{job_id}\x1f{row}".encode()).hexdigest()[:20]


def opportunity_id(lead_id: str, opportunity: Mapping[str, Any]) -> str:
    """The same interest (subject and date) of the same lead is one opportunity, however often imported."""
    subject = " ".join(fold_words(str(opportunity.get("opportunity_subject") or "")))
    return hashlib.sha256(f"{lead_id}\x1f{subject}\x1f{opportunity.get('opportunity_date') or ''}".encode()
                          ).hexdigest()[:20]

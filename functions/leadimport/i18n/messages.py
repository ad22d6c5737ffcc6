"""Row messages in the tenant's language: one template per stable code, rendered with its details.

The code is what programs look at; the message is what the person reads in the report, the email
and the sheet. The texts live in the i18n catalog (msgctxt "row", "word", "reason", "common");
English is the fallback for a locale or a text without a translation.
"""

from __future__ import annotations

from typing import Any

from leadimport.i18n.catalog import ids, text

CODES = tuple(cid.removeprefix("row.") for cid in ids("row"))  # every row message code

# The email validator's English explanations, by the words they contain: tried in order, the most
# specific words first (the order is the logic, the texts are in the catalog's "reason" domain)
_EMAIL_REASONS = (
    ("should have a period", "reason.no_period"),
    ("character", "reason.bad_character"),
    ("too long", "reason.too_long"),
    ("must have an @-sign", "reason.no_at"),
    ("@-sign", "reason.around_at"),
    ("after the @", "reason.bad_domain"),
)
_SHARED_WORDS = frozenset({"error", "warning", "status_header"})  # also the error files' words: "common"


def render(code: str, locale: str, **params: Any) -> str:
    return text(f"row.{code}", locale, **params)


def word(name: str, locale: str, **params: Any) -> str:
    return text(f"{'common' if name in _SHARED_WORDS else 'word'}.{name}", locale, **params)


def email_reason(library_message: str, locale: str) -> str:
    if locale == "en":
        return library_message  # the validator's own English explanation is the most precise
    for marker, cid in _EMAIL_REASONS:
        if marker in library_message:
            return text(cid, locale)
    return text("reason.generic", locale)

"""Email addresses: checked for syntax (no DNS), stored lower-cased."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def normalize_email(value: str) -> tuple[str | None, str | None]:
    """(normalised address, None) or (None, the reason it is not an address)."""
    candidate = value.strip()  # a cell's surrounding spaces and line breaks are not part of the address
    if candidate.lower().startswith("mailto:"):
        candidate = candidate[len("mailto:"):]
    try:
        # "Ana Torres <ana@x.com>" is what a copy from a mail client gives: keep the address
        info = validate_email(candidate, check_deliverability=False, allow_quoted_local=False,
                              allow_display_name=True)
    except EmailNotValidError as exc:
        return None, str(exc)
    return info.normalized.lower(), None

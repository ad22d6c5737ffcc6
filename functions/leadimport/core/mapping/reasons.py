"""Why a column maps where it does, said once and rendered in any language.

A reason is a list of (id, params) parts; `reason` on a ColumnMapping is their English text (what the
job keeps and the CLI prints), and the sidebar gets them in its user's language. The texts are the
i18n catalog's "mapping" domain; a param named `field` is a field name, shown as its label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from leadimport.i18n.catalog import text

Why = tuple[str, dict[str, str]]


def why(reason_id: str, **params: str) -> Why:
    return reason_id, params


def render(parts: Sequence[Why], locale: str, label: Callable[[str, str], str] | None = None) -> str:
    """The parts in `locale`, joined; `label(field, locale)` names a field (else its name as it is)."""
    def filled(params: dict[str, str]) -> dict[str, str]:
        return {k: label(v, locale) if k == "field" and label else v for k, v in params.items()}
    return "; ".join(text(f"mapping.{reason_id}", locale, **filled(params)) for reason_id, params in parts)


def because(*parts: Why) -> dict[str, Any]:
    """A ColumnMapping's reason fields: the English text and the parts it was made of."""
    return {"reason": render(parts, "en"), "why": list(parts)}

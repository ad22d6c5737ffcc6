"""Picklist values matched the way people write them: case, accents and synonyms folded.

Person type (seed 000 knows only natural / legal), gender, and the tenant's labels (tags, source,
channel, segment, interest level) are matched to their stored spelling.
"""

from __future__ import annotations

from collections.abc import Iterable

from leadimport.core.text import fold

_SYNONYMS: dict[str, dict[str, str]] = {
    "person_type": {fold(w): "natural" for w in (
        "natural", "persona natural", "física", "persona física", "individual", "particular", "person",
        "personne physique", "physique", "pessoa física", "физическое лицо", "физлицо", "физ. лицо", "фл",
        "natural person", "n",
    )} | {fold(w): "legal" for w in (
        "legal", "persona jurídica", "jurídica", "juridica", "empresa", "company", "business", "legal entity",
        "personne morale", "morale", "société", "pessoa jurídica", "юридическое лицо", "юрлицо",
        "юр. лицо", "юл", "организация", "j",
    )},
    "gender": {fold(w): "female" for w in (
        "female", "f", "woman", "femenino", "mujer", "féminin", "femme", "feminino", "женский", "ж", "жен",
    )} | {fold(w): "male" for w in (
        "male", "m", "man", "masculino", "hombre", "h", "masculin", "homme", "мужской", "м", "муж",
    )} | {fold(w): "other" for w in ("other", "otro", "autre", "outro", "другой", "x", "no binario", "non-binary")},
}


def choice_of(field: str, text: str) -> str | None:
    """The stored value of a fixed picklist (person_type, gender), or None when it is not one."""
    return _SYNONYMS.get(field, {}).get(fold(text))


class LabelCatalog:
    """A tenant's labels of one kind, found again whatever the case and accents."""

    def __init__(self, values: Iterable[str]):
        self._by_fold = {fold(value): value for value in values}

    def __bool__(self) -> bool:
        return bool(self._by_fold)

    def add(self, value: str) -> None:
        self._by_fold.setdefault(fold(value), value)

    def find(self, text: str) -> str | None:
        return self._by_fold.get(fold(text))

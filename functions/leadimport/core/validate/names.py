"""Person names: tidied, and a full name split the way its locale writes it."""

from __future__ import annotations

import re
from functools import lru_cache

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "e", "van", "von", "der",
                        "di", "du", "le", "des"})


def tidy(value: str) -> str:
    return " ".join(value.split())


@lru_cache(maxsize=1 << 16)  # first names and surnames repeat down a file
def tidy_name(value: str) -> str:
    """Spaces collapsed; a name typed all in capitals or all in lower case gets sensible capitals.

    'MARÍA JOSÉ DE LA TORRE' → 'María José de la Torre'; mixed case ('McDonald', 'DeVries') is kept.
    """
    text = tidy(value)
    if not text or (text != text.upper() and text != text.lower()):
        return text
    words = []
    for index, word in enumerate(text.lower().split(" ")):
        if index and word in _PARTICLES:
            words.append(word)
        else:
            words.append(re.sub(r"(^|[-'’])(\w)", lambda m: m[1] + m[2].upper(), word))
    return " ".join(words)


def split_full_name(full: str, locale: str) -> tuple[str, str]:
    """(first, last). Russian names come surname first; Spanish ones carry two surnames."""
    parts = tidy(full).split(" ")
    if not parts or parts == [""]:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    if locale == "ru" or _CYRILLIC.search(full):
        # Иванов Иван Иванович: surname, given name, patronymic
        return " ".join(parts[1:]), parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    if len(parts) == 3 and locale in {"es", "pt"}:
        return parts[0], " ".join(parts[1:])
    if len(parts) == 3:
        return " ".join(parts[:2]), parts[2]
    half = len(parts) // 2
    return " ".join(parts[:half]), " ".join(parts[half:])

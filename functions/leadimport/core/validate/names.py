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


# a full-name column whose header puts the surname first: "Apellidos y nombres" (Peru), "Nom et prénom"
SURNAME_FIRST = re.compile(r"^(apellidos?|surname|last ?name|family name|nom|sobrenome)\b.*\b"
                           r"(nombres?|names?|first ?names?|prenoms?|nome)\b")


def split_full_name(full: str, locale: str, surname_first: bool = False) -> tuple[str, str, str]:
    """(first, middle, last). A Russian ФИО comes surname first, the patronymic last, kept as the middle name
    (1C's Фамилия, Имя, Отчество); other languages keep their own order (Spanish names carry two surnames),
    unless the column says surname first. "Quispe Mamani, Juan Carlos" is surname, given names; "DUPONT
    Jean" (a surname in capitals, the French way) too; a particle starts a surname ("de la Fontaine")."""
    text = tidy(full)
    last, comma, given = (part.strip() for part in text.partition(","))
    if comma and last and given and given.rstrip(".").casefold() not in _SUFFIXES:  # "Surname, Given names"
        if locale == "ru" or _CYRILLIC.search(full):  # "Иванов, Иван Иванович": the patronymic is the middle
            first, _, middle = given.partition(" ")
            return first, middle, last
        return given, "", last
    parts = text.replace(",", " ").split()
    if not parts or parts == [""]:
        return "", "", ""
    if len(parts) == 1:
        return ("", "", parts[0]) if locale == "ru" or _CYRILLIC.search(full) else (parts[0], "", "")
    if locale == "ru" or _CYRILLIC.search(full):
        # Иванов Иван Иванович: surname, given name, patronymic
        return parts[1], " ".join(parts[2:]), parts[0]
    capitals = next((i for i, part in enumerate(parts) if not _is_capitals(part)), len(parts))
    if 0 < capitals < len(parts):  # "DUPONT Jean", "TORRES VÉLEZ María José": the capitals are the surname
        return " ".join(parts[capitals:]), "", " ".join(tidy_name(p) for p in parts[:capitals])
    if surname_first:  # "Torres Vélez María José", "De la Cruz Mamani Rosa": particles go with the surname
        words = [part for part in parts if part.casefold() not in _PARTICLES]
        given = 2 if len(words) >= 4 else 1
        return " ".join(parts[len(parts) - given:]), "", " ".join(parts[:len(parts) - given])
    particle = next((i for i, part in enumerate(parts) if i and part.casefold() in _PARTICLES), None)
    if particle is not None:
        after = particle
        while after < len(parts) and parts[after].casefold() in _PARTICLES:
            after += 1
        if particle == 1 and locale in {"es", "pt"} and after + 1 < len(parts):
            # "María del Carmen López García", "José de Jesús Hernández": the particle is in the given name
            return " ".join(parts[:after + 1]), "", " ".join(parts[after + 1:])
        # "Marie-Claire de la Fontaine", "Luis de Alba", "María José de la Torre": it starts the surname
        return " ".join(parts[:particle]), "", " ".join(parts[particle:])
    if len(parts) == 2:
        return parts[0], "", parts[1]
    if len(parts) == 3 and locale in {"es", "pt"}:
        return parts[0], "", " ".join(parts[1:])
    if len(parts) == 3:
        return " ".join(parts[:2]), "", parts[2]
    half = len(parts) // 2
    return " ".join(parts[:half]), "", " ".join(parts[half:])


def _is_capitals(word: str) -> bool:
    """A word in capitals that is a surname, not initials ("J.C.", "JC")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 2 and "." not in word and all(c.isupper() for c in letters)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "hijo", "fils", "neto"})


# Legal forms, as people write them before or after an organisation's name in our languages and countries
# (compared without dots, commas and case): an organisation typed where a person's name goes is a company.
_LEGAL_FORMS = frozenset({
    "ооо", "оао", "зао", "пао", "ао", "ип", "нко", "тоо",  # Russia (and Kazakhstan's ТОО)
    "sa", "sac", "saa", "srl", "eirl", "sl", "slu", "sll", "sas", "sca", "scs", "ltda", "cialtda", "sadecv",
    "sderl", "ca", "spa", "sarl", "eurl", "sasu", "sci", "snc", "selarl", "gmbh", "ag", "inc", "llc", "ltd",
    "corp", "plc", "bv", "nv", "lda", "me", "epp", "eireli",
})
_LEGAL_SUFFIX = re.compile(r"[.,]")


def has_legal_form(text: str) -> bool:
    """The name starts or ends with a legal form: 'ООО Ромашка', 'Constructora Andes S.A.C.', 'Andes Cía. Ltda.'.

    A short form counts only as written for one (capitals or dots): 'Ana Sa' is a person, 'Andes SA' is not."""
    words = text.split()
    if len(words) < 2:
        return False
    candidates = [words[0], words[-1], "".join(words[-2:]), "".join(words[-3:]) if len(words) > 3 else ""]
    for raw in candidates:
        form = _LEGAL_SUFFIX.sub("", raw).casefold()
        if form in _LEGAL_FORMS and (len(form) > 3 or "." in raw or raw == raw.upper()):
            return True
    return False

"""A column's field from its header name alone: exact synonyms, then parts of the name, then fuzzy.

Exports name columns in many shapes: "Correo electrónico", "Person - Email - Work" (Pipedrive),
"E-mail 1 - Value" (Google), "Emails / Primary Email" (Twenty), "Business City" (Outlook). The
matcher tries the whole name, then the parts between separators, then the name without the words
that only say whose or which one it is (work, home, person, primary, 1), then a close spelling.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from leadimport.core.mapping.catalog import FIELDS
from leadimport.core.mapping.reasons import Why, why
from leadimport.core.text import fold, fold_words

_FUZZY_CUTOFF = 0.8  # Odoo's base_import accepts a distance of 0.2
_FUZZY_MIN_LENGTH = 5  # "id" is one edit from "dni": short names only match exactly
_SEPARATORS = re.compile(r"\s+[-–—]\s+|[/:|()\[\]#>]|\s*\.\s+")
_DUPLICATE_SUFFIX = re.compile(r"\s\(\d+\)$")  # added by the reader to repeated header names
_LONGEST_HEADER = 200  # of a column name, what is matched: a longer one names no field, and costs time
# Words that say whose or which value a column holds, not what it is
_QUALIFIERS = frozenset(fold(w) for w in (
    "work", "home", "business", "primary", "main", "personal", "private", "principal", "value", "1",
    "mobile", "cell", "móvil", "movil", "celular", "trabajo", "laboral", "trabalho",
    "particular", "valor", "valeur", "pro", "professionnel",
    "рабочий", "рабочая", "основной", "основная", "личный", "мобильный", "the", "your", "su", "tu", "votre",
    "de", "del", "la", "el", "du", "des", "le", "da", "do",
))
# Words that name the record a column belongs to in a prefixed export ("Person - …", "Deal - …")
_NAMESPACES = frozenset(fold(w) for w in (
    "person", "persona", "pessoa", "personne", "contact", "contacto", "contato", "lead", "deal",
    "organization", "organisation", "organização", "account", "client", "customer", "cliente",
    "record", "контакт", "лид", "сделка", "клиент",
))
# A trailing part naming a property of the value, not the value: "Phone 1 - Type", "E-mail 1 - Label"
_ABOUT_THE_VALUE = frozenset(fold(w) for w in (
    "type", "label", "service", "formatted", "yomi", "phonetic", "tipo", "etiqueta", "type", "тип",
))


@dataclass(frozen=True)
class HeaderMatch:
    field: str
    confidence: float
    why: Why


_STRONG: dict[str, str] = {}
_WEAK: dict[str, str] = {}
_KEY_WORDS: dict[str, list[str]] = {}  # folded synonym → its folded words, for word-by-word fuzzy checks
for _spec in FIELDS:
    for _name in (_spec.name, *_spec.labels.values(), *_spec.synonyms):
        _STRONG.setdefault(fold(_name), _spec.name)
        _KEY_WORDS.setdefault(fold(_name), fold_words(_name))
    for _name in _spec.weak:
        _WEAK.setdefault(fold(_name), _spec.name)
        _KEY_WORDS.setdefault(fold(_name), fold_words(_name))
_STRIPPED: dict[str, str] = {}  # a strong synonym without its qualifiers: "número de teléfono" → "numerotelefono"
_ALL_KEYS = list(_STRONG) + [key for key in _WEAK if key not in _STRONG]


for _key, _field in _STRONG.items():
    _STRIPPED.setdefault("".join(w for w in _KEY_WORDS[_key] if w not in _QUALIFIERS and not w.isdigit()), _field)


def is_known_header(text: str) -> bool:
    """True when a cell is a header name the catalog knows (helps the reader find the header row)."""
    return _lookup(fold(text)) is not None


def match_header(column: str) -> HeaderMatch | None:
    # whitespace collapsed first: inside a long run of spaces _SEPARATORS scanned the run from each one
    name = _DUPLICATE_SUFFIX.sub("", " ".join(column[:_LONGEST_HEADER * 4].split())[:_LONGEST_HEADER])
    key = fold(name)
    if not key:
        return None
    exact = _lookup(key)
    if exact:
        field, strength = exact
        if strength == 1.0:
            return HeaderMatch(field, 1.0, why("known_header"))
        return HeaderMatch(field, round(strength, 2), why("usual_header"))
    words = fold_words(name)
    if any(word in {"yomi", "phonetic"} for word in words):
        return None  # a name's reading aid, not the name
    parts = [part for part in _SEPARATORS.split(name) if fold(part)]
    if len(parts) > 1 and fold(parts[-1]) in _ABOUT_THE_VALUE and _content(" ".join(parts[:-1])):
        return None  # "Phone 1 - Type" says what kind of phone it is; it is not one
    content = _content(name) or _content(name, keep_namespaces=True)
    found = _by_parts(parts, content) if len(parts) > 1 else None
    if found:
        return found
    if content and content != key:
        stripped = _lookup(content) or ((_STRIPPED[content], 1.0) if content in _STRIPPED else None)
        if stripped:
            return HeaderMatch(stripped[0], round(0.85 * stripped[1], 2), why("qualified_header"))
    return _fuzzy(words)


def _content(text: str, keep_namespaces: bool = False) -> str:
    """The folded words that say what a column is, without 'work', 'person', '1' and the like."""
    return "".join(w for w in fold_words(text) if w not in _QUALIFIERS and not w.isdigit()
                   and (keep_namespaces or w not in _NAMESPACES))


def _lookup(key: str) -> tuple[str, float] | None:
    """(field, strength) for a folded name; a trailing or embedded number is tried without it."""
    for candidate, factor in ((key, 1.0), (re.sub(r"\d+", "", key), 0.95)):
        if candidate in _STRONG:
            return _STRONG[candidate], factor
        if candidate in _WEAK:
            return _WEAK[candidate], 0.75 * factor
    return None


def _by_parts(parts: list[str], content: str) -> HeaderMatch | None:
    """The best match of a run of the header's parts that covers most of its meaningful words."""
    best: tuple[float, int, str, str] | None = None  # (score, -start, field, part)
    keep_namespaces = not _content(" ".join(parts))
    for size in range(len(parts) - 1, 0, -1):
        for start in range(len(parts) - size + 1):
            window = " ".join(parts[start:start + size])
            window_content = _content(window, keep_namespaces)
            if not window_content:
                continue
            found = _lookup(fold(window)) or _lookup(window_content)
            if not found:
                continue
            coverage = len(window_content) / len(content) if content else 0.0
            if coverage < 0.45:
                continue
            score = found[1] * min(coverage, 1.0)
            if best is None or (score, -start) > best[:2]:
                best = (score, -start, found[0], window.strip())
    if best is None:
        return None
    return HeaderMatch(best[2], round(0.9 * best[0], 2), why("part_known", name=repr(best[3])))


def _fuzzy(words: list[str]) -> HeaderMatch | None:
    """A misspelt known name: every word close to the same word of one synonym ('Emial adress')."""
    key = "".join(words)
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    for close in difflib.get_close_matches(key, _ALL_KEYS, n=5, cutoff=_FUZZY_CUTOFF):
        if not _words_align(words, _KEY_WORDS[close]):
            continue
        ratio = difflib.SequenceMatcher(None, key, close).ratio()
        weight = 0.9 if close in _STRONG else 0.7
        field = _STRONG.get(close) or _WEAK[close]
        return HeaderMatch(field, round(weight * ratio, 2), why("close_header", name=repr(close)))
    return None


def _words_align(words: list[str], target: list[str]) -> bool:
    if len(words) != len(target):
        return False
    return all(difflib.SequenceMatcher(None, a, b).ratio() >= 0.75 for a, b in zip(words, target, strict=True))

"""Every text a person reads, in the tenant's language: one gettext catalog, read once at import.

The .po files are beside it, in locales/{lang}/LC_MESSAGES/leadimport.po (en's holds the English source,
the others carry it as a comment for the translator): what translators' tools read and write.

An id is "<domain>.<key>": msgctxt is the domain (row, reason, word, note, mail, errorfile, template,
field, common), msgid the key the code already uses. A text takes str.format placeholders by name
({field}, {value}…), as the old tables did, so callers pass the same keyword arguments.

Fallbacks, as before: a language we do not have, or a text it lacks (missing, empty or fuzzy),
is English; an id English lacks is a program error (KeyError), as an unknown code was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES = ("en", "es", "fr", "ru", "pt")
DEFAULT = "en"
DOMAIN = "leadimport"
LOCALES_DIR = Path(__file__).with_name("locales")


def _read(path: Path, lang: str) -> dict[str, str]:
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN, ignore_obsolete=True, abort_invalid=True)
    # as msgfmt does: a fuzzy or empty translation is no translation
    return {f"{m.context}.{m.id}": m.string for m in catalog if m.id and m.string and not m.fuzzy}


def load(directory: Path = LOCALES_DIR) -> dict[str, dict[str, str]]:
    """{lang: {id: text}}, every language completed with English where it has nothing."""
    english = _read(directory / DEFAULT / "LC_MESSAGES" / f"{DOMAIN}.po", DEFAULT)
    texts = {DEFAULT: english}
    for lang in LOCALES:
        if lang != DEFAULT:
            own = _read(directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang)
            texts[lang] = {cid: own.get(cid, text) for cid, text in english.items()}  # ids English lacks: dropped
    return texts


_TEXTS = load()


def text(cid: str, locale: str | None, **params: Any) -> str:
    """The text `cid` ("row.invalid_email") in `locale`, its {placeholders} filled from params."""
    return _TEXTS.get(locale, _TEXTS[DEFAULT])[cid].format(**params)  # type: ignore[arg-type]


def each_locale(cid: str) -> dict[str, str]:
    """{lang: text} for every language, unformatted: what the mapper learns a field's labels from."""
    return {lang: texts[cid] for lang, texts in _TEXTS.items()}


def ids(domain: str | None = None) -> list[str]:
    """Every id, or a domain's ("row"), in catalog order."""
    return [cid for cid in _TEXTS[DEFAULT] if domain is None or cid.startswith(domain + ".")]

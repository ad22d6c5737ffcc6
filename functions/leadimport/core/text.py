"""Text folding shared by every stage that compares what people typed: headers, names, picklists."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+")
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators: none belongs in a one-line value
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r" {2,}")


@lru_cache(maxsize=1 << 16)  # cities, sources, tags and names repeat down a file: fold each once
def _strip_latin_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # keep й/ё distinct from и/е: strip only the marks Latin letters carry
    kept = "".join(
        ch for i, ch in enumerate(decomposed)
        if not (unicodedata.combining(ch) and i and decomposed[i - 1].isascii())
    )
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: 'Correo Electrónico:' → 'correoelectronico'."""
    return _NON_WORD.sub("", _strip_latin_marks(text))


def fold_words(text: str) -> list[str]:
    """The folded words of a text: 'Person - E-mail (Work)' → ['person', 'e', 'mail', 'work']."""
    return [word for word in _NON_WORD.split(_strip_latin_marks(text)) if word]


def one_line(text: str, limit: int) -> str:
    """A value that goes into a header, a subject or a file name: control characters (CR/LF among them,
    which would make the mail library refuse the whole message) become spaces, and it is cut to `limit`."""
    text = _SPACES.sub(" ", _CONTROLS.sub(" ", text)).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"

"""Which encoding a text file is in, decided from a sample of its bytes.

Our users' files come from Excel on Windows (cp1252 in Spain and Latin America, cp1251 in
Russia), from 1C and DOS-era tools (cp866, KOI8-R), from Macs, and as UTF-16 ("Unicode text").
"""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 256 * 1024  # enough lines to judge, small enough to read twice
# Bytes that cp1252 leaves undefined: a file holding them was written as latin-1.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CYRILLIC_CODECS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
# The most frequent Russian letters: a right guess decodes most high bytes into these, in lower case
_COMMON_RUSSIAN = frozenset("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    order = utf16_byte_order(sample)
    if order:
        return order
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _in_runs(sample):
        return max(_CYRILLIC_CODECS, key=lambda codec: _russian_score(sample, codec))
    if any(byte in _CP1252_HOLES for byte in sample):
        return "latin-1"
    return "cp1252"


def utf16_byte_order(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for BOM-less UTF-16 text (every other byte is NUL), else None."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    even_nuls = sample[0:pairs * 2:2].count(0)
    odd_nuls = sample[1:pairs * 2:2].count(0)
    if odd_nuls > 0.3 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le"
    if even_nuls > 0.3 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be"
    return None


def _in_runs(sample: bytes) -> bool:
    """Russian words are runs of high bytes; Western accents sit alone between ASCII letters."""
    high = [i for i, byte in enumerate(sample) if byte >= 0x80]
    if not high:
        return False
    paired = sum(
        1 for i in high if (i > 0 and sample[i - 1] >= 0x80) or (i + 1 < len(sample) and sample[i + 1] >= 0x80)
    )
    return paired / len(high) > 0.6


def _russian_score(sample: bytes, codec: str) -> float:
    text = sample.decode(codec, errors="replace")
    letters = [ch for ch in text if not ch.isascii()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch in _COMMON_RUSSIAN) / len(letters)

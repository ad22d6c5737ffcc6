"""Which encoding a text file is in, decided from a sample of its bytes."""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 256 * 1024  # enough lines to judge, small enough to read twice
# Bytes that cp1252 leaves undefined: a file holding them was written as latin-1.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_cyrillic(sample):
        return "cp1251"
    if any(byte in _CP1252_HOLES for byte in sample):
        return "latin-1"
    return "cp1252"


def _looks_cyrillic(sample: bytes) -> bool:
    """Russian words are runs of high bytes; Western accents sit alone between ASCII letters."""
    high = [i for i, byte in enumerate(sample) if byte >= 0xC0]
    if not high:
        return False
    paired = sum(
        1 for i in high if (i > 0 and sample[i - 1] >= 0x80) or (i + 1 < len(sample) and sample[i + 1] >= 0x80)
    )
    return paired / len(high) > 0.6


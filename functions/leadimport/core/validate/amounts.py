"""Amounts typed with either decimal convention: 1,234.56 / 1.234,56 / 1 234,56 / $ 1.500 / 1500 руб."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NOISE = re.compile(r"[^\d,.\-]")


def parse_amount(text: str, decimal_comma: bool = True) -> float | None:
    """`decimal_comma`: the locale writes 1.500 for fifteen hundred (es, fr, ru, pt), not one and a half."""
    value = _NOISE.sub("", text.replace("\u00a0", " ").replace(" ", "")).strip(".")
    if not value or not any(ch.isdigit() for ch in value):
        return None
    last_comma, last_dot = value.rfind(","), value.rfind(".")
    if last_comma > last_dot:
        decimals = len(value) - last_comma - 1
        # "1,234" is a thousand in English files; "1234,5" and "1.234,56" use the comma for decimals
        value = value.replace(".", "").replace(",", "." if decimals != 3 or last_dot != -1 else "")
    elif last_dot > last_comma and last_comma != -1:
        value = value.replace(",", "")
    elif value.count(".") > 1 or (decimal_comma and last_comma == -1 and len(value) - last_dot - 1 == 3):
        value = value.replace(".", "")  # 1.234.567 and, where the comma is decimal, 1.500: dots group thousands
    try:
        return float(Decimal(value))
    except InvalidOperation:
        return None

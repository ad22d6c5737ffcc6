"""Dates as people type them: ISO, 31/12/2024, 12/31/2024 (US), 31.12.2024, '1 de mayo de 2024',
'1 mai 2024', '1 мая 2024', 'May 1, 2024', '1-févr.-24', and Excel's serial numbers (45413 = 2024-05-01).

Day and month are told apart by a number above 12; when both fit, the tenant's convention decides
(month first only for US-style regions), never a guess per row.
"""

from __future__ import annotations

import datetime as dt
import re

from leadimport.core.text import fold

MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's leap-year bug before March 1900
# Month names, as CLDR spells them (through Babel) in our five languages and the regional spellings
# people in our markets use ('setiembre' in Peru and Uruguay, 'juill.' in Canada): the wide and the
# abbreviated forms, both as they stand in a date ("1 января", the Russian genitive) and alone
# ("январь"), folded like every other comparison here ('févr.', 'FEVR', 'fevr' are one).
MONTH_LOCALES = ("en", "es", "es_PE", "fr", "fr_CA", "pt", "pt_PT", "ru")
# short forms people write that CLDR does not give (its Russian ones are "февр.", "сент.", "нояб.")
_EXTRA_MONTHS = {2: ("фев",), 9: ("сен",), 11: ("ноя",)}
_MONTHS: dict[str, int] = {}  # filled by _month_names() on the first date written with a month name


def _month_names() -> dict[str, int]:
    if _MONTHS:
        return _MONTHS
    from babel import Locale  # loaded with the first month name, not with the module

    found: dict[str, set[int]] = {}
    for locale in MONTH_LOCALES:
        months = Locale.parse(locale).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    found.setdefault(fold(name), set()).add(number)
    for number, names in _EXTRA_MONTHS.items():
        for name in names:
            found.setdefault(fold(name), set()).add(number)
    # a name two months share (none in these locales; fr_MA's "jui" would be) names neither
    table = {name: next(iter(numbers)) for name, numbers in found.items()
             if len(numbers) == 1 and name and name not in _FILLER}
    _MONTHS.update(table)
    return _MONTHS


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
                  r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?$",
                      re.IGNORECASE)
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_FILLER = frozenset({"de", "del", "of", "the", "le", "г", "года", "год"})


def parse_date(text: str, month_first: bool = False, today: dt.date | None = None) -> dt.date | None:
    value = text.strip()
    if not value:
        return None
    try:
        if match := _ISO.match(value):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC.match(value):
            return _day_month_year(int(match[1]), int(match[2]), match[3], month_first, today)
    except ValueError:
        return None
    if _SERIAL.match(value):
        serial = float(value)
        if 1 <= serial < 2958466:  # 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
        return None
    return _with_month_name(value, today)


def _day_month_year(first: int, second: int, year_text: str, month_first: bool, today: dt.date | None) -> dt.date:
    year = _full_year(year_text, today)
    if first > 12 or (not month_first and second <= 12):
        return dt.date(year, second, first)
    return dt.date(year, first, second)


def _full_year(text: str, today: dt.date | None) -> int:
    if len(text) == 4:
        return int(text)
    pivot = ((today or dt.date.today()).year + 10) % 100  # '24 is 2024; '71 is 1971
    return 2000 + int(text) if int(text) <= pivot else 1900 + int(text)


def _with_month_name(value: str, today: dt.date | None) -> dt.date | None:
    words = [w for w in re.split(r"[\s,./\-]+", value.casefold()) if w and fold(w) not in _FILLER]
    if len(words) != 3:
        return None
    months = _MONTHS or _month_names()
    month_at = [i for i, w in enumerate(words) if fold(w) in months]
    if len(month_at) != 1:
        return None
    month = months[fold(words[month_at[0]])]
    numbers = [w for i, w in enumerate(words) if i != month_at[0]]
    if not all(n.isdigit() for n in numbers):
        return None
    day_text, year_text = (numbers if len(numbers[1]) in (2, 4) and len(numbers[0]) <= 2 else numbers[::-1])
    try:
        return dt.date(_full_year(year_text, today), month, int(day_text))
    except ValueError:
        return None

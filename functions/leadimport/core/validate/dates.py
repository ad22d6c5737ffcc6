"""Dates as people type them: ISO, 31/12/2024, 12/31/2024 (US), 31.12.2024, '1 de mayo de 2024',
'1 mai 2024', '1 мая 2024', 'May 1, 2024', and Excel's serial numbers (45413 = 2024-05-01).

Day and month are told apart by a number above 12; when both fit, the tenant's convention decides
(month first only for US-style regions), never a guess per row.
"""

from __future__ import annotations

import datetime as dt
import re

from leadimport.core.text import fold

MONTH_FIRST_REGIONS = frozenset({"US", "PH", "FM", "MH", "PW"})
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's leap-year bug before March 1900
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan enero ene janvier janv janeiro января январь янв",
    "february feb febrero février fevrier févr fev fevereiro февраля февраль фев",
    "march mar marzo mars março марта март",
    "april apr abril avril avr апреля апрель апр",
    "may mayo mai maio мая май",
    "june jun junio juin junho июня июнь",
    "july jul julio juillet juil julho июля июль",
    "august aug agosto août aout ago августа август авг",
    "september sep sept septiembre setiembre septembre set setembro сентября сентябрь сен",
    "october oct octubre octobre out outubro октября октябрь окт",
    "november nov noviembre novembre novembro ноября ноябрь ноя",
    "december dec diciembre dic décembre decembre déc dez dezembro декабря декабрь дек",
), start=1):
    for _name in _names.split():
        _MONTHS[fold(_name)] = _number

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
    month_at = [i for i, w in enumerate(words) if fold(w) in _MONTHS]
    if len(month_at) != 1:
        return None
    month = _MONTHS[fold(words[month_at[0]])]
    numbers = [w for i, w in enumerate(words) if i != month_at[0]]
    if not all(n.isdigit() for n in numbers):
        return None
    day_text, year_text = (numbers if len(numbers[1]) in (2, 4) and len(numbers[0]) <= 2 else numbers[::-1])
    try:
        return dt.date(_full_year(year_text, today), month, int(day_text))
    except ValueError:
        return None

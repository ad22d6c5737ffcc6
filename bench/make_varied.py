"""Lead files written the way other teams' exports write them: the same 12 columns as make_leads.py, with
values that vary as real files do. The fast paths were tuned on make_leads.py's tidy values; this is the
file that shows what they are worth on everyone else's (issue 20).

    python bench/make_varied.py --rows 100000 -o bench/data/varied_100k.csv   (or .xlsx)

Deterministic (seeded). The proportions, per value, judged from the exports in ../shared/corpus and the
seeds' manuals:
- phones: 6 regions in one file (EC 50%, PE 20%, CO 10%, ES 10%, FR 5%, RU 5%), the row's country in its
  column; written international with spaces 22%, national with the trunk prefix 14%, with parentheses
  6%, without the trunk prefix 10%, with dashes 10%, with dots 8%, country code without '+' 10%, as
  Excel's float (593991234567.0) 7%, in full scientific notation 3%, with an extension 4%, empty 6%;
- emails: lower case 50%, upper case 15%, with a display name 10%, with spaces around 10%, mixed case 5%,
  an internationalised domain 5%, empty 5%;
- names in capitals 20%; dates in four formats (dd/mm/yyyy, yyyy-mm-dd, d.m.yyyy, "15 mar 2026") and as
  Excel serials, 20% each; tags with , ; | and / between them;
- broken, about 3% of rows: an email without '@', a phone too short, an impossible date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import make_leads
import phonenumbers
from make_leads import COMPANIES, DOMAINS, FIRST, LAST, SOURCES, TITLES, _ascii

REGIONS = [("EC", "Ecuador", 50), ("PE", "Perú", 20), ("CO", "Colombia", 10), ("ES", "España", 10),
           ("FR", "Francia", 5), ("RU", "Rusia", 5)]
CITY = {"EC": "Quito", "PE": "Lima", "CO": "Bogotá", "ES": "Madrid", "FR": "Lyon", "RU": "Moscú"}
TAG_SETS = [["VIP"], ["VIP", "Referido"], ["Web", "Feria 2026"], ["Feria 2026", "VIP", "Web"], []]
SEPARATORS = [", ", ";", " | ", " / "]
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def _phone(rng: random.Random, region: str) -> str:
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(number.national_number)
    national = digits[:-6] + f"{rng.randrange(10**6):06d}"
    code = str(number.country_code)
    trunk = {"EC": "0", "FR": "0", "RU": "8"}.get(region, "")  # Peru's, Colombia's and Spain's mobiles have none
    return _pick(rng, [
        (0.22, f"+{code} {national[:2]} {national[2:5]} {national[5:]}"),
        (0.36, f"{trunk}{national[:2]} {national[2:5]} {national[5:]}"),
        (0.42, f"({trunk}{national[:2]}) {national[2:5]}-{national[5:]}"),
        (0.52, national),
        (0.62, f"{trunk}{national[:2]}-{national[2:5]}-{national[5:]}"),
        (0.70, f"{trunk}{national[:2]}.{national[2:5]}.{national[5:]}"),
        (0.80, f"{code}{national}"),
        (0.87, f"{code}{national}.0"),
        (0.90, f"{code[0]}.{code[1:]}{national}E+{len(code + national) - 1}"),
        (0.94, lambda: f"+{code} {national} ext. {rng.randrange(10, 99)}"),  # its own draw, once chosen
        (1.00, ""),
    ])


def _pick(rng: random.Random, shares: list[tuple[float, str | Callable[[], str]]]) -> str:
    """One value of `shares` (cumulative share, value), by one roll: each has its own share of the file. A
    value that draws from `rng` is a callable, drawn only once chosen, so the file is the same seed for seed."""
    roll = rng.random()
    value = next(value for below, value in shares if roll < below)
    return value() if callable(value) else value


def _email(rng: random.Random, first: str, last: str, i: int) -> str:
    local = f"{_ascii(first.split()[0])}.{_ascii(last.split()[0])}{i}"
    address = f"{local}@{rng.choice(DOMAINS)}"
    return _pick(rng, [
        (0.50, address),
        (0.65, address.upper()),
        (0.75, f"{first} {last} <{address}>"),
        (0.85, f"  {address} "),
        (0.90, lambda: local.capitalize() + "@" + rng.choice(DOMAINS).capitalize()),
        (0.95, f"{local}@correo.españa.es"),
        (1.00, ""),
    ])


def _date(rng: random.Random) -> str:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
    return rng.choice([day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}.{day.month}.{day.year}",
                       f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                       str((day - dt.date(1899, 12, 30)).days)])


def rows(count: int, seed: int = 11) -> Iterator[list[str]]:
    rng = random.Random(seed)
    regions = [r for r, _, weight in REGIONS for _ in range(weight)]
    countries = {r: name for r, name, _ in REGIONS}
    for i in range(count):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)} {rng.choice(LAST)}"
        region = rng.choice(regions)
        email, phone, when = _email(rng, first, last, i), _phone(rng, region), _date(rng)
        if rng.random() < 0.2:
            first, last = first.upper(), last.upper()
        roll = rng.random()
        if roll < 0.01:
            email = email.replace("@", " ")
        elif roll < 0.02:
            phone = phone[:5]
        elif roll < 0.03:
            when = "31/02/2026"
        tags = rng.choice(SEPARATORS).join(rng.choice(TAG_SETS))
        yield [first, last, email, phone, rng.choice(COMPANIES), rng.choice(TITLES), CITY[region],
               countries[region], rng.choice(SOURCES), tags, when,
               "Llamar por la tarde" if i % 4 == 0 else ""]


def write(path: Path, count: int) -> Path:
    return make_leads.write(path, count, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    print(write(args.output, args.rows))


if __name__ == "__main__":
    main()

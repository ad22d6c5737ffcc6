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
import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
from make_leads import COMPANIES, DOMAINS, FIRST, HEADER, LAST, SOURCES, TITLES, _ascii

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
    roll = rng.random()
    if roll < 0.22:
        return f"+{code} {national[:2]} {national[2:5]} {national[5:]}"
    if roll < 0.36:
        return f"{trunk}{national[:2]} {national[2:5]} {national[5:]}"
    if roll < 0.42:
        return f"({trunk}{national[:2]}) {national[2:5]}-{national[5:]}"
    if roll < 0.52:
        return national
    if roll < 0.62:
        return f"{trunk}{national[:2]}-{national[2:5]}-{national[5:]}"
    if roll < 0.70:
        return f"{trunk}{national[:2]}.{national[2:5]}.{national[5:]}"
    if roll < 0.80:
        return f"{code}{national}"
    if roll < 0.87:
        return f"{code}{national}.0"
    if roll < 0.90:
        text = f"{code}{national}"
        return f"{text[0]}.{text[1:]}E+{len(text) - 1}"
    if roll < 0.94:
        return f"+{code} {national} ext. {rng.randrange(10, 99)}"
    return ""


def _email(rng: random.Random, first: str, last: str, i: int) -> str:
    local = f"{_ascii(first.split()[0])}.{_ascii(last.split()[0])}{i}"
    address = f"{local}@{rng.choice(DOMAINS)}"
    roll = rng.random()
    if roll < 0.50:
        return address
    if roll < 0.65:
        return address.upper()
    if roll < 0.75:
        return f"{first} {last} <{address}>"
    if roll < 0.85:
        return f"  {address} "
    if roll < 0.90:
        return local.capitalize() + "@" + rng.choice(DOMAINS).capitalize()
    if roll < 0.95:
        return f"{local}@correo.españa.es"
    return ""


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
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Leads")
        sheet.append(HEADER)
        for row in rows(count):
            sheet.append(row)
        book.save(path)
        return path
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(count))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    print(write(args.output, args.rows))


if __name__ == "__main__":
    main()

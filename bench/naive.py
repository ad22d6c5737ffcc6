"""The obvious way to check a lead file, for bench/cpu_path.py to measure itself against (issue 20): the csv
module, a pydantic model per row, email-validator, phonenumbers (parse, validity, E.164) and a set for
duplicates. It maps by the exact header names of make_leads.py's and make_varied.py's files, and reads a
national number in the row's country.

    python bench/naive.py FILE.csv

Prints, last, `rows/s: N` and `peak_rss_mb: N`, as cpu_path.py does.
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel

COUNTRIES = {"Ecuador": "EC", "Perú": "PE", "Chile": "CL", "Colombia": "CO", "España": "ES", "Francia": "FR",
             "Rusia": "RU"}


class Lead(BaseModel):
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    city: str | None = None
    country: str | None = None
    source: str | None = None
    tags: list[str] = []


def check(row: dict[str, str], seen: set[str]) -> Lead | None:
    email = phone = None
    try:
        if row["Correo electrónico"].strip():
            email = validate_email(row["Correo electrónico"].strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        email = None
    region = COUNTRIES.get(row["País"], "EC")
    try:
        if row["Teléfono"].strip():
            number = phonenumbers.parse(row["Teléfono"], region)
            if phonenumbers.is_valid_number(number):
                phone = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        phone = None
    if not (email or phone) or not row["Nombre"].strip() or not row["Apellidos"].strip():
        return None
    keys = [key for key in (email, phone) if key]
    if any(key in seen for key in keys):
        return None
    seen.update(keys)
    return Lead(first_name=row["Nombre"].strip(), last_name=row["Apellidos"].strip(), email=email, phone=phone,
                company=row["Empresa"] or None, city=row["Ciudad"] or None, country=region,
                source=row["Origen"] or None, tags=[t.strip() for t in row["Etiquetas"].split(",") if t.strip()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    seen: set[str] = set()
    rows = valid = 0
    with args.file.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            valid += check(row, seen) is not None
    total = time.perf_counter() - start
    print(f"file: {args.file.name}, {rows} rows, {valid} valid")
    print(f"rows/s: {rows / max(total, 1e-9):.0f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()

"""The obvious way to check a lead file, for bench/cpu_path.py to measure itself against (issue 20): the csv
module, a pydantic model per row, email-validator, phonenumbers (parse, validity, E.164) and a set for
duplicates. It maps by the exact header names of make_leads.py's and make_varied.py's files, and reads a
national number in the row's country.

    python bench/naive.py FILE.csv
    python bench/naive.py FILE.xlsx     # openpyxl's read-only mode, its values as text


Prints, last, `rows/s: N` and `peak_rss_mb: N`, as cpu_path.py does.
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
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


def records(path: Path) -> Iterator[dict[str, str]]:
    """The file's rows by header name, as text."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = book.active.iter_rows(values_only=True)
        header = [str(cell) for cell in next(rows)]
        for values in rows:
            yield {name: "" if value is None else str(value) for name, value in zip(header, values, strict=False)}
        book.close()
        return
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    start = time.perf_counter()
    seen: set[str] = set()
    rows = valid = 0
    for row in records(args.file):
        rows += 1
        valid += check(row, seen) is not None
    total = time.perf_counter() - start
    print(f"file: {args.file.name}, {rows} rows, {valid} valid")
    print(f"rows/s: {rows / max(total, 1e-9):.0f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()

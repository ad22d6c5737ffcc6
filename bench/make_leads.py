"""Realistic lead files for the benchmarks: 12 columns as a Latin American sales team exports them.

    python bench/make_leads.py --rows 100000 --format csv -o bench/data/leads_100k.csv

Deterministic (seeded). About 2% of rows carry a problem people really send: a broken email, a
phone too short, an email repeated from an earlier row, no contact at all.
"""

from __future__ import annotations

import argparse
import csv
import random
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import phonenumbers

HEADER = ["Nombre", "Apellidos", "Correo electrónico", "Teléfono", "Empresa", "Cargo", "Ciudad", "País", "Origen",
          "Etiquetas", "Fecha de registro", "Notas"]
FIRST = ["María", "José", "Luis", "Ana", "Carlos", "Lucía", "Jorge", "Sofía", "Diego", "Valentina", "Andrés",
         "Camila", "Juan Pablo", "Daniela", "Miguel Ángel", "Gabriela", "Fernando", "Paula", "Ricardo", "Isabel"]
LAST = ["García", "Rodríguez", "Pérez", "Núñez", "Torres", "Vélez", "Cevallos", "Andrade", "Mora", "Zambrano",
        "Ortiz", "Castillo", "Romero", "Herrera", "Vásquez", "Salazar", "Paredes", "Benítez", "Jaramillo", "Ruiz"]
DOMAINS = ["gmail.com", "hotmail.com", "outlook.es", "yahoo.com", "inmosol.ec", "empresa.com.pe", "correo.cl"]
COMPANIES = ["Inmobiliaria Sol", "Constructora Andes", "Grupo Pacífico", "", "", "Comercial Quito S.A.", "Agro Sur"]
TITLES = ["Gerente", "Jefe de compras", "Asistente", "Director comercial", "", "Analista"]
CITIES = [("Quito", "Ecuador"), ("Guayaquil", "Ecuador"), ("Cuenca", "Ecuador"), ("Lima", "Perú"),
          ("Arequipa", "Perú"), ("Santiago", "Chile"), ("Bogotá", "Colombia")]
SOURCES = ["Facebook", "Urbania", "Web", "Referido", "Feria"]
TAGS = ["", "VIP", "Web", "VIP, Referido", "Feria 2026"]


def _phone(rng: random.Random, country: str) -> str:
    """A valid mobile of the country (its example number with other last digits), written as people do."""
    region = {"Ecuador": "EC", "Perú": "PE", "Chile": "CL", "Colombia": "CO"}[country]
    example = str(phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE).national_number)
    number = example[:-7] + f"{rng.randrange(10**7):07d}"
    code = phonenumbers.country_code_for_region(region)
    if region == "EC":  # the tenant's own country: national, international and without its '+'
        return rng.choice([f"0{number}", f"+593 {number[:2]} {number[2:5]} {number[5:]}", f"593{number}"])
    return f"+{code} {number}"


def rows(count: int, seed: int = 7) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)} {rng.choice(LAST)}"
        city, country = rng.choice(CITIES)
        email = f"{_ascii(first.split()[0])}.{_ascii(last.split()[0])}{i}@{rng.choice(DOMAINS)}"
        phone = _phone(rng, country)
        roll = rng.random()
        if roll < 0.005:
            email = email.replace("@", "")  # a broken address
        elif roll < 0.01:
            phone = phone[:6]  # a phone cut short
        elif roll < 0.015 and i > 10:
            email = f"dup{i - 7}@{DOMAINS[0]}" if i % 2 else email  # repeated below
        elif roll < 0.02:
            email = phone = ""  # no way to reach the lead
        if i % 1000 == 7:
            email = f"dup{i}@{DOMAINS[0]}"
        yield [first, last, email, phone, rng.choice(COMPANIES), rng.choice(TITLES), city, country,
               rng.choice(SOURCES), rng.choice(TAGS), f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2026",
               "Interesado en departamento de 2 dormitorios" if i % 3 == 0 else ""]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()


def write(path: Path, count: int, make: Callable[[int], Iterator[list[str]]] | None = None) -> Path:
    """`count` rows of `make` (these files' rows by default) as csv or xlsx, by the path's suffix."""
    make = make or rows
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Leads")
        sheet.append(HEADER)
        for row in make(count):
            sheet.append(row)
        book.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(make(count))
    return path


def cached(count: int, suffix: str) -> Path:
    """bench/data/leads_<count>.<suffix>, made once."""
    path = Path(__file__).parent / "data" / f"leads_{count}{suffix}"
    return path if path.exists() else write(path, count)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    print(write(args.output, args.rows))

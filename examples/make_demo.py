"""Writes examples/leads_demo.xlsx: 200 leads in seed 001's template, with a handful of mistakes.

Run again only to change the sample; the file is committed so the demo needs no generation step.
"""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

FIRST = ["María", "José", "Ana", "Luis", "Carmen", "Jorge", "Lucía", "Andrés", "Sofía", "Diego", "Valentina",
         "Carlos", "Gabriela", "Miguel", "Daniela", "Fernando", "Paola", "Ricardo", "Camila", "Héctor"]
LAST = ["Andrade", "Benítez", "Cárdenas", "Delgado", "Espinoza", "Flores", "Guzmán", "Herrera", "Ibarra",
        "Jaramillo", "López", "Mora", "Naranjo", "Ordóñez", "Pazmiño", "Quiroga", "Romero", "Salazar",
        "Torres", "Vélez", "Yépez", "Zambrano"]
TAGS = ["VIP", "Feria 2026", "Referido", "Web", ""]
AGENTS = ["ana@inmosol.ec", "pedro@inmosol.ec", ""]
DOMAINS = ["gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "inmosol-clientes.ec"]


def rows(rng: random.Random) -> list[list[object]]:
    out: list[list[object]] = []
    for i in range(200):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)} {rng.choice(LAST)}"
        local = f"{first}.{last.split()[0]}{i}".lower()
        email = local.translate(str.maketrans("áéíóúñ", "aeioun")) + "@" + rng.choice(DOMAINS)
        mobile = "9" + rng.choice("89") + str(rng.randrange(1_000_000, 9_999_999))  # real EC mobile ranges
        spaced = f"0{mobile[:2]} {mobile[2:5]} {mobile[5:]}"
        phone: object = rng.choice([f"+593{mobile}", f"0{mobile}", f"593{mobile}", spaced])
        out.append([first, last, email, phone, rng.choice(TAGS), rng.choice(AGENTS)])
    # The mistakes people really make (each row number is its index + 2):
    out[4][2] = "carlos.mora@gmail"  # row 6: email without a domain ending
    out[11][1] = ""  # row 13: no last name
    out[19][3] = "12345"  # row 21: a phone that is no phone
    out[27][2], out[27][3] = "", ""  # row 29: neither email nor phone
    out[42][2] = out[8][2].upper()  # row 44: same email as row 10, in other letters
    out[57][5] = "roberto@otra-empresa.com"  # row 59: an agent who is not a user (warning only)
    out[63][3] = float("5.93991234567E+11")  # row 65: Excel turned the phone into a float
    out[70][2] = "  Lucia.Flores77@Gmail.COM "  # row 72: spaces and capitals, still valid
    return out


def main() -> None:
    rng = random.Random(2026)
    book = Workbook()
    sheet = book.active
    sheet.title = "Clientes"
    sheet.append(["First Name", "Last Name", "Email", "Phone", "Tags", "Agent"])
    for row in rows(rng):
        sheet.append(row)
    path = Path(__file__).with_name("leads_demo.xlsx")
    book.save(path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""Our validation path beside frictionless on the same csv, with an equivalent schema, as a ratio.

    pip install "frictionless>=5"      # not a dependency of the project: only this comparison needs it
    python bench/vs_frictionless.py [FILE] [--rows 100000]

frictionless checks the schema below: the names present, the email in its `email` format and
unique, the phone against a pattern and unique. Ours does more with the same columns: names tidied,
emails checked by email-validator's rules, phones parsed and made E.164 by country, labels matched,
dates read. Both read the file themselves; the times include reading.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cpu_path import run as run_ours
from make_leads import HEADER, cached

SCHEMA = {"fields": [
    {"name": HEADER[0], "type": "string", "constraints": {"required": True}},
    {"name": HEADER[1], "type": "string", "constraints": {"required": True}},
    {"name": HEADER[2], "type": "string", "format": "email", "constraints": {"unique": True}},
    {"name": HEADER[3], "type": "string", "constraints": {"pattern": r"\+?[0-9 ()\-]{7,20}", "unique": True}},
    *[{"name": name, "type": "string"} for name in HEADER[4:]],
]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    try:
        from frictionless import Resource, Schema
    except ImportError:
        raise SystemExit('frictionless is not installed: pip install "frictionless>=5"') from None
    path = args.file or cached(args.rows, ".csv")
    start = time.perf_counter()
    # frictionless refuses paths with '..' or absolute ones unless told where the data lives
    resource = Resource(path.name, basepath=str(path.resolve().parent), schema=Schema.from_descriptor(SCHEMA))
    report = resource.validate(limit_errors=10**9)
    theirs = time.perf_counter() - start
    if "rows" not in report.tasks[0].stats:
        raise SystemExit(f"frictionless could not read {path}: {report.flatten(['type', 'note'])[:3]}")
    rows = report.tasks[0].stats["rows"]
    ours = run_ours(path, "EC", "es")
    print(f"file: {path.name}, {rows} rows")
    print(f"frictionless: {theirs:.2f} s, {rows / theirs:,.0f} rows/s, {len(report.flatten(['type']))} errors")
    print(f"lead import:  {ours['total_s']:.2f} s, {ours['rows'] / ours['total_s']:,.0f} rows/s, "
          f"{ours['errors']:.0f} rows with errors")
    print(f"ratio: {theirs / ours['total_s']:.1f}x")


if __name__ == "__main__":
    main()

"""Mapping accuracy: the share of columns the automatic mapper sends to the right field.

Each file in bench/mapping_headers/ is one real header set (a seed's template or another CRM's
export) with the field a careful person would choose for every column (null: not imported).
No mapping is given and no data rows are shown: this measures header recognition alone.

    python bench/mapping_accuracy.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from leadimport.core.mapping.suggest import suggest_mapping

HEADERS = Path(__file__).parent / "mapping_headers"
TARGET = 0.95


def measure() -> list[tuple[str, list[tuple[str, str | None, str | None, str]]]]:
    """Per header set: (header, wanted field, suggested field, reason) for every column."""
    results = []
    for path in sorted(HEADERS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        columns = [c["header"] for c in data["columns"]]
        got = suggest_mapping(columns, [])
        results.append((path.stem, [(c["header"], c["field"], m.field, m.reason)
                                    for c, m in zip(data["columns"], got, strict=True)]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every wrong column")
    args = parser.parse_args()
    total = right = 0
    print(f"{'header set':<40} {'columns':>7} {'right':>6} {'share':>7}")
    for name, columns in measure():
        hits = sum(1 for _, want, got, _ in columns if got == want)
        total, right = total + len(columns), right + hits
        print(f"{name:<40} {len(columns):>7} {hits:>6} {hits / len(columns):>7.1%}")
        if args.verbose:
            for header, want, got, reason in columns:
                if got != want:
                    print(f"    {header!r}: got {got} ({reason}), want {want}")
    share = right / total
    print(f"{'ALL':<40} {total:>7} {right:>6} {share:>7.1%}   target {TARGET:.0%}")
    return 0 if share >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

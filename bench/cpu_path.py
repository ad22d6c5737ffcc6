"""The CPU path of an import on any csv or xlsx: read → map → validate → normalise → in-file dedup,
the production code (leadimport.core.plan) with no I/O beyond reading the file.

    python bench/cpu_path.py FILE [--region EC] [--locale es]
    python bench/cpu_path.py FILE.csv --runs 5     # and against bench/naive.py, the obvious way

Prints the time in each stage and, as its last two lines, `rows/s: N` and `peak_rss_mb: N`. With --runs,
it runs itself and bench/naive.py as whole processes on the same file, alternating, each pinned to one
core, and prints last the medians of both and `ratio_vs_naive: N` (issue 20: figures are ratios measured
in one run, never a lone absolute figure on a machine that drifts ±30%).
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from leadimport.core.mapping.headers import is_known_header
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions, SheetRow
from leadimport.core.tenant_config import TenantConfig


def _timed(rows: Iterator[SheetRow], spent: list[float]) -> Iterator[SheetRow]:
    """The reader's rows, adding the time spent producing each to spent[0]."""
    while True:
        start = time.perf_counter()
        row = next(rows, None)
        spent[0] += time.perf_counter() - start
        if row is None:
            return
        yield row


def run(path: Path, region: str, locale: str) -> dict[str, float]:
    config = TenantConfig(name="bench", default_region=region, locale=locale,  # type: ignore[arg-type]
                          labels={"source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
                                  "tags": ["VIP", "Web", "Referido", "Feria 2026"]})
    start = time.perf_counter()
    table = read_table(path, path.name, ReadOptions(known_header=is_known_header))
    opened = time.perf_counter() - start
    reading = [0.0]
    table.rows = _timed(table.rows, reading)
    plan = TablePlan(table, ImportOptions(), config)
    outcomes: collections.Counter[str] = collections.Counter()
    for chunk in plan.chunks():
        for _, validated in chunk:
            outcomes["error" if validated.errors else "valid"] += 1
    total = time.perf_counter() - start
    rows = sum(outcomes.values())
    return {"rows": rows, "valid": outcomes["valid"], "errors": outcomes["error"], "open_s": opened,
            "read_s": opened + reading[0], "check_s": total - opened - reading[0], "total_s": total,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _rows_per_second(command: list[str]) -> float:
    """The `rows/s:` a benchmark process prints last but one, run pinned to one core."""
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          preexec_fn=lambda: os.sched_setaffinity(0, {0}))
    return float(next(line for line in done.stdout.splitlines() if line.startswith("rows/s:")).split(":")[1])


def against_naive(path: Path, runs: int, region: str, locale: str) -> None:
    here = Path(__file__).resolve().parent
    ours_cmd = [sys.executable, str(here / "cpu_path.py"), str(path), "--region", region, "--locale", locale]
    naive_cmd = [sys.executable, str(here / "naive.py"), str(path)]
    ours, naive = [], []
    for _ in range(runs):
        naive.append(_rows_per_second(naive_cmd))
        ours.append(_rows_per_second(ours_cmd))
    ratios = [a / b for a, b in zip(ours, naive, strict=True)]
    print(f"cpu_path rows/s (median of {runs}): {statistics.median(ours):.0f}")
    print(f"naive rows/s (median of {runs}): {statistics.median(naive):.0f}")
    print(f"ratio_vs_naive: {statistics.median(ratios):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--region", default="EC", help="the tenant's default phone region")
    parser.add_argument("--locale", default="es")
    parser.add_argument("--runs", type=int, default=0, help="alternate with bench/naive.py this many times")
    args = parser.parse_args()
    if args.runs:
        against_naive(args.file, args.runs, args.region, args.locale)
        return
    figures = run(args.file, args.region, args.locale)
    rows = figures["rows"]
    print(f"file: {args.file.name} ({args.file.stat().st_size / 1e6:.1f} MB), {rows:.0f} rows, "
          f"{figures['valid']:.0f} valid, {figures['errors']:.0f} with errors")
    print(f"read (incl. open {figures['open_s']:.2f} s): {figures['read_s']:.2f} s, "
          f"{rows / max(figures['read_s'], 1e-9):,.0f} rows/s")
    print(f"map + validate + normalise + dedup: {figures['check_s']:.2f} s, "
          f"{rows / max(figures['check_s'], 1e-9):,.0f} rows/s")
    print(f"whole CPU path: {figures['total_s']:.2f} s")
    print(f"rows/s: {rows / max(figures['total_s'], 1e-9):.0f}")
    print(f"peak_rss_mb: {figures['peak_rss_mb']:.0f}")


if __name__ == "__main__":
    main()

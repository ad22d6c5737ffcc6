"""process_upload's check pass on one core and on every core: read → map → validate → in-file dedup →
each row as its chunk-file line, the production code (core/plan.py, core/check_workers.py) with no I/O
beyond reading the file and no upload of the chunks.

    python bench/check_cores.py FILE [--workers 2] [--runs 3]

Runs the pass in one process (TablePlan.chunks, as a file under the workers' threshold goes) and on
--workers processes (TablePlan.lines), each run a fresh process, alternating, and checks that both
make the same bytes. Prints the medians, the peak memory of the reading process and of the largest
worker, and last `speedup: N` (the parallel rows/s over the single-process rows/s of the same run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from leadimport.core.mapping import is_known_header
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read import ReadOptions, read_table
from leadimport.core.row_lines import encode_rows, join_lines
from leadimport.core.tenant_config import TenantConfig


def once(path: Path, workers: int) -> dict[str, float | str]:
    """One pass, in this process (and its workers): rows, seconds, a digest of the lines, peak memory."""
    config = TenantConfig(name="bench", default_region="EC", locale="es",  # type: ignore[arg-type]
                          labels={"source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
                                  "tags": ["VIP", "Web", "Referido", "Feria 2026"]})
    digest, rows = hashlib.sha256(), 0
    start = time.perf_counter()
    plan = TablePlan(read_table(path, path.name, ReadOptions(known_header=is_known_header)), ImportOptions(), config)
    if workers > 1:
        for block in plan.lines(workers):
            digest.update(join_lines([line for line, _ in block]))
            rows += len(block)
    else:
        for chunk in plan.chunks():
            digest.update(encode_rows(chunk))
            rows += len(chunk)
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "digest": digest.hexdigest(),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _run(path: Path, workers: int) -> dict:
    done = subprocess.run([sys.executable, __file__, str(path), "--once", str(workers)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--once", type=int, help=argparse.SUPPRESS)  # one pass with this many workers, as json
    args = parser.parse_args()
    if args.once is not None:
        print(json.dumps(once(args.file, args.once)))
        return
    single, parallel = [], []
    for _ in range(args.runs):
        single.append(_run(args.file, 1))
        parallel.append(_run(args.file, args.workers))
    if {r["digest"] for r in single + parallel} != {single[0]["digest"]}:
        raise SystemExit("the parallel pass made different chunk lines from the single-process pass")
    rows = single[0]["rows"]
    one = [rows / r["seconds"] for r in single]
    many = [rows / r["seconds"] for r in parallel]
    print(f"file: {args.file.name}, {rows} rows; the same chunk lines both ways")
    print(f"one process rows/s (median of {args.runs}): {statistics.median(one):.0f}, "
          f"peak {statistics.median(r['rss_mb'] for r in single):.0f} MB")
    print(f"{args.workers} workers rows/s (median of {args.runs}): {statistics.median(many):.0f}, peak "
          f"{statistics.median(r['rss_mb'] for r in parallel):.0f} MB reading and deduplicating, "
          f"{statistics.median(r['worker_rss_mb'] for r in parallel):.0f} MB the largest worker")
    print(f"speedup: {statistics.median(m / o for m, o in zip(many, one, strict=True)):.2f}")


if __name__ == "__main__":
    main()

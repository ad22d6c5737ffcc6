"""process_upload's check pass on one core and on every core: read → map → validate → in-file dedup →
each row as its chunk-file line, the production code (core/plan.py, core/check_workers.py) with no I/O
beyond reading the file and no upload of the chunks.

    python bench/check_cores.py FILE [--workers 2] [--runs 3]

Runs bench/naive.py (the obvious way), the pass in one process (TablePlan.chunks, as a file under the
workers' threshold goes), both pinned to one core, and the pass on --workers processes (TablePlan.lines)
on every core, each run a fresh process, alternating, and checks that both passes make the same bytes.
Prints the medians, each pass's ratio to the obvious way (per run, then the median), the peak memory of
the reading process and of the largest worker, the reading process's CPU a row, and last `speedup: N`
(the parallel rows/s over the single-process rows/s of the same run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from leadimport.core.mapping.headers import is_known_header
from leadimport.core.models import ImportOptions
from leadimport.core.plan import TablePlan
from leadimport.core.read.files import read_table
from leadimport.core.read.table import ReadOptions
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
    worker_peak = 0.0
    if workers > 1:
        for n, block in enumerate(plan.lines(workers, file_bytes=path.stat().st_size)):
            digest.update(join_lines([line for line, _ in block]))
            rows += len(block)
            if n % 20 == 0:
                worker_peak = max([worker_peak, *map(_peak_mb, multiprocessing.active_children())])
    else:
        for chunk in plan.chunks():
            digest.update(encode_rows(chunk))
            rows += len(chunk)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"rows": rows, "seconds": seconds, "digest": digest.hexdigest(),
            "cpu_us": (usage.ru_utime + usage.ru_stime) / max(rows, 1) * 1e6,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "worker_rss_mb": worker_peak}


def _peak_mb(child: multiprocessing.process.BaseProcess) -> float:
    """A worker's own peak (VmHWM): its rusage would also count the pages it shared with this process
    between the fork and the exec of its spawn."""
    try:
        status = Path(f"/proc/{child.pid}/status").read_text()
    except OSError:  # it has just ended
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)


def _one_core() -> None:
    os.sched_setaffinity(0, {0})  # a child process (calamine's) included


def _run(path: Path, workers: int) -> dict:
    """One pass as a fresh process: on one core when it has no workers, on all of them when it has."""
    done = subprocess.run([sys.executable, __file__, str(path), "--once", str(workers)],
                          capture_output=True, text=True, check=True, preexec_fn=_one_core if workers < 2 else None)
    return json.loads(done.stdout.splitlines()[-1])


def _naive(path: Path) -> float:
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("naive.py")), str(path)],
                          capture_output=True, text=True, check=True, preexec_fn=_one_core)
    return float(next(line for line in done.stdout.splitlines() if line.startswith("rows/s:")).split(":")[1])


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
    single, parallel, naive = [], [], []
    for _ in range(args.runs):
        naive.append(_naive(args.file))
        single.append(_run(args.file, 1))
        parallel.append(_run(args.file, args.workers))
    if {r["digest"] for r in single + parallel} != {single[0]["digest"]}:
        raise SystemExit("the parallel pass made different chunk lines from the single-process pass")
    rows = single[0]["rows"]
    one = [rows / r["seconds"] for r in single]
    many = [rows / r["seconds"] for r in parallel]
    print(f"file: {args.file.name}, {rows} rows; the same chunk lines both ways")
    print(f"naive rows/s (median of {args.runs}): {statistics.median(naive):.0f}")
    print(f"one process rows/s (median of {args.runs}): {statistics.median(one):.0f}, "
          f"{statistics.median(o / n for o, n in zip(one, naive, strict=True)):.2f}× naive, "
          f"peak {statistics.median(r['rss_mb'] for r in single):.0f} MB")
    print(f"{args.workers} workers rows/s (median of {args.runs}): {statistics.median(many):.0f}, "
          f"{statistics.median(m / n for m, n in zip(many, naive, strict=True)):.2f}× naive, peak "
          f"{statistics.median(r['rss_mb'] for r in parallel):.0f} MB reading and deduplicating, "
          f"{statistics.median(r['worker_rss_mb'] for r in parallel):.0f} MB the largest worker (VmHWM)")
    print(f"CPU a row in the reading process: {statistics.median(r['cpu_us'] for r in single):.1f} µs alone, "
          f"{statistics.median(r['cpu_us'] for r in parallel):.1f} µs with the workers")
    print(f"speedup: {statistics.median(m / o for m, o in zip(many, one, strict=True)):.2f}")


if __name__ == "__main__":
    main()

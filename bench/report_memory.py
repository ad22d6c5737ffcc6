"""The report of a big job: a million results assembled into results.json and the error files, as the
last chunk of a fan-out does (spooled), against holding every result (as one invocation does for a
file of one chunk). Prints seconds and peak RSS; no I/O beyond a temporary file.

    python bench/report_memory.py [--rows 1000000] [--held]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time

from leadimport.core.models import RowIssue, RowResult
from leadimport.report import error_files
from leadimport.report.results import JobReport


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--held", action="store_true", help="hold every result instead of spooling them")
    args = parser.parse_args()
    issue = RowIssue(field="email", column="Correo", cell="C9", code="invalid_email", message="'x@' no es un correo")
    start = time.perf_counter()
    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as out:
        report = JobReport(job_id="bench", filename="leads.csv", columns=[f"c{i}" for i in range(12)],
                           spool=None if args.held else spool)
        for row in range(2, args.rows + 2):
            wrong = row % 50 == 0  # 2% of rows, as bench/make_leads.py makes them
            result = RowResult(row=row, status="error" if wrong else "created",
                               lead_id=None if wrong else f"{row:020d}", errors=[issue] if wrong else [])
            report.add(result, tuple(f"value {i}" for i in range(12)) if wrong else ())
        report.write_results_json(out, "done", None)
        size = out.tell()
        error_files.errors_csv(report)
        error_files.errors_text(report)
    seconds = time.perf_counter() - start
    print(f"{args.rows} results ({'held' if args.held else 'spooled'}): results.json {size / 1e6:.0f} MB, "
          f"{report.counts.errors} error rows")
    print(f"seconds: {seconds:.1f}")
    print(f"rows/s: {args.rows / seconds:.0f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()

"""Firestore round trips and writes per 1,000 rows, counted at the client, for a fresh import and a
re-import of the same file (every row unchanged) — the production pipeline, run in-process against
the local stack's Firestore emulator (start it with `leadimport dev up`).

    python bench/firestore_rpcs.py [FILE] [--rows 10000]

A round trip is one RPC: a commit, a get_all (BatchGetDocuments), a query. Writes are the documents
those commits wrote.
"""

from __future__ import annotations

import argparse
import collections
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from make_leads import cached

from leadimport.cli.connect import use_local_stack_if_running
from leadimport.clients import firestore_client
from leadimport.mapping import is_known_header
from leadimport.models import ImportOptions
from leadimport.pipeline import import_table
from leadimport.read import ReadOptions, read_table
from leadimport.report_files import JobReport
from leadimport.tenants import TenantConfig, apply_tenant, tenant_ref

_COUNTED = ("commit", "batch_get_documents", "run_query", "begin_transaction", "batch_write", "get_document")


class RpcCounter:
    """Wraps the Firestore client's API methods: calls per method, and documents written by commits."""

    def __init__(self) -> None:
        self.calls: collections.Counter[str] = collections.Counter()
        self.writes = 0

    def install(self) -> None:
        api = firestore_client()._firestore_api
        for name in _COUNTED:
            setattr(api, name, self._counting(name, getattr(api, name)))

    def _counting(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            if name == "commit":
                self.writes += len(kwargs["request"]["writes"])
            return method(*args, **kwargs)
        return call

    def reset(self) -> tuple[collections.Counter[str], int]:
        taken = (self.calls.copy(), self.writes)
        self.calls.clear()
        self.writes = 0
        return taken


def run_import(path: Path, tenant_id: str, config: TenantConfig) -> JobReport:
    table = read_table(path, path.name, ReadOptions(known_header=is_known_header))
    report = JobReport(job_id=uuid.uuid4().hex[:24], filename=path.name, columns=[], locale=config.locale)
    import_table(table, ImportOptions(), config, tenant_ref(firestore_client(), tenant_id), firestore_client(),
                 report.job_id, report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--rows", type=int, default=10_000, help="without FILE: a generated file of this many rows")
    args = parser.parse_args()
    if not use_local_stack_if_running():
        raise SystemExit("Start the local stack first: leadimport dev up")
    path = args.file or cached(args.rows, ".csv")
    tenant_id = "bench-" + uuid.uuid4().hex[:8]
    config = TenantConfig(name="bench", default_region="EC", locale="es",
                          labels={"source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
                                  "tags": ["VIP", "Web", "Referido", "Feria 2026"]})
    apply_tenant(firestore_client(), tenant_id, config)
    counter = RpcCounter()
    counter.install()
    for label in ("fresh import", "re-import"):
        start = time.perf_counter()
        report = run_import(path, tenant_id, config)
        seconds = time.perf_counter() - start
        calls, writes = counter.reset()
        rows = report.counts.rows
        rpcs = sum(calls.values())
        commits = calls["commit"]
        print(f"{label}: {rows} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s) — {report.counts.model_dump()}")
        print(f"  RPCs: {rpcs} ({rpcs * 1000 / rows:.1f} per 1,000 rows) — {dict(calls)}")
        print(f"  writes: {writes} ({writes * 1000 / rows:.0f} per 1,000 rows) in {commits} commits "
              f"({writes / max(commits, 1):.0f} writes per commit)")


if __name__ == "__main__":
    main()

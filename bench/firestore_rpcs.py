"""Firestore round trips and writes per 1,000 rows, counted at the client, for a fresh import and a
re-import of the same file (every row unchanged) — the production functions, process_upload and (for
a file of more than --chunk-rows rows) each chunk's import_chunk, run in-process against the local
stack's emulators (start them with `leadimport dev up`). Everything a job costs is counted: its
claim, the tenant and saved mapping read, progress and checkpoints, the finish.

    python bench/firestore_rpcs.py [FILE] [--rows 10000] [--chunk-rows 25000]

A round trip is one RPC: a commit, a get_all (BatchGetDocuments), a query, a single get. Writes are
the documents those commits wrote.
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
from leadimport.core.tenant_config import TenantConfig
from leadimport.run.chunk_import import import_chunk
from leadimport.run.pipeline import process_upload
from leadimport.run.storage_event import StorageObject, upload_object_name
from leadimport.settings import Settings, get_settings
from leadimport.store import jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

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


def run_import(path: Path, tenant_id: str, settings: Settings) -> dict[str, Any]:
    """The file through process_upload and its chunks through import_chunk, as the platform would
    deliver them, but from buckets the local bridge does not watch; returns the finished job."""
    gcs, db = storage_client(), firestore_client()
    drop = gcs.bucket(f"bench-drop-{tenant_id}")
    for bucket in (drop, gcs.bucket(settings.work_bucket)):
        if not bucket.exists():
            gcs.create_bucket(bucket.name)
    blob = drop.blob(upload_object_name(tenant_id, uuid.uuid4().hex, path.name))
    blob.upload_from_filename(str(path))
    process_upload(StorageObject(bucket=drop.name, name=blob.name, generation=str(blob.generation), size=blob.size),
                   db, gcs, settings)
    job_id = jobs.job_id_for(drop.name, blob.name, blob.generation)
    for chunk in gcs.list_blobs(settings.work_bucket, prefix=f"chunks/{tenant_id}/{job_id}/"):
        import_chunk(StorageObject(bucket=settings.work_bucket, name=chunk.name, generation=str(chunk.generation),
                                   size=chunk.size), db, gcs, settings)
    return jobs.jobs_of(tenant_ref(db, tenant_id)).document(job_id).get().to_dict() or {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--rows", type=int, default=10_000, help="without FILE: a generated file of this many rows")
    parser.add_argument("--chunk-rows", type=int, default=25_000, help="a bigger file fans out into chunks this big")
    args = parser.parse_args()
    if not use_local_stack_if_running():
        raise SystemExit("Start the local stack first: leadimport dev up")
    path = args.file or cached(args.rows, ".csv")
    tenant_id = "bench-" + uuid.uuid4().hex[:8]
    config = TenantConfig(name="bench", default_region="EC", locale="es",
                          labels={"source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
                                  "tags": ["VIP", "Web", "Referido", "Feria 2026"]})
    apply_tenant(firestore_client(), tenant_id, config)
    settings = get_settings().model_copy(update={"work_bucket": f"bench-work-{tenant_id}",
                                                 "chunk_rows": args.chunk_rows})
    counter = RpcCounter()
    counter.install()
    for label in ("fresh import", "re-import"):
        start = time.perf_counter()
        job = run_import(path, tenant_id, settings)
        seconds = time.perf_counter() - start
        calls, writes = counter.reset()
        counts = job.get("counts") or {}
        rows = counts.get("rows", 0)
        rpcs = sum(calls.values())
        commits = calls["commit"]
        chunks = (job.get("split") or {}).get("chunks", 1)
        print(f"{label}: {rows} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s), {chunks} chunk(s) — {counts}")
        print(f"  RPCs: {rpcs} ({rpcs * 1000 / rows:.1f} per 1,000 rows) — {dict(calls)}")
        print(f"  writes: {writes} ({writes * 1000 / rows:.0f} per 1,000 rows) in {commits} commits "
              f"({writes / max(commits, 1):.0f} writes per commit)")


if __name__ == "__main__":
    main()

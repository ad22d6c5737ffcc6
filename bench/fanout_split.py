"""process_upload on a big file, as far as the fan-out takes it: the whole file read and checked once,
staged as chunk files and published — the production function, in-process, against the local stack's
emulators (start them with `leadimport dev up`), from buckets the bridge does not watch, so no chunk
is imported. Prints the time, the chunks, and as its last two lines `rows/s: N` and `peak_rss_mb: N`.

    python bench/fanout_split.py [FILE] [--rows 1000000] [--chunk-rows 25000]
"""

from __future__ import annotations

import argparse
import resource
import time
import uuid
from pathlib import Path

from make_leads import cached

from leadimport.cli.connect import use_local_stack_if_running
from leadimport.core.tenant_config import TenantConfig
from leadimport.run.pipeline import process_upload
from leadimport.run.storage_event import StorageObject, upload_object_name
from leadimport.settings import get_settings
from leadimport.store import jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--rows", type=int, default=1_000_000, help="without FILE: a generated file of this many rows")
    parser.add_argument("--chunk-rows", type=int, default=25_000)
    args = parser.parse_args()
    if not use_local_stack_if_running():
        raise SystemExit("Start the local stack first: leadimport dev up")
    path = args.file or cached(args.rows, ".csv")
    tenant_id = "split-" + uuid.uuid4().hex[:8]
    apply_tenant(firestore_client(), tenant_id, TenantConfig(
        name="bench", default_region="EC", locale="es", labels={
            "source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
            "tags": ["VIP", "Web", "Referido", "Feria 2026"]}))
    gcs = storage_client()
    settings = get_settings().model_copy(update={"work_bucket": f"bench-work-{tenant_id}",
                                                 "chunk_rows": args.chunk_rows})
    drop = gcs.create_bucket(f"bench-drop-{tenant_id}")
    gcs.create_bucket(settings.work_bucket)
    blob = drop.blob(upload_object_name(tenant_id, uuid.uuid4().hex, path.name))
    blob.upload_from_filename(str(path))
    start = time.perf_counter()
    process_upload(StorageObject(bucket=drop.name, name=blob.name, generation=str(blob.generation), size=blob.size),
                   firestore_client(), gcs, settings)
    seconds = time.perf_counter() - start
    job = jobs.jobs_of(tenant_ref(firestore_client(), tenant_id)).document(
        jobs.job_id_for(drop.name, blob.name, blob.generation)).get().to_dict() or {}
    split = job.get("split") or {}
    staged = sum(b.size for b in gcs.list_blobs(settings.work_bucket, prefix="chunks/"))
    print(f"file: {path.name}: {split.get('rows')} rows in {split.get('chunks')} chunks "
          f"({staged / 1e6:.0f} MB of chunk files) in {seconds:.1f} s")
    print(f"rows/s: {(split.get('rows') or 0) / seconds:.0f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()

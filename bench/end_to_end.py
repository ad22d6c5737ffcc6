"""End to end on the local stack: upload → storage event → import → report email received.

    python bench/end_to_end.py [--rows 10000] [--format csv|xlsx]

Starts the local stack if it is not running (`leadimport dev up`), imports a generated file into a
new tenant through the drop bucket exactly as production does, and prints the time to the job's end,
the time to the report email, the chunks the file was cut into, and rows per second. A file of more
than LEADIMPORT_CHUNK_ROWS rows (25,000 unless the stack was started with another) fans out:

    LEADIMPORT_CHUNK_ROWS=2500 python bench/end_to_end.py --rows 10000   # with no stack running
"""

from __future__ import annotations

import argparse
import time
import uuid

from make_leads import cached

from leadimport.cli import import_cmd
from leadimport.cli.connect import use_local_stack_if_running
from leadimport.core.models import ImportOptions
from leadimport.core.tenant_config import TenantConfig
from leadimport.devstack.stack import Stack, default_state_dir
from leadimport.store.clients import firestore_client
from leadimport.store.tenants import apply_tenant


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    args = parser.parse_args()
    if not use_local_stack_if_running():
        Stack(default_state_dir()).up()
        use_local_stack_if_running()
    path = cached(args.rows, f".{args.format}")
    tenant_id = "e2e-" + uuid.uuid4().hex[:8]
    apply_tenant(firestore_client(), tenant_id, TenantConfig(
        name="bench", default_region="EC", locale="es", report_to=["ventas@bench.example"],
        labels={"source": ["Facebook", "Urbania", "Web", "Referido", "Feria"],
                "tags": ["VIP", "Web", "Referido", "Feria 2026"]}))
    start = time.perf_counter()
    _, job_id = import_cmd.upload(path, tenant_id, ImportOptions(filename=path.name))
    job = import_cmd.wait_for_job(tenant_id, job_id, timeout=3600, progress=False)
    done = time.perf_counter() - start
    email = import_cmd.wait_for_email(tenant_id, job_id, timeout=600)
    reported = time.perf_counter() - start
    counts = job.get("counts") or {}
    print(f"file: {path.name}, job {job_id}: {job['status']} {counts}")
    print(f"job finished after {done:.1f} s; report email {email} after {reported:.1f} s")
    print(f"chunks: {(job.get('split') or {}).get('chunks', 1)}")
    print(f"rows/s: {counts.get('rows', 0) / reported:.0f}")


if __name__ == "__main__":
    main()

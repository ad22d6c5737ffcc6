"""Several processes import overlapping files at the same moment against the emulator.

Afterwards there is exactly one lead per key, every row's status is true (each person was created
by exactly one row of one job; every other row of that person is an update or unchanged), and
each row names the lead that really holds its email.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

from conftest import leads_of
from leadimport.clients import firestore_client, storage_client
from leadimport.errors import TransientError
from leadimport.models import ImportOptions
from leadimport.settings import get_settings
from leadimport.storage_event import OPTIONS_METADATA, StorageObject, upload_object_name
from leadimport.tenants import tenant_ref

FILES, PER_FILE, STEP = 4, 50, 15  # file k holds persons k*15 … k*15+49: neighbours share 35 people
CONCURRENCY_BUCKET = "concurrency-drop"  # not watched by the local bridge: only our processes run these jobs


def _person(i: int) -> str:
    return f"Persona,N{i:03d},p{i}@x.ec,+5939912{i:05d}"


def _run_job(obj: dict, barrier: multiprocessing.synchronize.Barrier) -> None:
    from leadimport.pipeline import process_upload

    db, gcs, settings = firestore_client(), storage_client(), get_settings()
    barrier.wait()  # every process starts its import at the same moment
    for _ in range(20):
        try:
            process_upload(StorageObject.model_validate(obj), db, gcs, settings)
            return
        except TransientError:
            time.sleep(0.3)  # as the platform would retry a refused delivery
    raise AssertionError("the import never finished")


def test_overlapping_imports_at_the_same_moment(stack: dict, tenant: str, tmp_path: Path) -> None:
    gcs = storage_client()
    bucket = gcs.lookup_bucket(CONCURRENCY_BUCKET) or gcs.create_bucket(CONCURRENCY_BUCKET)
    objects = []
    for k in range(FILES):
        blob = bucket.blob(upload_object_name(tenant, f"u{k}", f"part{k}.csv"))
        blob.metadata = {OPTIONS_METADATA: ImportOptions(match_on=["email", "phone"]).model_dump_json()}
        rows = [_person(i) for i in range(k * STEP, k * STEP + PER_FILE)]
        blob.upload_from_string("Nombres,Apellidos,Correo,Celular\n" + "\n".join(rows) + "\n", content_type="text/csv")
        objects.append({"bucket": CONCURRENCY_BUCKET, "name": blob.name, "generation": str(blob.generation),
                        "size": blob.size})
    context = multiprocessing.get_context("spawn")  # fresh gRPC channels in every process
    barrier = context.Barrier(FILES)
    workers = [context.Process(target=_run_job, args=(obj, barrier)) for obj in objects]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * FILES

    people = {f"p{i}@x.ec" for i in range((FILES - 1) * STEP + PER_FILE)}
    leads = leads_of(tenant)
    by_email = {lead["email"]: lead_id for lead_id, lead in leads.items()}
    assert len(leads) == len(people) and set(by_email) == people  # one lead per person, none twice
    keys = {d.id: d.to_dict()["lead_id"] for d in tenant_ref(firestore_client(), tenant).collection("lead_keys")
            .stream()}
    assert len(keys) == 2 * len(people) and set(keys.values()) == set(leads)  # one email and one phone key each

    reports = gcs.bucket(get_settings().reports_bucket)
    created: dict[str, int] = {}
    for job in tenant_ref(firestore_client(), tenant).collection("import_jobs").stream():
        data = job.to_dict()
        assert data["status"] == "done", data.get("error")
        results = json.loads(reports.blob(data["report"]["results"]).download_as_bytes())
        assert results["counts"]["rows"] == PER_FILE
        for row in results["rows"]:
            email = f"p{int(row['row']) - 2 + int(data['source']['name'].split('/u')[1][0]) * STEP}@x.ec"
            assert row["status"] in {"created", "updated", "unchanged"}, row
            assert row["lead_id"] == by_email[email]
            if row["status"] == "created":
                created[email] = created.get(email, 0) + 1
    assert created == dict.fromkeys(people, 1)  # each person created by exactly one row of one job

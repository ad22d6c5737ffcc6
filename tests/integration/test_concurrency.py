"""Several processes import overlapping files at the same moment against the emulator.

Afterwards there is exactly one lead per key, every row's status is true (each person was created
by exactly one row of one job; every other row of that person is an update or unchanged), and
each row names the lead that really holds its email. Two imports that update the same leads at
the same moment both land: neither loses the other's tags or its place in the leads' history.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from conftest import leads_of
from leadimport.core.matching import STALE_CLAIM
from leadimport.core.models import ImportOptions
from leadimport.errors import TransientError
from leadimport.run.storage_event import OPTIONS_METADATA, StorageObject, upload_object_name
from leadimport.settings import get_settings
from leadimport.store import jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.key_docs import key_ref
from leadimport.store.tenant_refs import tenant_ref

pytestmark = pytest.mark.stack

FILES, PER_FILE, STEP = 4, 50, 15  # file k holds persons k*15 … k*15+49: neighbours share 35 people
CONCURRENCY_BUCKET = "concurrency-drop"  # not watched by the local bridge: only our processes run these jobs


def _person(i: int) -> str:
    return f"Persona,N{i:03d},p{i}@x.ec,+5939912{i:05d}"


def _run_job(obj: dict, barrier: multiprocessing.synchronize.Barrier,
             hold: multiprocessing.synchronize.Barrier | None = None) -> None:
    from leadimport.run import write
    from leadimport.run.pipeline import process_upload

    if hold is not None:  # both writers read the leads before either writes them: the race, every time
        held: list[bool] = []

        def both_have_read(plans: object) -> None:
            if not held:
                held.append(True)
                hold.wait(timeout=120)

        write.between_read_and_write = both_have_read
    db, gcs, settings = firestore_client(), storage_client(), get_settings()
    barrier.wait()  # every process starts its import at the same moment
    for _ in range(20):
        try:
            process_upload(StorageObject.model_validate(obj), db, gcs, settings)
            return
        except TransientError:
            time.sleep(0.3)  # as the platform would retry a refused delivery
    raise AssertionError("the import never finished")


def _upload(tenant: str, name: str, text: str, options: ImportOptions) -> dict:
    gcs = storage_client()
    bucket = gcs.lookup_bucket(CONCURRENCY_BUCKET) or gcs.create_bucket(CONCURRENCY_BUCKET)
    blob = bucket.blob(upload_object_name(tenant, name, f"{name}.csv"))
    blob.metadata = {OPTIONS_METADATA: options.model_dump_json()}
    blob.upload_from_string(text, content_type="text/csv")
    return {"bucket": CONCURRENCY_BUCKET, "name": blob.name, "generation": str(blob.generation), "size": blob.size}


def _run_together(objects: list[dict], hold_writers: bool = False) -> None:
    context = multiprocessing.get_context("spawn")  # fresh gRPC channels in every process
    barrier = context.Barrier(len(objects))
    hold = context.Barrier(len(objects)) if hold_writers else None
    workers = [context.Process(target=_run_job, args=(obj, barrier, hold)) for obj in objects]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * len(objects)


def test_overlapping_imports_at_the_same_moment(stack: dict, tenant: str, tmp_path: Path) -> None:
    gcs = storage_client()
    objects = []
    for k in range(FILES):
        rows = [_person(i) for i in range(k * STEP, k * STEP + PER_FILE)]
        objects.append(_upload(tenant, f"u{k}", "Nombres,Apellidos,Correo,Celular\n" + "\n".join(rows) + "\n",
                               ImportOptions(match_on=["email", "phone"])))
    _run_together(objects)

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


def test_two_imports_updating_the_same_leads_at_once_both_land(stack: dict, tenant: str) -> None:
    """Both read the same 200 leads, then both write: the one that writes second finds every lead changed
    under it (the precondition), reads them again and adds its tags to the other's, not over them."""
    people = range(200)
    header = "Nombres,Apellidos,Correo,Etiquetas\n"
    seed = _upload(tenant, "seed", header + "".join(f"Persona,N{i:03d},p{i}@x.ec,VIP\n" for i in people),
                   ImportOptions())
    _run_together([seed])
    feria, web = (_upload(tenant, name, header + "".join(f"Persona,N{i:03d},p{i}@x.ec,{tag}\n" for i in people),
                          ImportOptions()) for name, tag in (("feria", "Feria 2026"), ("web", "Web")))
    _run_together([feria, web], hold_writers=True)

    job_ids = {obj["name"].split("/")[2]: jobs.job_id_for(obj["bucket"], obj["name"], obj["generation"])
               for obj in (seed, feria, web)}
    for name in ("feria", "web"):
        job = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(job_ids[name]).get().to_dict()
        assert job["status"] == "done" and job["counts"]["updated"] == len(people), job["counts"]
    leads = leads_of(tenant)
    assert len(leads) == len(people)
    for lead in leads.values():
        assert lead["tags"] == ["VIP", *lead["tags"][1:]] and sorted(lead["tags"][1:]) == ["Feria 2026", "Web"]
        assert set(lead["source_jobs"]) == set(job_ids.values())  # both imports in each lead's history
        assert {change["job"] for change in lead["changes"]} == set(job_ids.values())


def test_two_imports_taking_over_one_stale_key_make_one_lead(stack: dict, tenant: str) -> None:
    """A key whose lead was never written (its import died long ago) is stale: anyone may take it over.
    Two imports that both read it as stale, before either writes, do not both get it."""
    key = key_ref(tenant_ref(firestore_client(), tenant), "email", "rosa@x.ec")
    key.create({"kind": "email", "lead_id": "never-written", "job_id": "a-dead-import",
                "claimed_at": dt.datetime.now(dt.UTC) - STALE_CLAIM * 2})
    header = "Nombres,Apellidos,Correo\n"
    objects = [_upload(tenant, name, header + f"{first},Paz,rosa@x.ec\n", ImportOptions())
               for name, first in (("a", "Rosa"), ("b", "Rosita"))]
    _run_together(objects, hold_writers=True)
    leads = leads_of(tenant)
    assert [lead["email"] for lead in leads.values()] == ["rosa@x.ec"]  # one lead, not one per import
    assert key.get().to_dict()["lead_id"] in leads
    statuses = []
    for obj in objects:
        job = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(
            jobs.job_id_for(obj["bucket"], obj["name"], obj["generation"])).get().to_dict()
        assert job["status"] == "done"
        statuses += [status for status in ("created", "updated", "unchanged") if job["counts"][status]]
    assert sorted(statuses) == ["created", "updated"]  # the loser was matched again: the winner's lead

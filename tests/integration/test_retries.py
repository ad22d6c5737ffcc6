"""A delivery that crashes: the lease is released at once, and a poison file fails after bounded tries."""

from __future__ import annotations

import uuid

import pytest

from conftest import EXAMPLES
from leadimport import jobs, pipeline
from leadimport.clients import firestore_client, storage_client
from leadimport.settings import get_settings
from leadimport.storage_event import StorageObject, upload_object_name
from leadimport.tenants import tenant_ref

pytestmark = pytest.mark.stack


def test_crashing_reader_fails_the_job_after_bounded_attempts(
        stack: dict, tenant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    # A bucket the bridge does not watch: only this test delivers the event, by hand.
    bucket = storage_client().bucket("manual-" + tenant)
    if not bucket.exists():
        storage_client().create_bucket(bucket.name)
    blob = bucket.blob(upload_object_name(tenant, uuid.uuid4().hex, "poison.xlsx"))
    blob.upload_from_filename(str(EXAMPLES / "leads_demo.xlsx"))
    obj = StorageObject(bucket=bucket.name, name=blob.name, generation=str(blob.generation), size=blob.size)

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(pipeline, "read_table", crash)
    job_ref = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(
        jobs.job_id_for(obj.bucket, obj.name, obj.generation))
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            pipeline.process_upload(obj, firestore_client(), storage_client(), settings)
        job = job_ref.get().to_dict()
        assert job["attempt"] == attempt and job["status"] == "running"
    pipeline.process_upload(obj, firestore_client(), storage_client(), settings)  # the last try gives up cleanly
    job = job_ref.get().to_dict()
    assert job["status"] == "failed"
    assert f"after {jobs.MAX_ATTEMPTS} attempts" in job["error"]
    assert job["counts"]["rows"] == 0
    assert job["report"]["results"].endswith("results.json")  # the report still goes out

"""Retries that blame the right thing: a delivery that crashes releases its lease at once and a poison
file fails after bounded tries, while contention and outages are waited out for as long as the
platform retries, and never counted against the file."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from google.api_core.exceptions import ServiceUnavailable
from google.cloud import firestore

from conftest import CHUNK_ROWS, EXAMPLES, ManualRun
from leadimport.core.models import ImportOptions
from leadimport.errors import TransientError
from leadimport.report.results import finished_event_name, report_prefix
from leadimport.run import lifecycle, pipeline
from leadimport.run.storage_event import StorageObject, upload_object_name
from leadimport.settings import get_settings
from leadimport.store import jobs, leases
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.key_docs import key_ref
from leadimport.store.tenant_refs import tenant_ref

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("ticket", [False, True], ids=["dropped in the bucket", "through start_import"])
def test_crashing_reader_fails_the_job_after_bounded_attempts(
        stack: dict, tenant: str, monkeypatch: pytest.MonkeyPatch, ticket: bool) -> None:
    settings = get_settings()
    # A bucket the bridge does not watch: only this test delivers the event, by hand.
    bucket = storage_client().bucket("manual-" + tenant)
    if not bucket.exists():
        storage_client().create_bucket(bucket.name)
    upload_id = uuid.uuid4().hex
    if ticket:  # a job waiting for its file has had no holder: its first delivery is no crash's retry
        jobs.create_ticket(tenant_ref(firestore_client(), tenant), upload_id, {
            "tenant": tenant, "source": {"kind": "sheet", "filename": "poison.xlsx"},
            "options": ImportOptions(filename="poison.xlsx").model_dump(), "requested_by": "ana@inmosol.ec"})
    blob = bucket.blob(upload_object_name(tenant, upload_id, "poison.xlsx"))
    blob.upload_from_filename(str(EXAMPLES / "leads_demo.xlsx"))
    obj = StorageObject(bucket=bucket.name, name=blob.name, generation=str(blob.generation), size=blob.size)

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(pipeline, "read_table", crash)
    job_ref = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(
        upload_id if ticket else jobs.job_id_for(obj.bucket, obj.name, obj.generation))
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            pipeline.process_upload(obj, firestore_client(), storage_client(), settings)
        job = job_ref.get().to_dict()
        assert job["attempt"] == attempt and job["status"] == "running" and job.get("released") == "crash"
    pipeline.process_upload(obj, firestore_client(), storage_client(), settings)  # the last try gives up cleanly
    job = job_ref.get().to_dict()
    assert job["status"] == "failed"
    assert f"after {jobs.MAX_ATTEMPTS} attempts" in job["error"]
    assert job["counts"]["rows"] == 0
    assert job["report"]["results"].endswith("results.json")  # the report still goes out


def _results(tenant: str, job_id: str) -> dict:
    name = report_prefix(tenant, job_id) + "results.json"
    return json.loads(storage_client().bucket(get_settings().reports_bucket).blob(name).download_as_bytes())


def _job(tenant: str, job_id: str) -> dict:
    return jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(job_id).get().to_dict() or {}


def _reports_bucket_down(*_: object, **__: object) -> None:
    raise ServiceUnavailable("the reports bucket did not answer")


def _held_key(tenant: str, email: str) -> firestore.DocumentReference:
    """Another import holds this email's key: claimed, its lead not written yet (not stale)."""
    ref = key_ref(tenant_ref(firestore_client(), tenant), "email", email)
    ref.create({"kind": "email", "lead_id": "another-import-lead", "job_id": "another-import",
                "claimed_at": dt.datetime.now(dt.UTC)})
    return ref


def _three_leads(tmp_path: Path) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text("Nombres,Apellidos,Correo\nAna,Paz,ana@x.ec\nLuis,Mora,luis@x.ec\nEva,Ríos,eva@x.ec\n",
                    encoding="utf-8")
    return path


def test_contention_is_waited_out_and_never_blamed_on_the_file(stack: dict, tenant: str, tmp_path: Path) -> None:
    run = ManualRun(tenant, _three_leads(tmp_path))
    held = _held_key(tenant, "luis@x.ec")
    for attempt in range(1, 11):  # ten deliveries in a row meet the other import
        with pytest.raises(TransientError):
            run.process_upload()
        job = _job(tenant, run.job_id)
        assert (job["status"], job["attempt"], job["crashes"], job["busy"]) == ("running", attempt, 0, "contention")
    held.delete()  # the other import is done (here: undone)
    run.process_upload()
    job = _job(tenant, run.job_id)
    assert job["status"] == "done" and job["error"] is None
    assert job["counts"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": 0}


def test_a_chunk_waits_out_contention_without_failing_its_rows(stack: dict, tenant: str, tmp_path: Path) -> None:
    rows = [f"Lead,N{i},lead{i}@x.ec\n" for i in range(CHUNK_ROWS + 10)]  # two chunks
    path = tmp_path / "big.csv"
    path.write_text("Nombres,Apellidos,Correo\n" + "".join(rows), encoding="utf-8")
    run = ManualRun(tenant, path)
    run.process_upload()
    run.chunk(0)
    held = _held_key(tenant, f"lead{CHUNK_ROWS + 5}@x.ec")
    for _ in range(jobs.MAX_ATTEMPTS + 2):
        with pytest.raises(TransientError):
            run.chunk(1)
    assert (run.chunk_state(1)["crashes"], run.chunk_state(1)["done"]) == (0, False)
    held.delete()
    run.chunk(1)
    job = _job(tenant, run.job_id)
    assert job["status"] == "done" and job["counts"]["created"] == len(rows) and job["counts"]["errors"] == 0


def test_contention_that_outlasts_the_platforms_retries_ends_the_job_saying_so(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = ManualRun(tenant, _three_leads(tmp_path))
    _held_key(tenant, "luis@x.ec")
    with pytest.raises(TransientError):
        run.process_upload()
    monkeypatch.setattr(leases, "BUSY_WINDOW", dt.timedelta(0))  # as if the platform's retry window were over
    run.process_upload()
    job = _job(tenant, run.job_id)
    assert job["status"] == "failed" and job["crashes"] == 0
    assert "other imports kept writing the same leads" in job["error"] and "damaged" not in job["error"]
    assert job["report"]["results"].endswith("results.json")  # its report goes out, saying what happened


def test_an_outage_while_the_job_ends_is_not_blamed_on_the_file(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = ManualRun(tenant, _three_leads(tmp_path))
    real_store = lifecycle.store_report

    monkeypatch.setattr(lifecycle, "store_report", _reports_bucket_down)
    with pytest.raises(ServiceUnavailable):
        run.process_upload()
    job = _job(tenant, run.job_id)
    assert (job["status"], job["released"], job["busy"]) == ("running", "busy", "outage")  # released at once
    monkeypatch.setattr(lifecycle, "store_report", real_store)
    run.process_upload()  # the platform's retry, at once: the lease was handed back
    job = _job(tenant, run.job_id)
    assert (job["status"], job["crashes"], job["attempt"]) == ("done", 0, 2)
    assert job["counts"]["created"] == 3  # the rows the first delivery wrote are its own: recognised, not doubled


def test_an_outage_while_announcing_an_ended_job_leaves_it_ended(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The job is finished before its end is announced: a failed announcement hands nothing back (no busy
    lease on an ended job), and the next delivery, finding it finished, announces it."""
    run = ManualRun(tenant, _three_leads(tmp_path))
    real_announce = lifecycle.announce_finished

    monkeypatch.setattr(lifecycle, "announce_finished", _reports_bucket_down)
    with pytest.raises(ServiceUnavailable):
        run.process_upload()
    job = _job(tenant, run.job_id)
    assert (job["status"], job.get("released"), job["lease_until"]) == ("done", None, None)
    monkeypatch.setattr(lifecycle, "announce_finished", real_announce)
    announced = storage_client().bucket(run.settings.reports_bucket).blob(finished_event_name(tenant, run.job_id))
    assert not announced.exists()
    run.process_upload()  # the platform's retry
    assert announced.exists() and _job(tenant, run.job_id)["attempt"] == 1


def test_a_commit_that_landed_though_its_answer_was_an_error(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client library re-sends a commit whose answer it lost; the re-sent one fails (its create finds
    the lead, its precondition the lead it updated). The rows are matched again, find their own writes,
    and still end as created and updated, with the before-image undo needs and every key indexed."""
    base = tmp_path / "base.csv"
    base.write_text("Nombres,Apellidos,Correo\nAna,Paz,ana@x.ec\n", encoding="utf-8")
    ManualRun(tenant, base).process_upload()
    change = tmp_path / "change.csv"
    change.write_text("Nombres,Apellidos,Correo,Ciudad,Tipo de documento,Número de documento\n"
                      "Ana,Paz,ana@x.ec,Cuenca,,\nEva,Ríos,eva@x.ec,Loja,cédula,1710034065\n", encoding="utf-8")
    run = ManualRun(tenant, change)
    api = firestore_client()._firestore_api
    real_commit = api.commit
    resent: list[int] = []

    def answer_lost(*args: object, request: dict, **kwargs: object) -> object:
        if not resent and any(f"/tenants/{tenant}/leads/" in write.update.name for write in request["writes"]):
            resent.append(len(request["writes"]))
            real_commit(*args, request=request, **kwargs)  # it lands; its answer is lost, so it is sent again
        return real_commit(*args, request=request, **kwargs)

    monkeypatch.setattr(api, "commit", answer_lost)
    run.process_upload()
    monkeypatch.undo()
    assert resent == [2]  # Ana's update and Eva's new lead, in one commit
    results = {row["row"]: row for row in _results(tenant, run.job_id)["rows"]}
    assert [(results[n]["status"], results[n]["errors"]) for n in (2, 3)] == [("updated", []), ("created", [])]
    db = firestore_client()
    leads = {lead.id: lead.to_dict() for lead in tenant_ref(db, tenant).collection("leads").stream()}
    ana, eva = leads[results[2]["lead_id"]], leads[results[3]["lead_id"]]
    assert (ana["city"], eva["city"]) == ("Cuenca", "Loja")
    image = jobs.jobs_of(tenant_ref(db, tenant)).document(run.job_id).collection("before").document(
        results[2]["lead_id"]).get()
    assert image.exists and image.to_dict()["missing"] == ["city"]  # undo can still take Ana's city off
    held = key_ref(tenant_ref(db, tenant), "id_number", eva["id_number"]).get()
    assert held.exists and held.to_dict()["lead_id"] == results[3]["lead_id"]  # indexed outside the chain too

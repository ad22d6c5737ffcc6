"""The fan-out: a file bigger than a chunk is cut into chunks imported side by side, ends like one
invocation would, resumes a chunk from its checkpoint, and still ends a chunk that always crashes."""

from __future__ import annotations

import csv
import json
import time
import uuid
from pathlib import Path

import pytest

from conftest import CHECK_WORKERS_FROM_BYTES, CHUNK_ROWS, EXAMPLES, ManualRun, leads_of, run_import
from leadimport.cli import import_cmd
from leadimport.core.keys import new_lead_id
from leadimport.core.models import ImportOptions
from leadimport.core.plan import BATCH_ROWS as PART_ROWS
from leadimport.core.tenant_config import TenantConfig
from leadimport.devstack.stack import Stack
from leadimport.report.results import report_prefix
from leadimport.run.write import LeadWriter
from leadimport.settings import get_settings
from leadimport.store import chunk_files, jobs
from leadimport.store.clients import firestore_client, storage_client
from leadimport.store.tenant_refs import tenant_ref
from leadimport.store.tenants import apply_tenant

pytestmark = pytest.mark.stack

ROWS = 2 * CHUNK_ROWS + 1000  # three chunks
HEADER = ["Nombre", "Apellidos", "Correo", "Teléfono", "Empresa"]


def _lead(i: int) -> list[str]:
    return [f"Nombre{i}", "Pérez", f"lead{i}@example.com", f"+593 99 {i:07d}", f"Empresa {i % 7}"]


def _sheet_row(i: int) -> int:
    return i + 2  # under the header


# rows that repeat a key of a row in an earlier chunk, and one that is plainly wrong
EMAIL_TWIN, EMAIL_FIRST = CHUNK_ROWS + 200, 10
PHONE_TWIN, PHONE_FIRST = 2 * CHUNK_ROWS + 300, CHUNK_ROWS + 100
BROKEN = 50


def big_file(path: Path) -> Path:
    rows = [_lead(i) for i in range(ROWS)]
    rows[EMAIL_TWIN][2] = rows[EMAIL_FIRST][2]
    rows[PHONE_TWIN][3] = rows[PHONE_FIRST][3]
    rows[BROKEN][2:4] = ["lead50@@example", "12"]  # no contact that works: the row is refused
    rows[BROKEN][4] = "Empresa\u2028con salto"  # its cells go to the results: a Unicode line break stays in them
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


def _results(tenant_id: str, job_id: str) -> dict:
    name = report_prefix(tenant_id, job_id) + "results.json"
    blob = storage_client().bucket(get_settings().reports_bucket).blob(name)
    return json.loads(blob.download_as_bytes())


def _job(tenant_id: str, job_id: str) -> dict:
    return jobs.jobs_of(tenant_ref(firestore_client(), tenant_id)).document(job_id).get().to_dict() or {}


def _outcomes(results: dict) -> list[tuple[int, str, list[str]]]:
    return [(r["row"], r["status"], [e["code"] for e in r.get("errors", [])]) for r in results["rows"]]


def test_a_big_file_fans_out_and_ends_as_one_invocation_would(stack: dict, tenant: str, tmp_path: Path) -> None:
    path = big_file(tmp_path / "big.csv")
    outcome = run_import(path, tenant)
    job_id = outcome["job_id"]
    assert _job(tenant, job_id)["split"] == {"chunks": 3, "repeats": 0, "rows": ROWS}
    results = _results(tenant, job_id)
    rows = _outcomes(results)
    assert [row for row, _, _ in rows] == [_sheet_row(i) for i in range(ROWS)]  # every row once, in order
    errors = {row: codes for row, status, codes in rows if status == "error"}
    assert errors == {_sheet_row(BROKEN): ["invalid_email", "invalid_phone"],
                      _sheet_row(EMAIL_TWIN): ["duplicate_in_file"], _sheet_row(PHONE_TWIN): ["duplicate_in_file"]}
    twin = next(r for r in results["rows"] if r["row"] == _sheet_row(EMAIL_TWIN))
    assert str(_sheet_row(EMAIL_FIRST)) in twin["errors"][0]["message"]  # across chunks, it names the first row
    assert outcome["counts"] == {"rows": ROWS, "created": ROWS - 3, "updated": 0, "unchanged": 0, "skipped": 0,
                                 "errors": 3}
    assert len(leads_of(tenant)) == ROWS - 3
    assert outcome["email"] == "sent"
    assert _job(tenant, job_id)["mapping"] == outcome["mapping"]

    # the same file in one invocation (no fan-out) gives every row the same outcome
    other = "t-" + uuid.uuid4().hex[:12]
    apply_tenant(firestore_client(), other, TenantConfig.model_validate_json((EXAMPLES / "tenant.json").read_text()))
    assert path.stat().st_size >= CHECK_WORKERS_FROM_BYTES  # the stack checked it on two worker processes
    single = ManualRun(other, path, chunk_rows=10 * ROWS, check_workers=1)  # this one, in its own process
    single.process_upload()
    assert "split" not in _job(other, single.job_id)
    assert _outcomes(_results(other, single.job_id)) == rows

    again = run_import(path, tenant)  # a re-import through the fan-out changes nothing
    assert again["counts"]["unchanged"] == ROWS - 3 and again["counts"]["errors"] == 3


def test_a_file_checked_by_the_workers_but_shorter_than_a_chunk_is_imported_whole(
        stack: dict, tenant: str, tmp_path: Path) -> None:
    """The workers hand back rows as chunk lines, so a file big enough for them goes through the fan-out
    even when it fits one chunk: one chunk, every row, the same outcomes as in one process."""
    path = tmp_path / "wide.csv"
    notes = "Interesada en departamento de dos dormitorios con vista al parque, llamar por la tarde. " * 3
    rows = [[*_lead(i), notes] for i in range(CHUNK_ROWS - 100)]
    rows[30][2] = rows[7][2]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[*HEADER, "Notas"], *rows])
    assert path.stat().st_size >= CHECK_WORKERS_FROM_BYTES
    outcome = run_import(path, tenant)
    assert _job(tenant, outcome["job_id"])["split"] == {"chunks": 1, "repeats": 0, "rows": len(rows)}
    assert outcome["counts"]["created"] == len(rows) - 1 and outcome["counts"]["errors"] == 1
    single = ManualRun(tenant, path, check_workers=1)
    single.process_upload()
    assert "split" not in _job(tenant, single.job_id)
    assert _outcomes(_results(tenant, single.job_id)) == [
        (row, "unchanged" if status == "created" else status, codes)
        for row, status, codes in _outcomes(_results(tenant, outcome["job_id"]))]


def test_two_chunks_reaching_one_stored_lead_update_it_once(stack: dict, tenant: str, tmp_path: Path) -> None:
    """Rows in different chunks that find one stored lead by different keys (its email in one, its
    phone in the other) would each overwrite the other's change: the second is refused, as in one file."""
    first = tmp_path / "first.csv"
    with first.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, ["Rosa", "Mora", "rosa@example.com", "+593 98 765 4321", "Inicial"]])
    run_import(first, tenant)
    (lead_id, _), = leads_of(tenant).items()
    path = big_file(tmp_path / "big.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    by_email, by_phone = 100, CHUNK_ROWS + 600
    rows[by_email + 1][2:5] = ["rosa@example.com", "", "Por correo"]
    rows[by_phone + 1][2:5] = ["", "+593 98 765 4321", "Por teléfono"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    outcome = run_import(path, tenant)
    results = {r["row"]: r for r in _results(tenant, outcome["job_id"])["rows"]}
    pair = [results[_sheet_row(by_email)], results[_sheet_row(by_phone)]]
    assert sorted(r["status"] for r in pair) == ["error", "updated"]
    winner = next(r for r in pair if r["status"] == "updated")
    loser = next(r for r in pair if r["status"] == "error")
    assert winner["lead_id"] == lead_id
    assert loser["errors"][0]["code"] == "duplicate_in_file"
    assert str(winner["row"]) in loser["errors"][0]["message"]
    company = leads_of(tenant)[lead_id]["company"]
    assert company == ("Por correo" if winner["row"] == _sheet_row(by_email) else "Por teléfono")


def test_a_chunk_cut_off_resumes_from_its_checkpoint(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = ManualRun(tenant, big_file(tmp_path / "big.csv"))
    run.process_upload()
    assert _job(tenant, run.job_id)["split"]["chunks"] == 3
    writes = []
    real_write_results = chunk_files.write_results

    def die_in_second_part(*args: object, **kwargs: object) -> None:
        writes.append(args[1])
        if len(writes) == 2:  # the second part's leads are committed; its results and checkpoint are not
            raise RuntimeError("instance stopped")
        real_write_results(*args, **kwargs)

    monkeypatch.setattr(chunk_files, "write_results", die_in_second_part)
    with pytest.raises(RuntimeError):
        run.chunk(0)
    monkeypatch.setattr(chunk_files, "write_results", real_write_results)
    assert not run.chunk_state(0)["done"]
    assert [c.rows for c in run.written_parts(0)] == [PART_ROWS]  # the checkpoint: the first part's results
    stored = {snap.id: snap.update_time for snap in tenant_ref(firestore_client(), tenant).collection("leads").stream()}
    assert len(stored) == CHUNK_ROWS - 1  # both parts' leads were written before the cut (one row is broken)

    run.chunk(0)  # the platform's retry
    resumed = run.chunk_state(0)
    assert resumed["attempt"] == 2 and resumed["done"] and resumed["counts"]["rows"] == CHUNK_ROWS
    leads = {snap.id: snap.update_time for snap in tenant_ref(firestore_client(), tenant).collection("leads").stream()}
    assert {lead: leads[lead] for lead in stored} == stored  # no lead written again
    run.chunk(0)  # delivered once more: counted once
    assert run.chunk_state(0)["counts"] == resumed["counts"]
    for n in (1, 2):
        run.chunk(n)
    job = _job(tenant, run.job_id)
    assert job["status"] == "done"
    assert job["counts"] == {"rows": ROWS, "created": ROWS - 3, "updated": 0, "unchanged": 0, "skipped": 0,
                             "errors": 3}
    results = _results(tenant, run.job_id)
    assert [r["row"] for r in results["rows"]] == [_sheet_row(i) for i in range(ROWS)]
    assert sum(r["status"] == "created" for r in results["rows"][:CHUNK_ROWS]) == CHUNK_ROWS - 1


def test_a_chunk_that_always_crashes_still_ends_with_every_row_reported(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = ManualRun(tenant, big_file(tmp_path / "big.csv"))
    run.process_upload()
    for n in (0, 2):
        run.chunk(n)
    real_write = LeadWriter.write

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("writer bug")

    monkeypatch.setattr(LeadWriter, "write", crash)
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        with pytest.raises(RuntimeError):
            run.chunk(1)
        assert run.chunk_state(1)["attempt"] == attempt
    run.chunk(1)  # the last try gives its rows up cleanly
    monkeypatch.setattr(LeadWriter, "write", real_write)
    job = _job(tenant, run.job_id)
    assert job["status"] == "done"
    assert job["counts"]["rows"] == ROWS
    results = _results(tenant, run.job_id)["rows"]
    middle = results[CHUNK_ROWS:2 * CHUNK_ROWS]
    assert {r["status"] for r in middle} == {"error"}
    assert {e["code"] for r in middle for e in r["errors"]} == {"chunk_failed"}
    assert sum(r["status"] == "created" for r in results) == ROWS - CHUNK_ROWS - 2


def test_a_job_whose_results_went_missing_still_ends_saying_so(stack: dict, tenant: str, tmp_path: Path) -> None:
    """The finisher refuses a report shorter than the file; if that never mends (here: a part's results
    object deleted), it is a crash like any other, and after 4 the job ends failed, saying so."""
    run = ManualRun(tenant, big_file(tmp_path / "big.csv"))
    run.process_upload()
    for n in (0, 1):
        run.chunk(n)
    work = storage_client().bucket(run.settings.work_bucket)
    work.blob(chunk_files.results_name(tenant, run.job_id, 0, 0)).delete()
    for _ in range(jobs.MAX_ATTEMPTS):
        with pytest.raises(RuntimeError, match="results for"):
            run.chunk(2)  # the last chunk (then its deliveries again) tries to finish the job
        assert _job(tenant, run.job_id)["status"] == "running"
    run.chunk(2)
    job = _job(tenant, run.job_id)
    assert job["status"] == "failed" and f"results of {PART_ROWS} of {ROWS} rows were lost" in job["error"]
    assert job["counts"]["rows"] == ROWS - PART_ROWS and job["report"]["results"].endswith("results.json")


def test_a_worker_killed_mid_chunk_is_taken_over_from_its_checkpoint(stack: dict, tenant: str, tmp_path: Path) -> None:
    """The real thing: the import_chunk server is killed while chunks are halfway, and started again;
    the bridge's retries find the dead holder's lease run out and resume from its checkpoints."""
    path = big_file(tmp_path / "big.csv")
    local = Stack(Path(stack["state_dir"]))
    _, job_id = import_cmd.upload(path, tenant, ImportOptions(filename=path.name))
    job = jobs.jobs_of(tenant_ref(firestore_client(), tenant)).document(job_id)
    work = storage_client().bucket(get_settings().work_bucket)

    def checkpoints() -> dict[int, int]:  # chunk → parts whose results are stored, for chunks with parts to go
        running = [int(c.id) for c in job.collection("chunks").stream() if not (c.to_dict() or {}).get("done")]
        written = {n: len(chunk_files.written_parts(work, tenant, job_id, n)) for n in running}
        return {n: parts for n, parts in written.items()
                if parts < -(-min(CHUNK_ROWS, ROWS - n * CHUNK_ROWS) // PART_ROWS)}

    deadline = time.monotonic() + 120
    while not any(checkpoints().values()):
        assert time.monotonic() < deadline, "no chunk reached a checkpoint"
        time.sleep(0.02)
    local.stop_process("import_chunk", kill=True)
    try:
        cut = checkpoints()
        assert any(cut.values())  # cut between a checkpoint and the chunk's end
        # the leads of every part a checkpoint names, as they stood when the worker died
        checkpointed = [new_lead_id(job_id, _sheet_row(i)) for n, parts in cut.items()
                        for i in range(n * CHUNK_ROWS, min(n * CHUNK_ROWS + parts * PART_ROWS, ROWS))
                        if i not in (BROKEN, EMAIL_TWIN, PHONE_TWIN)]
        leads = tenant_ref(firestore_client(), tenant).collection("leads")
        before = {snap.id: snap.update_time for snap in firestore_client().get_all(
            [leads.document(lead) for lead in checkpointed])}
        assert len(before) == len(checkpointed)
    finally:
        local.start_process("import_chunk")
    done = import_cmd.wait_for_job(tenant, job_id, timeout=300, progress=False)
    assert done["status"] == "done"
    assert done["counts"] == {"rows": ROWS, "created": ROWS - 3, "updated": 0, "unchanged": 0, "skipped": 0,
                              "errors": 3}
    assert import_cmd.wait_for_email(tenant, job_id) == "sent"
    chunks = {snap.id: snap.to_dict() or {} for snap in job.collection("chunks").stream()}
    assert all(chunks[f"{n:05d}"]["attempt"] >= 2 for n in cut)
    assert len(leads_of(tenant)) == ROWS - 3
    after = {snap.id: snap.update_time for snap in firestore_client().get_all(
        [leads.document(lead) for lead in checkpointed])}
    assert after == before  # what a checkpoint names was not written again


def test_a_delivery_that_died_while_publishing_is_finished_by_the_next(
        stack: dict, tenant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = ManualRun(tenant, big_file(tmp_path / "big.csv"))
    real_publish = chunk_files.publish_chunk
    published: list[str] = []

    def die_after_one(bucket: object, staged: str, name: str) -> None:
        if published:
            raise RuntimeError("instance stopped")
        published.append(name)
        real_publish(bucket, staged, name)  # type: ignore[arg-type]

    monkeypatch.setattr(chunk_files, "publish_chunk", die_after_one)
    with pytest.raises(RuntimeError):
        run.process_upload()
    monkeypatch.setattr(chunk_files, "publish_chunk", real_publish)
    work = storage_client().bucket(run.settings.work_bucket)
    first = work.get_blob(published[0])
    assert first is not None and work.get_blob(chunk_files.chunk_name(tenant, run.job_id, 1)) is None
    run.process_upload()  # the platform's retry: the split stands, the rest is published
    assert work.get_blob(published[0]).generation == first.generation  # published once: not started again
    for n in range(3):
        run.chunk(n)
    job = _job(tenant, run.job_id)
    assert job["status"] == "done" and job["counts"]["rows"] == ROWS

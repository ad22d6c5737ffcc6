"""The fan-out: a file too big for one invocation is cut into chunks imported side by side, and the
job ends exactly once, when the last chunk does.

1. process_upload reads the whole file once through the CPU path (core/plan.py), so in-file dedup spans
   chunk boundaries, and holds its checked rows. A file that fits in one chunk is written there and
   then. A bigger one is staged as chunk files; only once the whole file has been read are they
   published (copied to chunks/, whose finalize events start import_chunk), so a file that turns
   out unreadable halfway imports nothing.
2. Each import_chunk writes its rows part by part, with a checkpoint on
   import_jobs/{job}/chunks/{n} (chunk_import.py), and marks its chunk done.
3. Whoever finds every chunk done — the last chunk, or process_upload if the chunks beat it —
   writes the report and announces the job finished (finish_if_last).

The transport is the chunk object's own finalize event, which Eventarc delivers at least once with
retries (through Pub/Sub, which it runs underneath), and which the local bridge delivers the same
way: one write is both the rows and the message.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import tempfile
from collections.abc import Callable, Generator, Iterator
from typing import IO, TypeVar

from google.cloud import firestore, storage
from google.cloud.firestore_v1.base_query import FieldFilter

from leadimport.core.models import ColumnMapping
from leadimport.core.plan import BATCH_ROWS, CheckedChunk
from leadimport.core.row_lines import Lines, encode_rows, join_lines
from leadimport.report.results import JobReport, announce_finished
from leadimport.run.lifecycle import end_job
from leadimport.settings import Settings
from leadimport.store import chunk_files, leases
from leadimport.store.jobs import FINISHED, LEASE
from leadimport.store.retention import DETAIL_DAYS, expires

log = logging.getLogger(__name__)
STAGED_PREFIX = "staged/"
T = TypeVar("T")


class ChunkSpill:
    """Holds a table's checked rows while they fit one chunk; past that, stages them as chunk files.

    Rows to merge into an earlier row's lead (core/merge_rows.py) come after every other row: held, they
    are given back last; staged, they are chunks of their own, started one by one once the others are done.
    """

    def __init__(self, bucket: storage.Bucket, tenant_id: str, job_id: str, rows_per_chunk: int):
        self._bucket, self._tenant_id, self._job_id = bucket, tenant_id, job_id
        self._size = max(rows_per_chunk, 1)
        self.chunks = 0  # chunk files staged
        self.repeat_chunks = 0  # and those of rows merged into earlier rows' leads, staged apart
        self.rows = 0

    def hold(self, checked_chunks: Iterator[CheckedChunk]) -> Iterator[CheckedChunk]:
        """The table's rows back, in the pipeline's chunks, if they fit in one chunk; else nothing (staged)."""
        held: CheckedChunk = []
        repeats: CheckedChunk = []
        for checked in checked_chunks:
            for item in checked:
                (repeats if item[1].repeat_of else held).append(item)
            self.rows += len(checked)
            held = self._stage_full(held, encode_rows)
            repeats = self._stage_full(repeats, encode_rows, repeat=True)
        if not self.chunks and not self.repeat_chunks and len(held) + len(repeats) <= self._size:
            for rows in (held, repeats):
                for start in range(0, len(rows), BATCH_ROWS):
                    yield rows[start:start + BATCH_ROWS]
            return
        self._stage_rest(held, repeats, encode_rows)

    def stage_lines(self, blocks: Generator[Lines, None, None]) -> None:
        """The table's rows already as chunk-file lines (the check pass on every core, core/check_workers.py),
        all staged, however few: a file big enough to be checked that way is imported by the fan-out."""
        held: list[bytes] = []
        repeats: list[bytes] = []
        with contextlib.closing(blocks):  # a failed upload stops the workers now, not when the traceback goes
            for block in blocks:
                for line, repeat in block:
                    (repeats if repeat else held).append(line)
                self.rows += len(block)
                held = self._stage_full(held, join_lines)
                repeats = self._stage_full(repeats, join_lines, repeat=True)
        self._stage_rest(held, repeats, join_lines)

    def _stage_full(self, rows: list[T], encode: Callable[[list[T]], bytes], repeat: bool = False) -> list[T]:
        """Stage whole chunks' worth of rows while more than one chunk's worth is held (the last is held back:
        a file that ends there fits in one chunk); the rows still held."""
        while len(rows) > self._size:
            self._stage(encode(rows[:self._size]), repeat)
            rows = rows[self._size:]
        return rows

    def _stage_rest(self, held: list[T], repeats: list[T], encode: Callable[[list[T]], bytes]) -> None:
        if held:
            self._stage(encode(held))
        if repeats:
            self._stage(encode(repeats), repeat=True)

    def _stage(self, data: bytes, repeat: bool = False) -> None:
        if repeat:
            chunk_files.write_chunk(self._bucket, staged_repeat_name(self._tenant_id, self._job_id,
                                                                     self.repeat_chunks), data)
            self.repeat_chunks += 1
        else:
            chunk_files.write_chunk(self._bucket, staged_name(self._tenant_id, self._job_id, self.chunks), data)
            self.chunks += 1


def staged_name(tenant_id: str, job_id: str, n: int) -> str:
    return STAGED_PREFIX + chunk_files.chunk_name(tenant_id, job_id, n)


def staged_repeat_name(tenant_id: str, job_id: str, k: int) -> str:
    return STAGED_PREFIX + "repeats/" + chunk_files.chunk_name(tenant_id, job_id, k)


def publish(work: storage.Bucket, tenant_id: str, job_id: str, chunks: int) -> None:
    """Start the chunks' imports (not those of repeats: finish_if_last starts them, after these):
    a server-side copy each, made once however often this runs."""
    for n in range(chunks):
        chunk_files.publish_chunk(work, staged_name(tenant_id, job_id, n), chunk_files.chunk_name(tenant_id, job_id, n))


def _publish_repeats(work: storage.Bucket, tenant_id: str, job_id: str, chunks: int, k: int) -> None:
    """Start the k-th chunk of repeats, numbered after the file's own chunks: one at a time, so that two of
    them never write one lead at once."""
    chunk_files.publish_chunk(work, staged_repeat_name(tenant_id, job_id, k),
                              chunk_files.chunk_name(tenant_id, job_id, chunks + k))


def record_split(job: firestore.DocumentReference, spill: ChunkSpill, columns: list[str],
                 mapping: list[ColumnMapping], notes: list[str]) -> None:
    """What the chunks and the report need of the whole file. From now on a delivery of the upload
    only publishes the chunks again (in case the one before died halfway) and looks whether they are done."""
    job.update({"split": {"chunks": spill.chunks, "repeats": spill.repeat_chunks,
                          "rows": spill.rows}, "columns": columns,
                "mapping": [m.model_dump() for m in mapping], "notes": notes, "lease_until": None})


def chunk_ref(job: firestore.DocumentReference, n: int) -> firestore.DocumentReference:
    return job.collection("chunks").document(f"{n:05d}")


def finish_if_last(job: firestore.DocumentReference, tenant_id: str, gcs: storage.Client,
                   settings: Settings, locale: str) -> None:
    """End the job if every chunk is done: the report written, the job finished and announced once.

    Each chunk marks itself done before it looks, and process_upload records the split before it
    looks, so whoever writes last sees everything. Two that look at once both see it; the finish
    lease lets one of them through and asks the other's platform to retry until the job has ended.
    """
    data = job.get().to_dict() or {}
    split = data.get("split")
    reports = gcs.bucket(settings.reports_bucket)
    if data.get("status") in FINISHED:
        announce_finished(reports, tenant_id, job.id)  # in case the one that finished it died just before
        return
    if not split:
        return  # process_upload is still reading the file; it looks once it has recorded the split
    done = sum(1 for _ in job.collection("chunks").where(filter=FieldFilter("done", "==", True)).select([]).stream())
    if done < split["chunks"]:
        return
    if done < split["chunks"] + split.get("repeats", 0):  # the file's rows are in: the repeats' turn, one by one
        _publish_repeats(gcs.bucket(settings.work_bucket), tenant_id, job.id, split["chunks"], done - split["chunks"])
        return
    lease = leases.take(job.collection("finish").document("lease"), expires(DETAIL_DAYS), LEASE,
                        settled=lambda found: False)
    release = functools.partial(leases.release, lease)
    with tempfile.TemporaryFile() as spool:
        try:
            report, status, error = _results(job, data, tenant_id, gcs.bucket(settings.work_bucket), locale, spool,
                                             lease)
        except Exception as exc:
            release(exc)
            raise
        end_job(job, reports, tenant_id, report, status, error, data.get("notes") or [], release=release)
    log.info("job %s done in %d chunks: %s", job.id, split["chunks"], report.counts.model_dump())


def _results(job: firestore.DocumentReference, data: dict, tenant_id: str, work: storage.Bucket, locale: str,
             spool: IO[bytes], lease: leases.Lease) -> tuple[JobReport, str, str | None]:
    """The whole job's report from its chunks' results, and how it ends."""
    split = data["split"]
    report = JobReport(job_id=job.id, filename=(data.get("source") or {}).get("filename") or "",
                       columns=data.get("columns") or [], locale=locale, spool=spool,
                       mapping=[ColumnMapping.model_validate(m) for m in data.get("mapping") or []])
    for result, values in chunk_files.read_results(work, tenant_id, job.id):
        report.add(result, values)
    if report.counts.rows == split["rows"]:  # every row read ends with exactly one status
        return report, "done", None
    if lease.gave_up() is None:  # a bug, not contention: it counts as a crash, and ends after a few
        raise RuntimeError(f"Job {job.id}: {report.counts.rows} results for {split['rows']} rows.")
    return report, "failed", (f"The results of {split['rows'] - report.counts.rows} of {split['rows']} rows were "
                              "lost. Import the file again: the rows that were imported are recognised.")

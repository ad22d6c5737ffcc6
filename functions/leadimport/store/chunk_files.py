"""The fan-out's objects in the work bucket: a big file's checked rows cut into chunks, and each chunk's results.

    chunks/{tenant}/{job}/{n}.jsonl          a row a line: its number, its cells and what the one CPU pass
                                             over the whole file made of it (so in-file dedup spans chunks)
    results/{tenant}/{job}/{n}/{part}.jsonl  a row a line: its result, and its cells when it is an error

A chunk object's finalize event is the message that starts its import_chunk (see fanout.py); names
are zero-padded so that listing them gives the rows in file order.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from google.api_core.exceptions import PreconditionFailed
from google.cloud import storage

from leadimport.core.models import Counts, RowResult
from leadimport.core.plan import CheckedChunk
from leadimport.core.row_lines import decode_rows, join_lines, split_lines

CHUNK_PREFIX = "chunks/"
RESULTS_PREFIX = "results/"
JSONL = "application/x-ndjson"
COUNTS_METADATA = "leadimport-counts"
_CHUNK_NAME = re.compile(r"chunks/(?P<tenant>[^/]+)/(?P<job>[0-9a-zA-Z_-]+)/(?P<n>\d{5})\.jsonl")


@dataclass(frozen=True)
class ChunkPath:
    tenant_id: str
    job_id: str
    n: int


def chunk_name(tenant_id: str, job_id: str, n: int) -> str:
    return f"{CHUNK_PREFIX}{tenant_id}/{job_id}/{n:05d}.jsonl"


def parse_chunk_name(name: str) -> ChunkPath | None:
    match = _CHUNK_NAME.fullmatch(name)
    return ChunkPath(match["tenant"], match["job"], int(match["n"])) if match else None


def results_prefix(tenant_id: str, job_id: str) -> str:
    return f"{RESULTS_PREFIX}{tenant_id}/{job_id}/"


def results_name(tenant_id: str, job_id: str, n: int, part: int) -> str:
    return f"{results_prefix(tenant_id, job_id)}{n:05d}/{part:05d}.jsonl"


def write_chunk(bucket: storage.Bucket, name: str, data: bytes) -> None:
    """Write a chunk (its rows as core/row_lines.encode_rows makes them) once: a delivery that takes over a
    half-done split must not start its chunks again."""
    with contextlib.suppress(PreconditionFailed):
        bucket.blob(name).upload_from_string(data, content_type=JSONL, if_generation_match=0)


def read_chunk(bucket: storage.Bucket, name: str) -> CheckedChunk:
    return decode_rows(bucket.blob(name).download_as_bytes())


def write_results(bucket: storage.Bucket, name: str, results: list[tuple[RowResult, tuple[str, ...] | None]],
                  counts: Counts) -> None:
    """A part's results, once its leads are written: the checkpoint a retried chunk resumes from.

    Written again whole by a retry that redoes the part (the same rows, the same results). The
    counts ride in the object's metadata, so a retry sums them from a listing.
    """
    lines = [json.dumps([result.model_dump(exclude_defaults=True), values], ensure_ascii=False,
                        separators=(",", ":")).encode() for result, values in results]
    blob = bucket.blob(name)
    blob.metadata = {COUNTS_METADATA: counts.model_dump_json()}
    blob.upload_from_string(join_lines(lines), content_type=JSONL)


def written_parts(bucket: storage.Bucket, tenant_id: str, job_id: str, n: int) -> list[Counts]:
    """The counts of the parts of chunk n whose results are stored, from part 0 up to the first missing."""
    prefix = f"{results_prefix(tenant_id, job_id)}{n:05d}/"
    stored = {}
    for blob in bucket.list_blobs(prefix=prefix):
        part = blob.name[len(prefix):].removesuffix(".jsonl")
        if part.isdigit() and COUNTS_METADATA in (blob.metadata or {}):
            stored[int(part)] = Counts.model_validate_json(blob.metadata[COUNTS_METADATA])
    written: list[Counts] = []
    while len(written) in stored:
        written.append(stored[len(written)])
    return written


def read_results(bucket: storage.Bucket, tenant_id: str, job_id: str) -> Iterator[tuple[RowResult, tuple[str, ...]]]:
    """Every result of the job in file order, with the cells of the rows that failed."""
    for blob in sorted(bucket.list_blobs(prefix=results_prefix(tenant_id, job_id)), key=lambda b: b.name):
        for line in split_lines(blob.download_as_bytes()):
            result, values = json.loads(line)
            yield RowResult.model_validate(result), tuple(values or ())


def publish_chunk(bucket: storage.Bucket, staged: str, name: str) -> None:
    """Copy a staged chunk to its name under chunks/ (whose finalize event starts its import), once.

    The precondition keeps a second copy from starting the chunk again on Cloud Storage; the look
    first does on fake-gcs-server too, which ignores preconditions on copies."""
    if bucket.get_blob(name) is not None:
        return
    with contextlib.suppress(PreconditionFailed):
        bucket.copy_blob(bucket.blob(staged), bucket, name, if_generation_match=0)
